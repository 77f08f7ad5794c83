import Foundation
import GavelCore
import Testing
@testable import GavelAdAuctions

/// Issue 21: attraction weights over 28 orders of magnitude. Dinkelbach with VCG (W*_{−i} by
/// cycle cancelling from x* \ i) against brute force, which enumerates every allocation and
/// shares no code with it: once one weight was 1e12, VCG revenue came out 3.3333 instead of
/// 4.1111 (a start value that cancelled catastrophically, and a tolerance scaled by the
/// excluded row's weight, which certified anything).
@Suite("Extreme attraction weights: Dinkelbach + VCG against brute force")
struct ExtremeWeightTests {
    @Test("The issue's shape: one weight 1e12, 1e14, 1e16", arguments: [1e12, 1e14, 1e16])
    func oneHugeWeight(w: Double) throws {
        let a = try PositionAuction(model: .mnl(weights: AdMatrix([[w, 0.5], [0.5, 0.3], [0.8, 0.2]])), maxAds: 2)
        let bids = [3.0, 5, 1]
        let fast = try AdMechanism(rule: .dinkelbach, payment: .vcg).run(a, bids: bids)
        let exact = try AdMechanism(rule: .bruteForce, payment: .vcg).run(a, bids: bids)
        // Showing ad 0 alone at position 0: the others' best is ad 1 alone at position 0, 5·0.5/1.5.
        #expect(abs(exact.revenue - 5.0 / 3) < 1e-9)
        #expect(abs(fast.revenue - exact.revenue) <= 1e-9 * max(1, exact.revenue), "dinkelbach \(fast.revenue), brute force \(exact.revenue)")
    }

    /// Weights log-uniform on [1e−12, 1e16]; values U[0.5, 10]. The objective and each payment agree to
    /// 1e−9 relative to the largest value: the rounding of sums whose terms span the dynamic range.
    @Test("Random instances with weights from 1e-12 to 1e16", arguments: 0..<300)
    func randomExtreme(k: Int) throws {
        var s = Xoshiro256StarStar(seed: 21).stream(named: "extreme-\(k)")
        let n = 2 + s.nextInt(below: 4), m = 1 + s.nextInt(below: 3), K = 1 + s.nextInt(below: m)
        let rows = (0..<n).map { _ in (0..<m).map { _ in pow(10, -12 + 28 * s.nextUnitDouble()) } }
        let bids = (0..<n).map { _ in 0.5 + 9.5 * s.nextUnitDouble() }
        let a = try PositionAuction(model: .mnl(weights: AdMatrix(rows)), maxAds: K)
        let fast = try AdMechanism(rule: .dinkelbach, payment: .vcg).run(a, bids: bids)
        let exact = try AdMechanism(rule: .bruteForce, payment: .vcg).run(a, bids: bids)
        let scale = bids.max()!
        #expect(abs(fast.welfare - exact.welfare) <= 1e-9 * scale, "instance \(k): welfare \(fast.welfare) vs \(exact.welfare)")
        for i in 0..<n {
            #expect(abs(fast.paymentPerImpression[i] - exact.paymentPerImpression[i]) <= 1e-9 * scale,
                    "instance \(k), advertiser \(i): \(fast.paymentPerImpression[i]) vs \(exact.paymentPerImpression[i]) (\(rows))")
        }
    }
}

@Suite("Counting allocations")
struct MatchingCountTests {
    @Test("matchingCount equals the number of allocations enumerateMatchings visits", arguments: [(1, 1, 1), (3, 2, 2), (4, 3, 2), (5, 4, 4), (6, 3, 3), (2, 5, 2)])
    func countMatchesEnumeration(n: Int, m: Int, K: Int) {
        var visited = 0
        MNLOptimizer.enumerateMatchings(advertisers: n, positions: m, maxEdges: K) { _ in visited += 1 }
        #expect(MNLOptimizer.matchingCount(advertisers: n, positions: m, maxEdges: K) == visited)
    }

    @Test("matchingCount saturates instead of overflowing")
    func saturates() {
        #expect(MNLOptimizer.matchingCount(advertisers: 1000, positions: 1000, maxEdges: 1000) == .max)
    }
}

@Suite("Brute force only below a stated size by default")
struct DefaultBruteForceLimitTests {
    static func cascade(n: Int, m: Int, K: Int, mechanism: String?) -> String {
        let row = "[" + (0..<m).map { _ in "0.2" }.joined(separator: ", ") + "]"
        return "model: cascade\nvalues: [" + (0..<n).map { "\($0 + 1)" }.joined(separator: ", ") + "]\nmax_ads: \(K)\n"
            + "ctr:\n" + (0..<n).map { _ in "  - " + row }.joined(separator: "\n") + "\ncontinuation:\n"
            + (0..<n).map { _ in "  - " + row }.joined(separator: "\n") + "\n" + (mechanism.map { "mechanism: \($0)\n" } ?? "")
    }

    @Test("A 14 × 9 cascade with K = 3 (190,135 allocations) names no rule: refused at once, naming the count and the choices")
    func largeDefaultRefused() throws {
        #expect(MNLOptimizer.matchingCount(advertisers: 14, positions: 9, maxEdges: 3) == 190_135)
        #expect { _ = try AdInstanceFile.parse(text: Self.cascade(n: 14, m: 9, K: 3, mechanism: nil), file: "c.yaml") } throws: { error in
            let d = "\(error)"
            return d.hasPrefix("c.yaml:1:1: field 'mechanism'") && d.contains("190135 allocations") && d.contains("mechanism: brute_force")
        }
        // Naming a rule, or forcing brute force, is accepted.
        _ = try AdInstanceFile.parse(text: Self.cascade(n: 14, m: 9, K: 3, mechanism: "greedy"), file: "c.yaml")
        _ = try AdInstanceFile.parse(text: Self.cascade(n: 14, m: 9, K: 3, mechanism: "brute_force"), file: "c.yaml")
        // Small instances keep the exact default.
        let small = try AdInstanceFile.parse(text: Self.cascade(n: 6, m: 4, K: 3, mechanism: nil), file: "c.yaml")
        #expect(small.rule == .bruteForce)
    }
}

@Suite("Separable factors must describe the model's matrix")
struct SeparableFactorTests {
    static let text = "model: mnl\nvalues: [3, 5]\nweights:\n  - [0.4, 0.2]\n  - [0.8, 0.4]\nmax_ads: 1\n"

    @Test("alpha·beta equal to the weights is accepted; a contradiction names the entry")
    func factors() throws {
        _ = try AdInstanceFile.parse(text: Self.text + "alpha: [0.5, 1]\nbeta: [0.8, 0.4]\n", file: "s.yaml")
        #expect { _ = try AdInstanceFile.parse(text: Self.text + "alpha: [0.5, 1]\nbeta: [0.8, 0.5]\n", file: "s.yaml") } throws: { error in
            "\(error)".hasPrefix("s.yaml:7:") && "\(error)".contains("alpha[0]·beta[1] = 0.25 contradicts weights[0][1] = 0.2")
        }
    }
}
