import GavelCore
import GavelLP

/// The best mechanism whose recommendation is one fixed profile: the maximum over the |A|
/// point masses, each an LP (infeasible ones, profiles no payment within the cap can make
/// IC, are skipped).
public struct InfoAcqDeterministicBest: Sendable {
    public var value: Double
    public var profile: Int
    /// Per profile: its LP value, nil when no IC mechanism recommends it for sure.
    public var values: [Double?]
    public var mechanism: InfoAcqMechanism

    public static func solve(_ x: InfoAcqInstance) throws -> InfoAcqDeterministicBest {
        var values: [Double?] = []
        var best: (Double, Int, InfoAcqMechanism)?
        for a in 0..<x.profileCount {
            let r = try InfoAcqLP.solve(x, options: .init(fixedRecommendation: InfoAcqLP.pointMass(x, a)))
            values.append(r.value)
            // Ties: the lowest profile index.
            if let v = r.value, let m = r.mechanism, best.map({ v > $0.0 }) ?? true { best = (v, a, m) }
        }
        guard let best else { throw ExperimentError("no profile can be recommended deterministically with payments ≤ \(x.paymentCap)") }
        return InfoAcqDeterministicBest(value: best.0, profile: best.1, values: values, mechanism: best.2)
    }
}

/// The best product-distribution mechanism: φ = ⊗_i φ_i, with π and γ free.
///
/// For a fixed φ the problem is an LP whose value V(φ) is concave in φ (φ only enters
/// right-hand sides), but φ ↦ ⊗φ_i is not linear, so the search over marginals is not
/// convex. Two methods:
///
/// - **Every agent has two actions: branch and bound, with a certified upper bound.**
///   Marginals are p_i = P(agent i told action 1) ∈ [0, 1]; boxes of [0, 1]^n are split in
///   halves along every axis. At every box corner the fixed-φ LP is solved with IC slacks
///   priced at a penalty (always feasible, value V_M(φ) ≥ V(φ), equal where the slack is 0);
///   its reduced costs g at the fixed φ columns are a supergradient, so
///   V(φ) ≤ V_M(φ_k) + g_k·(φ − φ_k) for every corner k. Each such plane composed with the
///   multilinear map p ↦ φ(p) is multilinear in p, so its maximum over a box is at a corner:
///   UB(box) = min_k max_c [V_M(φ_k) + g_k·(φ(c) − φ_k)]. Lower bound: the best corner whose
///   penalised LP has zero slack (a feasible product mechanism). The box with the largest
///   upper bound is split until upper − lower ≤ `tolerance` or the LP budget is spent; both
///   bounds are reported.
/// - **Otherwise: a grid on each agent's simplex (step 1/`gridSteps`) plus a local
///   coordinate search** (step halved down to 1e-4; `MarginalSearch`). This gives a lower bound only; the
///   reported upper bound is then the correlated optimum.
public struct InfoAcqProductBest: Sendable {
    public var lowerBound: Double
    public var upperBound: Double
    /// Marginals of the best product mechanism found: marginals[i][a_i].
    public var marginals: [[Double]]
    public var mechanism: InfoAcqMechanism?
    public var lpSolves: Int
    public var method: String

    /// IC slack penalty of the bounding LPs.
    public static let violationPenalty = 1e3
    /// Slack below this counts as IC-feasible.
    public static let feasibilitySlack = 1e-9

    public static func solve(_ x: InfoAcqInstance, correlatedValue: Double, tolerance: Double = 1e-6, maxLPs: Int = 4000,
                             gridSteps: Int = 10) throws -> InfoAcqProductBest {
        if x.actionCounts.allSatisfy({ $0 == 2 }) {
            return try branchAndBound(x, tolerance: tolerance, maxLPs: maxLPs)
        }
        return try gridSearch(x, correlatedValue: correlatedValue, steps: gridSteps, maxLPs: maxLPs)
    }

    static func product(_ x: InfoAcqInstance, _ marginals: [[Double]]) -> [Double] {
        (0..<x.profileCount).map { a in (0..<x.agentCount).reduce(1.0) { $0 * marginals[$1][x.action(of: $1, in: a)] } }
    }

    struct Corner { var value: Double; var gradient: [Double]; var phi: [Double]; var feasible: Bool; var mechanism: InfoAcqMechanism? }

    static func branchAndBound(_ x: InfoAcqInstance, tolerance: Double, maxLPs: Int) throws -> InfoAcqProductBest {
        let n = x.agentCount
        // Coordinates are integers on a 2^depth grid; corners are cached by coordinates.
        let depth = 30, unit = 1 << depth
        var cache: [[Int]: Corner] = [:]
        var solves = 0
        var best: (value: Double, coords: [Int], mechanism: InfoAcqMechanism?) = (-.infinity, [], nil)
        func corner(_ c: [Int]) throws -> Corner {
            if let hit = cache[c] { return hit }
            let p = c.map { Double($0) / Double(unit) }
            let phi = product(x, p.map { [1 - $0, $0] })
            let r = try InfoAcqLP.solve(x, options: .init(fixedRecommendation: phi, icViolationPenalty: violationPenalty))
            solves += 1
            guard let v = r.value, let g = r.recommendationGradient else {
                throw ExperimentError("product search: the penalised LP at marginals \(p) ended \(r.status)")
            }
            let k = Corner(value: v, gradient: g, phi: phi, feasible: r.icViolation <= feasibilitySlack, mechanism: r.mechanism)
            cache[c] = k
            // Ties: the first corner found keeps the title (corners are visited in a fixed order).
            if k.feasible && v > best.value { best = (v, c, r.mechanism) }
            return k
        }
        let globalUB = try MarginalSearch.boxes(agents: n, unit: unit, tolerance: tolerance, maxLPs: maxLPs,
                                               solves: { solves }, incumbent: { best.value }, corner: corner) { k, c in
            // Corner k's supergradient plane at corner c's φ.
            var v = k.value
            for a in 0..<x.profileCount { v += k.gradient[a] * (c.phi[a] - k.phi[a]) }
            return v
        }
        let p = best.coords.map { Double($0) / Double(unit) }
        return InfoAcqProductBest(lowerBound: best.value, upperBound: max(globalUB, best.value), marginals: p.map { [1 - $0, $0] },
                                  mechanism: best.mechanism, lpSolves: solves, method: "branch_and_bound")
    }

    static func gridSearch(_ x: InfoAcqInstance, correlatedValue: Double, steps: Int, maxLPs: Int) throws -> InfoAcqProductBest {
        var solves = 0
        var best: (value: Double, marginals: [[Double]], mechanism: InfoAcqMechanism?) = (-.infinity, [], nil)
        func evaluate(_ marginals: [[Double]]) throws -> Double {
            let r = try InfoAcqLP.solve(x, options: .init(fixedRecommendation: product(x, marginals)))
            solves += 1
            let v = r.value ?? -.infinity
            if v > best.value { best = (v, marginals, r.mechanism) }
            return v
        }
        try MarginalSearch.gridThenLocal(actionCounts: x.actionCounts, steps: steps, maxLPs: maxLPs, what: "product search",
                                         solves: { solves }, best: { (best.value, best.marginals) }, evaluate: evaluate)
        return InfoAcqProductBest(lowerBound: best.value, upperBound: correlatedValue, marginals: best.marginals,
                                  mechanism: best.mechanism, lpSolves: solves, method: "grid_and_local_search")
    }
}
