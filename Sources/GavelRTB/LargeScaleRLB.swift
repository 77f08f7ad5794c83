import GavelData

/// RLB for long episodes (T = 100,000), where the exact table T × B is out of
/// reach (for campaign 2997 at c0 = 1/2: 10^5 × 3.15·10^6 doubles ≈ 2.5 TB).
///
/// The exact DP is solved once for an anchor episode of T0 auctions and budget
/// B_bound = B·T0/T (the same budget per auction), and larger states are mapped
/// onto it (spec/rtb.md §B.1, "large scale"; the authors' old code uses T0 = 10,000):
/// - MapA: a(t, b) ≈ a(T0, b·T0/t) for t > T0;
/// - MapD: D(t, b) ≈ D(T0, b·T0/t) for t > T0, bidding by the derivative form
///   (largest δ with v1·θ − Σ_{k=1}^{δ} (γ·D(t−1, b−k) + v0) ≥ 0);
/// - for budgets above the anchor's: a(n, b) ≈ a(n·B_bound/b, B_bound) (and D likewise).
/// The authors approximate D by a neural network for the states outside the
/// anchor; here those states are mapped too, which is what "-MapD"/"-MapA" denote.
public struct LargeScaleRLB: Sendable {
    public enum Mapping: String, Sendable, CaseIterable { case mapD = "map_d", mapA = "map_a" }

    public let episodeLength: Int
    public let budget: Int
    public let mapping: Mapping
    public let anchor: RLBValueFunction

    public var anchorLength: Int { anchor.episodeLength }
    public var anchorBudget: Int { anchor.budget }
    public var memoryBytes: Int { anchor.memoryBytes }

    public init(episodeLength: Int, c0: Double, campaign: CampaignInfo, mapping: Mapping, anchorLength: Int = 1000, maxBid: Int = 300) {
        self.episodeLength = episodeLength
        self.mapping = mapping
        budget = campaign.budget(c0: c0, episodeLength: episodeLength)
        let t0 = min(anchorLength, episodeLength)
        anchor = RLBValueFunction(episodeLength: t0, budget: campaign.budget(c0: c0, episodeLength: t0), maxBid: maxBid,
                                  prices: MarketPriceDistribution(campaign: campaign), averageCTR: campaign.averageCTR)
    }

    /// (n, b) mapped into the anchor: n ≤ T0 and b ≤ B_bound.
    func mapped(_ n: Int, _ b: Int) -> (n: Int, b: Int) {
        var n = n, b = b
        let t0 = anchor.episodeLength, bound = anchor.budget
        if n > t0 { b = Int(Double(b) * Double(t0) / Double(n)); n = t0 }
        if b > bound { n = max(1, Int(Double(n) * Double(bound) / Double(b))); b = bound }
        return (n, b)
    }

    /// D(t, x) = V(t, x+1) − V(t, x) from the anchor's rows 0 … T0−1, states mapped in:
    /// t beyond the last row by MapD's rule, x beyond the anchor's budget by the budget rule.
    func derivative(_ t: Int, _ x: Int) -> Double {
        let last = anchor.episodeLength - 1, bound = anchor.budget
        guard bound >= 1, x >= 0 else { return 0 }
        var t = t, x = x
        if t > last { x = Int(Double(x) * Double(last) / Double(t)); t = last }
        if x > bound - 1 { t = Int(Double(t) * Double(bound - 1) / Double(x)); x = bound - 1 }
        return anchor.value(n: t, budget: x + 1) - anchor.value(n: t, budget: x)
    }

    public func bid(auctionsLeft n: Int, budget b: Int, ctr theta: Double) -> Int {
        switch mapping {
        case .mapA:
            let (nn, bb) = mapped(n, b)
            return anchor.bid(auctionsLeft: nn, budget: bb, ctr: theta)
        case .mapD:
            if n <= anchor.episodeLength && b <= anchor.budget {
                return anchor.bid(auctionsLeft: n, budget: b, ctr: theta)
            }
            let gamma = anchor.discount, v0 = anchor.objective.costWeight
            var value = anchor.objective.clickValue * theta
            var a = 0
            let cap = min(b, anchor.maxBid)
            if cap < 1 { return 0 }
            for d in 1...cap {
                value -= gamma * derivative(n - 1, b - d) + v0
                if value >= 0 { a = d } else { break }
            }
            return a
        }
    }
}
