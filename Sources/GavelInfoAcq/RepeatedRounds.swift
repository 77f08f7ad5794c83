import GavelCore

/// What a run of repeated rounds measured.
public struct InfoAcqRoundsResult: Sendable {
    public var rounds: Int
    /// Principal's utility per round (u(d, θ) − Σ_i γ_i): mean, standard error.
    public var principal: RunningStatistics
    /// Each agent's mean utility per round: payment − cost of the effort it exerted (its rent).
    public var agentUtility: [Double]
    /// Each agent's mean payment per round.
    public var agentPayment: [Double]
    /// Mean decision utility u(d, θ) per round.
    public var decisionUtility: Double
    /// Jain's index over the agents' mean utilities (NaN if one is negative: a deviating agent can lose).
    public var jain: Double
    /// Rounds played (one event each, for events-per-second figures).
    public var events: Int
}

/// Repeated rounds of a mechanism (spec A.1 timing), as a plain loop: the rounds are a sequence
/// and nothing happens between two of them, so the kernel would only chain round k + 1 from
/// round k. Each round draws a ~ φ (stream `recommendations`), θ ~ μ (`states`), lets each agent
/// exert its strategy's effort for its own recommendation, draws s ~ q_e(· | θ) for the
/// efforts e actually exerted (`signals`), applies the reporting maps, draws d ~ π(· | a, r)
/// (`decisions`, only where π is not a point mass), pays γ_i(a, r, θ) and books utilities.
public enum InfoAcqRepeatedRounds {
    /// Precomputed tables for one (instance, mechanism, strategies): nothing is allocated per round.
    public struct Tables: Sendable {
        let recommendation: CategoricalDistribution
        let prior: CategoricalDistribution
        /// signal[e · |Θ| + θ]
        let signal: [CategoricalDistribution]
        /// effortProfile[a]
        let effortProfile: [Int]
        /// reported[a · |S| + s]
        let reported: [Int]
        /// Decision for (a, r) when π is a point mass there, else −1 (then `decisionCDF` is used).
        let fixedDecision: [Int]
        let decisionCDF: [Double]
        /// Σ_i c_i(e_i) per recommended a, and per agent.
        let agentCost: [Double]
        let payment: [Double]
        let utility: [Double]
        let n: Int, nS: Int, nT: Int, nD: Int, nA: Int

        public init(_ x: InfoAcqInstance, _ m: InfoAcqMechanism, strategies: [InfoAcqStrategy]? = nil) throws {
            n = x.agentCount; nS = x.signalProfileCount; nT = x.stateCount; nD = x.decisionCount; nA = x.profileCount
            recommendation = try CategoricalDistribution(weights: m.recommendation)
            prior = try CategoricalDistribution(weights: x.prior)
            var sig: [CategoricalDistribution] = []
            for e in 0..<nA { for t in 0..<nT { sig.append(try CategoricalDistribution(weights: (0..<nS).map { x.q(e, t, $0) })) } }
            signal = sig
            var effort = [Int](repeating: 0, count: nA), rep = [Int](repeating: 0, count: nA * nS), cost = [Double](repeating: 0, count: nA * n)
            for a in 0..<nA {
                let acts = (0..<n).map { x.action(of: $0, in: a) }
                let efforts = (0..<n).map { strategies?[$0].effort[acts[$0]] ?? acts[$0] }
                effort[a] = x.profile(actions: efforts)
                for i in 0..<n { cost[a * n + i] = x.agents[i].costs[efforts[i]] }
                for s in 0..<nS {
                    var r = s
                    if let strategies { for i in 0..<n { r = x.signals(r, replacing: i, with: strategies[i].report[acts[i]][x.signal(of: i, in: s)]) } }
                    rep[a * nS + s] = r
                }
            }
            effortProfile = effort; reported = rep; agentCost = cost
            var fixed = [Int](repeating: -1, count: nA * nS), cdf = [Double](repeating: 0, count: nA * nS * nD)
            for a in 0..<nA {
                for s in 0..<nS {
                    var acc = 0.0
                    for d in 0..<nD {
                        let p = m.pi(x, profile: a, signals: s, decision: d)
                        if p >= 1 - 1e-12 { fixed[a * nS + s] = d }
                        acc += p
                        cdf[(a * nS + s) * nD + d] = acc
                    }
                }
            }
            fixedDecision = fixed; decisionCDF = cdf
            // payment laid out [(a · |S| + r) · |Θ| + θ] · n + i, so one round reads n adjacent values.
            var pay = [Double](repeating: 0, count: nA * nS * nT * n)
            for i in 0..<n { for a in 0..<nA { for s in 0..<nS { for t in 0..<nT {
                pay[((a * nS + s) * nT + t) * n + i] = m.gamma(x, agent: i, profile: a, signals: s, state: t)
            } } } }
            payment = pay
            let states = nT
            utility = (0..<nD).flatMap { d in (0..<states).map { x.utility[d][$0] } }
        }
    }

    public static func run(_ x: InfoAcqInstance, _ m: InfoAcqMechanism, rounds: Int, strategies: [InfoAcqStrategy]? = nil, seed: UInt64) throws -> InfoAcqRoundsResult {
        try run(x, m, rounds: rounds, strategies: strategies, workloadSeed: seed, mechanismSeed: seed)
    }

    public static func run(_ x: InfoAcqInstance, _ m: InfoAcqMechanism, rounds: Int, strategies: [InfoAcqStrategy]? = nil,
                           workloadSeed: UInt64, mechanismSeed: UInt64) throws -> InfoAcqRoundsResult {
        try run(Tables(x, m, strategies: strategies), rounds: rounds, workloadSeed: workloadSeed, mechanismSeed: mechanismSeed)
    }

    public static func run(_ tb: Tables, rounds: Int, seed: UInt64) -> InfoAcqRoundsResult {
        run(tb, rounds: rounds, workloadSeed: seed, mechanismSeed: seed)
    }

    /// States and signals are the workload (one state and one signal draw per round, two
    /// uniforms each, whatever the mechanism: rounds stay aligned across mechanisms);
    /// recommendations and randomised decisions are the mechanism's own.
    public static func run(_ tb: Tables, rounds: Int, workloadSeed: UInt64, mechanismSeed: UInt64) -> InfoAcqRoundsResult {
        let workload = Xoshiro256StarStar(seed: workloadSeed), own = Xoshiro256StarStar(seed: mechanismSeed)
        var recStream = own.stream(named: "recommendations"), stateStream = workload.stream(named: "states")
        var signalStream = workload.stream(named: "signals"), decisionStream = own.stream(named: "decisions")
        let n = tb.n
        var principal = RunningStatistics()
        var payments = [Double](repeating: 0, count: n), costs = [Double](repeating: 0, count: n)
        var decisionTotal = 0.0
        tb.payment.withUnsafeBufferPointer { pay in
            for _ in 0..<max(rounds, 0) {
                let a = tb.recommendation.sample(using: &recStream)
                let t = tb.prior.sample(using: &stateStream)
                let s = tb.signal[tb.effortProfile[a] * tb.nT + t].sample(using: &signalStream)
                let r = tb.reported[a * tb.nS + s]
                var d = tb.fixedDecision[a * tb.nS + r]
                if d < 0 {
                    let u = decisionStream.nextUnitDouble(), base = (a * tb.nS + r) * tb.nD
                    d = tb.nD - 1
                    for k in 0..<tb.nD where u < tb.decisionCDF[base + k] { d = k; break }
                }
                var value = tb.utility[d * tb.nT + t]
                decisionTotal += value
                let base = ((a * tb.nS + r) * tb.nT + t) * n
                for i in 0..<n {
                    let g = pay[base + i]
                    payments[i] += g
                    costs[i] += tb.agentCost[a * n + i]
                    value -= g
                }
                principal.add(value)
            }
        }
        let T = Double(max(rounds, 1))
        let utility = (0..<n).map { (payments[$0] - costs[$0]) / T }
        return InfoAcqRoundsResult(rounds: rounds, principal: principal, agentUtility: utility, agentPayment: payments.map { $0 / T },
                                   decisionUtility: decisionTotal / T, jain: JainIndex.compute(utility), events: max(rounds, 0))
    }
}
