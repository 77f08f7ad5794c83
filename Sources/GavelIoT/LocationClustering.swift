import GavelCore

/// The hierarchical step of MOHAF made real: k-means on standardised location
/// features over resources and requests together, then one auction per
/// cluster (a request may only use resources of its own cluster).
///
/// Features are (x, y), each standardised to mean 0 and variance 1 over all
/// points (the authors' code clusters unscaled features with a salted hash,
/// spec §4). Initialisation is k-means++ driven by a named `Xoshiro256StarStar`
/// stream, then Lloyd iterations until no point moves (or 100 rounds); a point
/// equidistant from two centres joins the lower-numbered one. Clustering cuts
/// the pairs scored from N·M to about N·M/K, at the price of losing
/// cross-cluster matches: the trade-off `gavel bench mohaf` and the tests measure.
public struct LocationClustering: Sendable {
    /// K, the number of clusters.
    public var clusters: Int
    /// Seed of the k-means++ initialisation (stream `kmeans`).
    public var seed: UInt64
    /// Lloyd rounds at most (the benchmark caps them to bound the cost at scale).
    public var maxIterations: Int

    /// K clusters (≥ 1), seeded `seed`, at most `maxIterations` Lloyd rounds.
    public init(clusters: Int, seed: UInt64 = 42, maxIterations: Int = 100) {
        precondition(clusters >= 1 && maxIterations >= 1)
        self.clusters = clusters
        self.seed = seed
        self.maxIterations = maxIterations
    }

    /// Cluster labels of resources and requests.
    public func assign(_ inst: IoTInstance) -> (resources: [Int], requests: [Int]) {
        var xs = inst.resources.map(\.x) + inst.requests.map(\.x)
        var ys = inst.resources.map(\.y) + inst.requests.map(\.y)
        Self.standardise(&xs)
        Self.standardise(&ys)
        let labels = kMeans(xs, ys)
        return (Array(labels[..<inst.resources.count]), Array(labels[inst.resources.count...]))
    }

    static func standardise(_ v: inout [Double]) {
        var s = RunningStatistics()
        for x in v { s.add(x) }
        let sd = s.standardDeviation
        let mean = s.mean
        for k in v.indices { v[k] = sd > 0 ? (v[k] - mean) / sd : 0 }
    }

    func kMeans(_ xs: [Double], _ ys: [Double]) -> [Int] {
        let n = xs.count
        let k = min(clusters, n)
        guard n > 0 else { return [] }
        var rng = Xoshiro256StarStar(seed: seed).stream(named: "kmeans")
        var cx: [Double] = [], cy: [Double] = []
        let first = Int(rng.next() % UInt64(n))
        cx.append(xs[first]); cy.append(ys[first])
        var nearest = [Double](repeating: .infinity, count: n)
        while cx.count < k {
            var total = 0.0
            for p in 0..<n {
                let dx = xs[p] - cx.last!, dy = ys[p] - cy.last!
                nearest[p] = min(nearest[p], dx * dx + dy * dy)
                total += nearest[p]
            }
            var target = rng.nextUnitDouble() * total
            var pick = n - 1
            for p in 0..<n { target -= nearest[p]; if target < 0 { pick = p; break } }
            cx.append(xs[pick]); cy.append(ys[pick])
        }
        var labels = [Int](repeating: -1, count: n)
        for _ in 0..<maxIterations {
            var moved = false
            for p in 0..<n {
                var best = 0, bestD = Double.infinity
                for c in 0..<k {
                    let dx = xs[p] - cx[c], dy = ys[p] - cy[c]
                    let d = dx * dx + dy * dy
                    if d < bestD { bestD = d; best = c }
                }
                if labels[p] != best { labels[p] = best; moved = true }
            }
            if !moved { break }
            var sx = [Double](repeating: 0, count: k), sy = sx, cnt = [Int](repeating: 0, count: k)
            for p in 0..<n { sx[labels[p]] += xs[p]; sy[labels[p]] += ys[p]; cnt[labels[p]] += 1 }
            for c in 0..<k where cnt[c] > 0 { cx[c] = sx[c] / Double(cnt[c]); cy[c] = sy[c] / Double(cnt[c]) }
        }
        return labels
    }
}
