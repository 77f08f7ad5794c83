import GavelCore
import GavelConfig
// Information acquisition from several agents: scoring-rule mechanisms, see docs/infoacq.md.
//
// The model (spec infoacq.md A.1) is a reconstruction [R]: the paper's full text
// (Cacciamani, Castiglioni, Gatti, arXiv 2307.06210) was not available, so the
// joint-profile information structure, payments that depend on (a, s, θ) and the
// payment cap are the spec's standard formulation fitted to the verified facts.

/// One agent: its effort levels (actions) with their costs, and its signal alphabet.
public struct InfoAcqAgent: Sendable, Equatable {
    public var name: String
    public var actionNames: [String]
    /// c_i(a_i) ≥ 0, one per action.
    public var costs: [Double]
    public var signalNames: [String]

    public init(name: String, actionNames: [String], costs: [Double], signalNames: [String]) {
        self.name = name
        self.actionNames = actionNames
        self.costs = costs
        self.signalNames = signalNames
    }
}

/// An information-acquisition instance (spec A.1 [R]): states Θ with prior μ, agents
/// with actions, costs and signals, a **joint** information structure q_a(s | θ) for
/// every action profile a, principal decisions D with utility u(d, θ), and a cap B
/// on every payment.
///
/// Profiles are numbered in mixed radix with agent 0 the most significant digit, so
/// profile 0 is everyone's first action and the order is the lexicographic order of
/// the names' positions ("shirk,shirk", "shirk,work", "work,shirk", "work,work").
/// Signal profiles are numbered the same way.
public struct InfoAcqInstance: Sendable, Equatable {
    public let stateNames: [String]
    public let prior: [Double]
    public let decisionNames: [String]
    /// utility[d][θ].
    public let utility: [[Double]]
    /// B: 0 ≤ γ_i(a, s, θ) ≤ B (the spec's addition that makes the optimum attained).
    public let paymentCap: Double
    public let agents: [InfoAcqAgent]
    /// q flat: information[(a · |Θ| + θ) · |S| + s] = q_a(s | θ).
    public let information: [Double]

    public let actionCounts: [Int]
    public let signalCounts: [Int]
    public let profileCount: Int
    public let signalProfileCount: Int
    let actionStrides: [Int]
    let signalStrides: [Int]

    /// Tolerance for "sums to one" checks of the prior and of each q_a(· | θ).
    public static let sumTolerance = 1e-9

    public var agentCount: Int { agents.count }
    public var stateCount: Int { stateNames.count }
    public var decisionCount: Int { decisionNames.count }

    /// Checks every dimension and probability; throws the first problem found.
    public init(stateNames: [String], prior: [Double], decisionNames: [String], utility: [[Double]],
                paymentCap: Double, agents: [InfoAcqAgent], information: [Double]) throws(InputError) {
        func check(_ ok: Bool, _ field: String, _ message: @autoclosure () -> String) throws(InputError) {
            if !ok { throw InputError(message(), field: field) }
        }
        try check(!stateNames.isEmpty, "states", "expected at least one state")
        try check(Set(stateNames).count == stateNames.count, "states", "expected distinct state names")
        try check(prior.count == stateNames.count, "prior", "expected \(stateNames.count) probabilities (one per state), found \(prior.count)")
        for (k, p) in prior.enumerated() { try check(p.isFinite && p >= 0, "prior[\(k)]", "expected a probability ≥ 0, found \(p)") }
        let priorSum = prior.reduce(0, +)
        try check(abs(priorSum - 1) <= Self.sumTolerance, "prior", "probabilities must sum to 1, they sum to \(priorSum)")
        try check(!decisionNames.isEmpty, "decisions", "expected at least one decision")
        try check(Set(decisionNames).count == decisionNames.count, "decisions", "expected distinct decision names")
        try check(utility.count == decisionNames.count, "utility", "expected one row per decision (\(decisionNames.count)), found \(utility.count)")
        for (d, row) in utility.enumerated() {
            try check(row.count == stateNames.count, "utility.\(decisionNames[d])", "expected \(stateNames.count) values (one per state), found \(row.count)")
            for u in row { try check(u.isFinite, "utility.\(decisionNames[d])", "expected finite numbers, found \(u)") }
        }
        try check(paymentCap.isFinite && paymentCap >= 0, "payment_cap", "expected a finite number ≥ 0, found \(paymentCap)")
        try check(!agents.isEmpty, "agents", "expected at least one agent")
        try check(Set(agents.map(\.name)).count == agents.count, "agents", "expected distinct agent names")
        for (i, agent) in agents.enumerated() {
            try check(!agent.actionNames.isEmpty, "agents[\(i)].actions", "expected at least one action")
            try check(Set(agent.actionNames).count == agent.actionNames.count, "agents[\(i)].actions", "expected distinct action names")
            try check(agent.costs.count == agent.actionNames.count, "agents[\(i)].actions", "expected one cost per action")
            for (k, c) in agent.costs.enumerated() {
                try check(c.isFinite && c >= 0, "agents[\(i)].actions.\(agent.actionNames[k])", "expected a cost ≥ 0, found \(c)")
            }
            try check(!agent.signalNames.isEmpty, "agents[\(i)].signals", "expected at least one signal")
            try check(Set(agent.signalNames).count == agent.signalNames.count, "agents[\(i)].signals", "expected distinct signal names")
        }
        let actionCounts = agents.map(\.actionNames.count)
        let signalCounts = agents.map(\.signalNames.count)
        let profiles = actionCounts.reduce(1, *), signalProfiles = signalCounts.reduce(1, *)
        try check(information.count == profiles * stateNames.count * signalProfiles, "information",
                  "expected \(profiles) profiles × \(stateNames.count) states × \(signalProfiles) signal profiles = \(profiles * stateNames.count * signalProfiles) probabilities, found \(information.count)")
        self.stateNames = stateNames
        self.prior = prior
        self.decisionNames = decisionNames
        self.utility = utility
        self.paymentCap = paymentCap
        self.agents = agents
        self.information = information
        self.actionCounts = actionCounts
        self.signalCounts = signalCounts
        profileCount = profiles
        signalProfileCount = signalProfiles
        actionStrides = Self.strides(actionCounts)
        signalStrides = Self.strides(signalCounts)
        for a in 0..<profiles {
            for t in 0..<stateNames.count {
                var sum = 0.0
                for s in 0..<signalProfiles {
                    let p = information[(a * stateNames.count + t) * signalProfiles + s]
                    try check(p.isFinite && p >= 0, "information.\(profileName(a)).\(stateNames[t])", "expected probabilities ≥ 0, found \(p)")
                    sum += p
                }
                try check(abs(sum - 1) <= Self.sumTolerance, "information.\(profileName(a)).\(stateNames[t])",
                          "probabilities must sum to 1, they sum to \(sum)")
            }
        }
    }

    static func strides(_ counts: [Int]) -> [Int] {
        var out = [Int](repeating: 1, count: counts.count)
        var k = counts.count - 2
        while k >= 0 { out[k] = out[k + 1] * counts[k + 1]; k -= 1 }
        return out
    }

    /// q_a(s | θ).
    @inlinable public func q(_ profile: Int, _ state: Int, _ signals: Int) -> Double {
        information[(profile * stateCount + state) * signalProfileCount + signals]
    }

    /// Agent i's action in profile a.
    public func action(of agent: Int, in profile: Int) -> Int { (profile / actionStrides[agent]) % actionCounts[agent] }
    /// Agent i's signal in signal profile s.
    public func signal(of agent: Int, in signals: Int) -> Int { (signals / signalStrides[agent]) % signalCounts[agent] }
    /// Profile a with agent i's action replaced.
    public func profile(_ profile: Int, replacing agent: Int, with action: Int) -> Int {
        profile + (action - self.action(of: agent, in: profile)) * actionStrides[agent]
    }
    /// Signal profile s with agent i's signal replaced.
    public func signals(_ signals: Int, replacing agent: Int, with signal: Int) -> Int {
        signals + (signal - self.signal(of: agent, in: signals)) * signalStrides[agent]
    }
    /// The profile with the given per-agent actions.
    public func profile(actions: [Int]) -> Int { zip(actions, actionStrides).reduce(0) { $0 + $1.0 * $1.1 } }

    /// "work,shirk": the action names joined by commas (the instance file's key).
    public func profileName(_ profile: Int) -> String {
        agents.indices.map { agents[$0].actionNames[action(of: $0, in: profile)] }.joined(separator: ",")
    }
    public func signalProfileName(_ signals: Int) -> String {
        agents.indices.map { agents[$0].signalNames[signal(of: $0, in: signals)] }.joined(separator: ",")
    }

    /// max_d Σ_θ μ(θ) u(d, θ): what the principal gets deciding on the prior alone.
    public var priorDecisionValue: Double {
        utility.map { row in zip(row, prior).reduce(0) { $0 + $1.0 * $1.1 } }.max() ?? 0
    }

    /// The same instance with another information structure (the learner's estimate q̂).
    public func replacingInformation(_ q: [Double]) throws(InputError) -> InfoAcqInstance {
        try InfoAcqInstance(stateNames: stateNames, prior: prior, decisionNames: decisionNames, utility: utility,
                            paymentCap: paymentCap, agents: agents, information: q)
    }

    /// The same instance with another payment cap.
    public func replacingCap(_ cap: Double) throws(InputError) -> InfoAcqInstance {
        try InfoAcqInstance(stateNames: stateNames, prior: prior, decisionNames: decisionNames, utility: utility,
                            paymentCap: cap, agents: agents, information: information)
    }
}
