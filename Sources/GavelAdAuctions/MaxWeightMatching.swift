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
/// `improve` is the other half [ours]: given a matching, one Bellman–Ford search for a cycle of
/// positive gain in its residual graph, either certifying the matching optimal or improving it.
/// Dinkelbach from a good feasible start (the market's case) needs that, not a solve from scratch.
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
    /// `improve`'s nodes (columns, zero, cap): labels, parents, the free row behind an arc from
    /// zero, walk marks; and the moves of a cycle (row, column) pairs.
    private var nodeLabel: UnsafeMutablePointer<Double>, nodeParent: UnsafeMutablePointer<Int>
    private var nodeTaker: UnsafeMutablePointer<Int>, nodeWalk: UnsafeMutablePointer<Int>, cycleMoves: UnsafeMutablePointer<Int>

    /// A matcher with empty buffers; they grow to the largest instance seen.
    public init() {
        rowPotential = .allocate(capacity: 1); columnPotential = .allocate(capacity: 1)
        rowDistance = .allocate(capacity: 1); columnDistance = .allocate(capacity: 1)
        rowDone = .allocate(capacity: 1); columnDone = .allocate(capacity: 1)
        columnParent = .allocate(capacity: 1); rowMatches = .allocate(capacity: 1); columnMatches = .allocate(capacity: 1)
        nodeLabel = .allocate(capacity: 3); nodeParent = .allocate(capacity: 3); nodeTaker = .allocate(capacity: 3)
        nodeWalk = .allocate(capacity: 3); cycleMoves = .allocate(capacity: 6)
        capacityRows = 1; capacityColumns = 1
    }

    deinit {
        rowPotential.deallocate(); columnPotential.deallocate(); rowDistance.deallocate(); columnDistance.deallocate()
        rowDone.deallocate(); columnDone.deallocate(); columnParent.deallocate(); rowMatches.deallocate(); columnMatches.deallocate()
        nodeLabel.deallocate(); nodeParent.deallocate(); nodeTaker.deallocate(); nodeWalk.deallocate(); cycleMoves.deallocate()
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
            nodeLabel.deallocate(); nodeParent.deallocate(); nodeTaker.deallocate(); nodeWalk.deallocate(); cycleMoves.deallocate()
            nodeLabel = .allocate(capacity: m + 2); nodeParent = .allocate(capacity: m + 2); nodeTaker = .allocate(capacity: m + 2)
            nodeWalk = .allocate(capacity: m + 2); cycleMoves = .allocate(capacity: 2 * (m + 2))
            capacityColumns = m
        }
    }

    /// The column matched to row i by the last `solve`, or −1.
    @inline(__always) public func column(ofRow i: Int) -> Int { rowMatches[i] }
    /// The row matched to column j by the last `solve`, or −1.
    @inline(__always) public func row(ofColumn j: Int) -> Int { columnMatches[j] }

    /// Sets the current matching (for `improve`): row i to `columnOfRow[i]`, or none if −1.
    public func setMatching(rows n: Int, columns m: Int, columnOfRow: (Int) -> Int) {
        reserve(rows: n, columns: m)
        rows = n; columns = m
        for j in 0..<m { columnMatches[j] = -1 }
        for i in 0..<n {
            let j = columnOfRow(i)
            rowMatches[i] = j
            if j >= 0 { columnMatches[j] = i }
        }
    }

    /// What `improve` found.
    public enum Improvement { case optimal, improved, undecided }

    /// One step of cycle cancelling on the current matching (`setMatching`, the last `solve` or
    /// `improve`) for the gains g_ij = s_i·w_ij (`rowScale` s, `weights` w row-major rows × columns:
    /// Dinkelbach's gains w_ij·(c_i − λ) without building them; an unmatched pair is an edge only if
    /// g > 0; a matched pair keeps its g, which may be ≤ 0), in the dual's terms [ours]. The matching is a heaviest one of at
    /// most K edges iff the LP dual (u_r + v_c + z ≥ g_rc; u, v, z ≥ 0) has a solution meeting
    /// complementary slackness: u = 0 on free rows, v = 0 on free columns, z = 0 below K edges,
    /// u_r + v_c + z = g_rc on matched pairs. Eliminating u leaves, in y_c = v_c + z, a system of
    /// difference constraints over the columns and two nodes, `zero` (0) and `cap` (z):
    ///   y_c′ − y_c ≥ g_rc′ − g_rc   (r matched to c: r could move to c′),
    ///   y_c′ ≥ g_rc′ (free r: r could take c′),  y_c ≤ g_rc (u_r ≥ 0: r could leave),
    ///   y_c ≥ z ≥ 0, and y_c = z on free columns (cap is zero below K edges).
    /// Longest paths from `zero` (Bellman–Ford, all labels from their lower bounds) either settle,
    /// so the labels are a dual certificate within `tolerance` per arc (`.optimal`), or close a
    /// cycle of positive weight; each arc is a move of one row (take, move, leave), the cycle's
    /// weight is the change in Σ g, and it is applied (`.improved`). `.undecided` (labels moving
    /// after as many passes as nodes without a cycle in the parent pointers, which exact arithmetic
    /// rules out) leaves the matching as it was. Work per pass: (matched rows) × m arcs.
    public func improve(weights w: UnsafePointer<Double>, rowScale scale: UnsafePointer<Double>, rows n: Int, columns m: Int,
                        maxEdges K: Int, tolerance: Double) -> Improvement {
        precondition(n <= capacityRows && m <= capacityColumns, "improve: set the matching first")
        guard n > 0, m > 0 else { return .optimal }
        let rowMatches = rowMatches, columnMatches = columnMatches
        let label = nodeLabel, parent = nodeParent, taker = nodeTaker, walk = nodeWalk, moves = cycleMoves
        var edges = 0
        for j in 0..<m where columnMatches[j] >= 0 { edges += 1 }
        let zero = m, cap = edges < K ? m : m + 1, nodes = m + 2
        for v in 0..<nodes { label[v] = 0; parent[v] = -1; taker[v] = -1 }
        // Lower bounds: the best free row's gain on each column (arc zero → c); else y_c ≥ z
        // (cap → c, with zero → cap), which is y_c ≥ 0 from zero when cap is zero.
        if cap != zero { parent[cap] = zero }
        for j in 0..<m { parent[j] = cap }
        for i in 0..<n where rowMatches[i] < 0 {
            let wi = w + i * m, si = scale[i]
            for j in 0..<m where si * wi[j] > label[j] { label[j] = si * wi[j]; parent[j] = zero; taker[j] = i }
        }
        for _ in 0..<nodes {
            var moved = false, closing = -1   // closing: a column whose arc into zero (label 0) gains
            for j in 0..<m {
                let i = columnMatches[j]
                if i < 0 {   // free column: y_j ≤ z (arc j → cap)
                    if cap == zero { if label[j] > tolerance { closing = j } }
                    else if label[j] > label[cap] + tolerance { label[cap] = label[j]; parent[cap] = j; moved = true }
                    continue
                }
                let wi = w + i * m, si = scale[i], base = label[j] - si * wi[j]   // row i moves from j to k: y_k ≥ y_j + g_ik − g_ij
                for k in 0..<m where k != j {
                    let gik = si * wi[k]
                    if gik > 0 && base + gik > label[k] + tolerance { label[k] = base + gik; parent[k] = j; moved = true }
                }
                if base > tolerance { closing = j }   // row i leaves: y_j ≤ g_ij
            }
            if cap != zero {
                for j in 0..<m where label[cap] > label[j] + tolerance { label[j] = label[cap]; parent[j] = cap; moved = true }
            }
            // A positive cycle: closed through zero (if the closing column's parents lead there), or
            // among the parent pointers.
            var onCycle = -1
            if closing >= 0 {
                var v = closing, steps = 0
                while v != zero && v >= 0 && steps <= nodes { v = parent[v]; steps += 1 }
                if v == zero { onCycle = zero; parent[zero] = closing }
            }
            if onCycle < 0 {
                if !moved { return .optimal }
                for v in 0..<nodes { walk[v] = -1 }
                for start in 0..<nodes where walk[start] < 0 && onCycle < 0 {
                    var v = start
                    while v >= 0 && v != zero && walk[v] < 0 { walk[v] = start; v = parent[v] }
                    if v >= 0 && v != zero && walk[v] == start { onCycle = v }
                }
                if onCycle < 0 { continue }
            }
            // Each arc p → v of the cycle moves one row of the original matching: into column v
            // (from zero: the free row `taker[v]`; from column p: p's row), or out (v = zero).
            var count = 0, v = onCycle
            repeat {
                let p = parent[v]
                if p < m, columnMatches[p] >= 0 { moves[count] = columnMatches[p]; moves[count + 1] = v < m ? v : -1; count += 2 }
                else if p == zero && v < m && taker[v] >= 0 { moves[count] = taker[v]; moves[count + 1] = v; count += 2 }
                v = p
            } while v != onCycle
            for k in stride(from: 0, to: count, by: 2) {
                let row = moves[k], old = rowMatches[row]
                if old >= 0 && columnMatches[old] == row { columnMatches[old] = -1 }
                rowMatches[row] = -1
            }
            for k in stride(from: 0, to: count, by: 2) where moves[k + 1] >= 0 {
                rowMatches[moves[k]] = moves[k + 1]; columnMatches[moves[k + 1]] = moves[k]
            }
            return .improved
        }
        return .undecided
    }

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
