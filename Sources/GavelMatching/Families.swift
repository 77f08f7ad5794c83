import GavelCore

/// The spec's named instance families (B.5) and random families, built by name and size.
public enum InstanceFamily {
    /// Upper-triangular (KVV90): arrival t (0-based) is adjacent to u_t..u_{n−1}, all with probability p.
    public static func upperTriangular(n: Int, p: Double = 1) throws -> MatchingInstance {
        try MatchingInstance(weights: Array(repeating: 1, count: n),
                             arrivals: (0..<n).map { t in (t..<n).map { ($0, p) } })
    }

    /// The 2×2 greedy trap with adversarial ties (spec B.5): offline index 0 is
    /// the vertex both arrivals see (greedy's lowest-index tie-break picks it
    /// first), index 1 is seen by the first arrival only. OPT = 2, greedy = 1.
    public static func greedyTrap() throws -> MatchingInstance {
        try MatchingInstance(weights: [1, 1], arrivals: [[(0, 1), (1, 1)], [(0, 1)]], offlineIDs: ["u2", "u1"])
    }

    /// One offline vertex, m arrivals each with probability p (GU fn. 6, MP12).
    public static func singleVertex(m: Int, p: Double) throws -> MatchingInstance {
        try MatchingInstance(weights: [1], arrivals: Array(repeating: [(0, p)], count: m))
    }

    /// K_{2,2n} with p = 1/n (MP12 §1).
    public static func k22n(n: Int) throws -> MatchingInstance {
        try MatchingInstance(weights: [1, 1], arrivals: Array(repeating: [(0, 1 / Double(n)), (1, 1 / Double(n))], count: 2 * n))
    }

    /// MP12's G_k: k offline vertices; batch i (i = 1..k) has m = 1/p arrivals adjacent to u_i..u_k.
    public static func mp12G(k: Int, m: Int) throws -> MatchingInstance {
        let p = 1 / Double(m)
        var arrivals: [[(u: Int, p: Double)]] = []
        for i in 0..<k { for _ in 0..<m { arrivals.append((i..<k).map { ($0, p) }) } }
        return try MatchingInstance(weights: Array(repeating: 1, count: k), arrivals: arrivals)
    }

    /// Decomposable probabilities p_uv = p_u·p_v on a random bipartite graph (GU Thm 1's setting):
    /// edge present with probability `density`, p_u ~ U[lo, hi], p_v ~ U[lo, hi], from stream "instance".
    public static func decomposable(offline: Int, arrivals: Int, density: Double, lo: Double, hi: Double, seed: UInt64) throws -> MatchingInstance {
        var r = Xoshiro256StarStar(seed: seed).stream(named: "instance")
        let pu = (0..<offline).map { _ in lo + (hi - lo) * r.nextUnitDouble() }
        var list: [[(u: Int, p: Double)]] = []
        for _ in 0..<arrivals {
            let pv = lo + (hi - lo) * r.nextUnitDouble()
            list.append((0..<offline).compactMap { u in r.nextUnitDouble() < density ? (u, pu[u] * pv) : nil })
        }
        return try MatchingInstance(weights: Array(repeating: 1, count: offline), arrivals: list)
    }

    /// Erdős–Rényi bipartite graph: each edge present with probability `density`,
    /// p_uv ~ U[pLow, pHigh], weights 1 or U[1, maxWeight]. Drawn from stream "instance".
    public static func erdosRenyi(offline: Int, arrivals: Int, density: Double, pLow: Double, pHigh: Double,
                                  maxWeight: Double = 1, seed: UInt64) throws -> MatchingInstance {
        var r = Xoshiro256StarStar(seed: seed).stream(named: "instance")
        let w = (0..<offline).map { _ in maxWeight > 1 ? 1 + (maxWeight - 1) * r.nextUnitDouble() : 1 }
        let list: [[(u: Int, p: Double)]] = (0..<arrivals).map { _ in
            (0..<offline).compactMap { u in r.nextUnitDouble() < density ? (u, pLow + (pHigh - pLow) * r.nextUnitDouble()) : nil }
        }
        return try MatchingInstance(weights: w, arrivals: list)
    }

    /// Power-law degrees: offline vertex u has popularity (u+1)^(−exponent);
    /// each arrival draws `degree` distinct neighbours proportionally to popularity
    /// (by rejection), p_uv ~ U[pLow, pHigh]. Drawn from stream "instance".
    public static func powerLaw(offline: Int, arrivals: Int, degree: Int, exponent: Double, pLow: Double, pHigh: Double,
                                seed: UInt64) throws -> MatchingInstance {
        precondition(degree <= offline, "degree \(degree) exceeds offline count \(offline)")
        var r = Xoshiro256StarStar(seed: seed).stream(named: "instance")
        let pop = (0..<offline).map { 1 / pow(Double($0 + 1), exponent) }
        let cat = try CategoricalDistribution(weights: pop)
        let list: [[(u: Int, p: Double)]] = (0..<arrivals).map { _ in
            var chosen: [Int] = []
            while chosen.count < degree {
                let u = cat.sample(using: &r)
                if !chosen.contains(u) { chosen.append(u) }
            }
            return chosen.map { ($0, pLow + (pHigh - pLow) * r.nextUnitDouble()) }
        }
        return try MatchingInstance(weights: Array(repeating: 1, count: offline), arrivals: list)
    }

    /// Degree-d random graph for the throughput benchmark: arrival t picks d distinct
    /// offline vertices uniformly, p ~ U[pLow, pHigh].
    public static func regularRandom(offline: Int, arrivals: Int, degree: Int, pLow: Double, pHigh: Double, seed: UInt64) throws -> MatchingInstance {
        var r = Xoshiro256StarStar(seed: seed).stream(named: "instance")
        var list: [[(u: Int, p: Double)]] = []
        list.reserveCapacity(arrivals)
        for _ in 0..<arrivals {
            var chosen: [(u: Int, p: Double)] = []
            while chosen.count < degree {
                let u = r.nextInt(below: offline)
                if !chosen.contains(where: { $0.u == u }) { chosen.append((u, pLow + (pHigh - pLow) * r.nextUnitDouble())) }
            }
            list.append(chosen)
        }
        return try MatchingInstance(weights: Array(repeating: 1, count: offline), arrivals: list)
    }
}

import Foundation
