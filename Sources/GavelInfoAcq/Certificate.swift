/// A pure strategy of one agent in a mechanism: for each recommendation a_i, the effort
/// it exerts and the reporting map ρ: S_i → S_i it applies to its signal.
public struct InfoAcqStrategy: Sendable, Equatable, CustomStringConvertible {
    /// effort[a_i]
    public var effort: [Int]
    /// report[a_i][s_i]
    public var report: [[Int]]

    public init(effort: [Int], report: [[Int]]) { self.effort = effort; self.report = report }

    /// Obedient and truthful.
    public static func obedient(_ x: InfoAcqInstance, agent i: Int) -> InfoAcqStrategy {
        InfoAcqStrategy(effort: Array(0..<x.actionCounts[i]),
                        report: Array(repeating: Array(0..<x.signalCounts[i]), count: x.actionCounts[i]))
    }

    public var isObedient: Bool {
        effort.enumerated().allSatisfy { $0.offset == $0.element } && report.allSatisfy { $0.enumerated().allSatisfy { $0.offset == $0.element } }
    }

    public var description: String { "effort \(effort), report \(report)" }

    /// "told work: exert shirk, report x0→x0 x1→x0"; only recommendations listed in `told`.
    public func describe(_ x: InfoAcqInstance, agent i: Int, told: [Int]) -> String {
        let ag = x.agents[i]
        return told.map { k in
            "told \(ag.actionNames[k]): exert \(ag.actionNames[effort[k]]), report " +
                report[k].enumerated().map { "\(ag.signalNames[$0.offset])→\(ag.signalNames[$0.element])" }.joined(separator: " ")
        }.joined(separator: "; ")
    }
}

/// Exact expected utilities of a mechanism when agents play given pure strategies
/// (obedience included), and the agents' best responses.
public enum InfoAcqEvaluation {
    /// (principal, per-agent) expected utilities per round.
    public static func utilities(_ x: InfoAcqInstance, _ m: InfoAcqMechanism, strategies: [InfoAcqStrategy]? = nil) -> (principal: Double, agents: [Double]) {
        let n = x.agentCount
        var agents = [Double](repeating: 0, count: n)
        var principal = 0.0
        var actions = [Int](repeating: 0, count: n), efforts = [Int](repeating: 0, count: n)
        for a in 0..<x.profileCount where m.recommendation[a] > 0 {
            let p = m.recommendation[a]
            for i in 0..<n { actions[i] = x.action(of: i, in: a); efforts[i] = strategies?[i].effort[actions[i]] ?? actions[i] }
            let e = x.profile(actions: efforts)
            for i in 0..<n { agents[i] -= p * x.agents[i].costs[efforts[i]] }
            for t in 0..<x.stateCount {
                for s in 0..<x.signalProfileCount {
                    let w = p * x.prior[t] * x.q(e, t, s)
                    if w == 0 { continue }
                    var r = s
                    if let strategies {
                        for i in 0..<n { r = x.signals(r, replacing: i, with: strategies[i].report[actions[i]][x.signal(of: i, in: s)]) }
                    }
                    for d in 0..<x.decisionCount { principal += w * m.pi(x, profile: a, signals: r, decision: d) * x.utility[d][t] }
                    for i in 0..<n {
                        let g = m.gamma(x, agent: i, profile: a, signals: r, state: t)
                        agents[i] += w * g
                        principal -= w * g
                    }
                }
            }
        }
        return (principal, agents)
    }

    /// W[s_i][r] for agent i told a_i exerting a'_i while the others play `others`:
    /// Σ_{a: a_i} φ(a) Σ_θ μ(θ) Σ_{s: s_i} q_{(a'_i, e_-i)}(s|θ) γ_i(a, (r, ρ_-i(s_-i)), θ).
    static func reportPayoffs(_ x: InfoAcqInstance, _ m: InfoAcqMechanism, agent i: Int, told ai: Int, exerts aDev: Int,
                              others: [InfoAcqStrategy]?) -> [[Double]] {
        let nSi = x.signalCounts[i], n = x.agentCount
        var w = [[Double]](repeating: [Double](repeating: 0, count: nSi), count: nSi)
        var efforts = [Int](repeating: 0, count: n)
        for a in 0..<x.profileCount where m.recommendation[a] > 0 && x.action(of: i, in: a) == ai {
            let p = m.recommendation[a]
            for j in 0..<n { let aj = x.action(of: j, in: a); efforts[j] = j == i ? aDev : (others?[j].effort[aj] ?? aj) }
            let e = x.profile(actions: efforts)
            for t in 0..<x.stateCount {
                for s in 0..<x.signalProfileCount {
                    let mass = p * x.prior[t] * x.q(e, t, s)
                    if mass == 0 { continue }
                    var r = s
                    if let others {
                        for j in 0..<n where j != i {
                            r = x.signals(r, replacing: j, with: others[j].report[x.action(of: j, in: a)][x.signal(of: j, in: s)])
                        }
                    }
                    let si = x.signal(of: i, in: s)
                    for k in 0..<nSi { w[si][k] += mass * m.gamma(x, agent: i, profile: a, signals: x.signals(r, replacing: i, with: k), state: t) }
                }
            }
        }
        return w
    }

    /// Agent i's best-response value (the maximum over effort and reporting map at each
    /// recommendation it can receive) against the others' strategies (nil: obedient).
    static func bestResponse(_ x: InfoAcqInstance, _ m: InfoAcqMechanism, agent i: Int, others: [InfoAcqStrategy]?) -> Double {
        var total = 0.0
        for ai in 0..<x.actionCounts[i] {
            let pa = m.marginal(x, agent: i, action: ai)
            guard pa > 0 else { continue }
            var best = -Double.infinity
            for aDev in 0..<x.actionCounts[i] {
                let w = reportPayoffs(x, m, agent: i, told: ai, exerts: aDev, others: others)
                let v = w.reduce(0) { $0 + ($1.max() ?? 0) } - x.agents[i].costs[aDev] * pa
                best = max(best, v)
            }
            total += best
        }
        return total
    }
}

/// One unilateral deviation found by the certificate.
public struct InfoAcqDeviation: Sendable, Equatable {
    public var agent: Int
    public var told: Int
    public var exerts: Int
    /// ρ(s_i)
    public var reports: [Int]
    /// Expected gain over obeying, weighted by P(told): the IC row's violation.
    public var gain: Double
    /// gain / P(told): the gain of an agent who has just been told `told`.
    public var conditionalGain: Double
}

/// IC certificate (spec A.2 [R]): every unilateral deviation (effort a'_i, reporting map ρ)
/// of every agent at every recommendation with positive probability, others obedient.
public struct InfoAcqCertificate: Sendable {
    /// The largest gain (over all deviations, weighted by the recommendation's probability;
    /// ≤ 0 for an IC mechanism up to the LP's tolerance). Deviation a'_i = a_i, ρ = id gives 0.
    public var maxGain: Double
    /// The largest gain conditional on the recommendation.
    public var maxConditionalGain: Double
    /// The deviation attaining maxGain.
    public var worst: InfoAcqDeviation
    /// Deviations enumerated.
    public var deviationsChecked: Int

    /// Reporting maps are enumerated explicitly (|S_i|^|S_i| of them) up to this many per
    /// (agent, recommendation, effort); beyond, the best map is taken per observed signal,
    /// which is the same maximum (the payoff is a sum over s_i of terms in ρ(s_i) alone).
    public static let explicitMapLimit = 1 << 16

    public static func check(_ x: InfoAcqInstance, _ m: InfoAcqMechanism) -> InfoAcqCertificate {
        var out = InfoAcqCertificate(maxGain: -.infinity, maxConditionalGain: -.infinity,
                                     worst: InfoAcqDeviation(agent: 0, told: 0, exerts: 0, reports: [], gain: -.infinity, conditionalGain: -.infinity),
                                     deviationsChecked: 0)
        for i in 0..<x.agentCount {
            let nSi = x.signalCounts[i], costs = x.agents[i].costs
            var maps = 1
            for _ in 0..<nSi where maps <= explicitMapLimit { maps *= nSi }
            for ai in 0..<x.actionCounts[i] {
                let pa = m.marginal(x, agent: i, action: ai)
                guard pa > 0 else { continue }
                let own = InfoAcqEvaluation.reportPayoffs(x, m, agent: i, told: ai, exerts: ai, others: nil)
                let obey = (0..<nSi).reduce(0) { $0 + own[$1][$1] } - costs[ai] * pa
                for aDev in 0..<x.actionCounts[i] {
                    let w = aDev == ai ? own : InfoAcqEvaluation.reportPayoffs(x, m, agent: i, told: ai, exerts: aDev, others: nil)
                    func consider(_ rho: [Int]) {
                        let v = (0..<nSi).reduce(0) { $0 + w[$1][rho[$1]] } - costs[aDev] * pa
                        out.deviationsChecked += 1
                        let gain = v - obey
                        if gain > out.maxGain {
                            out.maxGain = gain
                            out.worst = InfoAcqDeviation(agent: i, told: ai, exerts: aDev, reports: rho, gain: gain, conditionalGain: gain / pa)
                        }
                        out.maxConditionalGain = max(out.maxConditionalGain, gain / pa)
                    }
                    if maps <= explicitMapLimit {
                        var rho = [Int](repeating: 0, count: nSi)
                        for code in 0..<maps {
                            var c = code
                            for k in 0..<nSi { rho[k] = c % nSi; c /= nSi }
                            consider(rho)
                        }
                    } else {
                        // Ties go to the lowest report index.
                        var rho = [Int](repeating: 0, count: nSi)
                        for si in 0..<nSi {
                            for r in 1..<nSi where w[si][r] > w[si][rho[si]] { rho[si] = r }
                        }
                        consider(rho)
                    }
                }
            }
        }
        return out
    }
}

/// A pure equilibrium of the mechanism's game found by enumeration.
public struct InfoAcqEquilibrium: Sendable {
    public var strategies: [InfoAcqStrategy]
    public var agentUtilities: [Double]
    public var principalUtility: Double
    /// Some agent plays differently from obedience at a recommendation it can receive.
    public var isObedient: Bool
    /// Every agent gets at least its obedient utility and one strictly more (by > tolerance).
    public var agentsPrefer: Bool
}

/// Enumerates every pure strategy profile (per recommendation with positive probability:
/// an effort and a reporting map; recommendations never sent are fixed to obedience) and
/// keeps the Nash equilibria: no agent gains more than `tolerance` by a best response.
public struct InfoAcqEquilibria: Sendable {
    public var profilesChecked: Int
    public var equilibria: [InfoAcqEquilibrium]
    public var obedientUtilities: [Double]
    /// Set when the enumeration was not run (too many profiles).
    public var skipped: String?

    public static let tolerance = 1e-9

    public var nonObedient: [InfoAcqEquilibrium] { equilibria.filter { !$0.isObedient } }
    public var agentPreferred: [InfoAcqEquilibrium] { equilibria.filter { $0.agentsPrefer } }

    public static func enumerate(_ x: InfoAcqInstance, _ m: InfoAcqMechanism, limit: Int = 20_000) -> InfoAcqEquilibria {
        let n = x.agentCount
        let obedient = InfoAcqEvaluation.utilities(x, m).agents
        // Per agent: its recommendations with positive probability and its strategy count.
        var told: [[Int]] = [], options: [Int] = [], counts: [Int] = []
        var total = 1
        for i in 0..<n {
            let t = (0..<x.actionCounts[i]).filter { m.marginal(x, agent: i, action: $0) > 0 }
            var maps = 1
            for _ in 0..<x.signalCounts[i] { maps = maps.multipliedReportingOverflow(by: x.signalCounts[i]).partialValue }
            let perRec = x.actionCounts[i] * maps
            var c = 1
            for _ in t { c = c.multipliedReportingOverflow(by: perRec).partialValue; if c > limit { break } }
            told.append(t); options.append(perRec); counts.append(c)
            total = c > limit ? limit + 1 : total * c
            if total > limit { break }
        }
        guard total <= limit else {
            return InfoAcqEquilibria(profilesChecked: 0, equilibria: [], obedientUtilities: obedient,
                                     skipped: "more than \(limit) pure strategy profiles")
        }
        func strategy(_ i: Int, _ code: Int) -> InfoAcqStrategy {
            var s = InfoAcqStrategy.obedient(x, agent: i)
            var c = code
            let nSi = x.signalCounts[i]
            for k in told[i] {
                var option = c % options[i]; c /= options[i]
                s.effort[k] = option % x.actionCounts[i]; option /= x.actionCounts[i]
                for si in 0..<nSi { s.report[k][si] = option % nSi; option /= nSi }
            }
            return s
        }
        let all = (0..<n).map { i in (0..<counts[i]).map { strategy(i, $0) } }
        var found: [InfoAcqEquilibrium] = []
        var code = [Int](repeating: 0, count: n)
        for _ in 0..<total {
            let sigma = (0..<n).map { all[$0][code[$0]] }
            let u = InfoAcqEvaluation.utilities(x, m, strategies: sigma)
            var isEquilibrium = true
            for i in 0..<n where InfoAcqEvaluation.bestResponse(x, m, agent: i, others: sigma) > u.agents[i] + tolerance {
                isEquilibrium = false; break
            }
            if isEquilibrium {
                let obeys = sigma.allSatisfy(\.isObedient)
                let prefer = (0..<n).allSatisfy { u.agents[$0] >= obedient[$0] - tolerance } && (0..<n).contains { u.agents[$0] > obedient[$0] + tolerance }
                found.append(InfoAcqEquilibrium(strategies: sigma, agentUtilities: u.agents, principalUtility: u.principal, isObedient: obeys, agentsPrefer: prefer))
            }
            var k = n - 1
            while k >= 0 { code[k] += 1; if code[k] < counts[k] { break }; code[k] = 0; k -= 1 }
        }
        return InfoAcqEquilibria(profilesChecked: total, equilibria: found, obedientUtilities: obedient, skipped: nil)
    }

    /// Recommendations each agent can receive (for describing strategies).
    public static func told(_ x: InfoAcqInstance, _ m: InfoAcqMechanism, agent i: Int) -> [Int] {
        (0..<x.actionCounts[i]).filter { m.marginal(x, agent: i, action: $0) > 0 }
    }
}
