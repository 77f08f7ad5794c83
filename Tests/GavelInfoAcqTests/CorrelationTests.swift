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

@Suite("Best product mechanism: bounds")
struct ProductBoundTests {
    @Test("branch-and-bound bounds bracket every point of a 11 × 11 grid of marginals (fixed-φ LPs)")
    func bracketsGrid() throws {
        let x = try CorrelationTests.instance()
        let correlated = try #require(try InfoAcqLP.solve(x).value)
        let p = try InfoAcqProductBest.solve(x, correlatedValue: correlated)
        var gridBest = -Double.infinity
        for i in 0...10 {
            for j in 0...10 {
                let (p1, p2) = (Double(i) / 10, Double(j) / 10)
                let phi = InfoAcqProductBest.product(x, [[1 - p1, p1], [1 - p2, p2]])
                if let v = try InfoAcqLP.solve(x, options: .init(fixedRecommendation: phi)).value {
                    #expect(v <= p.upperBound + 1e-9, "grid point (\(p1), \(p2)): \(v) above the upper bound \(p.upperBound)")
                    gridBest = max(gridBest, v)
                }
            }
        }
        #expect(gridBest <= p.lowerBound + 1e-9)
        #expect(gridBest >= p.lowerBound - 0.01)   // the grid comes close to the certified optimum
    }

    @Test("agents with three actions: grid and local search, between the deterministic and the correlated value")
    func threeActions() throws {
        let x = try InfoAcqFamilies.random(agents: 2, actions: 3, signals: 2, states: 2, maxCost: 0.02, cap: 1, seed: 5)
        let correlated = try #require(try InfoAcqLP.solve(x).value)
        let p = try InfoAcqProductBest.solve(x, correlatedValue: correlated, maxLPs: 600, gridSteps: 4)
        let d = try InfoAcqDeterministicBest.solve(x)
        #expect(p.method == "grid_and_local_search")
        #expect(p.lowerBound >= d.value - 1e-9)
        #expect(p.lowerBound <= correlated + 1e-9)
        let gain = InfoAcqCertificate.check(x, try #require(p.mechanism)).maxGain
        #expect(gain <= 1e-9, "gain \(gain) at marginals \(p.marginals)")
    }
}
