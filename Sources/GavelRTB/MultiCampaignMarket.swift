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
        /// The truthfulness audit's largest one-auction gain from a misreport (0 when not audited; see `run`).
        public var maxGainFromMisreport = 0.0
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

    /// One run with one seed for clicks and bids, in `exchange` (default the second-price one).
    public func run(seed: UInt64, exchange: any RTBExchangeAuction = SecondPriceExchangeAuction()) throws -> Outcome {
        try run(workloadSeed: seed, mechanismSeed: seed, exchange: exchange)
    }

    /// Clicks are the workload; random bidders' bids are the bidders' own draws.
    ///
    /// A plain loop, not the kernel: the requests are a sequence in log order and nothing else
    /// happens between them (an episode starts every T requests), so there is nothing to
    /// interleave. `events` counts the requests and the episode starts (what the kernel version
    /// counted as events, so the committed results stay byte for byte the same).
    ///
    /// `exchange` clears every request (``RTBExchangeAuction``; default the second-price one); its
    /// throw, or a result naming no campaign or a price outside [0, the winner's bid], fails the run.
    ///
    /// `auditAuctions` > 0 audits `exchange` on the first that many requests (`SecondPriceExchange.maxGainFromMisreport`):
    /// the audit draws nothing, so the market's own numbers do not change.
    public func run(workloadSeed: UInt64, mechanismSeed: UInt64, auditAuctions: Int = 0,
                    exchange: any RTBExchangeAuction = SecondPriceExchangeAuction()) throws -> Outcome {
        let k = campaigns.count
        var results = [ReplayResult](repeating: ReplayResult(), count: k)
        var remaining = campaigns.map(\.budget)
        var bidStreams = campaigns.map { Xoshiro256StarStar(seed: mechanismSeed).stream(named: "bids." + $0.name) }
        var clickStreams = campaigns.map { Xoshiro256StarStar(seed: workloadSeed).stream(named: "clicks." + $0.name) }
        var outside = 0
        var left = episodeLength
        var bids = [Int](repeating: 0, count: k)
        var reals = [Double](repeating: 0, count: k)   // the same bids, as the exchange takes them
        let clear: ([Double], Double) throws -> (winner: Int, payment: Double)? = { try exchange.clear(bids: $0, outside: $1) }
        var auditGain = 0.0
        for i in 0..<log.count {
            if left == episodeLength { remaining = campaigns.map(\.budget) }   // an episode starts
            let price = Int(log.prices[i])
            for c in 0..<k {
                let theta = log.ctrs[i] * campaigns[c].ctrScale
                let raw = campaigns[c].strategy.bid(ctr: theta, auctionsLeft: left, budget: remaining[c], random: &bidStreams[c])
                bids[c] = min(raw, min(remaining[c], maxBid))
                reals[c] = Double(bids[c])
                results[c].auctions += 1
            }
            if i < auditAuctions {
                // Each campaign's true value of this impression: θ_k(x) times its value per click (CPC_train).
                let values = campaigns.map { log.ctrs[i] * $0.ctrScale * $0.info.costPerClick }
                auditGain = max(auditGain, try SecondPriceExchange.maxGainFromMisreport(values: values, bids: reals, outside: Double(price), clear: clear))
            }
            if let (best, real) = try exchange.clear(bids: reals, outside: Double(price)) {
                guard bids.indices.contains(best) else {
                    throw ExperimentError("exchange \(exchange.name): request \(i): winner \(best) is not a campaign (0..<\(k))")
                }
                let pay = Int(real.rounded())
                guard real.isFinite, pay >= 0, pay <= bids[best] else {
                    throw ExperimentError("exchange \(exchange.name): request \(i): price \(real) is outside [0, the winner's bid \(bids[best])]")
                }
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
        return Outcome(perCampaign: results, outsideWins: outside, events: log.count + episodes, maxGainFromMisreport: auditGain)
    }
}

/// The exchange of `rtb_market`: a second-price auction with the logged market price as an
/// outside bid. The highest bid wins if it is ≥ the outside bid (ties with the outside win, as in
/// RLB's protocol; ties between campaigns go to the earlier-listed one) and pays the larger of
/// the outside bid and the best other bid.
public enum SecondPriceExchange {
    /// The winner and its payment for the bids `bid(0..<count)` against `outside`; nil when the
    /// outside bid keeps the request. Generic so the market clears integer bids and the audit real reports the same way.
    @inline(__always)
    public static func clear<Price: Comparable>(count: Int, outside: Price, bid: (Int) -> Price) -> (winner: Int, payment: Price)? {
        guard count > 0 else { return nil }
        var best = 0, bestBid = bid(0), second = outside
        for c in 1..<count {
            let b = bid(c)
            if b > bestBid { second = max(second, bestBid); best = c; bestBid = b } else { second = max(second, b) }
        }
        return bestBid >= outside ? (best, second) : nil
    }

    /// `clear` on real bids.
    public static func secondPrice(_ bids: [Double], outside: Double) -> (winner: Int, payment: Double)? {
        clear(count: bids.count, outside: outside) { bids[$0] }
    }

    /// The audit of this (second-price) exchange: never throws (a defaulted `clear` would make the call throwing).
    public static func maxGainFromMisreport(values: [Double], bids: [Double], outside: Double) -> Double {
        maxGainFromMisreport(values: values, bids: bids, outside: outside, clear: secondPrice)
    }

    /// The truthfulness audit of one auction (issue 19, "RTB bidders (misreported values)"): for
    /// each campaign, the largest gain in its one-auction utility (value − payment if it wins, else
    /// 0) from reporting something other than its true value `values[c]`, the others' bids and the
    /// outside bid held fixed (`MisreportAudit`). Budgets play no part: the audit asks whether the
    /// exchange rewards shading a value, which a second-price exchange never does (gain ≤ rounding).
    /// `clear` is the exchange audited (this one in the overload without it; `rtb_market` passes its cell's ``RTBExchangeAuction``).
    /// A throw of `clear` is rethrown.
    public static func maxGainFromMisreport(values: [Double], bids: [Double], outside: Double,
                                            clear: (_ bids: [Double], _ outside: Double) throws -> (winner: Int, payment: Double)?) rethrows -> Double {
        var gain = 0.0
        var reports = bids
        for c in values.indices {
            let others = bids.indices.filter { $0 != c }.map { bids[$0] } + [outside]
            let found = try MisreportAudit.maxGain(truth: values[c], misreports: MisreportAudit.candidates(truth: values[c], factors: MisreportAudit.defaultFactors, others: others)) { r in
                reports[c] = r
                guard let (winner, pay) = try clear(reports, outside), winner == c else { return 0 }
                return values[c] - pay
            }
            reports[c] = bids[c]
            gain = max(gain, found.gain)
        }
        return gain
    }
}
