import Foundation
import GavelCore
@testable import GavelMatching
import Testing

@Suite("Online algorithms, exact evaluation and Monte Carlo")
struct AlgorithmTests {
    static let integral = MatchingAlgorithm.allCases.filter { !$0.isFractional }

    @Test("same seed, same run; another seed differs somewhere", arguments: integral)
    func determinism(_ a: MatchingAlgorithm) throws {
        let x = try InstanceFamily.erdosRenyi(offline: 20, arrivals: 200, density: 0.3, pLow: 0.1, pHigh: 0.6, maxWeight: 2, seed: 4)
        #expect(try OnlineMatchingRun.run(a, on: x, seed: 7) == OnlineMatchingRun.run(a, on: x, seed: 7))
        let values = try (0..<10).map { try OnlineMatchingRun.run(a, on: x, seed: UInt64($0)).value }
        #expect(Set(values).count > 1)
    }

    @Test("every run counts one event per arrival, and never tries a successful vertex")
    func kernelEvents() throws {
        let x = try InstanceFamily.k22n(n: 5)
        let r = try OnlineMatchingRun.run(MatchingAlgorithm.greedy, on: x, seed: 1)
        #expect(r.events == x.arrivalCount)
        #expect(r.successes <= 2 && r.value == Double(r.successes))
    }

    @Test("exact: E[successes] = E[Σ load] (MP12 Lemma 2) for every rule on random instances", arguments: integral.filter { $0 != .guPerturbed })
    func exactIdentity(_ a: MatchingAlgorithm) throws {
        for seed in 0..<20 {
            let x = try InstanceFamily.erdosRenyi(offline: 3, arrivals: 6, density: 0.7, pLow: 0.05, pHigh: 1, seed: UInt64(seed))
            let v = try ExactEvaluation.evaluate(a, on: x)
            #expect(abs(v.successes - v.totalLoad) <= 1e-12)
        }
    }

    @Test("Monte Carlo: successes − load has mean 0 within 4σ and matches the exact value within 4σ", arguments: integral.filter { $0 != .guPerturbed })
    func monteCarloAgainstExact(_ a: MatchingAlgorithm) throws {
        let x = try InstanceFamily.erdosRenyi(offline: 4, arrivals: 8, density: 0.6, pLow: 0.1, pHigh: 0.9, maxWeight: 3, seed: 21)
        let exact = try ExactEvaluation.evaluate(a, on: x)
        let mc = try MonteCarloEstimate.estimate(a, on: x, runs: 20_000, seed: 99)
        #expect(abs(mc.identityGap.mean) <= 4 * mc.identityGap.standardError)
        #expect(abs(mc.value.mean - exact.value) <= 4 * mc.value.standardError, "MC \(mc.value.mean) ± \(mc.value.standardError), exact \(exact.value)")
    }

    @Test("Monte Carlo with a coin per edge (common random numbers) matches the exact value within 4σ", arguments: integral.filter { $0 != .guPerturbed })
    func perEdgeCoinsAgainstExact(_ a: MatchingAlgorithm) throws {
        let x = try InstanceFamily.erdosRenyi(offline: 4, arrivals: 8, density: 0.6, pLow: 0.1, pHigh: 0.9, maxWeight: 3, seed: 21)
        let exact = try ExactEvaluation.evaluate(a, on: x)
        let mc = try MonteCarloEstimate.estimate(a, on: x, runs: 20_000, workloadSeed: 99, mechanismSeed: 7, coins: .perEdge)
        #expect(abs(mc.identityGap.mean) <= 4 * mc.identityGap.standardError)
        #expect(abs(mc.value.mean - exact.value) <= 4 * mc.value.standardError, "MC \(mc.value.mean) ± \(mc.value.standardError), exact \(exact.value)")
    }

    @Test("Per-edge coins: an edge's outcome does not depend on the algorithm, so two algorithms that try the same edges agree run by run")
    func perEdgeCoinsShared() throws {
        // One offline vertex: every rule tries arrival t's edge until a success, so the two
        // rules try the same edges and, with coins keyed by edge, must agree in every run.
        let x = try InstanceFamily.singleVertex(m: 5, p: 0.37)
        for seed in 0..<200 as Range<UInt64> {
            let g = try OnlineMatchingRun.run(MatchingAlgorithm.greedy, on: x, workloadSeed: seed, mechanismSeed: 1, coins: .perEdge)
            let b = try OnlineMatchingRun.run(MatchingAlgorithm.stochasticBalance, on: x, workloadSeed: seed, mechanismSeed: 2, coins: .perEdge)
            #expect(g.successes == b.successes)
        }
        // Sequential coins from one seed are unchanged by this option (the pinned draws).
        #expect(try OnlineMatchingRun.run(MatchingAlgorithm.greedy, on: x, seed: 5)
                == OnlineMatchingRun.run(MatchingAlgorithm.greedy, on: x, workloadSeed: 5, mechanismSeed: 5, coins: .sequential))
    }

    @Test("gu_perturbed: identity E[successes] = E[Σ load] within 4σ on a large instance")
    func perturbedIdentity() throws {
        let x = try InstanceFamily.powerLaw(offline: 30, arrivals: 300, degree: 4, exponent: 0.8, pLow: 0.02, pHigh: 0.5, seed: 8)
        for a in MatchingAlgorithm.allCases where !a.isFractional {
            let mc = try MonteCarloEstimate.estimate(a, on: x, runs: 400, seed: 5)
            #expect(abs(mc.identityGap.mean) <= 4 * mc.identityGap.standardError + 1e-12, "\(a)")
        }
    }

    @Test("tie-break: the lowest offline index wins (greedy on the trap picks u2, index 0)")
    func tieBreak() throws {
        let x = try InstanceFamily.greedyTrap()
        #expect(MatchingAlgorithm.greedy.choose(OnlineMatchingState(instance: x)) == .tryEdge(0))
        #expect(try ExactEvaluation.evaluate(MatchingAlgorithm.greedy, on: x).value == 1)
        #expect(try ExactEvaluation.evaluate(MatchingAlgorithm.stochasticBalance, on: x).value == 1)
    }

    @Test("rules follow their formulas: balance takes the least load, ψ-rule trades p against load")
    func formulas() throws {
        let x = try MatchingInstance(weights: [1, 1], arrivals: [[(0, 0.9), (1, 0.3)]])
        #expect(MatchingAlgorithm.stochasticBalance.choose(OnlineMatchingState(instance: x, available: [true, true], loads: [0.5, 0.2])) == .tryEdge(1))
        #expect(MatchingAlgorithm.greedy.choose(OnlineMatchingState(instance: x, available: [true, true], loads: [0.5, 0.2])) == .tryEdge(0))
        // 0.9·ψ(3) = 0.113 < 0.3·ψ(0) = 0.183: the ψ-rule prefers the fresh vertex.
        #expect(MatchingAlgorithm.psiBalance.choose(OnlineMatchingState(instance: x, available: [true, true], loads: [3, 0])) == .tryEdge(1))
        #expect(MatchingAlgorithm.psiBalance.choose(OnlineMatchingState(instance: x, available: [true, true], loads: [0, 0])) == .tryEdge(0))
        #expect(abs(MatchingAnalytic.psi(0.3) - (0.5228 + (0.4495 - 0.5228) * 0.2)) < 1e-15)
        #expect(abs(PriorityTables.psi(0.3) - MatchingAnalytic.psi(0.3)) < 1e-12)
        #expect(abs(PriorityTables.goyalUdwani(1.2345) - MatchingAnalytic.goyalUdwaniG(1.2345)) < 1e-8)
        #expect(abs(PriorityTables.goyalUdwani(80) - MatchingAnalytic.goyalUdwaniG(80)) < 1e-15)
    }

    @Test("Ranking exact = average over all permutations of the deterministic rule")
    func rankingEnumeration() throws {
        let x = try InstanceFamily.upperTriangular(n: 3)
        // UT n = 3: 13/6 (spec B.5: 2.16667).
        #expect(abs(try ExactEvaluation.evaluate(MatchingAlgorithm.ranking, on: x).value - 13.0 / 6) < 1e-12)
    }

    @Test("water-filling: fractional loads rise together and stop at 1")
    func waterFilling() throws {
        let x = try MatchingInstance(weights: [1, 1], arrivals: [[(0, 1), (1, 1)], [(0, 1), (1, 1)], [(0, 1)]])
        let r = try OnlineMatchingRun.run(MatchingAlgorithm.waterFilling, on: x, seed: 0)
        #expect(abs(r.value - 2) < 1e-12)
        let y = try MatchingInstance(weights: [1, 1], arrivals: [[(0, 0.5), (1, 0.25)]])
        // One unit of mass: level L with L/0.5 + L/0.25 = 1, so L = 1/6 on both.
        #expect(abs(try OnlineMatchingRun.run(MatchingAlgorithm.waterFilling, on: y, seed: 0).totalLoad - 2.0 / 6) < 1e-12)
    }

    @Test("too large for exact evaluation: an error naming the limit, fast")
    func exactLimits() throws {
        let clock = ContinuousClock()
        let start = clock.now
        #expect { try ExactEvaluation.evaluate(MatchingAlgorithm.greedy, on: InstanceFamily.erdosRenyi(offline: 30, arrivals: 200, density: 0.5, pLow: 0.3, pHigh: 0.6, seed: 1)) }
            throws: { ($0 as? ExperimentError)?.description.contains("\(ExactEvaluation.nodeLimit)") == true }
        #expect { try ExactEvaluation.evaluate(MatchingAlgorithm.ranking, on: InstanceFamily.upperTriangular(n: 12)) }
            throws: { ($0 as? ExperimentError)?.description.contains("limit 9") == true }
        #expect { try ExactEvaluation.evaluate(MatchingAlgorithm.guPerturbed, on: InstanceFamily.upperTriangular(n: 2)) } throws: { ($0 as? ExperimentError)?.isBeyondLimit == true }
        #expect(clock.now - start < .seconds(60))
    }
}
