import GavelCore

/// The search over per-agent recommendation marginals that the product and the uncorrelated
/// classes share (``InfoAcqProductBest``, ``InfoAcqUncorrelatedBest``). Each class brings its own
/// LP at fixed marginals and its own bound; the searches that drive them are here, once.
enum MarginalSearch {
    /// Best-first branch and bound over p ∈ [0, 1]^n (every agent with two actions), on an integer
    /// grid of `unit` cells per axis. `corner(c)` solves the LP at grid corner c (the caller caches
    /// it and keeps the incumbent); `bound(k, c)` is corner k's upper bound evaluated at corner c.
    /// Each bound is maximised over a box at its corners, so UB(box) = min_k max_c bound(k, c).
    /// The box with the largest bound is halved along every axis (ties: the earlier box) until
    /// UB − incumbent ≤ `tolerance`, `solves()` reaches `maxLPs`, or a box is one cell.
    /// Returns the global upper bound (the incumbent when every box was pruned).
    static func boxes<Corner>(agents n: Int, unit: Int, tolerance: Double, maxLPs: Int,
                              solves: () -> Int, incumbent: () -> Double,
                              corner: ([Int]) throws -> Corner, bound: (Corner, Corner) -> Double) throws -> Double {
        func corners(_ lo: [Int], _ size: Int) -> [[Int]] {
            (0..<(1 << n)).map { mask in (0..<n).map { lo[$0] + ((mask >> $0) & 1) * size } }
        }
        func upperBound(_ lo: [Int], _ size: Int) throws -> Double {
            let ks = try corners(lo, size).map(corner)
            var ub = Double.infinity
            for k in ks {
                var m = -Double.infinity
                for c in ks { m = max(m, bound(k, c)) }
                ub = min(ub, m)
            }
            return ub
        }
        // Open boxes (lower corner, size, upper bound); the one with the largest bound is split next.
        let origin = [Int](repeating: 0, count: n)
        var open: [(lo: [Int], size: Int, ub: Double)] = [(origin, unit, try upperBound(origin, unit))]
        while true {
            guard let top = open.indices.max(by: { open[$0].ub < open[$1].ub || (open[$0].ub == open[$1].ub && $0 > $1) }) else {
                return incumbent()   // every box pruned
            }
            let globalUB = open[top].ub
            if globalUB - incumbent() <= tolerance || solves() >= maxLPs || open[top].size == 1 { return globalUB }
            let box = open.remove(at: top)
            let half = box.size / 2
            for child in corners(box.lo, half) {
                let ub = min(box.ub, try upperBound(child, half))
                if ub > incumbent() + tolerance { open.append((child, half, ub)) }
            }
        }
    }

    /// Every point of a grid on each agent's simplex (step 1/`steps`), then a local search from the
    /// incumbent: move mass δ between two actions of one agent, halving δ when nothing improves, down
    /// to 1e-4 (far smaller marginals make products of ~1e-12 inside GLPK's feasibility tolerance).
    /// `evaluate(marginals)` solves one LP and keeps the incumbent; `best()` reads it.
    /// - Throws: `ExperimentError` naming `what` when the grid alone exceeds `maxLPs`.
    static func gridThenLocal(actionCounts: [Int], steps: Int, maxLPs: Int, what: String, solves: () -> Int,
                              best: () -> (value: Double, marginals: [[Double]]),
                              evaluate: ([[Double]]) throws -> Double) throws {
        func simplexGrid(_ k: Int) -> [[Double]] {
            var out: [[Double]] = []
            func rec(_ prefix: [Int], _ left: Int) {
                if prefix.count == k - 1 { out.append((prefix + [left]).map { Double($0) / Double(steps) }); return }
                for c in 0...left { rec(prefix + [c], left - c) }
            }
            rec([], steps)
            return out
        }
        let agents = actionCounts.count
        let grids = actionCounts.map(simplexGrid)
        var total = 1
        for g in grids { total = total.multipliedReportingOverflow(by: g.count).partialValue; if total > maxLPs { break } }
        guard total <= maxLPs else {
            throw ExperimentError("\(what): the grid needs \(total)+ LPs, more than the budget \(maxLPs)")
        }
        var code = [Int](repeating: 0, count: agents)
        for _ in 0..<total {
            _ = try evaluate((0..<agents).map { grids[$0][code[$0]] })
            var k = agents - 1
            while k >= 0 { code[k] += 1; if code[k] < grids[k].count { break }; code[k] = 0; k -= 1 }
        }
        var delta = 1 / Double(steps)
        while delta >= 1e-4 && solves() < maxLPs && !best().marginals.isEmpty {
            var improved = false
            for i in 0..<agents {
                for from in 0..<actionCounts[i] {
                    for to in 0..<actionCounts[i] where to != from && best().marginals[i][from] >= delta {
                        var m = best().marginals
                        m[i][from] -= delta; m[i][to] += delta
                        if m[i][from] < 1e-9 { m[i][to] += m[i][from]; m[i][from] = 0 }   // snap to the face
                        let before = best().value
                        if try evaluate(m) > before + 1e-12 { improved = true }
                    }
                }
            }
            if !improved { delta /= 2 }
        }
    }
}
