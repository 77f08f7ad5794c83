import Foundation
import GavelCore
@testable import GavelMatching
import Testing

/// Issue 20 item 1: MWZ15's NonAdaptive (Alg. 2.1) and SemiAdaptive (Alg. 2.4 with the §6 updates),
/// from the primary text (Mehta, Waggoner, Zadimoghaddam, SODA 2015; spec stochastic_matching.md §B.7).
///
/// The oracle is this file's own reading of the paper in a different model: every edge is realised
/// up front (MWZ15 §2.4, "imagine the online arrival process as follows"), the algorithm probes
/// realisations, and a simulated probe reads the same realisation. The choices come from w_i(t)
/// recomputed from scratch at every arrival by the paper's closed forms (Eq. 6.7 and §6's sum for
/// wG), not by the incremental updates the code uses.
@Suite("MWZ15 NonAdaptive and SemiAdaptive from the primary text")
struct MWZ15Tests {
    /// Arrival t's first and second choices (offline vertices) given w, by (1 − w_i)·p_it, ties to
    /// the lowest index, score 0 never chosen.
    static func choices(_ edges: [(u: Int, p: Double)], _ w: [Double]) -> (Int?, Int?) {
        let ranked = edges.filter { (1 - w[$0.u]) * $0.p > 0 }
            .sorted { a, b in
                let sa = (1 - w[a.u]) * a.p, sb = (1 - w[b.u]) * b.p
                return sa != sb ? sa > sb : a.u < b.u
            }
        return (ranked.first?.u, ranked.dropFirst().first?.u)
    }

    /// w_i(t) for every t by the paper's closed forms, recomputed from the choices so far:
    /// wB_i = 1 − Π_{j: first j = i} (1 − p_ij);
    /// 1 − wG_{i'i} = 1 − wB_{i'}(t_k) + Σ_l [wB_{i'}(t_l) − wB_{i'}(t_{l−1})]·Π_{r ≥ l} (1 − p_{i j_r}) over the
    /// arrivals j_1..j_k with first i', second i (§6, the "arithmetic" proof);
    /// 1 − w_i = (1 − wB_i)·Π_{i'} (1 − wG_{i'i}) (Eq. 6.7).
    /// NonAdaptive: w_i = 1 − Π_{j: choice j = i} (1 − p_ij) (§2.1). Returns per-arrival choices and final w.
    static func plan(_ x: MatchingInstance, semi: Bool) -> (first: [Int?], second: [Int?], w: [Double]) {
        let m = x.offlineCount
        var first: [Int?] = [], second: [Int?] = []
        var wBHistory: [[Double]] = [Array(repeating: 0, count: m)]   // wB before arrival t (and after the last)
        func w(upTo t: Int) -> [Double] {
            var out = Array(repeating: 0.0, count: m)
            for i in 0..<m {
                var fail = 1.0
                for j in 0..<t where first[j] == i { fail *= 1 - x.edges(of: j).first { $0.u == i }!.p }
                if semi {
                    for i2 in 0..<m where i2 != i {
                        let js = (0..<t).filter { first[$0] == i2 && second[$0] == i }
                        guard let k = js.last else { continue }
                        var notG = 1 - wBHistory[k][i2]
                        for (l, jl) in js.enumerated() {
                            let before = l == 0 ? 0 : wBHistory[js[l - 1]][i2]
                            var tail = 1.0
                            for jr in js[l...] { tail *= 1 - x.edges(of: jr).first { $0.u == i }!.p }
                            notG += (wBHistory[jl][i2] - before) * tail
                        }
                        fail *= notG
                    }
                }
                out[i] = 1 - fail
            }
            return out
        }
        for t in 0..<x.arrivalCount {
            let c = choices(x.edges(of: t), w(upTo: t))
            first.append(c.0); second.append(semi ? c.1 : nil)
            var wB = wBHistory[t]
            if let u = c.0 { wB[u] += (1 - wB[u]) * x.edges(of: t).first { $0.u == u }!.p }
            wBHistory.append(wB)
        }
        // wBHistory[t] is wB at time t_t (before arrival t): the §6 sum uses wB_{i'}(t_{j_l}).
        return (first, second, w(upTo: x.arrivalCount))
    }

    /// The expected value by brute force over all 2^|E| edge realisations, running the algorithm
    /// literally: NonAdaptive probes its choice; SemiAdaptive probes 1 if unsuccessful, else reads
    /// (1, j)'s realisation into FirstSucc(1) if that is false, else probes 2 if unsuccessful.
    static func bruteForce(_ x: MatchingInstance, semi: Bool) -> Double {
        let p = plan(x, semi: semi)
        let edgeCount = x.edgeCount
        precondition(edgeCount <= 16)
        func edge(_ t: Int, _ u: Int) -> Int { (x.edgeStart[t]..<x.edgeStart[t + 1]).first { Int(x.edgeOffline[$0]) == u }! }
        var total = 0.0
        for mask in 0..<(1 << edgeCount) {
            var prob = 1.0
            for e in 0..<edgeCount { prob *= mask >> e & 1 == 1 ? x.edgeProbability[e] : 1 - x.edgeProbability[e] }
            guard prob > 0 else { continue }
            var succeeded = Array(repeating: false, count: x.offlineCount), firstSucc = succeeded
            for t in 0..<x.arrivalCount {
                guard let u1 = p.first[t] else { continue }
                let r1 = mask >> edge(t, u1) & 1 == 1
                if !semi {
                    if !succeeded[u1] && r1 { succeeded[u1] = true }
                } else if !succeeded[u1] {
                    if r1 { succeeded[u1] = true; firstSucc[u1] = true }
                } else if !firstSucc[u1] {
                    if r1 { firstSucc[u1] = true }
                } else if let u2 = p.second[t], !succeeded[u2], mask >> edge(t, u2) & 1 == 1 {
                    succeeded[u2] = true
                }
            }
            total += prob * zip(succeeded, x.weights).reduce(0) { $0 + ($1.0 ? $1.1 : 0) }
        }
        return total
    }

    static func smallInstances() throws -> [MatchingInstance] {
        try (0..<24).map { seed in
            try InstanceFamily.erdosRenyi(offline: 3, arrivals: 6, density: 0.6, pLow: 0.1, pHigh: 0.9, maxWeight: 2, seed: UInt64(seed))
        }.filter { $0.edgeCount <= 12 }
    }

    @Test("the choices and w_i(end) equal the paper's closed forms recomputed from scratch (Eq. 6.7, §6 sums)", arguments: [false, true])
    func planAgainstClosedForms(_ semi: Bool) throws {
        for x in try Self.smallInstances() + [try InstanceFamily.mp12Hard(n: 3, p: 0.25, seed: 2)] {
            let ours = semi ? MWZ15Plan.semiAdaptive(x) : MWZ15Plan.nonAdaptive(x)
            let oracle = Self.plan(x, semi: semi)
            #expect(ours.first.map { $0 < 0 ? nil : Int(x.edgeOffline[$0]) } == oracle.first)
            if semi { #expect(ours.second.map { $0 < 0 ? nil : Int(x.edgeOffline[$0]) } == oracle.second) }
            for (a, b) in zip(ours.successProbability, oracle.w) { #expect(abs(a - b) <= 1e-12) }
        }
    }

    @Test("exact evaluation = brute force over every edge realisation = Σ r_i·w_i(end) (w_i is exactly Pr[i succeeds])",
          arguments: [MatchingAlgorithm.nonAdaptive, .semiAdaptive])
    func exactAgainstBruteForce(_ a: MatchingAlgorithm) throws {
        var checked = 0
        for x in try Self.smallInstances() {
            let brute = Self.bruteForce(x, semi: a == .semiAdaptive)
            let exact = try ExactEvaluation.evaluate(a, on: x)
            let plan = a == .semiAdaptive ? MWZ15Plan.semiAdaptive(x) : MWZ15Plan.nonAdaptive(x)
            #expect(abs(exact.value - brute) <= 1e-12, "seed instance \(checked)")
            #expect(abs(plan.expectedValue(weights: x.weights) - brute) <= 1e-12)
            #expect(abs(exact.successes - plan.successProbability.reduce(0, +)) <= 1e-12)
            checked += 1
        }
        #expect(checked >= 10)
    }

    @Test("SemiAdaptive uses its second choice and its simulated probes: a hand case")
    func semiHandCase() throws {
        // u0, u1; arrivals: a (u0 .5, u1 .4), b (u1 .5), c (u0 .5, u1 .4).
        // a: first u0 (.5 > .4), second u1. w0 = .5, wB0 = .5, wG01 = .4·0 = 0.
        // b: only u1 (w1 = 0): w1 = .5, wB1 = .5.
        // c: scores u0 (1 − .5)·.5 = .25, u1 (1 − .5)·.4 = .2: first u0, second u1.
        //   u0 is matched only by a (first choice), so FirstSucc(u0) ⇔ u0 matched: c tries u0 if
        //   free (p .5), else tries u1 if free (p .4).
        // Value: E = P(u0) + P(u1). P(u0) = 1 − .5·.5 = .75. u1 succeeds on b (.5), or fails on b
        // and then c tries it (u0 matched by a, prob .5) and succeeds (.4): .5 + .5·.5·.4 = .6.
        // Total 1.35; §6: wG01 = .4·wB0(t_c) = .4·.5 = .2, 1 − w1 = (1 − .5)(1 − .2) = .4 → .6.
        let x = try MatchingInstance(weights: [1, 1], arrivals: [[(0, 0.5), (1, 0.4)], [(1, 0.5)], [(0, 0.5), (1, 0.4)]])
        #expect(abs(try ExactEvaluation.evaluate(MatchingAlgorithm.semiAdaptive, on: x).value - 1.35) <= 1e-15)
        let plan = MWZ15Plan.semiAdaptive(x)
        #expect(abs(plan.successProbability[0] - 0.75) <= 1e-15 && abs(plan.successProbability[1] - 0.6) <= 1e-15)
        // NonAdaptive on the same: a → u0, b → u1, c → u0 (.25 > .2): P(u0) = .75, P(u1) = .5.
        #expect(abs(try ExactEvaluation.evaluate(MatchingAlgorithm.nonAdaptive, on: x).value - 1.25) <= 1e-15)
    }

    @Test("SemiAdaptive's simulated probe: after a second choice takes u0, a first-choice arrival flips u0's coin instead of moving on")
    func simulatedProbeHandCase() throws {
        // t0 (u1 .8); t1 (u1 .9, u0 .1); t2 (u0 .5); t3 (u0 .5, u2 .2).
        // t1: scores u1 (1 − .8)·.9 = .18 > u0 .1: first u1, second u0. It tries u1 if free, else
        //     (u1 taken by t0, a first choice: FirstSucc) tries u0: u0 taken here with .8·.1 = .08.
        // t2: u0 alone. Free (.92): try, .46. Taken by t1's second choice: FirstSucc(u0) is false, so
        //     it simulates: heads (.5) sets FirstSucc(u0).
        // t3: w0 = .54, scores u0 .46·.5 = .23 > u2 .2: first u0, second u2. Free (.46): try u0, .23.
        //     Else u2 is tried only with FirstSucc(u0): .46 (t2 took u0) + .08·.5 (simulation) = .5.
        // P(u1) = .8 + .2·.9 = .98, P(u0) = .08 + .46 + .23 = .77, P(u2) = .5·.2 = .1: E = 1.85.
        // Moving on without the simulation would give P(u2) = .54·.2 = .108 (E = 1.858).
        let x = try MatchingInstance(weights: [1, 1, 1], arrivals: [
            [(1, 0.8)], [(0, 0.1), (1, 0.9)], [(0, 0.5)], [(0, 0.5), (2, 0.2)],
        ])
        #expect(abs(try ExactEvaluation.evaluate(MatchingAlgorithm.semiAdaptive, on: x).value - 1.85) <= 1e-14)
        #expect(abs(Self.bruteForce(x, semi: true) - 1.85) <= 1e-14)
        let w = MWZ15Plan.semiAdaptive(x).successProbability
        #expect(zip(w, [0.77, 0.98, 0.1]).allSatisfy { abs($0 - $1) <= 1e-14 })
        // Monte Carlo, per-edge coins, within 4σ.
        let mc = try MonteCarloEstimate.estimate(MatchingAlgorithm.semiAdaptive, on: x, runs: 40_000, workloadSeed: 5, mechanismSeed: 5, coins: .perEdge)
        #expect(abs(mc.value.mean - 1.85) <= 4 * mc.value.standardError)
    }

    @Test("a simulated try on an available vertex, or on another arrival's edge, is an error naming the algorithm and the arrival")
    func simulatedTryChecked() throws {
        struct Bad: OnlineMatchingAlgorithm {
            var name: String { "bad_sim" }
            var summary: String { "simulates on a free vertex" }
            func choose(_ state: OnlineMatchingState) -> MatchingChoice { .simulateTry(state.edges.lowerBound) }
        }
        let x = try MatchingInstance(weights: [1], arrivals: [[(0, 0.5)]])
        #expect { try OnlineMatchingRun.run(Bad(), on: x, seed: 1) } throws: { "\($0)".contains("bad_sim") && "\($0)".contains("still available") }
        #expect { try ExactEvaluation.evaluate(Bad(), on: x) } throws: { "\($0)".contains("bad_sim") && "\($0)".contains("still available") }
    }

    @Test("NonAdaptive on mp12_hard approaches S_n/n: |value/n − S_n/n| ≤ 0.2/m, shrinking tenfold per tenfold m (MP12 §6, MWZ15 Thm 3.1)",
          arguments: [2, 5, 10, 30])
    func nonAdaptiveOnHard(_ n: Int) throws {
        // Measured m·gap: 0.10 to 0.192 over n ≤ 30, m = 10 … 1000 (first order in p = 1/m: (1 − p)^k vs e^{−kp}).
        var gaps: [Double] = []
        for m in [10, 100, 1000] {
            let x = try InstanceFamily.mp12Hard(n: n, p: 1 / Double(m), seed: 1)
            let gap = MWZ15Plan.nonAdaptive(x).expectedValue(weights: x.weights) / Double(n) - MatchingAnalytic.mp12HardBound(n: n)
            #expect(abs(gap) <= 0.2 / Double(m), "n = \(n), m = \(m): gap \(gap)")
            gaps.append(abs(gap))
        }
        #expect(gaps[1] < gaps[0] / 5 && gaps[2] < gaps[1] / 5)
    }

    @Test("SemiAdaptive beats the non-adaptive bound on mp12_hard: value/n > S_n/n + 0.03 at p = 0.001 (adaptivity pays where NonAdaptive cannot)",
          arguments: [2, 5, 10, 30])
    func semiAdaptiveOnHard(_ n: Int) throws {
        let x = try InstanceFamily.mp12Hard(n: n, p: 0.001, seed: 1)
        let ratio = MWZ15Plan.semiAdaptive(x).expectedValue(weights: x.weights) / Double(n)
        #expect(ratio > MatchingAnalytic.mp12HardBound(n: n) + 0.03)
        #expect(ratio >= 0.5348)
    }

    @Test("on a large instance Monte Carlo agrees with Σ w_i within 4σ (mp12_hard n = 10, p = 0.01; a power-law graph)",
          arguments: [MatchingAlgorithm.nonAdaptive, .semiAdaptive])
    func monteCarloOnLarge(_ a: MatchingAlgorithm) throws {
        for x in [try InstanceFamily.mp12Hard(n: 10, p: 0.01, seed: 4),
                  try InstanceFamily.powerLaw(offline: 50, arrivals: 400, degree: 6, exponent: 1, pLow: 0.01, pHigh: 0.3, seed: 8)] {
            let plan = a == .semiAdaptive ? MWZ15Plan.semiAdaptive(x) : MWZ15Plan.nonAdaptive(x)
            let mc = try MonteCarloEstimate.estimate(a, on: x, runs: 3000, workloadSeed: 11, mechanismSeed: 11, coins: .perEdge)
            #expect(abs(mc.value.mean - plan.expectedValue(weights: x.weights)) <= 4 * mc.value.standardError)
        }
    }

    @Test("Monte Carlo makes an instance-only plan once: the estimate equals that of a wrapper that makes it every run, bit for bit",
          arguments: [MatchingAlgorithm.nonAdaptive, .semiAdaptive])
    func sharedDraws(_ a: MatchingAlgorithm) throws {
        struct EveryRun: OnlineMatchingAlgorithm {
            let base: MatchingAlgorithm
            var name: String { "every_run" }
            var summary: String { "draws every run" }
            func draws(for instance: MatchingInstance, using random: inout Xoshiro256StarStar) -> [Double] { base.draws(for: instance, using: &random) }
            func choose(_ state: OnlineMatchingState) -> MatchingChoice { base.choose(state) }
        }
        #expect(a.drawsDependOnlyOnInstance && !EveryRun(base: a).drawsDependOnlyOnInstance)
        let x = try InstanceFamily.mp12Hard(n: 4, p: 0.05, seed: 2)
        for coins in [SuccessCoins.sequential, .perEdge] {
            let once = try MonteCarloEstimate.estimate(a, on: x, runs: 300, workloadSeed: 8, mechanismSeed: 9, coins: coins)
            let every = try MonteCarloEstimate.estimate(EveryRun(base: a), on: x, runs: 300, workloadSeed: 8, mechanismSeed: 9, coins: coins)
            #expect(once.value.mean == every.value.mean && once.value.standardError == every.value.standardError)
        }
    }
}
