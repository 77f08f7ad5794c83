import GavelCore

/// Builders for standard instance families (docs/infoacq.md). Each takes per-agent
/// actions with a cost and one informativeness parameter; states are s0…s(K−1),
/// signals x0…x(K−1), decisions d0…d(K−1) with u(d, θ) = scale · 1[d = θ] unless given.
public enum InfoAcqFamilies {
    public struct ActionSpec: Sendable {
        public var name: String
        public var cost: Double
        /// The family's informativeness of this effort (accuracy, observation or detection probability).
        public var parameter: Double
        public init(_ name: String, cost: Double, _ parameter: Double) { self.name = name; self.cost = cost; self.parameter = parameter }
    }
    public struct AgentSpec: Sendable {
        public var name: String
        public var actions: [ActionSpec]
        public init(_ name: String, _ actions: [ActionSpec]) { self.name = name; self.actions = actions }
    }

    static func names(_ prefix: String, _ k: Int) -> [String] { (0..<k).map { "\(prefix)\($0)" } }

    static func matchingUtility(_ k: Int, scale: Double) -> [[Double]] {
        (0..<k).map { d in (0..<k).map { $0 == d ? scale : 0 } }
    }

    /// Builds q from a per-(profile, state) function giving each signal profile's probability.
    static func build(states k: Int, prior: [Double]?, utility: [[Double]]?, scale: Double, cap: Double, agents specs: [AgentSpec],
                      signals: Int, q: (_ actions: [Int], _ state: Int, _ signals: [Int]) -> Double) throws(InputError) -> InfoAcqInstance {
        for (i, spec) in specs.enumerated() {
            for (j, a) in spec.actions.enumerated() where !(a.parameter.isFinite && a.parameter >= 0 && a.parameter <= 1) {
                throw InputError("expected an informativeness parameter in [0, 1], found \(a.parameter)", field: "agents[\(i)].actions[\(j)]")
            }
        }
        let agents = specs.map { InfoAcqAgent(name: $0.name, actionNames: $0.actions.map(\.name), costs: $0.actions.map(\.cost), signalNames: names("x", signals)) }
        let actionCounts = agents.map(\.actionNames.count)
        let nA = actionCounts.reduce(1, *)
        let nS = Int(pow(Double(signals), Double(specs.count)).rounded())
        var info = [Double](repeating: 0, count: nA * k * nS)
        let aStr = InfoAcqInstance.strides(actionCounts), sStr = InfoAcqInstance.strides(Array(repeating: signals, count: specs.count))
        for a in 0..<nA {
            let acts = specs.indices.map { (a / aStr[$0]) % actionCounts[$0] }
            for t in 0..<k {
                for s in 0..<nS {
                    info[(a * k + t) * nS + s] = q(acts, t, specs.indices.map { (s / sStr[$0]) % signals })
                }
            }
        }
        return try InfoAcqInstance(stateNames: names("s", k), prior: prior ?? Array(repeating: 1 / Double(k), count: k),
                                   decisionNames: names("d", utility?.count ?? k), utility: utility ?? matchingUtility(k, scale: scale),
                                   paymentCap: cap, agents: agents, information: info)
    }

    /// Conditionally independent noisy signals: agent i exerting a_i sees s_i = θ with
    /// probability α = parameter, else one of the other K − 1 signals uniformly
    /// (α = 1/K is uninformative; K = 2 and α = 0.8 is "flip probability 0.2").
    public static func independentNoisy(states k: Int = 2, agents: [AgentSpec], cap: Double, prior: [Double]? = nil,
                                        utility: [[Double]]? = nil, scale: Double = 1) throws(InputError) -> InfoAcqInstance {
        try build(states: k, prior: prior, utility: utility, scale: scale, cap: cap, agents: agents, signals: k) { acts, t, s in
            var p = 1.0
            for i in agents.indices {
                let alpha = agents[i].actions[acts[i]].parameter
                p *= s[i] == t ? alpha : (k > 1 ? (1 - alpha) / Double(k - 1) : 0)
            }
            return p
        }
    }

    /// Common-noise signals (spec A.4): a common value c equals θ with probability 1 − η and
    /// is uniform over the K states with probability η; agent i exerting a_i observes c with
    /// probability λ = parameter, else an independent uniform signal. Two workers' reports
    /// then agree exactly whenever both observe c, so they can be cross-checked.
    public static func commonNoise(states k: Int = 2, noise eta: Double, agents: [AgentSpec], cap: Double, prior: [Double]? = nil,
                                   utility: [[Double]]? = nil, scale: Double = 1) throws(InputError) -> InfoAcqInstance {
        guard eta.isFinite && eta >= 0 && eta <= 1 else { throw InputError("expected a probability in [0, 1], found \(eta)", field: "noise") }
        return try build(states: k, prior: prior, utility: utility, scale: scale, cap: cap, agents: agents, signals: k) { acts, t, s in
            var total = 0.0
            for c in 0..<k {
                let pc = (c == t ? 1 - eta : 0) + eta / Double(k)
                var p = pc
                for i in agents.indices {
                    let lambda = agents[i].actions[acts[i]].parameter
                    p *= (s[i] == c ? lambda : 0) + (1 - lambda) / Double(k)
                }
                total += p
            }
            return total
        }
    }

    /// One-sided evidence: two states; in s0 agent i exerting a_i finds evidence (x0) with
    /// probability p = parameter, independently of the others, else sees x1; in s1 it
    /// always sees x1 ("s = x0 proves θ = s0").
    public static func oneSided(agents: [AgentSpec], cap: Double, prior: [Double]? = nil, utility: [[Double]]? = nil,
                                scale: Double = 1) throws(InputError) -> InfoAcqInstance {
        try build(states: 2, prior: prior, utility: utility, scale: scale, cap: cap, agents: agents, signals: 2) { acts, t, s in
            var p = 1.0
            for i in agents.indices {
                let detect = agents[i].actions[acts[i]].parameter
                p *= t == 1 ? (s[i] == 1 ? 1 : 0) : (s[i] == 0 ? detect : 1 - detect)
            }
            return p
        }
    }

    /// A random instance for tests and benchmarks. Effort k of agent i has informativeness
    /// λ_i(k) ~ U[k/m, (k+1)/m] (m actions, so more effort informs more) and cost 0 for k = 0,
    /// else U[0, maxCost]; q_a(· | θ) = w_a K(· | θ) + (1 − w_a) U with w_a the mean λ of the
    /// efforts in a, K a random peaked joint kernel (normalised cubed exponentials, so the
    /// agents' signals are correlated given θ) and U uniform; u ~ U[0, 1]; prior uniform on
    /// the simplex. Draws from the `instance` sub-stream of `seed`.
    public static func random(agents n: Int, actions: Int, signals: Int, states k: Int, decisions: Int? = nil,
                              maxCost: Double = 0.2, cap: Double = 1, seed: UInt64) throws(InputError) -> InfoAcqInstance {
        var rng = Xoshiro256StarStar(seed: seed).stream(named: "instance")
        func simplex(_ m: Int, power: Double) -> [Double] {
            let e = (0..<m).map { _ in pow(-log(1 - rng.nextUnitDouble()), power) }
            let total = e.reduce(0, +)
            return e.map { $0 / total }
        }
        let agents = (0..<n).map { i in
            InfoAcqAgent(name: "a\(i + 1)", actionNames: names("e", actions),
                         costs: (0..<actions).map { $0 == 0 ? 0 : maxCost * rng.nextUnitDouble() }, signalNames: names("x", signals))
        }
        let lambda = (0..<n).map { _ in (0..<actions).map { (Double($0) + rng.nextUnitDouble()) / Double(actions) } }
        let nA = Int(pow(Double(actions), Double(n)).rounded()), nS = Int(pow(Double(signals), Double(n)).rounded())
        let kernel = (0..<k).map { _ in simplex(nS, power: 3) }
        let strides = InfoAcqInstance.strides(Array(repeating: actions, count: n))
        var info: [Double] = []
        for a in 0..<nA {
            let w = (0..<n).reduce(0.0) { $0 + lambda[$1][(a / strides[$1]) % actions] } / Double(n)
            for t in 0..<k { info += kernel[t].map { w * $0 + (1 - w) / Double(nS) } }
        }
        let nD = decisions ?? k
        let utility = (0..<nD).map { d in (0..<k).map { (d == $0 ? 1 : 0) + 0.3 * rng.nextUnitDouble() } }
        return try InfoAcqInstance(stateNames: names("s", k), prior: simplex(k, power: 1), decisionNames: names("d", nD), utility: utility,
                                   paymentCap: cap, agents: agents, information: info)
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
