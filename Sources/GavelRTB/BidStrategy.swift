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

    public var name: String {
        switch self {
        case .constant: return "const"
        case .random: return "rand"
        case .mcpc: return "mcpc"
        case .linear: return "lin"
        case .ssMDP: return "ss_mdp"
        case .rlb: return "rlb"
        case .rlbLargeScale(let l): return "rlb_" + l.mapping.rawValue
        }
    }

    /// The bid before the exchange's cap, with n auctions left and budget b.
    @inline(__always)
    func bid(ctr theta: Double, auctionsLeft n: Int, budget b: Int, random: inout Xoshiro256StarStar) -> Int {
        switch self {
        case .constant(let c): return c
        case .random(let upper): return random.nextInt(below: upper)
        case .mcpc(let cpc): return Int(theta * cpc)
        case .linear(let b0, let avg): return Int(theta * Double(b0) / avg)
        case .ssMDP(let v): return v.bid(auctionsLeft: n, budget: b, ctr: v.averageCTR)
        case .rlb(let v): return v.bid(auctionsLeft: n, budget: b, ctr: theta)
        case .rlbLargeScale(let l): return l.bid(auctionsLeft: n, budget: b, ctr: theta)
        }
    }
}
