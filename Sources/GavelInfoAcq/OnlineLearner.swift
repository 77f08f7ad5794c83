import Foundation
import GavelCore
import GavelLP

/// The online principal (spec A.5, structure reconstructed [R]: the paper's algorithm
/// could not be read). Explore-then-commit against agents whose information structure q
/// is unknown; costs, prior, utility and cap are known.
///
/// 1. **Explore** T₀ = |A|·⌈k·T^{2/3}/|A|⌉ rounds (at least one per profile), cycling through
///    the profiles in order. Profile a is made obedient and truthful by its *safe* payments:
///    the cheapest IC payments for recommending a for sure, with payments up to
///    `exploreCap`. Finding them needs q, so they come from an oracle [R] — the spec's
///    "payments that make it obedient and truthful whatever q is"; the learner itself never
///    reads q. While exploring the principal decides on the prior alone. It records
///    (reports, θ) and estimates q̂_a(s | θ) by frequencies (uniform where θ never occurred).
/// 2. **Commit** for the remaining T − T₀ rounds to the LP of spec A.3 on q̂ with a strict IC
///    margin: obey − deviate ≥ ε(1 + |S_i|)·Σ μ x_i, with ε = `marginScale`·√(ln T / (2 n_min))
///    (n_min the fewest samples of any (a, θ)). If |q̂ − q| ≤ ε entrywise this keeps the
///    mechanism IC under the true q (each side of an IC row moves by at most ε·Σ μ x_i, the
///    deviation side by at most |S_i| times that). The relaxed LP (margin −ε) is solved too: its
///    value is the learner's optimistic estimate of OPT.
///
/// Regret Σ_t (OPT − E u_t) is computed from exact expectations given the sample (so the
/// curve is smooth): OPT from the known-q LP, explore rounds at prior value minus the safe
/// payments, commit rounds at the committed mechanism's value under the true q — obedient
/// when the certificate passes under q, else the outcome of best-response dynamics.
public struct InfoAcqOnlineLearner: Sendable {
    /// The `infoacq_online` settings, also what every ``InfoAcqOnlinePrincipal`` is prepared with.
    public struct Config: Sendable {
        /// k in T₀ = |A|·⌈k·T^{2/3}/|A|⌉ (`explore_scale`).
        public var exploreScale: Double
        /// The IC margin's scale (`margin_scale`).
        public var marginScale: Double
        /// The payment cap while exploring (`explore_cap`; the kind defaults it to the instance's cap).
        public var exploreCap: Double
        /// Settings given field by field.
        public init(exploreScale: Double = 1, marginScale: Double = 1, exploreCap: Double) {
            self.exploreScale = exploreScale; self.marginScale = marginScale; self.exploreCap = exploreCap
        }
    }

    public struct Outcome: Sendable {
        public var horizon: Int
        public var exploreRounds: Int
        public var optimum: Double
        public var epsilon: Double
        /// Value of the strict-margin LP on q̂ (what the learner expects).
        public var committedEstimate: Double
        /// Value of the relaxed LP on q̂.
        public var relaxedEstimate: Double
        /// Expected per-round utility of the committed mechanism under the true q.
        public var committedValue: Double
        /// Certificate of the committed mechanism under the true q.
        public var committedMaxGain: Double
        public var committedIC: Bool
        /// Σ over explore rounds of expected utility.
        public var exploreUtility: Double
        public var regret: Double
        /// max |q̂ − q| over all entries.
        public var estimationError: Double

        /// An outcome, for a registered learner (``InfoAcqLearning``) too: the regret curve reads
        /// `regret`, `epsilon`, `committedValue` and `committedIC`; the other fields describe
        /// explore-then-commit and default to 0 or NaN for a learner that has no such notion.
        public init(horizon: Int, exploreRounds: Int = 0, optimum: Double, epsilon: Double = .nan,
                    committedEstimate: Double = .nan, relaxedEstimate: Double = .nan, committedValue: Double,
                    committedMaxGain: Double = .nan, committedIC: Bool, exploreUtility: Double = 0,
                    regret: Double, estimationError: Double = .nan) {
            self.horizon = horizon; self.exploreRounds = exploreRounds; self.optimum = optimum; self.epsilon = epsilon
            self.committedEstimate = committedEstimate; self.relaxedEstimate = relaxedEstimate; self.committedValue = committedValue
            self.committedMaxGain = committedMaxGain; self.committedIC = committedIC; self.exploreUtility = exploreUtility
            self.regret = regret; self.estimationError = estimationError
        }
    }

    public let instance: InfoAcqInstance
    public let config: Config
    public let optimum: Double
    /// Safe mechanism per profile and its expected per-round principal utility while exploring.
    public let safe: [InfoAcqMechanism]
    public let exploreValue: [Double]
    let samplers: [CategoricalDistribution]
    let prior: CategoricalDistribution

    public init(_ x: InfoAcqInstance, config: Config) throws {
        instance = x
        self.config = config
        guard let opt = try InfoAcqLP.solve(x).value else { throw ExperimentError("online: the known-q LP has no optimum") }
        optimum = opt
        let wide = try x.replacingCap(config.exploreCap)
        var safe: [InfoAcqMechanism] = [], values: [Double] = []
        for a in 0..<x.profileCount {
            let r = try InfoAcqLP.solve(wide, options: .init(fixedRecommendation: InfoAcqLP.pointMass(x, a)))
            guard let m = r.mechanism else {
                throw ExperimentError("online: profile \(x.profileName(a)) cannot be made obedient for exploration with payments ≤ \(config.exploreCap) (raise explore_cap)")
            }
            let u = InfoAcqEvaluation.utilities(wide, m)
            let paid = (0..<x.agentCount).reduce(0) { $0 + u.agents[$1] + x.agents[$1].costs[x.action(of: $1, in: a)] }
            safe.append(m)
            values.append(x.priorDecisionValue - paid)
        }
        self.safe = safe
        exploreValue = values
        var s: [CategoricalDistribution] = []
        for a in 0..<x.profileCount { for t in 0..<x.stateCount { s.append(try CategoricalDistribution(weights: (0..<x.signalProfileCount).map { x.q(a, t, $0) })) } }
        samplers = s
        prior = try CategoricalDistribution(weights: x.prior)
    }

    public func exploreRounds(horizon T: Int) -> Int {
        let nA = instance.profileCount
        // In doubles, capped at T before any conversion: explore_scale may be any finite number.
        let rounds = max(Double(nA), (config.exploreScale * pow(Double(T), 2.0 / 3.0) / Double(nA)).rounded(.up) * Double(nA))
        return rounds >= Double(T) ? T : Int(rounds)
    }

    public func run(horizon T: Int, seed: UInt64) throws -> Outcome {
        let x = instance
        let nA = x.profileCount, nT = x.stateCount, nS = x.signalProfileCount
        let T0 = exploreRounds(horizon: T)
        var rng = Xoshiro256StarStar(seed: seed).stream(named: "explore")
        var counts = [Double](repeating: 0, count: nA * nT * nS), stateCounts = [Double](repeating: 0, count: nA * nT)
        var exploreUtility = 0.0
        for k in 0..<T0 {
            let a = k % nA
            let t = prior.sample(using: &rng)
            let s = samplers[a * nT + t].sample(using: &rng)
            counts[(a * nT + t) * nS + s] += 1
            stateCounts[a * nT + t] += 1
            exploreUtility += exploreValue[a]
        }
        var qHat = [Double](repeating: 0, count: nA * nT * nS)
        var error = 0.0
        for a in 0..<nA { for t in 0..<nT {
            let c = stateCounts[a * nT + t]
            for s in 0..<nS {
                let v = c > 0 ? counts[(a * nT + t) * nS + s] / c : 1 / Double(nS)
                qHat[(a * nT + t) * nS + s] = v
                error = max(error, abs(v - x.q(a, t, s)))
            }
        } }
        let nMin = stateCounts.min() ?? 0
        let eps = nMin > 0 ? min(1, config.marginScale * (log(Double(max(T, 2))) / (2 * nMin)).squareRoot()) : 1
        let estimate = try x.replacingInformation(qHat)
        let strict = try InfoAcqLP.solve(estimate, options: .init(icPaymentMargin: eps))
        let relaxed = try InfoAcqLP.solve(estimate, options: .init(icPaymentMargin: -eps))
        guard let m = strict.mechanism, let est = strict.value else { throw ExperimentError("online: the strict-margin LP on q̂ ended \(strict.status)") }
        let cert = InfoAcqCertificate.check(x, m)
        let ic = cert.maxGain <= InfoAcqOnlineLearner.icTolerance
        let committed = ic ? InfoAcqEvaluation.utilities(x, m).principal : InfoAcqBestResponseDynamics.outcome(x, m).principal
        let regret = (Double(T0) * optimum - exploreUtility) + Double(T - T0) * (optimum - committed)
        return Outcome(horizon: T, exploreRounds: T0, optimum: optimum, epsilon: eps, committedEstimate: est,
                       relaxedEstimate: relaxed.value ?? .nan, committedValue: committed, committedMaxGain: cert.maxGain,
                       committedIC: ic, exploreUtility: exploreUtility, regret: regret, estimationError: error)
    }

    public static let icTolerance = 1e-9
}

/// What agents do under a mechanism that is not IC: starting from obedience, each agent in
/// turn switches to a best response (kept obedient where obedience is among the best, then
/// the lowest effort and report indices) until nobody moves or 50 sweeps pass.
public enum InfoAcqBestResponseDynamics {
    public static func outcome(_ x: InfoAcqInstance, _ m: InfoAcqMechanism) -> (principal: Double, strategies: [InfoAcqStrategy], converged: Bool) {
        var sigma = (0..<x.agentCount).map { InfoAcqStrategy.obedient(x, agent: $0) }
        for _ in 0..<50 {
            var moved = false
            for i in 0..<x.agentCount {
                let current = InfoAcqEvaluation.utilities(x, m, strategies: sigma).agents[i]
                let br = bestResponse(x, m, agent: i, others: sigma)
                if br.value > current + 1e-12 { sigma[i] = br.strategy; moved = true }
            }
            if !moved { return (InfoAcqEvaluation.utilities(x, m, strategies: sigma).principal, sigma, true) }
        }
        return (InfoAcqEvaluation.utilities(x, m, strategies: sigma).principal, sigma, false)
    }

    static func bestResponse(_ x: InfoAcqInstance, _ m: InfoAcqMechanism, agent i: Int, others: [InfoAcqStrategy]) -> (value: Double, strategy: InfoAcqStrategy) {
        var s = InfoAcqStrategy.obedient(x, agent: i)
        var total = 0.0
        for ai in 0..<x.actionCounts[i] {
            let pa = m.marginal(x, agent: i, action: ai)
            guard pa > 0 else { continue }
            var best = -Double.infinity, bestEffort = ai, bestReport = Array(0..<x.signalCounts[i])
            for aDev in [ai] + (0..<x.actionCounts[i]).filter({ $0 != ai }) {
                let w = InfoAcqEvaluation.reportPayoffs(x, m, agent: i, told: ai, exerts: aDev, others: others)
                var report = [Int](repeating: 0, count: x.signalCounts[i]), v = -x.agents[i].costs[aDev] * pa
                for si in 0..<x.signalCounts[i] {
                    var r = si
                    for k in 0..<x.signalCounts[i] where w[si][k] > w[si][r] + 1e-15 { r = k }
                    report[si] = r
                    v += w[si][r]
                }
                if v > best + 1e-15 { best = v; bestEffort = aDev; bestReport = report }
            }
            s.effort[ai] = bestEffort; s.report[ai] = bestReport
            total += best
        }
        return (total, s)
    }
}
