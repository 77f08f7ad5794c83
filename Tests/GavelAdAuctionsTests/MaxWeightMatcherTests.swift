import GavelCore
@testable import GavelAdAuctions
import Testing

@Suite("Max-weight matching of at most K edges: shortest paths and cycle cancelling")
struct MaxWeightMatcherTests {
    /// A random gain matrix: n ≤ 7 rows, m ≤ 6 columns, K ≤ m; about a quarter of the entries ≤ 0
    /// (not edges unless matched), a few exactly equal (ties).
    static func instance(_ k: Int) -> (gain: [Double], rows: Int, columns: Int, maxEdges: Int) {
        var s = Random.stream("matching", k)
        let n = 1 + Int(s.nextUnitDouble() * 7), m = 1 + Int(s.nextUnitDouble() * 6)
        let K = 1 + Int(s.nextUnitDouble() * Double(m))
        let gain = (0..<(n * m)).map { _ -> Double in
            let u = s.nextUnitDouble()
            return u < 0.25 ? -u : u < 0.3 ? 1 : 4 * s.nextUnitDouble()
        }
        return (gain, n, m, K)
    }

    /// Brute force over every matching of at most K edges with g > 0.
    static func heaviest(_ g: [Double], _ n: Int, _ m: Int, _ K: Int) -> Double {
        var best = 0.0
        MNLOptimizer.enumerateMatchings(advertisers: n, positions: m, maxEdges: K) { slots in
            guard slots.allSatisfy({ g[$0.advertiser * m + $0.position] > 0 }) else { return }
            best = max(best, slots.reduce(0) { $0 + g[$1.advertiser * m + $1.position] })
        }
        return best
    }

    static func weight(_ matcher: MaxWeightMatcher, _ g: [Double], _ n: Int, _ m: Int) -> (Double, Int)? {
        var total = 0.0, edges = 0, used = Set<Int>()
        for i in 0..<n where matcher.column(ofRow: i) >= 0 {
            let j = matcher.column(ofRow: i)
            guard matcher.row(ofColumn: j) == i, used.insert(j).inserted else { return nil }
            total += g[i * m + j]; edges += 1
        }
        return (total, edges)
    }

    @Test("shortest paths reach the brute-force optimum (2,000 instances, 1e-12)")
    func shortestPathsAreExact() {
        let matcher = MaxWeightMatcher()
        for k in 0..<2000 {
            let (g, n, m, K) = Self.instance(k)
            let total = g.withUnsafeBufferPointer { matcher.solve(gain: $0, rows: n, columns: m, maxEdges: K) }
            let read = Self.weight(matcher, g, n, m)
            #expect(read != nil && read!.1 <= K, "instance \(k)")
            #expect(close(total, Self.heaviest(g, n, m, K), 1e-12) && close(read?.0 ?? .nan, total, 1e-12), "instance \(k)")
        }
    }

    /// Cycle cancelling from a random valid matching: every `.improved` step keeps a valid matching
    /// of ≤ K edges and raises Σ g, and `.optimal` is reached exactly at the optimum; on the
    /// optimum of `solve` it answers `.optimal` at once; from there, with rows scaled (some scales
    /// negative, as Dinkelbach's margins c_i − λ are), it ends at the scaled gains' optimum.
    @Test("cycle cancelling from random matchings ends at the optimum, rising at every step (2,000 instances)")
    func cycleCancellingIsExact() {
        let matcher = MaxWeightMatcher()
        var steps = 0
        for k in 0..<2000 {
            let (g, n, m, K) = Self.instance(k)
            let optimum = Self.heaviest(g, n, m, K)
            var s = Random.stream("matching-start", k)
            var columnOf = [Int](repeating: -1, count: n), free = Array(0..<m), edges = 0
            for i in 0..<n where edges < K && !free.isEmpty && s.nextUnitDouble() < 0.6 {
                columnOf[i] = free.remove(at: Int(s.nextUnitDouble() * Double(free.count))); edges += 1
            }
            matcher.setMatching(rows: n, columns: m) { columnOf[$0] }
            var current = Self.weight(matcher, g, n, m)!.0
            let ones = [Double](repeating: 1, count: n)
            var outcome = MaxWeightMatcher.Improvement.improved
            for _ in 0..<100 where outcome == .improved {
                outcome = matcher.improve(weights: g, rowScale: ones, rows: n, columns: m, maxEdges: K, tolerance: 1e-12)
                guard let (next, count) = Self.weight(matcher, g, n, m) else { Issue.record("instance \(k): invalid matching"); break }
                #expect(count <= K, "instance \(k)")
                if outcome == .improved { #expect(next > current + 1e-12, "instance \(k)"); steps += 1 } else { #expect(next == current) }
                current = next
            }
            #expect(outcome == .optimal, "instance \(k)")
            #expect(close(current, optimum, 1e-12), "instance \(k): \(current) vs \(optimum)")
            _ = g.withUnsafeBufferPointer { matcher.solve(gain: $0, rows: n, columns: m, maxEdges: K) }
            #expect(matcher.improve(weights: g, rowScale: ones, rows: n, columns: m, maxEdges: K, tolerance: 1e-12) == .optimal, "instance \(k)")
            // Row scales: improving s_i·g_ij from the optimum of g reaches the optimum of the scaled gains.
            let scale = (0..<n).map { _ in 2 * s.nextUnitDouble() - 0.5 }
            let scaled = (0..<(n * m)).map { scale[$0 / m] * g[$0] }
            var last = MaxWeightMatcher.Improvement.improved, rounds = 0
            while last == .improved && rounds < 100 { last = matcher.improve(weights: g, rowScale: scale, rows: n, columns: m, maxEdges: K, tolerance: 1e-12); rounds += 1 }
            #expect(last == .optimal, "instance \(k), scaled")
            #expect(close(Self.weight(matcher, scaled, n, m)?.0 ?? .nan, Self.heaviest(scaled, n, m, K), 1e-12), "instance \(k), scaled: \(last) after \(rounds), n \(n) m \(m) K \(K)")
        }
        #expect(steps > 2000)   // the starts are mostly not optimal: the test exercises improvements
    }
}
