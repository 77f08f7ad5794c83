import GavelCore
import GavelData

/// Several campaigns bidding in one exchange for the same stream of requests,
/// with the logged market price as the outside competition.
///
/// Per request every campaign bids (capped at min(its budget left, maxBid)); the
/// highest bid wins if it is ≥ the logged price (ties with the outside win, as in
/// RLB's protocol; ties between campaigns go to the earlier-listed one) and pays
/// the second price: the larger of the logged price and the best other bid.
/// Episodes of T requests reset every budget.
///
/// Only one campaign's log is public (2997), so the other campaigns see that
/// stream through a CTR model scaled to their own training CTR,
/// θ_k(x) = θ_log(x) · θ_avg,k / θ_avg,log, and click with that probability
/// (named random stream per campaign); a campaign flagged `loggedClicks` uses the
/// logged clicks instead. This market is synthetic in that respect: documented, not hidden.
public struct MultiCampaignMarket: Sendable {
    public struct Campaign: Sendable {
        public let name: String
        public let info: CampaignInfo
        public let strategy: BidStrategy
        public let budget: Int
        public let ctrScale: Double
        public let loggedClicks: Bool

        public init(name: String, info: CampaignInfo, strategy: BidStrategy, budget: Int, ctrScale: Double, loggedClicks: Bool) {
            self.name = name
            self.info = info
            self.strategy = strategy
            self.budget = budget
            self.ctrScale = ctrScale
            self.loggedClicks = loggedClicks
        }
    }

    public struct Outcome: Sendable {
        public var perCampaign: [ReplayResult]
        /// Requests no campaign won (the outside bidder kept them).
        public var outsideWins: Int
        public var events: Int
    }

    public let log: BidRequestLog
    public let episodeLength: Int
    public let maxBid: Int
    public let campaigns: [Campaign]

    public init(log: BidRequestLog, episodeLength: Int, maxBid: Int = 300, campaigns: [Campaign]) {
        self.log = log
        self.episodeLength = episodeLength
        self.maxBid = maxBid
        self.campaigns = campaigns
    }

    public func run(seed: UInt64) -> Outcome {
        run(workloadSeed: seed, mechanismSeed: seed)
    }

    /// Clicks are the workload; random bidders' bids are the bidders' own draws.
    ///
    /// A plain loop, not the kernel: the requests are a sequence in log order and nothing else
    /// happens between them (an episode starts every T requests), so there is nothing to
    /// interleave. `events` counts the requests and the episode starts (what the kernel version
    /// counted as events, so the committed results stay byte for byte the same).
    public func run(workloadSeed: UInt64, mechanismSeed: UInt64) -> Outcome {
        let k = campaigns.count
        var results = [ReplayResult](repeating: ReplayResult(), count: k)
        var remaining = campaigns.map(\.budget)
        var bidStreams = campaigns.map { Xoshiro256StarStar(seed: mechanismSeed).stream(named: "bids." + $0.name) }
        var clickStreams = campaigns.map { Xoshiro256StarStar(seed: workloadSeed).stream(named: "clicks." + $0.name) }
        var outside = 0
        var left = episodeLength
        var bids = [Int](repeating: 0, count: k)
        for i in 0..<log.count {
            if left == episodeLength { remaining = campaigns.map(\.budget) }   // an episode starts
            let price = Int(log.prices[i])
            var best = -1, bestBid = -1, second = price
            for c in 0..<k {
                let theta = log.ctrs[i] * campaigns[c].ctrScale
                let raw = campaigns[c].strategy.bid(ctr: theta, auctionsLeft: left, budget: remaining[c], random: &bidStreams[c])
                bids[c] = min(raw, min(remaining[c], maxBid))
                results[c].auctions += 1
                if bids[c] > bestBid {
                    if best >= 0 { second = max(second, bestBid) }
                    best = c; bestBid = bids[c]
                } else {
                    second = max(second, bids[c])
                }
            }
            if best >= 0 && bestBid >= price {
                let pay = second
                let theta = log.ctrs[i] * campaigns[best].ctrScale
                let clicked = campaigns[best].loggedClicks ? Int(log.clicks[i])
                    : (clickStreams[best].nextUnitDouble() < theta ? 1 : 0)
                results[best].impressions += 1
                results[best].clicks += clicked
                results[best].cost += pay
                remaining[best] -= pay
            } else {
                outside += 1
            }
            left -= 1
            if left == 0 { left = episodeLength }
        }
        let episodes = episodeLength > 0 ? (log.count + episodeLength - 1) / episodeLength : 0
        return Outcome(perCampaign: results, outsideWins: outside, events: log.count + episodes)
    }
}
