/// The welfare-optimal one-to-one assignment: each resource serves at most one
/// request and each request gets at most one resource (the constraints the
/// as-run mechanisms obey), maximising Σ v_ij over compatible pairs.
///
/// Hungarian algorithm with potentials for a rectangular n × m cost matrix,
/// n ≤ m (Kuhn–Munkres in the shortest-augmenting-path form; e.g. Burkard,
/// Dell'Amico, Martello, *Assignment Problems*, §4.4), O(n²·m). The smaller side
/// is the rows; each row also gets a private zero-value "unassigned" column,
/// so leaving a row unmatched is allowed, and incompatible pairs cost more than
/// any complete assignment could gain, so they are never chosen. Ties between
/// equally good columns go to the lowest column index.
public enum OptimalAssignment {
    /// The optimum: its value and its pairs.
    public struct Solution: Sendable, Equatable {
        /// Σ v_ij of the optimum.
        public var value: Double
        /// (request, resource) pairs of the optimum, by request index.
        public var pairs: [(request: Int, resource: Int)]
        /// Same value and the same pairs in the same order.
        public static func == (a: Solution, b: Solution) -> Bool {
            a.value == b.value && a.pairs.elementsEqual(b.pairs) { $0 == $1 }
        }
    }

    /// - Parameter value: v(request, resource), or nil when the pair is not allowed. Values must be ≥ 0.
    public static func solve(requests: Int, resources: Int, value: (Int, Int) -> Double?) -> Solution {
        let rowsAreResources = resources <= requests
        let n = min(requests, resources), m0 = max(requests, resources)
        if n == 0 { return Solution(value: 0, pairs: []) }
        let m = m0 + n
        // Dense benefit matrix of the real columns; nil → forbidden.
        var benefit = [Double](repeating: -1, count: n * m0)
        var maxValue = 0.0
        for r in 0..<n {
            for c in 0..<m0 {
                let (i, j) = rowsAreResources ? (c, r) : (r, c)
                if let v = value(i, j) {
                    precondition(v >= 0 && v.isFinite, "values must be finite and ≥ 0")
                    benefit[r * m0 + c] = v
                    maxValue = max(maxValue, v)
                }
            }
        }
        let forbidden = Double(n + 1) * (maxValue + 1) * 2
        @inline(__always) func cost(_ r: Int, _ c: Int) -> Double {
            if c >= m0 { return c - m0 == r ? 0 : forbidden }
            let b = benefit[r * m0 + c]
            return b < 0 ? forbidden : -b
        }
        // 1-based arrays as in the classic formulation: p[c] = row matched to column c.
        var u = [Double](repeating: 0, count: n + 1)
        var v = [Double](repeating: 0, count: m + 1)
        var p = [Int](repeating: 0, count: m + 1)
        var way = [Int](repeating: 0, count: m + 1)
        var minv = [Double](repeating: 0, count: m + 1)
        var used = [Bool](repeating: false, count: m + 1)
        for row in 1...n {
            p[0] = row
            var j0 = 0
            for c in 0...m { minv[c] = .infinity; used[c] = false }
            repeat {
                used[j0] = true
                let i0 = p[j0]
                var delta = Double.infinity
                var j1 = 0
                for j in 1...m where !used[j] {
                    let cur = cost(i0 - 1, j - 1) - u[i0] - v[j]
                    if cur < minv[j] { minv[j] = cur; way[j] = j0 }
                    if minv[j] < delta { delta = minv[j]; j1 = j }
                }
                for j in 0...m {
                    if used[j] { u[p[j]] += delta; v[j] -= delta } else { minv[j] -= delta }
                }
                j0 = j1
            } while p[j0] != 0
            repeat {
                let j1 = way[j0]
                p[j0] = p[j1]
                j0 = j1
            } while j0 != 0
        }
        var pairs: [(request: Int, resource: Int)] = []
        var total = 0.0
        for c in 1...m0 where p[c] != 0 {
            let r = p[c] - 1
            let b = benefit[r * m0 + (c - 1)]
            precondition(b >= 0, "the optimum used a forbidden pair")
            pairs.append(rowsAreResources ? (c - 1, r) : (r, c - 1))
        }
        pairs.sort { $0.request < $1.request }
        for (i, j) in pairs { total += value(i, j)! }
        return Solution(value: total, pairs: pairs)
    }
}
