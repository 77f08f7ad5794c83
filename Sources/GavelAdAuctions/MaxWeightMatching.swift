/// Maximum-weight bipartite matching with at most K edges, by successive shortest paths
/// (min-cost flow: source → row, row → column at cost −g_ij, column → sink; one unit per
/// augmentation). The k-th augmentation yields a maximum-weight matching of k edges, and the
/// best value is concave in k, so stopping at the first augmenting path of nonpositive gain, or
/// at K edges, gives the maximum over all matchings of at most K edges (spec A.3).
///
/// Dijkstra runs on reduced costs with Johnson potentials (dense O((n + m)²) per augmentation).
/// Only entries with g_ij > 0 are edges. Ties: Dijkstra settles the lowest index first among equal
/// distances (rows before columns), so the result is a deterministic function of the weights.
/// Buffers are kept between calls: one instance per thread.
public struct MaxWeightMatcher {
    var rowPotential: [Double] = [], columnPotential: [Double] = []
    var rowDistance: [Double] = [], columnDistance: [Double] = []
    var rowDone: [Bool] = [], columnDone: [Bool] = []
    var columnParent: [Int] = []
    public private(set) var rowMatch: [Int] = []
    public private(set) var columnMatch: [Int] = []

    public init() {}

    /// Matches rows to columns maximising Σ g over at most `maxEdges` edges with g > 0.
    /// `gain` is row-major rows × columns. Returns the total weight; the matching is in `rowMatch`
    /// (column or −1) and `columnMatch`.
    public mutating func solve(gain g: UnsafeBufferPointer<Double>, rows n: Int, columns m: Int, maxEdges: Int) -> Double {
        if rowMatch.count != n {
            rowPotential = .init(repeating: 0, count: n); rowDistance = .init(repeating: 0, count: n)
            rowDone = .init(repeating: false, count: n); rowMatch = .init(repeating: -1, count: n)
        }
        if columnMatch.count != m {
            columnPotential = .init(repeating: 0, count: m); columnDistance = .init(repeating: 0, count: m)
            columnDone = .init(repeating: false, count: m); columnParent = .init(repeating: -1, count: m)
            columnMatch = .init(repeating: -1, count: m)
        }
        for i in 0..<n { rowMatch[i] = -1; rowPotential[i] = 0 }
        // Initial potentials: π(row) = 0, π(col j) = min_i(−g_ij) over edges, π(sink) = min_j π(col j).
        var sinkPotential = 0.0
        for j in 0..<m {
            columnMatch[j] = -1
            var p = 0.0
            for i in 0..<n where g[i * m + j] > 0 { p = min(p, -g[i * m + j]) }
            columnPotential[j] = p
            sinkPotential = min(sinkPotential, p)
        }
        var total = 0.0
        let limit = min(maxEdges, n, m)
        var edges = 0
        while edges < limit {
            // Dijkstra from the source (free rows at reduced distance −π(row) ≥ 0).
            for i in 0..<n { rowDone[i] = false; rowDistance[i] = rowMatch[i] < 0 ? -rowPotential[i] : .infinity }
            for j in 0..<m { columnDone[j] = false; columnDistance[j] = .infinity; columnParent[j] = -1 }
            var sinkDistance = Double.infinity, sinkColumn = -1
            while true {
                var best = Double.infinity, bestRow = -1, bestColumn = -1
                for i in 0..<n where !rowDone[i] && rowDistance[i] < best { best = rowDistance[i]; bestRow = i }
                for j in 0..<m where !columnDone[j] && columnDistance[j] < best { best = columnDistance[j]; bestRow = -1; bestColumn = j }
                if best >= sinkDistance || best == .infinity { break }
                if bestRow >= 0 {
                    let i = bestRow
                    rowDone[i] = true
                    let base = rowDistance[i] + rowPotential[i]
                    for j in 0..<m where !columnDone[j] && rowMatch[i] != j {
                        let gij = g[i * m + j]
                        guard gij > 0 else { continue }
                        let d = base - gij - columnPotential[j]
                        if d < columnDistance[j] { columnDistance[j] = d; columnParent[j] = i }
                    }
                } else {
                    let j = bestColumn
                    columnDone[j] = true
                    let i = columnMatch[j]
                    if i < 0 {
                        let d = columnDistance[j] + columnPotential[j] - sinkPotential
                        if d < sinkDistance { sinkDistance = d; sinkColumn = j }
                    } else if !rowDone[i] {
                        let d = columnDistance[j] + g[i * m + j] + columnPotential[j] - rowPotential[i]
                        if d < rowDistance[i] { rowDistance[i] = d }
                    }
                }
            }
            guard sinkColumn >= 0 else { break }
            let pathCost = sinkDistance + sinkPotential   // π(source) = 0
            if pathCost >= 0 { break }                       // gain −pathCost ≤ 0: more edges do not help
            total -= pathCost
            // Augment along parents: column j ← row i; row i's old column continues the path.
            var j = sinkColumn
            while j >= 0 {
                let i = columnParent[j]
                let previous = rowMatch[i]
                rowMatch[i] = j
                columnMatch[j] = i
                j = previous
            }
            edges += 1
            // Potentials: π += min(d, d_sink); keeps every residual reduced cost ≥ 0.
            for i in 0..<n { rowPotential[i] += min(rowDistance[i], sinkDistance) }
            for j in 0..<m { columnPotential[j] += min(columnDistance[j], sinkDistance) }
            sinkPotential += sinkDistance
        }
        return total
    }
}
