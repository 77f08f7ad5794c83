import Foundation
import GavelCore
import GavelScenario
import Testing
@testable import GavelInfoAcq

/// Not IC: always recommends the last profile (everyone works), always decides d0, and pays every
/// agent the cap when it reports x0, whatever it saw.
struct PayForX0: InfoAcqMechanismDesigner {
    let name: String
    var summary: String { "pays the cap for reporting x0 (test: not IC)" }
    func design(_ analysis: InfoAcqAnalysis) throws -> InfoAcqDesign {
        let x = analysis.instance
        let nA = x.profileCount, nS = x.signalProfileCount, nT = x.stateCount, nD = x.decisionCount, n = x.agentCount
        var decision = [Double](repeating: 0, count: nA * nS * nD)
        for k in 0..<(nA * nS) { decision[k * nD] = 1 }
        var payment = [Double](repeating: 0, count: n * nA * nS * nT)
        for i in 0..<n { for a in 0..<nA { for s in 0..<nS where x.signal(of: i, in: s) == 0 { for t in 0..<nT {
            payment[((i * nA + a) * nS + s) * nT + t] = x.paymentCap
        } } } }
        let m = InfoAcqMechanism(recommendation: InfoAcqLP.pointMass(x, nA - 1), decision: decision, payment: payment)
        return InfoAcqDesign(mechanism: m, value: InfoAcqEvaluation.utilities(x, m).principal)
    }
}

@Suite("Information-acquisition truthfulness auditor")
struct MisreportAuditTests {
    /// Brute force, independent of the auditor's per-signal decomposition: agent i deviates at one
    /// recommendation a_i (effort e, reporting map ρ, every map enumerated), obeys elsewhere, the
    /// others obey; its exact expected utility (`InfoAcqEvaluation.utilities`) against obeying.
    static func bruteForce(_ x: InfoAcqInstance, _ m: InfoAcqMechanism) -> Double {
        let obedient = InfoAcqEvaluation.utilities(x, m).agents
        var best = 0.0
        for i in 0..<x.agentCount {
            let nSi = x.signalCounts[i]
            let maps = Int(pow(Double(nSi), Double(nSi)))
            for ai in 0..<x.actionCounts[i] where m.marginal(x, agent: i, action: ai) > 0 {
                for e in 0..<x.actionCounts[i] {
                    for code in 0..<maps {
                        var strategies = (0..<x.agentCount).map { InfoAcqStrategy.obedient(x, agent: $0) }
                        strategies[i].effort[ai] = e
                        var c = code
                        for s in 0..<nSi { strategies[i].report[ai][s] = c % nSi; c /= nSi }
                        best = max(best, InfoAcqEvaluation.utilities(x, m, strategies: strategies).agents[i] - obedient[i])
                    }
                }
            }
        }
        return best
    }

    static func analysis(_ spec: String) throws -> InfoAcqAnalysis {
        let text = """
        schema_version: 1
        name: t
        kind: infoacq
        rounds: 100
        instances: [\(spec)]
        """
        let x = try #require(try Scenario.load(text: text, file: "t.yaml", directory: "/tmp").experiment as? InfoAcqExperiment)
        return x.analyses[0]
    }

    /// One agent, two equally likely states, work (cost 0.1) reveals the state with probability
    /// 0.8, shirking (cost 0) is a coin. Paying the cap 0.4 for x0: obeying (work, truthful) gets
    /// P(x0)·0.4 − 0.1 = 0.5·0.4 − 0.1 = 0.1; shirking and always reporting x0 gets 0.4: gain 0.3.
    @Test("Hand-computed: paying for a report gains 0.3 by shirking and always reporting it")
    func handComputed() throws {
        let r = try Self.analysis("{family: independent_noisy, agents: 1, informativeness: 0.8, cost: 0.1, cap: 0.4}")
        let m = try PayForX0(name: "unused").design(r).mechanism
        #expect(abs(InfoAcqMisreportAudit.maxGain(r.instance, m) - 0.3) < 1e-12)
        #expect(abs(Self.bruteForce(r.instance, m) - 0.3) < 1e-12)
    }

    @Test("Every LP mechanism passes (≤ 1e-9), in agreement with the brute force", arguments: [
        "{family: common_noise, agents: 2, noise: 0.3, cost: 0.05, cap: 0.12}",
        "{family: random, agents: 2, actions: 2, signals: 3, states: 2, seed: 3}",
        "{family: one_sided, agents: 2, informativeness: 0.5, cost: 0.1, cap: 0.4}",
    ])
    func lpMechanismsAreIC(spec: String) throws {
        let r = try Self.analysis(spec)
        var mechanisms = [r.mechanism, r.deterministic.mechanism]
        if let p = r.product?.mechanism { mechanisms.append(p) }
        for m in mechanisms {
            let audit = InfoAcqMisreportAudit.maxGain(r.instance, m)
            #expect(audit <= 1e-9)
            #expect(abs(audit - Self.bruteForce(r.instance, m)) <= 1e-12)
        }
    }

    /// The LP optimum with agent 0's payments moved one report along (γ for report r paid for
    /// r + 1): no longer IC, and the auditor finds what the brute force finds.
    @Test("A perturbed, non-IC mechanism: the auditor's gain equals the brute force's")
    func perturbed() throws {
        let r = try Self.analysis("{family: common_noise, agents: 2, noise: 0.3, cost: 0.05, cap: 0.12}")
        let x = r.instance
        var m = r.mechanism
        for a in 0..<x.profileCount { for s in 0..<x.signalProfileCount { for t in 0..<x.stateCount {
            let shifted = x.signals(s, replacing: 0, with: (x.signal(of: 0, in: s) + 1) % x.signalCounts[0])
            m.payment[((0 * x.profileCount + a) * x.signalProfileCount + s) * x.stateCount + t] = r.mechanism.gamma(x, agent: 0, profile: a, signals: shifted, state: t)
        } } }
        let audit = InfoAcqMisreportAudit.maxGain(x, m)
        #expect(audit > 1e-6)
        #expect(abs(audit - Self.bruteForce(x, m)) <= 1e-12)
    }

    @Test("Through the kind: built-ins ≤ 1e-9, a registered non-IC designer 0.3")
    func throughTheKind() throws {
        try InfoAcqMechanisms.registry.register(PayForX0(name: "pay_for_x0"))
        let text = """
        schema_version: 1
        name: t
        kind: infoacq
        rounds: 1000
        audit_misreports: true
        mechanisms: [correlated, product, deterministic, pay_for_x0]
        instances:
          - {name: noisy, family: independent_noisy, agents: 1, informativeness: 0.8, cost: 0.1, cap: 0.4}
        """
        let x = try #require(try Scenario.load(text: text, file: "t.yaml", directory: "/tmp").experiment as? InfoAcqExperiment)
        let gains = try x.cells.map { cell in
            try #require(try x.run(cell, context: RunContext(seed: 1)).metrics.first { $0.0 == "max_gain_from_misreport" }?.1)
        }
        #expect(gains.prefix(3).allSatisfy { $0 <= 1e-9 })
        #expect(abs(gains[3] - 0.3) < 1e-12)
    }
}
