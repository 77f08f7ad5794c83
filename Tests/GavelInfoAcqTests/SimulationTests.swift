@testable import GavelInfoAcq
import Testing

@Suite("Repeated rounds")
struct SimulationTests {
    @Test("simulated average principal utility is within 4σ of the LP value (correlated, product, deterministic)")
    func matchesLP() throws {
        let x = try CorrelationTests.instance()
        let a = try InfoAcqAnalysis.run(x, equilibria: false)
        let cases: [(InfoAcqMechanism, Double)] = [(a.mechanism, a.value), (try #require(a.product?.mechanism), a.product!.lowerBound),
                                                    (a.deterministic.mechanism, a.deterministic.value)]
        for (k, (m, v)) in cases.enumerated() {
            let sim = try InfoAcqRepeatedRounds.run(x, m, rounds: 200_000, seed: UInt64(40 + k))
            #expect(sim.events == 200_000)
            let z = (sim.principal.mean - v) / sim.principal.standardError
            #expect(abs(z) < 4, "mechanism \(k): simulated \(sim.principal.mean) vs LP \(v), z = \(z)")
            // Rents: IC with a free action means nobody loses by taking part: each agent's mean
            // utility is ≥ 0 up to 4 standard errors (payments ≤ B = 0.12, so se ≤ 0.12/√200,000).
            #expect(sim.agentUtility.allSatisfy { $0 > -4 * 0.12 / Double(200_000).squareRoot() })
        }
    }

    @Test("a deviating strategy is simulated as given: its average matches the exact evaluation within 4σ")
    func deviation() throws {
        let x = try CorrelationTests.instance()
        let m = try #require(try InfoAcqLP.solve(x).mechanism)
        // Both agents shirk whatever they are told and report x0.
        let lazy = (0..<2).map { _ in InfoAcqStrategy(effort: [0, 0], report: [[0, 0], [0, 0]]) }
        let exact = InfoAcqEvaluation.utilities(x, m, strategies: lazy)
        let sim = try InfoAcqRepeatedRounds.run(x, m, rounds: 200_000, strategies: lazy, seed: 5)
        #expect(abs(sim.principal.mean - exact.principal) < 4 * sim.principal.standardError)
        #expect(abs(sim.agentUtility[0] - exact.agents[0]) < 0.01)
        #expect(sim.jain.isFinite && sim.jain > 0.5 && sim.jain <= 1)
    }

    @Test("same seed, same rounds: identical results; another seed differs")
    func determinism() throws {
        let x = try CorrelationTests.instance()
        let m = try #require(try InfoAcqLP.solve(x).mechanism)
        let a = try InfoAcqRepeatedRounds.run(x, m, rounds: 5000, seed: 1)
        let b = try InfoAcqRepeatedRounds.run(x, m, rounds: 5000, seed: 1)
        let c = try InfoAcqRepeatedRounds.run(x, m, rounds: 5000, seed: 2)
        #expect(a.principal == b.principal && a.agentUtility == b.agentUtility)
        #expect(a.principal != c.principal)
    }
}
