/// Maximum-weight bipartite matching with at most K edges, by successive shortest paths
/// (min-cost flow: source → row, row → column at cost −g_ij, column → sink; one unit per
/// augmentation). The k-th augmentation yields a maximum-weight matching of k edges, and the
/// best value is concave in k, so stopping at the first augmenting path of nonpositive gain, or
/// at K edges, gives the maximum over all matchings of at most K edges (spec A.3).
///
/// Dijkstra runs on reduced costs with Johnson potentials: O(n·m) to seed the columns from the free
/// rows, then O((m + K)·m) over columns and matched rows. Only entries with g_ij > 0 are edges.
/// Ties: the lowest index first (columns before matched rows), so the result is a deterministic
/// function of the weights.
///
/// A reference type owning raw buffers reused between calls (the market solves several matchings
/// per query; Swift arrays in a mutating struct cost uniqueness and bounds checks in the inner
/// loops, three quarters of the market's time when measured). One instance per thread.
public final class MaxWeightMatcher {
    private var capacityRows = 0, capacityColumns = 0
    private var rowPotential: UnsafeMutablePointer<Double>, columnPotential: UnsafeMutablePointer<Double>
    private var rowDistance: UnsafeMutablePointer<Double>, columnDistance: UnsafeMutablePointer<Double>
    private var rowDone: UnsafeMutablePointer<Bool>, columnDone: UnsafeMutablePointer<Bool>
    private var columnParent: UnsafeMutablePointer<Int>
    private var rowMatches: UnsafeMutablePointer<Int>, columnMatches: UnsafeMutablePointer<Int>
    private var rows = 0, columns = 0

    public init() {
        rowPotential = .allocate(capacity: 1); columnPotential = .allocate(capacity: 1)
        rowDistance = .allocate(capacity: 1); columnDistance = .allocate(capacity: 1)
        rowDone = .allocate(capacity: 1); columnDone = .allocate(capacity: 1)
        columnParent = .allocate(capacity: 1); rowMatches = .allocate(capacity: 1); columnMatches = .allocate(capacity: 1)
        capacityRows = 1; capacityColumns = 1
    }

    deinit {
        rowPotential.deallocate(); columnPotential.deallocate(); rowDistance.deallocate(); columnDistance.deallocate()
        rowDone.deallocate(); columnDone.deallocate(); columnParent.deallocate(); rowMatches.deallocate(); columnMatches.deallocate()
    }

    private func reserve(rows n: Int, columns m: Int) {
        if n > capacityRows {
            rowPotential.deallocate(); rowDistance.deallocate(); rowDone.deallocate(); rowMatches.deallocate()
            rowPotential = .allocate(capacity: n); rowDistance = .allocate(capacity: n); rowDone = .allocate(capacity: n); rowMatches = .allocate(capacity: n)
            capacityRows = n
        }
        if m > capacityColumns {
            columnPotential.deallocate(); columnDistance.deallocate(); columnDone.deallocate(); columnParent.deallocate(); columnMatches.deallocate()
            columnPotential = .allocate(capacity: m); columnDistance = .allocate(capacity: m); columnDone = .allocate(capacity: m)
            columnParent = .allocate(capacity: m); columnMatches = .allocate(capacity: m)
            capacityColumns = m
        }
    }

    /// The column matched to row i by the last `solve`, or −1.
    @inline(__always) public func column(ofRow i: Int) -> Int { rowMatches[i] }
    /// The row matched to column j by the last `solve`, or −1.
    @inline(__always) public func row(ofColumn j: Int) -> Int { columnMatches[j] }

    /// Matches rows to columns maximising Σ g over at most `maxEdges` edges with g > 0.
    /// `gain` is row-major rows × columns. Returns the total weight.
    public func solve(gain g: UnsafeBufferPointer<Double>, rows n: Int, columns m: Int, maxEdges: Int) -> Double {
        reserve(rows: n, columns: m)
        rows = n; columns = m
        guard let g = g.baseAddress else { return 0 }
        // The buffers as locals: stored properties of a class are reloaded after every store
        // through another pointer (possible aliasing); locals stay in registers (measured ~10%).
        let rowPotential = rowPotential, columnPotential = columnPotential, rowDistance = rowDistance
        let columnDistance = columnDistance, rowDone = rowDone, columnDone = columnDone
        let columnParent = columnParent, rowMatches = rowMatches, columnMatches = columnMatches
        for i in 0..<n { rowMatches[i] = -1; rowPotential[i] = 0 }
        // Initial potentials: π(row) = 0, π(col j) = min_i(−g_ij) over edges, π(sink) = min_j π(col j).
        var sinkPotential = 0.0, firstColumn = -1, firstRow = -1
        for j in 0..<m {
            columnMatches[j] = -1
            var p = 0.0, arg = -1
            for i in 0..<n where -g[i * m + j] < p { p = -g[i * m + j]; arg = i }
            columnPotential[j] = p
            if p < sinkPotential { sinkPotential = p; firstColumn = j; firstRow = arg }
        }
        var total = 0.0
        let limit = min(maxEdges, n, m)
        var edges = 0
        // With these potentials every reduced distance of the first search is 0, so the first
        // augmenting path is the heaviest edge (lowest column, then lowest row, on ties) and the
        // potentials stay as they are: the first Dijkstra is skipped.
        if limit > 0 && firstColumn >= 0 {
            rowMatches[firstRow] = firstColumn
            columnMatches[firstColumn] = firstRow
            total = -sinkPotential
            edges = 1
        }
        while edges < limit {
            // Dijkstra from the source. Free rows are reached only from the source, at reduced distance
            // −π(row), so their distance is final at once and (π(row) + d = 0) each column starts at
            // −π(col) − max over free rows of g: one pass. The search then runs over the columns and
            // the (≤ K) matched rows only.
            for j in 0..<m {
                columnDone[j] = false; columnParent[j] = -1
                var bestGain = 0.0, arg = -1
                for i in 0..<n where rowMatches[i] < 0 && g[i * m + j] > bestGain { bestGain = g[i * m + j]; arg = i }
                columnDistance[j] = arg >= 0 ? -bestGain - columnPotential[j] : .infinity
                columnParent[j] = arg
            }
            for i in 0..<n { rowDone[i] = rowMatches[i] < 0; rowDistance[i] = rowMatches[i] < 0 ? -rowPotential[i] : .infinity }
            var sinkDistance = Double.infinity, sinkColumn = -1
            while true {
                var best = Double.infinity, bestRow = -1, bestColumn = -1
                for j in 0..<m where !columnDone[j] && columnDistance[j] < best { best = columnDistance[j]; bestColumn = j }
                for j in 0..<m {
                    let i = columnMatches[j]
                    if i >= 0 && !rowDone[i] && rowDistance[i] < best { best = rowDistance[i]; bestRow = i; bestColumn = -1 }
                }
                if best >= sinkDistance || best == .infinity { break }
                if bestRow >= 0 {
                    let i = bestRow
                    rowDone[i] = true
                    let base = rowDistance[i] + rowPotential[i]
                    let own = rowMatches[i]
                    let gi = g + i * m
                    for j in 0..<m where !columnDone[j] && own != j {
                        let gij = gi[j]
                        guard gij > 0 else { continue }
                        let d = base - gij - columnPotential[j]
                        if d < columnDistance[j] { columnDistance[j] = d; columnParent[j] = i }
                    }
                } else {
                    let j = bestColumn
                    columnDone[j] = true
                    let i = columnMatches[j]
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
                let previous = rowMatches[i]
                rowMatches[i] = j
                columnMatches[j] = i
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
