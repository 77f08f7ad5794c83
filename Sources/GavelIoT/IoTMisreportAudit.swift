import GavelCore

/// The IoT truthfulness auditor (`audit_requests: N`, metric `max_gain_from_misreport`): the
/// largest gain in a requester's utility from one of its requests misreporting its budget, its
/// demand or both, every other report held at the truth, over the first N requests.
///
/// **Utility.** A request's true budget B_i is what service is worth to its requester (the most it
/// would pay); being served with an amount covering the true demand d_i is worth B_i, a smaller
/// amount is worth nothing, and the payment is the allocation's `price` (which already covers the
/// whole demand: cost·d for the baselines). A requester's utility is the sum over its requests of
/// worth − price, so a misreport that changes what its other requests get counts too. Truthful
/// reports never give a negative utility (every mechanism keeps price ≤ reported budget).
///
/// **Candidates** (a stated set, so the figure is a lower bound on the true supremum), built with
/// ``MisreportAudit/candidates(truth:factors:others:)``: budgets are multiples 0, 0.25, …, 3 of
/// B_i and, just below, at and just above, the thresholds where a budget changes an outcome: the
/// budgets of the other requests of the same type (priority orders, competition for the same
/// resources) and the request's prices cost_j·d on compatible resources (affordability). Demands
/// are multiples 0.25, …, 3 of d_i (a zero demand is not a request) and the capacities of the
/// resources of the request's type (compatibility). Every demand candidate (the truth included) is
/// combined with every budget candidate (the truth included), so joint misreports are searched.
public struct IoTMisreportAudit: Sendable {
    /// Requests audited: the first `requests` in index order (fewer if the instance has fewer).
    public var requests: Int
    /// Misreports as multiples of the truth: 0, 0.25, …, 3.
    public static let factors = (0...12).map { Double($0) / 4 }

    /// An auditor of the first `requests` requests.
    public init(requests: Int) { self.requests = requests }

    /// The largest gain found over the audited requests (0 when no misreport helps); throws what the mechanism throws.
    public func maxGain(_ mechanism: any IoTAllocationMechanism, market: IoTMarket) throws -> Double {
        let truth = market.instance
        let honest = try mechanism.allocate(market).result
        var best = 0.0
        for i in 0..<min(requests, truth.requests.count) {
            let k = truth.requests[i].requester
            let honestUtility = Self.utility(of: k, in: honest, truth: truth)
            for demand in [truth.requests[i].amount] + demandCandidates(request: i, truth) {
                // Utility at (b, demand), relative to the fully truthful report.
                let found = try MisreportAudit.maxGain(truth: truth.requests[i].budget,
                                                       misreports: budgetCandidates(request: i, demand: demand, truth)) { budget in
                    let outcome = try mechanism.allocate(market.reporting(request: i, budget: budget, amount: demand)).result
                    return Self.utility(of: k, in: outcome, truth: truth)
                }
                let atTrueBudget = demand == truth.requests[i].amount ? honestUtility
                    : Self.utility(of: k, in: try mechanism.allocate(market.reporting(request: i, budget: truth.requests[i].budget, amount: demand)).result, truth: truth)
                best = max(best, atTrueBudget + found.gain - honestUtility)
            }
        }
        return best
    }

    /// Requester `k`'s utility in `result` under its true budgets and demands (see the type's documentation).
    public static func utility(of k: Int, in result: IoTAllocationResult, truth: IoTInstance) -> Double {
        var u = 0.0
        for a in result.allocations where truth.requests[a.request].requester == k {
            let q = truth.requests[a.request]
            u += (a.amount >= q.amount ? q.budget : 0) - a.price
        }
        return u
    }

    func budgetCandidates(request i: Int, demand: Double, _ truth: IoTInstance) -> [Double] {
        let q = truth.requests[i]
        var thresholds: [Double] = []
        for (h, other) in truth.requests.enumerated() where h != i && other.type == q.type { thresholds.append(other.budget) }
        for r in truth.resources where r.type == q.type && r.capacity >= demand { thresholds.append(r.costPerUnit * demand) }
        return MisreportAudit.candidates(truth: q.budget, factors: Self.factors, others: thresholds)
    }

    func demandCandidates(request i: Int, _ truth: IoTInstance) -> [Double] {
        let q = truth.requests[i]
        let capacities = truth.resources.filter { $0.type == q.type }.map(\.capacity)
        return MisreportAudit.candidates(truth: q.amount, factors: Self.factors, others: capacities).filter { $0 > 0 }
    }
}
