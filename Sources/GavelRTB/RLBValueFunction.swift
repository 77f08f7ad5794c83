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
/// Speed: each V(n, b) is an independent sequential sum, so sixteen adjacent
/// budgets are summed at once in SIMD lanes (same order per lane, hence the
/// same doubles) instead of reassociating one sum.
public struct RLBValueFunction: Sendable {
    public let episodeLength: Int
    public let budget: Int
    public let maxBid: Int
    public let averageCTR: Double
    public let objective: RTBObjective
    public let discount: Double
    /// Row-major N × (B+1).
    let values: [Double]
    /// Whether row n is non-decreasing in b; then the bid condition is monotone
    /// in δ and a binary search finds the same bid as the authors' linear scan.
    let rowIsMonotone: [Bool]

    /// Early-stop tolerance of the authors' code (`up_precision`).
    public static let saturationTolerance = 1e-10

    public var memoryBytes: Int { values.count * MemoryLayout<Double>.stride }

    public func value(n: Int, budget b: Int) -> Double { values[n * (budget + 1) + b] }

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
        var table = [Double](repeating: 0, count: n * width)
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
        table.withUnsafeMutableBufferPointer { all in
            m.withUnsafeBufferPointer { mp in
                for row in 1..<max(n, 1) {
                    let prev = UnsafeMutablePointer(all.baseAddress! + (row - 1) * width)
                    let next = all.baseAddress! + row * width
                    // a(n, b): the authors' sweep from b = B down, with one pointer bb.
                    if budget >= 1 {
                        var bb = budget - 1
                        for b in stride(from: budget, through: 1, by: -1) {
                            while bb >= 0 && gamma * (prev[bb] - prev[b]) + v1theta - v0 * Double(b - bb) >= 0 { bb -= 1 }
                            bids[b] = bb < 0 ? min(maxBid, b) : min(maxBid, b - bb - 1)
                        }
                    }
                    vMax = gamma * vMax + vInc
                    next[0] = 0
                    Self.fillRow(prev: prev, next: next, bids: bids, budget: budget, m: mp.baseAddress!,
                                 v1theta: v1theta, v0: v0, gamma: gamma, vMax: vMax)
                    var ok = true
                    if budget >= 1 { for b in 1...budget where next[b] < next[b - 1] { ok = false; break } }
                    monotone[row] = ok
                }
            }
        }
        values = table
        rowIsMonotone = monotone
    }

    /// V(n, ·) from V(n−1, ·), with the early stop.
    static func fillRow(prev: UnsafeMutablePointer<Double>, next: UnsafeMutablePointer<Double>, bids: [Int], budget: Int,
                        m: UnsafePointer<Double>, v1theta: Double, v0: Double, gamma: Double, vMax: Double) {
        typealias Lanes = SIMD16<Double>
        let lanes = Lanes.scalarCount
        var b = 1
        // Lanes are loaded from V(n−1, b−δ …); below b = maxBid + 1 that could start before 0.
        let firstVectorB = (bids.max() ?? 0) + 1
        while b <= budget {
            if b >= firstVectorB && b + lanes - 1 <= budget {
                var acc = Lanes()
                var here = Lanes()
                var limit = Lanes()
                var maxA = 0
                for l in 0..<lanes {
                    here[l] = prev[b + l]
                    acc[l] = gamma * prev[b + l]
                    limit[l] = Double(bids[b + l])
                    maxA = max(maxA, bids[b + l])
                }
                let zero = Lanes()
                for d in 0...maxA {
                    let shifted = UnsafeRawPointer(prev + (b - d)).loadUnaligned(as: Lanes.self)
                    let inner = (v1theta + gamma * (shifted - here)) - v0 * Double(d)
                    let term = m[d] * inner
                    acc += term.replacing(with: zero, where: Lanes(repeating: Double(d)) .> limit)
                }
                for l in 0..<lanes {
                    next[b + l] = acc[l]
                    if abs(acc[l] - vMax) < saturationTolerance {
                        saturate(next, from: b + l + 1, through: budget, vMax)
                        return
                    }
                }
                b += lanes
            } else {
                let vb = prev[b]
                var acc = gamma * vb
                let a = bids[b]
                if a >= 0 {
                    for d in 0...a { acc += m[d] * ((v1theta + gamma * (prev[b - d] - vb)) - v0 * Double(d)) }
                }
                next[b] = acc
                if abs(acc - vMax) < saturationTolerance {
                    saturate(next, from: b + 1, through: budget, vMax)
                    return
                }
                b += 1
            }
        }
    }

    static func saturate(_ row: UnsafeMutablePointer<Double>, from start: Int, through end: Int, _ value: Double) {
        var i = start
        while i <= end { row[i] = value; i += 1 }
    }

    /// The RLB bid with n auctions left (1 … N), budget b and predicted CTR θ:
    /// the largest δ in 1 … min(b, maxBid) such that every δ' ≤ δ satisfies
    /// v1·θ + γ(V(n−1, b−δ') − V(n−1, b)) − v0·δ' ≥ 0 (the authors' scan from δ = 1,
    /// stopping at the first failure); 0 if δ = 1 fails.
    public func bid(auctionsLeft n: Int, budget b: Int, ctr theta: Double) -> Int {
        let cap = Swift.min(b, maxBid)
        if cap < 1 { return 0 }
        let row = n - 1
        return values.withUnsafeBufferPointer { all in
            let v = all.baseAddress! + row * (budget + 1)
            let vb = v[b]
            let v1theta = objective.clickValue * theta
            let gamma = discount, v0 = objective.costWeight
            @inline(__always) func accepts(_ d: Int) -> Bool {
                v1theta + gamma * (v[b - d] - vb) - v0 * Double(d) >= 0
            }
            if rowIsMonotone[row] && gamma >= 0 && v0 >= 0 {
                // Monotone condition: largest accepted δ by bisection.
                if !accepts(1) { return 0 }
                var lo = 1, hi = cap
                while lo < hi {
                    let mid = (lo + hi + 1) >> 1
                    if accepts(mid) { lo = mid } else { hi = mid - 1 }
                }
                return lo
            }
            var a = 0
            for d in 1...cap {
                if accepts(d) { a = d } else { break }
            }
            return a
        }
    }
}
