import CGavelKernels

/// The value function V(n, b) of RLB (Cai et al., WSDM 2017): the expected
/// objective with n auctions left and integer budget b, under the
/// approximation m(δ|x) ≈ m(δ), θ(x) ≈ θ_avg inside V (spec/rtb.md §B.1).
///
///     V(0, b) = 0
///     V(n, b) = γV(n−1, b) + Σ_{δ=0}^{a(n,b)} m(δ)·(v1·θ_avg + γ(V(n−1, b−δ) − V(n−1, b)) − v0·δ)
///
/// computed for n = 0 … N−1 and b = 0 … B exactly as the authors' code does it
/// (`rlb_dp_i.py`): a(n,b) by their two-pointer sweep, each sum accumulated in
/// δ order from γV(n−1,b), and the early stop that sets V(n, b') = V_max for all
/// b' above the first b with |V(n,b) − V_max| < 1e-10. Keeping their arithmetic
/// order keeps every double equal to theirs, so replays match bid for bid.
///
/// Speed: each V(n, b) is an independent sequential sum, so the C kernel
/// `gavel_rlb_fill_row` sums sixteen adjacent budgets at once in AVX2 lanes
/// (same order per lane, hence the same doubles; `referenceRow` is the plain
/// version the tests compare it with).
///
/// Layout: tiles of `tileRows` rows, budget-major inside a tile: V(n, b) at
/// (n / 8)·8(B+1) + 8b + n mod 8. A replay's successive bids read rows n−1, n−2, …
/// in a window of maxBid budgets below b; inside a tile those eight rows share
/// every cache line, so a bid mostly hits lines the previous bid loaded, and
/// `bid` prefetches the next tile's window when it is about to cross into it.
/// (Row-major, every bid read a fresh row: 2–3× slower replays at c0 = 1/2.)
public struct RLBValueFunction: Sendable {
    public let episodeLength: Int
    public let budget: Int
    public let maxBid: Int
    public let averageCTR: Double
    public let objective: RTBObjective
    public let discount: Double
    /// Tiled N × (B+1), see the type's comment.
    let values: [Double]
    /// Whether V(n, ·) is non-decreasing in b; then the bid condition is monotone
    /// in δ and a binary search finds the same bid as the authors' linear scan.
    let rowIsMonotone: [Bool]
    /// Terms m(δ)·(…) summed in building the table (the DP's work).
    public let termCount: Int

    /// Early-stop tolerance of the authors' code (`up_precision`).
    public static let saturationTolerance = 1e-10

    public var memoryBytes: Int { values.count * MemoryLayout<Double>.stride }

    public func value(n: Int, budget b: Int) -> Double { values[Self.index(n, b, width: budget + 1)] }

    static let tileRows = 8

    @inline(__always)
    static func index(_ n: Int, _ b: Int, width: Int) -> Int {
        (n / tileRows) * (tileRows * width) + b * tileRows + (n % tileRows)
    }

    public init(episodeLength n: Int, budget: Int, maxBid: Int, prices: MarketPriceDistribution,
                averageCTR theta: Double, objective: RTBObjective = .clicks, discount gamma: Double = 1) {
        precondition(n >= 1 && budget >= 0 && maxBid >= 0)
        precondition(prices.probabilities.count > maxBid, "the price distribution must cover 0…maxBid")
        episodeLength = n
        self.budget = budget
        self.maxBid = maxBid
        averageCTR = theta
        self.objective = objective
        discount = gamma
        let width = budget + 1
        let tiles = (n + Self.tileRows - 1) / Self.tileRows
        var table = [Double](repeating: 0, count: tiles * Self.tileRows * width)
        var monotone = [Bool](repeating: true, count: n)
        let m = prices.probabilities
        let v1theta = objective.clickValue * theta
        let v0 = objective.costWeight

        // V_inc = Σ_{δ=0}^{a_max} m(δ)(v1θ − v0δ): the gain of one more auction with unlimited budget.
        let aMax = v0 != 0 ? min(Int(v1theta / v0), maxBid) : maxBid
        var vInc = 0.0
        if aMax >= 0 { for d in 0...aMax { vInc += m[d] * (v1theta - v0 * Double(d)) } }
        var vMax = 0.0

        var bids = [Int](repeating: 0, count: width)
        var terms = 0
        // Rows are computed contiguous in a ring of one tile, then written out a tile at a time.
        let h = Self.tileRows
        var ring = [Double](repeating: 0, count: h * width)
        ring.withUnsafeMutableBufferPointer { ringBuffer in table.withUnsafeMutableBufferPointer { out in bids.withUnsafeMutableBufferPointer { bidBuffer in
            let rows = ringBuffer.baseAddress!, a = bidBuffer.baseAddress!
            func writeTile(endingAt last: Int) {
                let tile = out.baseAddress! + (last / h) * h * width
                let count = last % h + 1
                for b in 0...budget {
                    for k in 0..<count { tile[b * h + k] = rows[k * width + b] }
                }
            }
            for row in 1..<max(n, 1) {
                let prev = rows + ((row - 1) % h) * width
                let next = rows + (row % h) * width
                Self.authorsBids(prev: prev, into: a, budget: budget, maxBid: maxBid, v1theta: v1theta, v0: v0, gamma: gamma)
                vMax = gamma * vMax + vInc
                let computed = m.withUnsafeBufferPointer { mp in
                    gavel_rlb_fill_row(prev, next, a, budget, mp.baseAddress!, v1theta, v0, gamma, vMax, Self.saturationTolerance)
                }
                // Branch-free passes over the row (no early exit): both vectorise.
                if computed >= 1 { for b in 1...computed { terms &+= a[b] &+ 1 } }
                var decreases = 0
                if budget >= 1 { for b in 1...budget { decreases &+= next[b] < next[b &- 1] ? 1 : 0 } }
                monotone[row] = decreases == 0
                if row % h == h - 1 { writeTile(endingAt: row) }
            }
            if (n - 1) % h != h - 1 { writeTile(endingAt: n - 1) }
        } } }
        values = table
        rowIsMonotone = monotone
        termCount = terms
    }

    /// a(n, b) for b = 1 … B: the authors' sweep from b = B down with one pointer bb
    /// (valid because the condition is monotone in δ for a non-decreasing row).
    static func authorsBids(prev: UnsafePointer<Double>, into bids: inout [Int], budget: Int, maxBid: Int,
                            v1theta: Double, v0: Double, gamma: Double) {
        bids.withUnsafeMutableBufferPointer { authorsBids(prev: prev, into: $0.baseAddress!, budget: budget, maxBid: maxBid, v1theta: v1theta, v0: v0, gamma: gamma) }
    }

    static func authorsBids(prev: UnsafePointer<Double>, into bids: UnsafeMutablePointer<Int>, budget: Int, maxBid: Int,
                            v1theta: Double, v0: Double, gamma: Double) {
        guard budget >= 1 else { return }
        var bb = budget - 1
        for b in stride(from: budget, through: 1, by: -1) {
            while bb >= 0 && gamma * (prev[bb] - prev[b]) + v1theta - v0 * Double(b - bb) >= 0 { bb -= 1 }
            bids[b] = bb < 0 ? min(maxBid, b) : min(maxBid, b - bb - 1)
        }
    }

    /// One row by the authors' loops, term by term (the reference the kernel is tested against).
    static func referenceRow(prev: [Double], bids: [Int], m: [Double], v1theta: Double, v0: Double, gamma: Double, vMax: Double) -> [Double] {
        var next = [Double](repeating: 0, count: prev.count)
        for b in 1..<prev.count {
            next[b] = gamma * prev[b]
            for d in 0...bids[b] { next[b] += m[d] * (v1theta + gamma * (prev[b - d] - prev[b]) - v0 * Double(d)) }
            if abs(next[b] - vMax) < saturationTolerance {
                for bb in (b + 1)..<prev.count { next[bb] = vMax }
                break
            }
        }
        return next
    }

    /// The RLB bid with n auctions left (1 … N), budget b and predicted CTR θ:
    /// the largest δ in 1 … min(b, maxBid) such that every δ' ≤ δ satisfies
    /// v1·θ + γ(V(n−1, b−δ') − V(n−1, b)) − v0·δ' ≥ 0 (the authors' scan from δ = 1,
    /// stopping at the first failure); 0 if δ = 1 fails.
    /// - Parameter prefetch: load the next tile's window when this row opens a tile (pays
    ///   off when the next bid is this episode's; the concurrent-episodes replay says no).
    public func bid(auctionsLeft n: Int, budget b: Int, ctr theta: Double, prefetch: Bool = true) -> Int {
        let cap = Swift.min(b, maxBid)
        if cap < 1 { return 0 }
        let row = n - 1
        let width = budget + 1, h = Self.tileRows
        return values.withUnsafeBufferPointer { all in
            let column = all.baseAddress! + (row / h) * (h * width) + (row % h)
            @inline(__always) func v(_ x: Int) -> Double { column[x * h] }
            // The next bid reads row n−2, in the previous tile when this row opens its
            // tile: start loading that tile's window below b now.
            if prefetch && row % h == 0 && row >= h {
                let low = Swift.max(0, b - maxBid - 8)
                gavel_prefetch_doubles(all.baseAddress! + (row / h - 1) * (h * width) + low * h, (b - low + 1) * h)
            }
            let vb = v(b)
            let v1theta = objective.clickValue * theta
            let gamma = discount, v0 = objective.costWeight
            @inline(__always) func margin(_ d: Int) -> Double { Self.margin(v1theta, gamma, v(b - d), vb, v0, d) }
            if rowIsMonotone[row] && gamma >= 0 && v0 >= 0 {
                // Monotone condition: δ = 1 settles tight budgets; then the boundary search
                // over 2 … cap, with cap + 1 rejected by definition (an ample budget's bid, the
                // cap, takes one round).
                let first = margin(1)
                if first < 0 { return 0 }
                var search = BoundarySearch(origin: v1theta, accepted: 1, margin: first, rejected: cap + 1)
                while !search.isDone {
                    let d = search.probe
                    search.test(d, last: cap, margin: margin)
                }
                return search.lo
            }
            @inline(__always) func accepts(_ d: Int) -> Bool { margin(d) >= 0 }
            return scan(cap, accepts)
        }
    }

    /// `bid` for several episodes at the same step (n auctions left): budgets[e] and
    /// ctrs[e·ctrStride], bids into out[e]. Each search alone waits on memory at every
    /// probe; here groups of 32 advance together, so their loads are in flight at once.
    /// The answers are `bid`'s (rows that are not monotone go through `bid` itself).
    public func bids(auctionsLeft n: Int, budgets: UnsafePointer<Int>, ctrs: UnsafePointer<Double>, ctrStride: Int,
                     count: Int, into out: UnsafeMutablePointer<Int>) {
        let row = n - 1
        let gamma = discount, v0 = objective.costWeight
        guard rowIsMonotone[row] && gamma >= 0 && v0 >= 0 else {
            for e in 0..<count { out[e] = bid(auctionsLeft: n, budget: budgets[e], ctr: ctrs[e * ctrStride], prefetch: false) }
            return
        }
        let width = budget + 1, h = Self.tileRows, group = 32
        values.withUnsafeBufferPointer { all in
            let column = all.baseAddress! + (row / h) * (h * width) + (row % h)
            @inline(__always) func v(_ x: Int) -> Double { column[x &* h] }
            // One entry per search still running: its episode, its search, the row values it compares with, and
            // this round's probe. Each round first computes every probe and asks for its two lines, then reads
            // them: the group's loads are all in flight before the first one is waited for.
            withUnsafeTemporaryAllocation(of: (episode: Int, search: BoundarySearch, b: Int, cap: Int, vb: Double, v1theta: Double, d: Int).self,
                                          capacity: group) { state in
                var start = 0
                while start < count {
                    let end = Swift.min(start + group, count)
                    for e in start..<end where budgets[e] >= 1 {
                        gavel_prefetch_line(column + (budgets[e] - 1) * h)
                        gavel_prefetch_line(column + budgets[e] * h)
                    }
                    var open = 0
                    for e in start..<end {
                        let b = budgets[e], cap = Swift.min(b, maxBid)
                        if cap < 1 { out[e] = 0; continue }
                        let vb = v(b), v1theta = objective.clickValue * ctrs[e * ctrStride]
                        let first = Self.margin(v1theta, gamma, v(b - 1), vb, v0, 1)
                        if first < 0 { out[e] = 0; continue }
                        state[open] = (e, BoundarySearch(origin: v1theta, accepted: 1, margin: first, rejected: cap + 1), b, cap, vb, v1theta, 0)
                        open += 1
                    }
                    // Same probes as `bid`'s search, one per open episode per round.
                    var running = open
                    while running > 0 {
                        running = 0
                        for j in 0..<open where !state[j].search.isDone {
                            let d = state[j].search.probe
                            state[j].d = d
                            gavel_prefetch_line(column + (state[j].b - d) * h)
                            if d < state[j].cap { gavel_prefetch_line(column + (state[j].b - d - 1) * h) }
                        }
                        for j in 0..<open where !state[j].search.isDone {
                            let s = state[j]
                            state[j].search.test(s.d, last: s.cap) { d in Self.margin(s.v1theta, gamma, v(s.b - d), s.vb, v0, d) }
                            if !state[j].search.isDone { running += 1 }
                        }
                    }
                    for j in 0..<open { out[state[j].episode] = state[j].search.lo }
                    start += group
                }
            }
        }
    }

    /// The bid condition for δ: v1·θ + γ(V(n−1, b−δ) − V(n−1, b)) − v0·δ ≥ 0, in the authors' order of
    /// operations. Every bid path (`bid`, `bids`, `bidByScan`) evaluates it here, so they agree to the bit.
    @inline(__always)
    static func accepts(_ v1theta: Double, _ gamma: Double, _ vBelow: Double, _ vb: Double, _ v0: Double, _ d: Int) -> Bool {
        margin(v1theta, gamma, vBelow, vb, v0, d) >= 0
    }

    /// The left side of the bid condition (accepted when ≥ 0); the boundary search also uses its size.
    @inline(__always)
    static func margin(_ v1theta: Double, _ gamma: Double, _ vBelow: Double, _ vb: Double, _ v0: Double, _ d: Int) -> Double {
        v1theta + gamma * (vBelow - vb) - v0 * Double(d)
    }

    /// The authors' scan: δ = 1, 2, … while the condition holds.
    @inline(__always)
    func scan(_ cap: Int, _ accepts: (Int) -> Bool) -> Int {
        var a = 0
        for d in 1...cap {
            if accepts(d) { a = d } else { break }
        }
        return a
    }

    /// The bid by the authors' linear scan only (the reference for `bid`).
    func bidByScan(auctionsLeft n: Int, budget b: Int, ctr theta: Double) -> Int {
        let cap = Swift.min(b, maxBid)
        if cap < 1 { return 0 }
        let vb = value(n: n - 1, budget: b)
        let v1theta = objective.clickValue * theta
        return scan(cap) { d in Self.accepts(v1theta, discount, value(n: n - 1, budget: b - d), vb, objective.costWeight, d) }
    }
}
