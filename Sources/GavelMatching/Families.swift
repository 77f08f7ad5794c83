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

    /// MP12 §6's hard distribution for non-adaptive algorithms: the n offline vertices are put in a uniformly
    /// random order π (Fisher–Yates from the last position down, stream "instance" of `seed`); group i
    /// (i = 0..<n) has 1/p arrivals, each adjacent with probability p to π(i), …, π(n−1) (listed in
    /// offline-index order). StdLP = n (group i loads π(i) to 1). MP12 §6 shows no non-adaptive
    /// algorithm beats S_n/n against it (`MatchingAnalytic.mp12HardBound`).
    /// - Throws: `InputError` unless n ≥ 1, 0 < p ≤ 1 and 1/p is a whole number (within 1e-9;
    ///   never rounded: the message names the two nearest valid p).
    public static func mp12Hard(n: Int, p: Double, seed: UInt64) throws -> MatchingInstance {
        let m = try mp12HardGroupSize(n: n, p: p)
        var r = Xoshiro256StarStar(seed: seed).stream(named: "instance")
        var order = Array(0..<n)
        if n > 1 { for i in stride(from: n - 1, to: 0, by: -1) { order.swapAt(i, r.nextInt(below: i + 1)) } }
        var arrivals: [[(u: Int, p: Double)]] = []
        arrivals.reserveCapacity(n * m)
        for i in 0..<n {
            let group = order[i...].sorted().map { (u: $0, p: p) }
            for _ in 0..<m { arrivals.append(group) }
        }
        return try MatchingInstance(weights: Array(repeating: 1, count: n), arrivals: arrivals)
    }

    /// The group size 1/p of `mp12Hard`, validated (see there).
    public static func mp12HardGroupSize(n: Int, p: Double) throws -> Int {
        guard n >= 1 else { throw InputError("mp12_hard: n = \(n) (expected an integer ≥ 1)") }
        guard p.isFinite, p > 0, p <= 1 else { throw InputError("mp12_hard: p = \(p) (expected a probability in (0, 1])") }
        let size = 1 / p, whole = size.rounded()
        guard abs(size - whole) <= 1e-9 * max(1, size) else {
            let lo = max(1, size.rounded(.down)), hi = size.rounded(.up)
            throw InputError("mp12_hard: 1/p = 1/\(p) = \(size) is not a whole number (each group has 1/p arrivals; it is not rounded): "
                + "use p = 1/\(Int(lo)) = \(1 / lo) or p = 1/\(Int(hi)) = \(1 / hi)")
        }
        return Int(whole)
    }

    /// MP12 Thm 2's z-graph (construction partly reconstructed, docs/matching.md): U1 has αn vertices
    /// (offline indices 0..<αn), U2 has n (indices αn..<αn + n), every p = 1/m. First the V1 batches
    /// i = 1..αn, each m arrivals adjacent to U1^i and all of U2; then the V2 batches i = 1..n, each m
    /// arrivals adjacent to U2^i only. StdLP = αn + n (each batch loads its own vertex to 1).
    /// - Throws: `InputError` unless α > 0 is finite, n, m ≥ 1 and α·n is a whole number
    ///   (within 1e-9; it is never rounded: the message names the two nearest valid α).
    public static func zGraph(alpha: Double, n: Int, m: Int) throws -> MatchingInstance {
        let u1 = try zGraphU1(alpha: alpha, n: n, m: m)
        let p = 1 / Double(m)
        var arrivals: [[(u: Int, p: Double)]] = []
        arrivals.reserveCapacity((u1 + n) * m)
        let allU2 = (u1..<(u1 + n)).map { (u: $0, p: p) }
        for i in 0..<u1 { for _ in 0..<m { arrivals.append([(u: i, p: p)] + allU2) } }
        for i in 0..<n { for _ in 0..<m { arrivals.append([(u: u1 + i, p: p)]) } }
        return try MatchingInstance(weights: Array(repeating: 1, count: u1 + n), arrivals: arrivals)
    }

    /// |U1| = α·n of the z-graph, validated (see `zGraph`).
    public static func zGraphU1(alpha: Double, n: Int, m: Int) throws -> Int {
        guard n >= 1, m >= 1 else { throw InputError("z-graph: n = \(n), m = \(m) (expected integers ≥ 1)") }
        guard alpha.isFinite, alpha > 0 else { throw InputError("z-graph: alpha = \(alpha) (expected a finite number > 0)") }
        let size = alpha * Double(n), whole = size.rounded()
        guard abs(size - whole) <= 1e-9, whole >= 1 else {
            let lo = max(1, size.rounded(.down)), hi = max(1, size.rounded(.up))
            throw InputError("z-graph: alpha·n = \(alpha)·\(n) = \(size) is not a whole number ≥ 1 (U1 has alpha·n vertices; it is not rounded): "
                + "use alpha = \(Int(lo))/\(n) = \(lo / Double(n))" + (hi != lo ? " or \(Int(hi))/\(n) = \(hi / Double(n))" : "") + ", or another n")
        }
        return Int(whole)
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
