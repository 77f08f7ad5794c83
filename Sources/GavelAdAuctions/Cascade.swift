/// Cascade allocation rules [REC/DER: the paper's cascade algorithms and ratio could not be read;
/// these are this project's]. All maximise (exactly or approximately) Σ_i c_i π_i under the instance's
/// click model and rendering-order mode.
public enum CascadeRules {
    /// Slot-by-slot greedy in rendering order ("index-order greedy"). At each step, every unplaced
    /// advertiser i with c_i > 0 proposes its best available position j*(i) = argmax p_ij (ties: lowest
    /// j); available = unused positions (chosen order) or positions after the last one used (text
    /// order). The proposal with the largest KM08 index c_i p_ij*/(1 − q_ij*) is appended (q = 1 is +∞,
    /// then larger c·p, then lower advertiser index), up to K ads.
    ///
    /// Monotone in c_i [DER, ours]: raising c_i leaves the sequence unchanged until i's turn, which
    /// comes no later; at that turn i sees a superset of positions (so p ≥) behind a prefix of the
    /// same predecessors (so Π q ≥). Hence π_i is nondecreasing and Myerson payments make it DSIC.
    /// `steps` (default K) stops it early: the first `steps` slots, the prefix `tailSearch` keeps.
    public static func greedy(_ a: PositionAuction, coefficients c: [Double], steps: Int? = nil) -> [Slot] {
        guard case .cascade(let p, let q, let order) = a.model else { return [] }
        var placed = [Bool](repeating: false, count: a.advertisers)
        var used = [Bool](repeating: false, count: a.positions)
        var last = -1
        var slots: [Slot] = []
        while slots.count < min(steps ?? a.maxAds, a.maxAds) {
            var best: (inf: Bool, index: Double, value: Double, i: Int, j: Int)? = nil
            for i in 0..<a.advertisers where !placed[i] && c[i] > 0 {
                var bj = -1, bp = 0.0
                for j in 0..<a.positions where (order == .chosen ? !used[j] : j > last) && p[i, j] > bp { bj = j; bp = p[i, j] }
                guard bj >= 0 else { continue }
                let value = c[i] * bp, stop = 1 - q[i, bj]
                let key = (inf: stop <= 0, index: stop <= 0 ? value : value / stop, value: value, i: i, j: bj)
                if let b = best {
                    if key.inf != b.inf { if key.inf { best = key }; continue }
                    if key.index > b.index || (key.index == b.index && key.value > b.value) { best = key }
                } else {
                    best = key
                }
            }
            guard let b = best else { break }
            placed[b.i] = true; used[b.j] = true; last = b.j
            slots.append(Slot(b.i, b.j))
        }
        return slots
    }

    /// Best-improvement local search from the greedy allocation over the moves: drop a slot; add a slot
    /// (if fewer than K); give a slot to an unshown advertiser; move a slot to an unused position; swap
    /// two slots' positions. Each candidate set is rendered in the instance's order (KM08 index when
    /// chosen). Stops when no move gains more than 1e-12 (relative), after at most 4·n·m rounds.
    ///
    /// **Not monotone**: raising b_i can change greedy's start and the path of moves so that the local
    /// optimum reached gives i a lower π_i (witness: `LocalSearchMonotonicityTests`; 7–11 violations in
    /// 9,840 grid checks). Myerson payments therefore do not make it truthful (the auditor finds a gain
    /// of 0.018 per impression). The monotone improvement on greedy is `tailSearch`.
    public static func localSearch(_ a: PositionAuction, coefficients c: [Double]) -> [Slot] {
        var current = greedy(a, coefficients: c)
        var value = a.objective(of: current, coefficients: c)
        let n = a.advertisers, m = a.positions
        for _ in 0..<(4 * n * m) {
            var bestSet: [Slot]? = nil
            var bestValue = value + 1e-12 * max(1, abs(value))
            func consider(_ s: [Slot]) {
                let ordered = a.renderingOrder(s, coefficients: c)
                let v = a.objective(of: ordered, coefficients: c)
                if v > bestValue { bestValue = v; bestSet = ordered }
            }
            var shown = [Bool](repeating: false, count: n), taken = [Bool](repeating: false, count: m)
            for s in current { shown[s.advertiser] = true; taken[s.position] = true }
            for k in current.indices {
                var s = current; s.remove(at: k); consider(s)
                for i in 0..<n where !shown[i] && c[i] > 0 { var t = current; t[k] = Slot(i, current[k].position); consider(t) }
                for j in 0..<m where !taken[j] { var t = current; t[k] = Slot(current[k].advertiser, j); consider(t) }
                for l in (k + 1)..<current.count {
                    var t = current
                    t[k] = Slot(current[k].advertiser, current[l].position)
                    t[l] = Slot(current[l].advertiser, current[k].position)
                    consider(t)
                }
            }
            if current.count < a.maxAds {
                for i in 0..<n where !shown[i] && c[i] > 0 {
                    for j in 0..<m where !taken[j] { consider(current + [Slot(i, j)]) }
                }
            }
            guard let next = bestSet else { break }
            current = next
            value = bestValue
        }
        return current
    }

    /// Monotone local search [DER, ours]: one best-improvement step of a large-neighbourhood search
    /// from greedy. The neighbourhood of greedy's allocation is every allocation that keeps its first
    /// K − L slots (the prefix P) and re-chooses the rest: the best completion of ≤ L slots appended
    /// after P (`bestOfSize` with `after: P`). Greedy's own tail is a completion, so it never does
    /// worse than greedy. O(n·m·K + (n·m)^L); L = K is the exact optimum, L = 0 is greedy.
    ///
    /// Monotone in c_i (b_−i fixed; t < t'), by where i sits:
    /// - i ∈ P(t): greedy's argument puts i in P(t') at a step no later, behind a prefix of the same
    ///   predecessors, at a position with p no smaller: π_i does not fall.
    /// - i ∉ P(t'): then i ∉ P(t) either and i wins no prefix step at t or t', so P(t) = P(t') (the
    ///   other keys do not depend on c_i). The completion maximises Σ c π over a set of completions
    ///   fixed by P, i.e. it is maximal in range given P: π_i is nondecreasing in c_i.
    /// - i in the completion at t, i ∈ P(t') at step s: i's predecessors are P(t)'s first s − 1 slots
    ///   (a subset of the ones above it before, and q ≤ 1), and greedy gives it the best p among the
    ///   positions free at step s, which include every position a completion could use. So π_i rises.
    /// Hence Myerson payments make it DSIC. Exact ties between completions (within 1e-15 relative) are
    /// broken by enumeration order; the argument holds up to that rounding.
    public static func tailSearch(_ a: PositionAuction, coefficients c: [Double], tail L: Int) -> [Slot] {
        let prefix = greedy(a, coefficients: c, steps: max(0, a.maxAds - L))
        return bestOfSize(a, coefficients: c, limit: L, after: prefix).slots
    }

    /// Exact maximum over the allocations of at most L ads (a maximal-in-range rule: it maximises
    /// Σ c π over a bid-independent range, hence monotone and VCG-truthful over that range).
    /// O((n m)^L) evaluations; L = K is the exact optimum.
    ///
    /// With a nonempty `prefix`: the best completion of at most L slots rendered after it (advertisers
    /// not in it; chosen order: unused positions, the completion in KM08 index order; text order:
    /// positions after its last). The prefix multiplies every completion's value by the same Π q, so
    /// this is the exact maximum over a range fixed by the prefix. Ties: the prefix alone, then the
    /// first in enumeration order.
    public static func bestOfSize(_ a: PositionAuction, coefficients c: [Double], limit: Int, after prefix: [Slot] = []) -> OptimizedAllocation {
        var best = OptimizedAllocation(slots: prefix, objective: a.objective(of: prefix, coefficients: c))
        var taken = [Bool](repeating: false, count: a.advertisers), used = [Bool](repeating: false, count: a.positions)
        for s in prefix { taken[s.advertiser] = true; used[s.position] = true }
        let text: Bool
        if case .cascade(_, _, .text) = a.model { text = true } else { text = false }
        let last = prefix.map(\.position).max() ?? -1
        MNLOptimizer.enumerateMatchings(advertisers: a.advertisers, positions: a.positions, maxEdges: min(limit, a.maxAds - prefix.count)) { slots in
            if slots.contains(where: { c[$0.advertiser] <= 0 || taken[$0.advertiser] || used[$0.position] || (text && $0.position <= last) }) { return }
            let ordered = prefix + a.renderingOrder(slots, coefficients: c)
            let value = a.objective(of: ordered, coefficients: c)
            if value > best.objective + 1e-15 * max(1, abs(best.objective)) { best = OptimizedAllocation(slots: ordered, objective: value) }
        }
        return best
    }
}
