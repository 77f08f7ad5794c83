import GavelCore
import GavelLP

/// A mechanism M = (φ, π, γ) (spec A.1 [R]): a correlated distribution φ over recommended
/// profiles, a decision rule π(d | a, s) and payments γ_i(a, s, θ) ∈ [0, B].
public struct InfoAcqMechanism: Sendable, Equatable {
    /// φ(a), one per profile; sums to 1.
    public var recommendation: [Double]
    /// π flat: decision[(a · |S| + s) · |D| + d] = π(d | a, s).
    public var decision: [Double]
    /// γ flat: payment[((i · |A| + a) · |S| + s) · |Θ| + θ] = γ_i(a, s, θ).
    public var payment: [Double]

    public init(recommendation: [Double], decision: [Double], payment: [Double]) {
        self.recommendation = recommendation
        self.decision = decision
        self.payment = payment
    }

    @inlinable public func gamma(_ x: InfoAcqInstance, agent i: Int, profile a: Int, signals s: Int, state t: Int) -> Double {
        payment[((i * x.profileCount + a) * x.signalProfileCount + s) * x.stateCount + t]
    }

    @inlinable public func pi(_ x: InfoAcqInstance, profile a: Int, signals s: Int, decision d: Int) -> Double {
        decision[(a * x.signalProfileCount + s) * x.decisionCount + d]
    }

    /// P(agent i is recommended action k) = Σ_{a: a_i = k} φ(a).
    public func marginal(_ x: InfoAcqInstance, agent i: Int, action k: Int) -> Double {
        (0..<x.profileCount).reduce(0) { x.action(of: i, in: $1) == k ? $0 + recommendation[$1] : $0 }
    }
}

/// What the LP solved: the spec's optimal IC mechanism, one with φ held fixed (the
/// product and deterministic comparisons), or one with IC margins (the online learner).
public struct InfoAcqLPOptions: Sendable {
    /// Hold φ at this distribution (then the problem is an LP in (y, x, z) alone).
    public var fixedRecommendation: [Double]?
    /// A margin m that makes the IC rows hold for every information structure within m of
    /// the one solved for, entry by entry (|q'_a(s|θ) − q_a(s|θ)| ≤ m). With X_r the payment
    /// mass Σ_{a: a_i} Σ_{s_-i, θ} μ(θ) x_i(a, (r, s_-i), θ) on own report r and X = Σ_r X_r, each
    /// payoff Σ μ q x moves by at most m times the mass it weighs, so the rows become
    ///   effort deviations a'_i ≠ a_i: z(s_i) ≥ payoff_{a'_i}(r | s_i) + m X_r, obey − m X − Δc ≥ Σ z;
    ///   misreports a'_i = a_i, r ≠ s_i: z(s_i) ≥ payoff(r | s_i) + m (X_r + X_{s_i}).
    /// Zero payments stay feasible (every margin is proportional to payments). Positive: the
    /// strict margin of the online learner; negative: its relaxed LP; zero: the spec's LP.
    public var icPaymentMargin: Double
    /// Replace hard IC rows by rows with a slack priced at this penalty (always feasible;
    /// the value is then an upper bound of the hard LP's, equal to it where the slack is 0).
    public var icViolationPenalty: Double?

    public init(fixedRecommendation: [Double]? = nil, icPaymentMargin: Double = 0, icViolationPenalty: Double? = nil) {
        self.fixedRecommendation = fixedRecommendation
        self.icPaymentMargin = icPaymentMargin
        self.icViolationPenalty = icViolationPenalty
    }
}

/// One solve of the mechanism LP.
public struct InfoAcqLPResult: Sendable {
    public var status: LPStatus
    /// The LP objective: principal's expected utility under obedience and truth-telling.
    public var value: Double?
    public var mechanism: InfoAcqMechanism?
    /// ∂value/∂φ(a) (reduced costs of the fixed φ columns): a supergradient of the concave
    /// value function of φ, used to bound the best product mechanism. Only with a fixed φ.
    public var recommendationGradient: [Double]?
    /// Σ of IC slacks (with a violation penalty); 0 means the fixed-φ point is IC-feasible.
    public var icViolation: Double
    public var variableCount: Int
    public var constraintCount: Int
}

/// The optimal IC mechanism by the LP of spec A.3 [R] on GLPK.
///
/// Variables: φ(a); y(a, s, d) = φ(a)π(d | a, s); x_i(a, s, θ) = φ(a)γ_i(a, s, θ);
/// z_i(a_i, a'_i, s_i), the best misreport's payment after observing s_i having
/// exerted a'_i when told a_i. Constraints, for every agent i, recommendation a_i and
/// effort a'_i (a'_i = a_i covers pure misreports):
///
///     Σ_d y(a,s,d) = φ(a);   0 ≤ x_i(a,s,θ) ≤ B φ(a)
///     z_i(a_i,a'_i,s_i) ≥ Σ_{a: a_i} Σ_{s_-i,θ} μ(θ) q_{(a'_i,a_-i)}((s_i,s_-i)|θ) x_i(a,(r,s_-i),θ)   ∀ r ∈ S_i
///     Σ_{a: a_i} Σ_{s,θ} μ q_a(s|θ) x_i(a,s,θ) − c_i(a_i)Σ_{a: a_i} φ(a) ≥ Σ_{s_i} z_i(a_i,a'_i,s_i) − c_i(a'_i)Σ_{a: a_i} φ(a)
///
/// The maximum over the |S_i|^|S_i| reporting maps decomposes per observed signal, which
/// is what the z rows say. Ties: a binding IC row counts as IC (obedience is selected, as
/// the spec assumes), so the certificate accepts gains up to its tolerance.
public enum InfoAcqLP {
    /// φ below this is taken as zero when the mechanism is read back (γ = x/φ would be noise).
    public static let zeroProbability = 1e-12

    public static func solve(_ x: InfoAcqInstance, options: InfoAcqLPOptions = .init()) throws -> InfoAcqLPResult {
        let nA = x.profileCount, nS = x.signalProfileCount, nT = x.stateCount, nD = x.decisionCount, n = x.agentCount
        let B = x.paymentCap
        var lp = LinearProgram(direction: .maximize)
        let fixed = options.fixedRecommendation
        // With φ fixed the cap can be a column bound, except when the reduced costs of φ are
        // wanted (the product search's supergradients), which need x ≤ Bφ as rows.
        let capRows = fixed == nil || options.icViolationPenalty != nil
        if let fixed { precondition(fixed.count == nA, "fixed φ needs one probability per profile") }
        let phi = (0..<nA).map { a in
            fixed.map { lp.addVariable(lower: $0[a], upper: $0[a], name: "phi[\(a)]") } ?? lp.addVariable(lower: 0, upper: 1, name: "phi[\(a)]")
        }
        // y(a, s, d): objective Σ_θ μ q_a(s|θ) u(d, θ).
        var y: [LPVariable] = []
        y.reserveCapacity(nA * nS * nD)
        for a in 0..<nA {
            for s in 0..<nS {
                for d in 0..<nD {
                    var c = 0.0
                    for t in 0..<nT { c += x.prior[t] * x.q(a, t, s) * x.utility[d][t] }
                    y.append(lp.addVariable(objective: c))
                }
            }
        }
        // x_i(a, s, θ): objective −μ(θ) q_a(s|θ); the cap is a column bound when φ is fixed.
        var xv: [LPVariable] = []
        xv.reserveCapacity(n * nA * nS * nT)
        for _ in 0..<n {
            for a in 0..<nA {
                for s in 0..<nS {
                    for t in 0..<nT {
                        xv.append(lp.addVariable(lower: 0, upper: capRows ? .infinity : fixed.map { B * $0[a] } ?? .infinity, objective: -x.prior[t] * x.q(a, t, s)))
                    }
                }
            }
        }
        func xIndex(_ i: Int, _ a: Int, _ s: Int, _ t: Int) -> LPVariable { xv[((i * nA + a) * nS + s) * nT + t] }

        if fixed == nil { lp.addConstraint(phi.map { ($0, 1.0) }, .equal(1), name: "sum phi") }
        for a in 0..<nA {
            for s in 0..<nS {
                var terms = (0..<nD).map { (y[(a * nS + s) * nD + $0], 1.0) }
                terms.append((phi[a], -1))
                lp.addConstraint(terms, .equal(0))
            }
        }
        if capRows {
            for i in 0..<n { for a in 0..<nA { for s in 0..<nS { for t in 0..<nT {
                lp.addConstraint([(xIndex(i, a, s, t), 1), (phi[a], -B)], .lessOrEqual(0))
            } } } }
        }
        var slacks: [LPVariable] = []
        for i in 0..<n {
            let nAi = x.actionCounts[i], nSi = x.signalCounts[i]
            let margin = options.icPaymentMargin
            for ai in 0..<nAi {
                let withAi = (0..<nA).filter { x.action(of: i, in: $0) == ai }
                for aDev in 0..<nAi {
                    let z = (0..<nSi).map { _ in lp.addVariable(lower: -.infinity) }
                    for si in 0..<nSi {
                        for r in 0..<nSi {
                            var terms: [(LPVariable, Double)] = [(z[si], 1)]
                            for a in withAi {
                                let aq = x.profile(a, replacing: i, with: aDev)
                                let rowMargin = aDev == ai && r == si ? 0 : margin   // the truthful payoff itself has no margin
                                for s in 0..<nS where x.signal(of: i, in: s) == si {
                                    let reported = x.signals(s, replacing: i, with: r)
                                    for t in 0..<nT {
                                        let w = x.prior[t] * (x.q(aq, t, s) + rowMargin)
                                        if w != 0 { terms.append((xIndex(i, a, reported, t), -w)) }
                                        // A misreport's row also carries the truthful payoff's error.
                                        if margin != 0 && aDev == ai && r != si { terms.append((xIndex(i, a, s, t), -margin * x.prior[t])) }
                                    }
                                }
                            }
                            lp.addConstraint(terms, .greaterOrEqual(0))
                        }
                    }
                    var terms: [(LPVariable, Double)] = z.map { ($0, -1.0) }
                    let dc = x.agents[i].costs[aDev] - x.agents[i].costs[ai]
                    for a in withAi {
                        if dc != 0 { terms.append((phi[a], dc)) }
                        for s in 0..<nS {
                            for t in 0..<nT {
                                let w = x.prior[t] * (x.q(a, t, s) - (aDev == ai ? 0 : margin))
                                if w != 0 { terms.append((xIndex(i, a, s, t), w)) }
                            }
                        }
                    }
                    if let penalty = options.icViolationPenalty {
                        let slack = lp.addVariable(lower: 0, objective: -penalty)
                        slacks.append(slack)
                        terms.append((slack, 1))
                    }
                    lp.addConstraint(terms, .greaterOrEqual(0), name: "IC agent \(i) told \(ai) exerts \(aDev)")
                }
            }
        }
        let solution = try GLPKSolver().solve(lp)
        do { try solution.requireDualCertificate(lp, what: "the IC mechanism LP") } catch LPError.certificateFailed(let why) {
            // Seen with payment_cap = 1e12: duals of size 1e-16 on rows bounded by the cap.
            throw ExperimentError(why + "; the LP is badly scaled: lower payment_cap or rescale the utilities")
        }
        guard solution.status == .optimal, let value = solution.objectiveValue else {
            return InfoAcqLPResult(status: solution.status, value: nil, mechanism: nil, recommendationGradient: nil, icViolation: .nan,
                                   variableCount: lp.variableCount, constraintCount: lp.constraintCount)
        }
        // Read back (φ, π, γ): γ = x/φ clipped to [0, B] (solver noise), π = y/φ; for a profile
        // never recommended, γ = 0 and π the posterior-optimal decision (lowest index on ties).
        var rec = phi.map { max(0, solution.value(of: $0)) }
        for a in 0..<nA where rec[a] < zeroProbability { rec[a] = 0 }
        let total = rec.reduce(0, +)
        rec = rec.map { $0 / total }
        var decision = [Double](repeating: 0, count: nA * nS * nD)
        var payment = [Double](repeating: 0, count: n * nA * nS * nT)
        for a in 0..<nA {
            let p = solution.value(of: phi[a])
            for s in 0..<nS {
                let ys = (0..<nD).map { max(0, solution.value(of: y[(a * nS + s) * nD + $0])) }
                let mass = ys.reduce(0, +)
                if rec[a] > 0 && mass > 0 {
                    for d in 0..<nD { decision[(a * nS + s) * nD + d] = ys[d] / mass }
                } else {
                    decision[(a * nS + s) * nD + posteriorBestDecision(x, profile: a, signals: s)] = 1
                }
                guard rec[a] > 0 else { continue }
                for i in 0..<n { for t in 0..<nT {
                    payment[((i * nA + a) * nS + s) * nT + t] = min(B, max(0, solution.value(of: xIndex(i, a, s, t)) / p))
                } }
            }
        }
        let gradient = fixed == nil ? nil : phi.map { solution.reducedCost(of: $0) }
        let violation = slacks.reduce(0) { $0 + solution.value(of: $1) }
        return InfoAcqLPResult(status: .optimal, value: value, mechanism: InfoAcqMechanism(recommendation: rec, decision: decision, payment: payment),
                               recommendationGradient: gradient, icViolation: violation,
                               variableCount: lp.variableCount, constraintCount: lp.constraintCount)
    }

    /// argmax_d Σ_θ μ q_a(s|θ) u(d,θ); ties to the lowest decision index.
    public static func posteriorBestDecision(_ x: InfoAcqInstance, profile a: Int, signals s: Int) -> Int {
        var best = 0, bestValue = -Double.infinity
        for d in 0..<x.decisionCount {
            var v = 0.0
            for t in 0..<x.stateCount { v += x.prior[t] * x.q(a, t, s) * x.utility[d][t] }
            if v > bestValue + 1e-15 { best = d; bestValue = v }
        }
        return best
    }

    /// The point mass on profile a.
    public static func pointMass(_ x: InfoAcqInstance, _ a: Int) -> [Double] {
        (0..<x.profileCount).map { $0 == a ? 1 : 0 }
    }
}
