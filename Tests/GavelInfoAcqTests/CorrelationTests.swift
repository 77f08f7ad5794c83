@testable import GavelInfoAcq
import Testing

/// Spec A.4 [C]: with common-noise signals and a binding payment cap, correlating the
/// agents' efforts strictly helps. All three values are computed here, not asserted.
@Suite("Correlation strictly helps (spec A.4)")
struct CorrelationTests {
    typealias F = InfoAcqFamilies
    static func instance(cap: Double = 0.12) throws -> InfoAcqInstance {
        let agents = ["a1", "a2"].map { F.AgentSpec($0, [F.ActionSpec("shirk", cost: 0, 0), F.ActionSpec("work", cost: 0.05, 1)]) }
        return try F.commonNoise(noise: 0.3, agents: agents, cap: cap)
    }

    @Test("correlated > certified product upper bound and > best deterministic, by margins ≫ LP tolerance")
    func strictGain() throws {
        let x = try Self.instance()
        let a = try InfoAcqAnalysis.run(x)
        let product = try #require(a.product)
        #expect(product.method == "branch_and_bound")
        #expect(product.upperBound - product.lowerBound <= 1e-5)
        #expect(a.value - product.upperBound >= 0.01)          // 0.708571 vs ≤ 0.695556
        #expect(a.value - a.deterministic.value >= 0.05)      // vs 0.65 (both work)
        #expect(product.lowerBound >= a.deterministic.value - 1e-9)
        // The optimum really mixes profiles: "work,work" and both lone-worker profiles.
        let phi = a.mechanism.recommendation
        #expect(phi.filter { $0 > 1e-6 }.count >= 3)
        // Lone-worker profiles cannot be made IC on their own under this cap.
        #expect(a.deterministic.values[1] == nil && a.deterministic.values[2] == nil)
        #expect(a.certificate.maxGain <= 1e-9)
        // The product mechanism and the deterministic one pass the certificate too.
        #expect(InfoAcqCertificate.check(x, try #require(product.mechanism)).maxGain <= 1e-9)
        #expect(InfoAcqCertificate.check(x, a.deterministic.mechanism).maxGain <= 1e-9)
    }

    @Test("the optimal mechanism has a non-obedient pure equilibrium the agents prefer (equilibrium selection)")
    func agentPreferredEquilibrium() throws {
        let x = try Self.instance()
        let a = try InfoAcqAnalysis.run(x)
        let e = try #require(a.equilibria)
        #expect(e.skipped == nil)
        #expect(e.profilesChecked == 4096)
        // Obedience itself is among the equilibria (the mechanism is IC).
        #expect(e.equilibria.contains { $0.isObedient })
        let preferred = e.agentPreferred
        #expect(!preferred.isEmpty)
        // In one of them nobody ever works, and the principal loses.
        let lazy = preferred.first { eq in eq.strategies.allSatisfy { $0.effort.allSatisfy { $0 == 0 } } }
        let found = try #require(lazy)
        #expect(found.principalUtility < a.value - 0.01)
    }

    @Test("with the cap relaxed, the deterministic 'work,work' mechanism becomes feasible for lone workers too")
    func looseCap() throws {
        let x = try Self.instance(cap: 10)
        let d = try InfoAcqDeterministicBest.solve(x)
        #expect(d.values.allSatisfy { $0 != nil })
        let v = try #require(try InfoAcqLP.solve(x).value)
        #expect(v >= d.value - 1e-9)
    }
}
