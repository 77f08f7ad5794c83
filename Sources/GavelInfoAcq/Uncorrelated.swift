import GavelCore
import GavelLP

/// The best mechanism of the paper's comparison class of **uncorrelated mechanisms** (spec A.6):
/// recommendations drawn independently per agent (φ = ⊗_i φ_i) and payments γ_i(s, θ) that do
/// not depend on the recommended action profile a (they still depend on the reports and the
/// realised state, as every scoring rule here does). The decision rule π(d | a, s) stays free
/// (it never enters an agent's incentives, so it is the posterior-best decision).
///
/// Deterministic ⊂ uncorrelated ⊂ product ⊂ correlated: a point mass makes the payment
/// restriction vacuous (only one profile is ever recommended), and an uncorrelated mechanism is a
/// product mechanism whose payments happen to agree across profiles.
///
/// For a fixed φ the best uncorrelated mechanism is an LP in the payments g_i(s, θ) ∈ [0, B]
/// and the misreport variables z (``InfoAcqUncorrelatedLP``). Unlike the product LP, φ now
/// multiplies the payment variables (x = φ·g no longer has one free column per profile), so the
/// value is not concave in φ and the product code's supergradient planes do not apply. Two methods:
///
/// - **Every agent has two actions: branch and bound with a certified (Lagrangian) upper bound.**
///   Marginals p_i ∈ [0, 1]. Every coefficient of the fixed-φ LP is linear in φ, hence multilinear
///   in p. At each box corner p_k the LP is solved with IC slacks priced at a penalty (always
///   feasible; every column bounded), and its row duals λ_k give, by weak duality, for every p
///   `V(p) ≤ L_k(p) = K(p) + Σ_rows λ_k·rhs(p) + Σ_cols U_j·max(0, c_j(p) − λ_kᵀA_j(p))`. Each
///   term is affine in every p_i separately or the positive part of such a function, so L_k is
///   convex in each coordinate and its maximum over a box is at a corner:
///   UB(box) = min_k max_corners L_k. Lower bound: the best corner whose LP is IC-feasible (the
///   penalised LP with zero slack, else the hard LP at that corner). Boxes are split in halves
///   along every axis, the one with the largest bound first, until upper − lower ≤ `tolerance` or
///   the LP budget is spent; **both bounds are reported**. The reported upper bound is also
///   capped by the product class's certified upper bound (the classes nest).
/// - **Otherwise: a grid on each agent's simplex plus local search** (as the product search): a
///   lower bound only; the upper bound reported is the product class's (or the correlated value).
public struct InfoAcqUncorrelatedBest: Sendable {
    public var lowerBound: Double
    public var upperBound: Double
    /// Marginals of the best uncorrelated mechanism found: marginals[i][a_i].
    public var marginals: [[Double]]
    /// The mechanism at the lower bound: φ = ⊗ marginals, γ_i(a, s, θ) = g_i(s, θ) for every a.
    public var mechanism: InfoAcqMechanism?
    public var lpSolves: Int
    public var method: String

    /// IC slack penalty of the bounding LPs (as the product search).
    public static let violationPenalty = 1e3
    /// Slack below this counts as IC-feasible.
    public static let feasibilitySlack = 1e-9

    /// `classUpperBound`: an upper bound already known for the class (the product class's
    /// certified upper bound, or the correlated optimum); the reported upper bound never exceeds it.
    public static func solve(_ x: InfoAcqInstance, classUpperBound: Double, tolerance: Double = 1e-6, maxLPs: Int = 4000,
                             gridSteps: Int = 10) throws -> InfoAcqUncorrelatedBest {
        if x.actionCounts.allSatisfy({ $0 == 2 }) {
            var r = try branchAndBound(x, tolerance: tolerance, maxLPs: maxLPs)
            r.upperBound = max(r.lowerBound, min(r.upperBound, classUpperBound))
            return r
        }
        return try gridSearch(x, classUpperBound: classUpperBound, steps: gridSteps, maxLPs: maxLPs)
    }

    /// The lower bound reported: the principal's exact expected utility of the mechanism found
    /// (``InfoAcqEvaluation/utilities(_:_:strategies:)`` under obedience), which is the LP value
    /// up to the solver's rounding (checked to 1e-7); the design's value is then that of the
    /// mechanism actually returned, not of the LP's floating-point optimum.
    static func exactValue(_ x: InfoAcqInstance, _ m: InfoAcqMechanism?, lp: Double) -> Double {
        guard let m else { return lp }
        let v = InfoAcqEvaluation.utilities(x, m).principal
        precondition(abs(v - lp) <= 1e-7 * max(1, abs(lp)), "uncorrelated LP value \(lp) but its mechanism is worth \(v)")
        return v
    }

    struct Corner {
        var value: Double
        var phi: [Double]
        var bound: InfoAcqUncorrelatedLP.Lagrangian
    }

    static func branchAndBound(_ x: InfoAcqInstance, tolerance: Double, maxLPs: Int) throws -> InfoAcqUncorrelatedBest {
        let n = x.agentCount
        let model = InfoAcqUncorrelatedLP(x)
        let depth = 30, unit = 1 << depth
        var cache: [[Int]: Corner] = [:]
        var solves = 0
        var best: (value: Double, coords: [Int], mechanism: InfoAcqMechanism?) = (-.infinity, [], nil)
        func corner(_ c: [Int]) throws -> Corner {
            if let hit = cache[c] { return hit }
            let p = c.map { Double($0) / Double(unit) }
            let phi = InfoAcqProductBest.product(x, p.map { [1 - $0, $0] })
            let r = try model.solve(phi: phi, penalty: violationPenalty)
            solves += 1
            guard let v = r.value, let bound = r.lagrangian else {
                throw ExperimentError("uncorrelated search: the penalised LP at marginals \(p) ended \(r.status)")
            }
            var feasible: (Double, InfoAcqMechanism)?
            if r.icViolation <= feasibilitySlack, let m = r.mechanism {
                feasible = (v, m)
            } else {
                // The penalty bought some IC slack here; the hard LP may still be feasible.
                let hard = try model.solve(phi: phi, penalty: nil)
                solves += 1
                if let hv = hard.value, let m = hard.mechanism { feasible = (hv, m) }
            }
            // Ties: the first corner found keeps the title (corners are visited in a fixed order).
            if let (fv, m) = feasible, fv > best.value { best = (fv, c, m) }
            let k = Corner(value: v, phi: phi, bound: bound)
            cache[c] = k
            return k
        }
        let globalUB = try MarginalSearch.boxes(agents: n, unit: unit, tolerance: tolerance, maxLPs: maxLPs,
                                               solves: { solves }, incumbent: { best.value }, corner: corner) { k, c in
            k.bound.evaluate(c.phi)   // corner k's Lagrangian bound at corner c's φ
        }
        guard best.mechanism != nil else {
            throw ExperimentError("uncorrelated search: no IC uncorrelated mechanism found with payments ≤ \(x.paymentCap)")
        }
        let p = best.coords.map { Double($0) / Double(unit) }
        let value = exactValue(x, best.mechanism, lp: best.value)
        return InfoAcqUncorrelatedBest(lowerBound: value, upperBound: max(globalUB, value), marginals: p.map { [1 - $0, $0] },
                                       mechanism: best.mechanism, lpSolves: solves, method: "branch_and_bound")
    }

    static func gridSearch(_ x: InfoAcqInstance, classUpperBound: Double, steps: Int, maxLPs: Int) throws -> InfoAcqUncorrelatedBest {
        let model = InfoAcqUncorrelatedLP(x)
        var solves = 0
        var best: (value: Double, marginals: [[Double]], mechanism: InfoAcqMechanism?) = (-.infinity, [], nil)
        func evaluate(_ marginals: [[Double]]) throws -> Double {
            let r = try model.solve(phi: InfoAcqProductBest.product(x, marginals), penalty: nil)
            solves += 1
            let v = r.value ?? -.infinity
            if v > best.value, let m = r.mechanism { best = (v, marginals, m) }
            return v
        }
        try MarginalSearch.gridThenLocal(actionCounts: x.actionCounts, steps: steps, maxLPs: maxLPs, what: "uncorrelated search",
                                         solves: { solves }, best: { (best.value, best.marginals) }, evaluate: evaluate)
        guard best.mechanism != nil else {
            throw ExperimentError("uncorrelated search: no IC uncorrelated mechanism found with payments ≤ \(x.paymentCap)")
        }
        let value = exactValue(x, best.mechanism, lp: best.value)
        return InfoAcqUncorrelatedBest(lowerBound: value, upperBound: max(value, classUpperBound), marginals: best.marginals,
                                       mechanism: best.mechanism, lpSolves: solves, method: "grid_and_local_search")
    }
}

/// The best uncorrelated mechanism for a fixed recommendation distribution φ: an LP whose every
/// coefficient is linear in φ (stored per profile, so the Lagrangian bound can be evaluated at any φ).
///
/// Variables g_i(s, θ) ∈ [0, B] (the payment, the same in every profile), z_i(a_i, a'_i, s_i) ∈ [0, B]
/// (the best report's payoff after observing s_i, weighted by P(a_i); B bounds it since g ≤ B and
/// the weights sum to at most 1) and, with a penalty, IC slacks in [0, max cost]. With
/// P_a = φ(a) and a[i→e] the profile with agent i's action replaced:
///
///     max  Σ_a φ(a) D(a) − Σ_i Σ_a φ(a) Σ_{s,θ} μ(θ) q_a(s|θ) g_i(s,θ) − penalty · Σ slack
///     z_i(a_i,e,s_i) ≥ Σ_{a: a_i} φ(a) Σ_{s_-i,θ} μ(θ) q_{a[i→e]}((s_i,s_-i)|θ) g_i((r,s_-i),θ)        ∀ r ∈ S_i
///     Σ_{a: a_i} φ(a) Σ_{s,θ} μ q_a(s|θ) g_i(s,θ) − Σ_{s_i} z_i(a_i,e,s_i) + slack ≥ (c_i(a_i) − c_i(e)) Σ_{a: a_i} φ(a)
///
/// D(a) = Σ_s max_d Σ_θ μ q_a(s|θ) u(d,θ): payments never depend on the decision, so π is the
/// posterior-best decision. The rows are the probability-weighted IC rows of spec A.2 (those of a
/// recommendation never made are vacuous), so the row set does not depend on φ.
public struct InfoAcqUncorrelatedLP: Sendable {
    /// A coefficient linear in φ: Σ_k weight_k · φ(profile_k) + constant.
    struct Linear: Sendable {
        var terms: [(profile: Int, weight: Double)] = []
        var constant = 0.0
        func at(_ phi: [Double]) -> Double { terms.reduce(constant) { $0 + $1.weight * phi[$1.profile] } }
    }
    struct Column: Sendable { var upper: Double; var objective: Linear; var penalised: Bool }
    struct Row: Sendable { var entries: [(column: Int, coefficient: Linear)]; var rhs: Linear }

    let instance: InfoAcqInstance
    let columns: [Column]
    let rows: [Row]
    /// K(φ) = Σ_a φ(a) D(a), the decisions' value.
    let constant: Linear
    /// Column of g_i(s, θ): gColumn[(i · |S| + s) · |Θ| + θ].
    let gBase: Int

    public init(_ x: InfoAcqInstance) {
        instance = x
        let n = x.agentCount, nA = x.profileCount, nS = x.signalProfileCount, nT = x.stateCount
        var columns: [Column] = [], rows: [Row] = []
        var k = Linear()
        for a in 0..<nA {
            var d = 0.0
            for s in 0..<nS {
                let best = InfoAcqLP.posteriorBestDecision(x, profile: a, signals: s)
                for t in 0..<nT { d += x.prior[t] * x.q(a, t, s) * x.utility[best][t] }
            }
            k.terms.append((a, d))
        }
        constant = k
        gBase = 0
        let B = x.paymentCap
        func g(_ i: Int, _ s: Int, _ t: Int) -> Int { (i * nS + s) * nT + t }
        for i in 0..<n { for s in 0..<nS { for t in 0..<nT {
            var obj = Linear()
            for a in 0..<nA {
                let w = x.prior[t] * x.q(a, t, s)
                if w != 0 { obj.terms.append((a, -w)) }
            }
            columns.append(Column(upper: B, objective: obj, penalised: false))
        } } }
        let maxCost = x.agents.flatMap(\.costs).max() ?? 0
        for i in 0..<n {
            let nAi = x.actionCounts[i], nSi = x.signalCounts[i], costs = x.agents[i].costs
            for ai in 0..<nAi {
                let withAi = (0..<nA).filter { x.action(of: i, in: $0) == ai }
                for e in 0..<nAi {
                    let z0 = columns.count
                    for _ in 0..<nSi { columns.append(Column(upper: B, objective: Linear(), penalised: false)) }
                    for si in 0..<nSi {
                        for r in 0..<nSi {
                            // Coefficients of g_i((r, s_-i), θ) per (s, θ) with s_i = si.
                            var entries: [(column: Int, coefficient: Linear)] = [(z0 + si, Linear(constant: 1))]
                            for s in 0..<nS where x.signal(of: i, in: s) == si {
                                let reported = x.signals(s, replacing: i, with: r)
                                for t in 0..<nT {
                                    var c = Linear()
                                    for a in withAi {
                                        let w = x.prior[t] * x.q(x.profile(a, replacing: i, with: e), t, s)
                                        if w != 0 { c.terms.append((a, -w)) }
                                    }
                                    if !c.terms.isEmpty { entries.append((g(i, reported, t), c)) }
                                }
                            }
                            rows.append(Row(entries: entries, rhs: Linear()))
                        }
                    }
                    var entries: [(column: Int, coefficient: Linear)] = (0..<nSi).map { (z0 + $0, Linear(constant: -1)) }
                    for s in 0..<nS {
                        for t in 0..<nT {
                            var c = Linear()
                            for a in withAi {
                                let w = x.prior[t] * x.q(a, t, s)
                                if w != 0 { c.terms.append((a, w)) }
                            }
                            if !c.terms.isEmpty { entries.append((g(i, s, t), c)) }
                        }
                    }
                    // The slack: g = 0, z = 0 and slack = (c(a_i) − c(e))⁺ P(a_i) ≤ max cost is feasible.
                    entries.append((columns.count, Linear(constant: 1)))
                    columns.append(Column(upper: maxCost, objective: Linear(constant: -1), penalised: true))
                    let dc = costs[ai] - costs[e]
                    rows.append(Row(entries: entries, rhs: Linear(terms: dc == 0 ? [] : withAi.map { (profile: $0, weight: dc) })))
                }
            }
        }
        self.columns = columns
        self.rows = rows
    }

    /// The Lagrangian upper bound of one solve's row duals, as a function of φ (see
    /// ``InfoAcqUncorrelatedBest``): L(φ) = Σ_a φ(a) E(a) + fixed + Σ_j U_j max(0, d_j(φ)).
    public struct Lagrangian: Sendable {
        /// Per profile: D(a) + Σ_rows λ·rhs coefficient.
        var linear: [Double]
        /// Σ of the terms of columns whose reduced cost does not depend on φ.
        var fixed: Double
        /// Columns whose reduced cost depends on φ: upper bound, per-profile weights, constant.
        var varying: [(upper: Double, weights: [Double], constant: Double)]

        /// An upper bound on the LP value at φ (weak duality; exact up to rounding at the φ solved).
        public func evaluate(_ phi: [Double]) -> Double {
            var v = fixed
            for (a, w) in linear.enumerated() { v += w * phi[a] }
            for c in varying {
                var d = c.constant
                for (a, w) in c.weights.enumerated() where w != 0 { d += w * phi[a] }
                if d > 0 { v += c.upper * d }
            }
            return v
        }
    }

    public struct Result: Sendable {
        public var status: LPStatus
        public var value: Double?
        public var mechanism: InfoAcqMechanism?
        public var icViolation: Double
        public var lagrangian: Lagrangian?
    }

    /// Solves the LP at φ; with `penalty` the IC rows carry priced slacks (always feasible),
    /// without it the slacks are fixed at 0 (the hard LP: nil value when no IC mechanism exists).
    public func solve(phi: [Double], penalty: Double?) throws -> Result {
        let x = instance, nA = x.profileCount
        precondition(phi.count == nA, "φ needs one probability per profile")
        var lp = LinearProgram(direction: .maximize)
        lp.objectiveConstant = constant.at(phi)
        let vars = columns.map { c in
            lp.addVariable(lower: 0, upper: c.penalised ? (penalty == nil ? 0 : c.upper) : c.upper,
                           objective: c.penalised ? -(penalty ?? 0) : c.objective.at(phi))
        }
        let cons = rows.map { r in
            lp.addConstraint(r.entries.compactMap { e in
                let v = e.coefficient.at(phi)
                return v == 0 ? nil : (vars[e.column], v)
            }, .greaterOrEqual(r.rhs.at(phi)))
        }
        let solution = try GLPKSolver().solve(lp)
        do { try solution.requireDualCertificate(lp, what: "the uncorrelated mechanism LP") } catch LPError.certificateFailed(let why) {
            // As InfoAcqLP: an ExperimentError, so the analysis reports the search as skipped (and its
            // own certificates then decide whether anything is reported).
            throw ExperimentError(why + "; the LP is badly scaled: lower payment_cap or rescale the utilities")
        }
        guard solution.status == .optimal, let value = solution.objectiveValue else {
            return Result(status: solution.status, value: nil, mechanism: nil, icViolation: .nan, lagrangian: nil)
        }
        let violation = zip(columns, vars).reduce(0.0) { $0 + ($1.0.penalised ? solution.value(of: $1.1) : 0) }
        // Lagrangian data. For a ≥ row of a maximisation only λ ≤ 0 keeps the bound finite.
        let lambda = cons.map { min(0, solution.dual(of: $0)) }
        var linear = constant.terms.reduce(into: [Double](repeating: 0, count: nA)) { $0[$1.profile] += $1.weight }
        var fixed = constant.constant
        for (r, l) in zip(rows, lambda) where l != 0 {
            fixed += l * r.rhs.constant
            for t in r.rhs.terms { linear[t.profile] += l * t.weight }
        }
        var reduced = columns.map { c -> (weights: [Double], constant: Double) in
            var w = [Double](repeating: 0, count: nA)
            for t in c.objective.terms { w[t.profile] += t.weight }
            return (w, c.penalised ? -(penalty ?? 0) : c.objective.constant)
        }
        for (r, l) in zip(rows, lambda) where l != 0 {
            for e in r.entries {
                reduced[e.column].constant -= l * e.coefficient.constant
                for t in e.coefficient.terms { reduced[e.column].weights[t.profile] -= l * t.weight }
            }
        }
        var varying: [(upper: Double, weights: [Double], constant: Double)] = []
        for (c, d) in zip(columns, reduced) {
            let upper = c.penalised ? (penalty == nil ? 0 : c.upper) : c.upper
            if d.weights.allSatisfy({ $0 == 0 }) { fixed += upper * max(0, d.constant) } else { varying.append((upper, d.weights, d.constant)) }
        }
        let bound = Lagrangian(linear: linear, fixed: fixed, varying: varying)
        return Result(status: .optimal, value: value, mechanism: mechanism(phi: phi, solution: solution, vars: vars),
                      icViolation: violation, lagrangian: bound)
    }

    /// (φ, π, γ): φ as given (entries below ``InfoAcqLP/zeroProbability`` dropped), π the
    /// posterior-best decision, γ_i(a, s, θ) = g_i(s, θ) clipped to [0, B] in **every** profile.
    func mechanism(phi: [Double], solution: LPSolution, vars: [LPVariable]) -> InfoAcqMechanism {
        let x = instance, n = x.agentCount, nA = x.profileCount, nS = x.signalProfileCount, nT = x.stateCount, nD = x.decisionCount
        var rec = phi.map { $0 < InfoAcqLP.zeroProbability ? 0 : $0 }
        let total = rec.reduce(0, +)
        rec = rec.map { $0 / total }
        var decision = [Double](repeating: 0, count: nA * nS * nD)
        for a in 0..<nA { for s in 0..<nS { decision[(a * nS + s) * nD + InfoAcqLP.posteriorBestDecision(x, profile: a, signals: s)] = 1 } }
        var payment = [Double](repeating: 0, count: n * nA * nS * nT)
        for i in 0..<n { for s in 0..<nS { for t in 0..<nT {
            let v = min(x.paymentCap, max(0, solution.value(of: vars[gBase + (i * nS + s) * nT + t])))
            for a in 0..<nA { payment[((i * nA + a) * nS + s) * nT + t] = v }
        } } }
        return InfoAcqMechanism(recommendation: rec, decision: decision, payment: payment)
    }
}
