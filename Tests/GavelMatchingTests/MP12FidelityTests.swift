import Foundation
import GavelCore
@testable import GavelMatching
import Testing

/// Issue 20: MP12 §6's hard distribution (`mp12_hard`, bound S_n/n) and MP12's rule for unequal
/// probabilities (`mp12_exponential`), from the primary text (spec stochastic_matching.md §B.7).
@Suite("MP12 from the primary text: hard distribution and the exponential rule")
struct MP12FidelityTests {
    // MARK: mp12_hard

    @Test("mp12_hard: groups of 1/p arrivals, nested neighbourhoods of sizes n, n−1, …, 1 along a permutation of U")
    func hardStructure() throws {
        let n = 6, p = 0.25
        let x = try InstanceFamily.mp12Hard(n: n, p: p, seed: 3)
        #expect(x.offlineCount == n && x.arrivalCount == n * 4)
        var sets: [[Int]] = []
        for t in 0..<x.arrivalCount {
            let edges = x.edgeStart[t]..<x.edgeStart[t + 1]
            let us = edges.map { Int(x.edgeOffline[$0]) }
            #expect(us == us.sorted(), "edges listed in offline-index order")
            #expect(edges.allSatisfy { x.edgeProbability[$0] == p })
            if t % 4 == 0 { sets.append(us) } else { #expect(us == sets.last!, "a group's arrivals share one neighbourhood") }
        }
        // Group i sees n − i vertices and contains group i + 1's; the vertex it alone sees is π(i).
        var order: [Int] = []
        for i in 0..<n {
            #expect(sets[i].count == n - i)
            let next = i + 1 < n ? Set(sets[i + 1]) : []
            #expect(next.isSubset(of: Set(sets[i])))
            order.append(contentsOf: sets[i].filter { !next.contains($0) })
        }
        #expect(order.sorted() == Array(0..<n), "the removed vertices form a permutation of U")
    }

    @Test("mp12_hard: the order is random (seeded): same seed same instance, and the seeds 0..<20 give several orders")
    func hardSeeded() throws {
        #expect(try InstanceFamily.mp12Hard(n: 5, p: 0.5, seed: 9) == InstanceFamily.mp12Hard(n: 5, p: 0.5, seed: 9))
        let firsts = try (0..<20 as Range<UInt64>).map { s -> [Int] in
            let x = try InstanceFamily.mp12Hard(n: 5, p: 0.5, seed: s)
            // the last group's single neighbour is π(n − 1)
            let t = x.arrivalCount - 1
            return (x.edgeStart[t]..<x.edgeStart[t + 1]).map { Int(x.edgeOffline[$0]) }
        }
        #expect(Set(firsts.map { $0[0] }).count > 1)
    }

    @Test("mp12_hard: n < 1, p outside (0, 1] or 1/p not whole is an error naming the field")
    func hardBadInput() throws {
        #expect { try InstanceFamily.mp12Hard(n: 0, p: 0.5, seed: 1) } throws: { "\($0)".contains("n = 0") }
        for bad in [0.0, -0.5, 1.5, .nan, .infinity] {
            #expect { try InstanceFamily.mp12Hard(n: 3, p: bad, seed: 1) } throws: { "\($0)".contains("p = ") && "\($0)".contains("(0, 1]") }
        }
        #expect { try InstanceFamily.mp12Hard(n: 3, p: 0.3, seed: 1) } throws: {
            "\($0)".contains("not a whole number") && "\($0)".contains("p = 1/3") && "\($0)".contains("p = 1/4")
        }
        #expect(try InstanceFamily.mp12Hard(n: 2, p: 1, seed: 1).arrivalCount == 2)
        #expect(try InstanceFamily.mp12Hard(n: 2, p: 0.1, seed: 1).arrivalCount == 20)   // 1/0.1 = 10.000000000000002
    }

    @Test("scenario spec: family mp12_hard needs n and p; bad n or p is a decoding error at that key")
    func hardScenarioSpec() throws {
        func decode(_ json: String) throws -> InstanceSpec { try JSONDecoder().decode(InstanceSpec.self, from: Data(json.utf8)) }
        let spec = try decode(#"{"family": "mp12_hard", "n": 4, "p": 0.5, "seed": 7}"#)
        #expect(spec.label == "mp12_hard_n4_p0.5_s7")
        #expect(try spec.build() == InstanceFamily.mp12Hard(n: 4, p: 0.5, seed: 7))
        #expect(try decode(#"{"family": "mp12_hard", "n": 4, "p": 0.5}"#).label == "mp12_hard_n4_p0.5")
        #expect { try decode(#"{"family": "mp12_hard", "n": 4}"#) } throws: { "\($0)".contains("needs 'p'") }
        #expect { try decode(#"{"family": "mp12_hard", "p": 0.5}"#) } throws: { "\($0)".contains("needs 'n'") }
        func failsAt(_ json: String, _ key: String) -> Bool {
            do { _ = try decode(json); return false } catch let DecodingError.dataCorrupted(ctx) {
                return ctx.codingPath.last?.stringValue == key
            } catch { return false }
        }
        #expect(failsAt(#"{"family": "mp12_hard", "n": 0, "p": 0.5}"#, "n"))
        #expect(failsAt(#"{"family": "mp12_hard", "n": 3, "p": 0}"#, "p"))
        #expect(failsAt(#"{"family": "mp12_hard", "n": 3, "p": 1.5}"#, "p"))
        #expect(failsAt(#"{"family": "mp12_hard", "n": 3, "p": 0.3}"#, "p"))
    }

    // MARK: S_n / n

    @Test("S_n/n: 1 − 1/e at n = 1 (one vertex, load 1), 0.585170 at n = 2 (MP12 §6, 6 printed decimals)")
    func hardBoundPublished() {
        #expect(abs(MatchingAnalytic.mp12HardBound(n: 1) - (1 - 1 / M_E)) < 1e-15)
        // n = 2 by hand: loads 1/2 and 1/2 + 1 → (2 − e^{−1/2} − e^{−3/2}) / 2.
        #expect(abs(MatchingAnalytic.mp12HardBound(n: 2) - (2 - exp(-0.5) - exp(-1.5)) / 2) < 1e-15)
        #expect(abs(MatchingAnalytic.mp12HardBound(n: 2) - 0.585170) <= 5e-7)
    }

    @Test("S_n/n tends to 1/2 from above: e^{−(H_n − H_k)} ≈ (k + ½)/(n + ½) gives S_n/n ≈ 1/2 + 1/(4n), so 1/2 < S_n/n < 1/2 + 1/n")
    func hardBoundLimit() {
        var previous = 1.0
        for n in [3, 10, 100, 1000, 10_000, 100_000] {
            let b = MatchingAnalytic.mp12HardBound(n: n)
            #expect(b > 0.5 && b < 0.5 + 1 / Double(n), "n = \(n): \(b)")
            #expect(b < previous, "decreasing in n")
            previous = b
        }
    }

    @Test("mp12_hard: the even-spread non-adaptive assignment on the built instance has value → S_n (|gap| ≤ 1/m)")
    func hardEvenSpread() throws {
        // Non-adaptive: every arrival is assigned in advance (here: each group cycles through its own neighbour
        // list), outcomes unseen; u succeeds unless all T_u tries fail, so E = Σ_u 1 − (1 − p)^{T_u}. With m a
        // multiple of n − i each vertex gets m/(n − i) tries from group i, and (1 − 1/m)^T = e^{−T/m}(1 + O(T/m²)):
        // the value tends to S_n with a gap below 1/m (T/m ≤ H_n ≤ 2 here).
        for n in [2, 3, 4] {
            for m in [12, 120, 1200] {
                let x = try InstanceFamily.mp12Hard(n: n, p: 1 / Double(m), seed: UInt64(n))
                var tries = Array(repeating: 0, count: n)
                var cursor = 0, groupSize = -1
                for t in 0..<x.arrivalCount {
                    let edges = Array(x.edgeStart[t]..<x.edgeStart[t + 1])
                    if edges.count != groupSize { groupSize = edges.count; cursor = 0 }
                    tries[Int(x.edgeOffline[edges[cursor % edges.count]])] += 1
                    cursor += 1
                }
                let value = tries.reduce(0.0) { $0 + 1 - pow(1 - 1 / Double(m), Double($1)) }
                let bound = MatchingAnalytic.mp12HardBound(n: n) * Double(n)
                #expect(abs(value - bound) <= 1 / Double(m), "n = \(n), m = \(m): \(value) vs S_n = \(bound)")
            }
        }
    }

    // MARK: mp12_exponential

    @Test("mp12_exponential, exact by hand: u0 (p .5) then u1 (p .4) after u0 fails (.5·e^{−.5} = .303 < .4): value .9; greedy .95")
    func exponentialByHand() throws {
        let x = try MatchingInstance(weights: [1, 1], arrivals: [[(0, 0.5), (1, 0.4)], [(0, 0.5), (1, 0.4)]])
        // Arrival 1 tries u0 (.5 > .4). Success (.5): arrival 2 tries u1, value 1 + .4. Failure (.5): ℓ0 = .5,
        // .5·e^{−.5} < .4, so arrival 2 tries u1: value .4. E = .5·1.4 + .5·.4 = .9 (greedy retries u0: .95).
        #expect(abs(try ExactEvaluation.evaluate(MatchingAlgorithm.mp12Exponential, on: x).value - 0.9) < 1e-15)
        #expect(abs(try ExactEvaluation.evaluate(MatchingAlgorithm.greedy, on: x).value - 0.95) < 1e-15)
        // Unweighted as in MP12: weights [1, 10] do not move the first choice (greedy's w·p would pick u1).
        let w = try MatchingInstance(weights: [1, 10], arrivals: [[(0, 0.5), (1, 0.4)]])
        #expect(abs(try ExactEvaluation.evaluate(MatchingAlgorithm.mp12Exponential, on: w).value - 0.5) < 1e-15)
        #expect(abs(try ExactEvaluation.evaluate(MatchingAlgorithm.greedy, on: w).value - 4) < 1e-15)
    }

    @Test("mp12_exponential with equal p is Stochastic Balance (argmax p·e^{−ℓ} = argmin ℓ, same tie-break): exact values agree")
    func exponentialEqualP() throws {
        for x in [try InstanceFamily.mp12G(k: 3, m: 4), try InstanceFamily.k22n(n: 3), try InstanceFamily.mp12Hard(n: 3, p: 0.5, seed: 2),
                  try InstanceFamily.zGraph(alpha: 0.5, n: 2, m: 2)] {
            #expect(try ExactEvaluation.evaluate(MatchingAlgorithm.mp12Exponential, on: x) == ExactEvaluation.evaluate(MatchingAlgorithm.stochasticBalance, on: x))
        }
    }

    // MARK: round-robin on G_k (issue 20 item 2)

    /// MP12's Stochastic Balance on G_k "assigns vertices in V in round-robin fashion": arrival t goes to the
    /// first available neighbour after the last vertex tried (cyclic in index order), loads not consulted.
    /// Exact value by brute force over the outcome tree, written here independently of `PriorityRule`.
    static func roundRobinExact(_ x: MatchingInstance) -> Double {
        var available = Array(repeating: true, count: x.offlineCount)
        func go(_ t: Int, _ last: Int?) -> Double {
            guard t < x.arrivalCount else { return 0 }
            let edges = Array(x.edgeStart[t]..<x.edgeStart[t + 1]).filter { available[Int(x.edgeOffline[$0])] && x.edgeProbability[$0] > 0 }
            guard let first = edges.first else { return go(t + 1, last) }
            let e = last.flatMap { l in edges.first { Int(x.edgeOffline[$0]) > l } } ?? first
            let u = Int(x.edgeOffline[e]), p = x.edgeProbability[e]
            let fail = go(t + 1, u)
            available[u] = false
            let win = go(t + 1, u)
            available[u] = true
            return p * (x.weights[u] + win) + (1 - p) * fail
        }
        return go(0, nil)
    }

    @Test("G_k: MP12's round-robin assignment and least-load SB with lowest-index ties have the same exact value (k ≤ 5, m ≤ 8)")
    func roundRobinOnGk() throws {
        for (k, m) in [(2, 3), (2, 8), (3, 2), (3, 3), (3, 5), (4, 3), (5, 3)] {
            let x = try InstanceFamily.mp12G(k: k, m: m)
            let sb = try ExactEvaluation.evaluate(MatchingAlgorithm.stochasticBalance, on: x).value
            #expect(abs(sb - Self.roundRobinExact(x)) < 1e-12, "G_\(k), m = \(m)")
        }
        // The two rules are not the same rule: off G_k they part. Arrivals u1 (p .5), u0 (p .5), then {u0 .9, u1 .1}:
        // round-robin tries u1 after u0 (if u1 is still open), SB the least load (tie .5/.5 → u0). By hand:
        // RR 1 + .5·.1 + .5·.5·.9 = 1.275; SB 1 + .5·.9 + .5·.5·.1 = 1.475.
        let apart = try MatchingInstance(weights: [1, 1], arrivals: [[(1, 0.5)], [(0, 0.5)], [(0, 0.9), (1, 0.1)]])
        #expect(abs(Self.roundRobinExact(apart) - 1.275) < 1e-12)
        #expect(abs(try ExactEvaluation.evaluate(MatchingAlgorithm.stochasticBalance, on: apart).value - 1.475) < 1e-12)
        // Two values from a separate Python brute force of the same three rules (least load with lowest-index
        // ties, least load with a cyclic pointer among ties, pure round-robin), which agreed to the last digit.
        #expect(abs(try ExactEvaluation.evaluate(MatchingAlgorithm.stochasticBalance, on: InstanceFamily.mp12G(k: 3, m: 3)).value - 1.9724127419600674) < 1e-12)
        #expect(abs(try ExactEvaluation.evaluate(MatchingAlgorithm.stochasticBalance, on: InstanceFamily.mp12G(k: 2, m: 8)).value - 1.2745091384146114) < 1e-12)
    }

    @Test("stochastic_balance_round_robin: on G_k equal to the brute-force round-robin and the DP; off G_k it follows the cyclic pointer (hand cases)")
    func roundRobinAlgorithm() throws {
        let rr = MatchingAlgorithm.stochasticBalanceRoundRobin
        for (k, m) in [(2, 3), (2, 8), (3, 3), (4, 3), (5, 3)] {
            let x = try InstanceFamily.mp12G(k: k, m: m)
            let v = try ExactEvaluation.evaluate(rr, on: x).value
            #expect(abs(v - Self.roundRobinExact(x)) < 1e-12 && abs(v - MatchingAnalytic.mp12GRoundRobinValue(k: k, m: m)) < 1e-12, "G_\(k), m = \(m)")
        }
        // The case above where pure round-robin and lowest-index SB part: the tie .5/.5 at the third arrival goes
        // to u1, after u0 was tried last: 1.275, as round-robin.
        let apart = try MatchingInstance(weights: [1, 1], arrivals: [[(1, 0.5)], [(0, 0.5)], [(0, 0.9), (1, 0.1)]])
        #expect(abs(try ExactEvaluation.evaluate(rr, on: apart).value - 1.275) < 1e-12)
        // Weights make the tie-break visible in one step: t0 {u1, u2} tries u1 (both load 0, from index 0 on: u1);
        // t1 {u0, u2}, loads 0 and 0: lowest index takes u0 (weight 1), round-robin after u1 takes u2 (weight 2).
        // SB: .5·1 + .5·1 = 1.0; round-robin: .5·1 + .5·2 = 1.5.
        let weighted = try MatchingInstance(weights: [1, 1, 2], arrivals: [[(1, 0.5), (2, 0.5)], [(0, 0.5), (2, 0.5)]])
        #expect(abs(try ExactEvaluation.evaluate(rr, on: weighted).value - 1.5) < 1e-15)
        #expect(abs(try ExactEvaluation.evaluate(MatchingAlgorithm.stochasticBalance, on: weighted).value - 1.0) < 1e-15)
        let mc = try MonteCarloEstimate.estimate(rr, on: weighted, runs: 20_000, seed: 3)
        #expect(abs(mc.value.mean - 1.5) <= 4 * mc.value.standardError)
    }

    @Test("G_k round-robin DP (state: unsuccessful set, last tried) equals the outcome-tree SB value on small G_k")
    func roundRobinDP() throws {
        for (k, m) in [(1, 4), (2, 3), (2, 8), (3, 2), (3, 3), (3, 5), (4, 3), (5, 3)] {
            let tree = try ExactEvaluation.evaluate(MatchingAlgorithm.stochasticBalance, on: InstanceFamily.mp12G(k: k, m: m)).value
            #expect(abs(MatchingAnalytic.mp12GRoundRobinValue(k: k, m: m) - tree) < 1e-12, "G_\(k), m = \(m)")
        }
        // G_1 is one vertex with m tries: 1 − (1 − 1/m)^m.
        #expect(abs(MatchingAnalytic.mp12GRoundRobinValue(k: 1, m: 50) - (1 - pow(1 - 1 / 50.0, 50))) < 1e-14)
    }

    @Test("G_2 and G_3: SB/OPT converges to MP12's limits at first order: the error falls 10× per decade of m (ratio in [9, 11])")
    func gkConvergence() {
        for (k, limit) in [(2, MatchingAnalytic.mp12G2Limit), (3, MatchingAnalytic.mp12G3Bound)] {
            let errors = [100, 1000, 10_000].map { MatchingAnalytic.mp12GRoundRobinValue(k: k, m: $0) / Double(k) - limit }
            #expect(errors.allSatisfy { $0 > 0 }, "G_\(k): approaches from above, \(errors)")
            for (a, b) in zip(errors, errors.dropFirst()) { #expect(a / b >= 9 && a / b <= 11, "G_\(k): \(errors)") }
        }
    }
}
