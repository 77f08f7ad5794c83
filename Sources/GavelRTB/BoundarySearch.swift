/// The search for the last accepted δ of a condition that is monotone in δ (accepted
/// on a prefix, rejected after), given an accepted `lo` with its margin and a rejected
/// `hi` (the condition holds when the margin is ≥ 0; margins do not increase with δ).
/// `hi` may be one past the last candidate, rejected by definition: RLB's search starts
/// with hi = cap + 1 and so never loads V(n−1, b − cap) unless the answer is near it.
///
/// Why not bisection: RLB's condition compares V(n−1, b−δ) with V(n−1, b), and every
/// probe is a load from a table too large for the caches. V is smooth in b, so the
/// margin is nearly linear in δ near the answer: each round extrapolates the secant
/// through the last two points to zero and tests that δ and δ + 1 together (two
/// adjacent cache lines in the value function's layout), which ends the search when
/// the guess is right.
///
/// Guarantee: when a round fails to halve the interval the next one probes the
/// midpoint, so no search takes more than twice bisection's rounds (plus one). The
/// answer depends only on which δ are accepted, never on the probe order: it is the
/// authors' scan's answer.
struct BoundarySearch: Sendable {
    /// Accepted (margin ≥ 0).
    private(set) var lo: Int
    /// Rejected (margin < 0).
    private(set) var hi: Int
    /// The two latest points (δ, margin), newest second, for the secant.
    private var older: (d: Int, margin: Double)
    private var newer: (d: Int, margin: Double)
    /// The interval's length before the last round.
    private var previousSpan: Int

    /// - Parameter origin: the margin at δ = 0 (no load: v1·θ), the secant's first point.
    init(origin: Double, accepted lo: Int, margin marginLo: Double, rejected hi: Int) {
        precondition(lo < hi && marginLo >= 0)
        self.lo = lo
        self.hi = hi
        older = (lo - 1, origin)
        newer = (lo, marginLo)
        previousSpan = 2 * (hi - lo) + 1
    }

    /// lo is the answer once hi = lo + 1.
    var isDone: Bool { hi - lo <= 1 }

    /// The δ of the next round, in lo + 1 … hi − 1; the round tests δ and δ + 1. Call only while not done.
    var probe: Int {
        let span = hi - lo
        if 2 * span > previousSpan { return lo + span / 2 }
        let drop = older.margin - newer.margin
        let x = drop > 0 ? Double(newer.d) + newer.margin / drop * Double(newer.d - older.d) : .nan
        let guess = x.isFinite && x > Double(lo) && x < Double(hi) ? Int(x) : lo + span / 2
        return Swift.min(Swift.max(guess, lo + 1), hi - 1)
    }

    /// The round at δ: the margins at δ and δ + 1, read through `margin`; δ + 1 past `last`
    /// (the virtual `hi`) is rejected without a read.
    @inline(__always)
    mutating func test(_ d: Int, last: Int, margin: (Int) -> Double) {
        record(d, margin: margin(d), next: d < last ? margin(d + 1) : -.infinity)
    }

    /// The round's outcome: the margins at δ and δ + 1 (−∞ when δ + 1 is the virtual `hi`).
    mutating func record(_ d: Int, margin: Double, next marginNext: Double) {
        previousSpan = hi - lo
        if margin < 0 {
            hi = d
            older = newer; newer = (d, margin)
        } else if marginNext < 0 {
            lo = d; hi = d + 1
        } else {
            lo = d + 1
            older = (d, margin); newer = (d + 1, marginNext)
        }
    }
}
