import GavelCore

/// The paper's metrics, computed the way `mohaf/utils.py` computes them
/// (spec §2.4): sums in allocation order (CPython 3.11's `sum` adds left to
/// right, no compensation), each mechanism's *own* utility labels, Jain's index
/// over the allocations only.
public struct PaperMetrics: Sendable, Equatable {
    /// Σ utility / max_possible_utility (not ×100% as eq. (16) writes).
    public var allocationEfficiency: Double
    /// Σ price·amount (price already includes d, so this is Σ cost·d² for FP and Greedy).
    public var revenue: Double
    /// #allocations / N.
    public var satisfactionRate: Double
    /// #distinct resources allocated / M.
    public var resourceUtilization: Double
    /// (Σu)² / (n·Σu²) over the n allocations' utility labels; 1 with no allocations.
    public var jainPerAllocation: Double

    /// The paper's metrics of `result` on an instance of `n` requests and `m` resources.
    public init(_ result: IoTAllocationResult, requests n: Int, resources m: Int) {
        let a = result.allocations
        if a.isEmpty {
            allocationEfficiency = 0; revenue = 0; jainPerAllocation = 1
        } else {
            var total = 0.0, rev = 0.0, squares = 0.0
            for x in a { total += x.utility }
            for x in a { rev += x.price * x.amount }
            for x in a { squares += x.utility * x.utility }
            allocationEfficiency = result.maxPossibleUtility > 0 ? total / result.maxPossibleUtility : 0
            revenue = rev
            jainPerAllocation = squares == 0 ? 1 : (total * total) / (Double(a.count) * squares)
        }
        satisfactionRate = n > 0 ? Double(a.count) / Double(n) : 0
        var seen = [Bool](repeating: false, count: m)
        var distinct = 0
        for x in a where !seen[x.resource] { seen[x.resource] = true; distinct += 1 }
        resourceUtilization = m > 0 ? Double(distinct) / Double(m) : 0
    }
}

/// One valuation v_ij ∈ [0, 1] applied to *every* mechanism's allocation, so
/// that welfare is comparable across mechanisms (the paper's baselines carry
/// made-up labels instead, spec §3).
///
/// v_ij = (α·u_cost + β·u_qos + γ·u_en + δ·u_pri) / (α+β+γ+δ) with
/// u_cost = max(0, 1 − cost_j·d_i/B_i), u_qos = ½·(rel_j+av_j)/2 + ½·max(0, 1 − dist_ij/D),
/// u_en = energy_j and u_pri = min(1, p_i/10): the paper's eq. (2) with each
/// component normalised to [0, 1] (the gap spec §6 asks mode B to fill) and the
/// history-dependent part of u_fair left out (fairness is measured by Jain's index).
public struct CommonValuation: Sendable, Equatable {
    /// α, β, γ, δ; v_ij divides by their sum.
    public var weights: MOHAFWeights
    /// D: the distance at which the location score reaches 0 (200 on the Google instance's [−100,100]² box).
    public var distanceScale: Double

    /// A valuation with `weights` and distance scale D.
    public init(weights: MOHAFWeights, distanceScale: Double) {
        self.weights = weights
        self.distanceScale = distanceScale
    }

    /// The four components of v_ij, each in [0, 1]: cost (budget left), QoS (reliability, availability, location), energy efficiency, priority/10.
    @inline(__always)
    public func components(_ inst: IoTInstance, request i: Int, resource j: Int) -> (cost: Double, qos: Double, energy: Double, priority: Double) {
        let q = inst.requests[i], r = inst.resources[j]
        let uCost = q.budget > 0 ? max(0, 1 - r.costPerUnit * q.amount / q.budget) : 0
        let uLoc = max(0, 1 - inst.distance(request: i, resource: j) / distanceScale)
        let uQoS = 0.5 * ((r.reliability + r.availability) / 2) + 0.5 * uLoc
        return (uCost, uQoS, r.energyEfficiency, min(1, Double(q.priority) / 10))
    }

    /// v_ij: the weighted mean of ``components(_:request:resource:)``; 0 when every weight is 0.
    @inline(__always)
    public func value(_ inst: IoTInstance, request i: Int, resource j: Int) -> Double {
        let c = components(inst, request: i, resource: j)
        let w = weights
        let total = w.sum
        guard total > 0 else { return 0 }
        return (w.cost * c.cost + w.qos * c.qos + w.energy * c.energy + w.fairness * c.priority) / total
    }
}

/// The honest metrics beside the paper's (issue 3, item 3).
public struct HonestMetrics: Sendable, Equatable {
    /// Σ v_ij over the allocation, with the common valuation.
    public var welfare: Double
    /// Jain's index of each requester's total v, over all requesters, unserved = 0.
    public var jainPerRequester: Double
    /// Jain's index of each request's v, over all N requests, unserved = 0.
    public var jainPerRequest: Double
    /// welfare / the welfare-optimal assignment under the same constraints (NaN if not computed).
    public var ratioToOptimum: Double

    /// The honest metrics of `allocations`, with the welfare optimum when it was computed (nil: NaN ratio).
    public init(_ allocations: [IoTAllocation], instance inst: IoTInstance, valuation: CommonValuation, optimum: Double?) {
        var perRequester = [Double](repeating: 0, count: inst.requesterNames.count)
        var perRequest = [Double](repeating: 0, count: inst.requests.count)
        var total = 0.0
        for a in allocations {
            let v = valuation.value(inst, request: a.request, resource: a.resource)
            total += v
            perRequester[inst.requests[a.request].requester] += v
            perRequest[a.request] += v
        }
        welfare = total
        jainPerRequester = JainIndex.compute(perRequester, domain: .perEntity)
        jainPerRequest = JainIndex.compute(perRequest, domain: .perEntity)
        if let optimum { ratioToOptimum = optimum > 0 ? total / optimum : (total == 0 ? 1 : .nan) } else { ratioToOptimum = .nan }
    }
}
