import GavelCore

/// The bidders of spec/rtb.md §B.4, each bidding integer prices.
public enum BidStrategy: Sendable {
    /// A constant bid (optimal-rtb's Const).
    case constant(Int)
    /// Uniform integer in [0, upper) (optimal-rtb's Rand).
    case random(upper: Int)
    /// int(θ(x) · CPC_train): bid the expected value of a click at the training cost per click.
    case mcpc(costPerClick: Double)
    /// int(θ(x) · b0 / θ_avg) (Zhang et al. 2014's linear bidding; `lin_bid.py`).
    case linear(b0: Int, averageCTR: Double)
    /// RLB's rule with θ(x) replaced by θ_avg: ignores the request's features.
    case ssMDP(RLBValueFunction)
    /// RLB: the DP bid for the request's θ(x).
    case rlb(RLBValueFunction)
    /// RLB for long episodes through a mapped anchor table (MapD / MapA).
    case rlbLargeScale(LargeScaleRLB)
    /// A registered bidder's own bid function (see `RTBBidder`).
    case custom(CustomBid)

    /// A bid function of a registered bidder: the bid for pCTR θ with n auctions and budget b left.
    /// It may draw from `random` (the bidder's own stream, `bids` in the run's mechanism seed).
    public struct CustomBid: Sendable {
        /// The name it reports (`BidStrategy.name`).
        public let name: String
        /// Whether `bid` draws random numbers: then the replay takes the requests strictly in log
        /// order (the concurrent-episodes schedule would reorder the draws).
        public let drawsRandomNumbers: Bool
        let bid: @Sendable (_ ctr: Double, _ auctionsLeft: Int, _ budget: Int, _ random: inout Xoshiro256StarStar) -> Int

        /// A bid function called `name`.
        public init(name: String, drawsRandomNumbers: Bool = false,
                    bid: @escaping @Sendable (_ ctr: Double, _ auctionsLeft: Int, _ budget: Int, _ random: inout Xoshiro256StarStar) -> Int) {
            self.name = name; self.drawsRandomNumbers = drawsRandomNumbers; self.bid = bid
        }
    }

    /// Whether the strategy draws random numbers (`rand`, a custom bid that says so).
    public var drawsRandomNumbers: Bool {
        switch self {
        case .random: return true
        case .custom(let f): return f.drawsRandomNumbers
        default: return false
        }
    }

    public var name: String {
        switch self {
        case .constant: return "const"
        case .random: return "rand"
        case .mcpc: return "mcpc"
        case .linear: return "lin"
        case .ssMDP: return "ss_mdp"
        case .rlb: return "rlb"
        case .rlbLargeScale(let l): return "rlb_" + l.mapping.rawValue
        case .custom(let f): return f.name
        }
    }

    /// The bid before the exchange's cap, with n auctions left and budget b.
    /// `prefetch`: see `RLBValueFunction.bid`.
    @inline(__always)
    func bid(ctr theta: Double, auctionsLeft n: Int, budget b: Int, random: inout Xoshiro256StarStar, prefetch: Bool = true) -> Int {
        switch self {
        case .constant(let c): return c
        case .random(let upper): return random.nextInt(below: upper)
        case .mcpc(let cpc): return Int(theta * cpc)
        case .linear(let b0, let avg): return Int(theta * Double(b0) / avg)
        case .ssMDP(let v): return v.bid(auctionsLeft: n, budget: b, ctr: v.averageCTR, prefetch: prefetch)
        case .rlb(let v): return v.bid(auctionsLeft: n, budget: b, ctr: theta, prefetch: prefetch)
        case .rlbLargeScale(let l): return l.bid(auctionsLeft: n, budget: b, ctr: theta)
        case .custom(let f): return f.bid(theta, n, b, &random)
        }
    }

    /// Bids of several episodes at one step (see `ExchangeReplay.runConcurrentEpisodes`):
    /// the DP bidders batch their bisections; the others bid one by one. Never `rand`.
    func bids(auctionsLeft n: Int, budgets: UnsafePointer<Int>, ctrs: UnsafePointer<Double>, ctrStride: Int,
              count: Int, into out: UnsafeMutablePointer<Int>) {
        switch self {
        case .rlb(let v):
            v.bids(auctionsLeft: n, budgets: budgets, ctrs: ctrs, ctrStride: ctrStride, count: count, into: out)
        case .ssMDP(let v):
            withUnsafePointer(to: v.averageCTR) { theta in
                v.bids(auctionsLeft: n, budgets: budgets, ctrs: theta, ctrStride: 0, count: count, into: out)
            }
        default:
            var unused = Xoshiro256StarStar(seed: 0)
            for e in 0..<count {
                out[e] = bid(ctr: ctrs[e * ctrStride], auctionsLeft: n, budget: budgets[e], random: &unused, prefetch: false)
            }
        }
    }
}
