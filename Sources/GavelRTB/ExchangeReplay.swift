import GavelCore
import GavelData

/// How the exchange decides and charges (spec/rtb.md §B.3–B.4).
public enum ExchangeRule: Sendable, Equatable {
    /// RLB's protocol: episodes of T requests, each starting with budget B; the
    /// bid is capped at min(b, maxBid); a bid ≥ the market price wins (ties win)
    /// and pays the market price.
    case episodes
    /// optimal-rtb's benchmark protocol: one episode over the whole log with the
    /// given budget; a bid > the market price wins; the run stops once the spend
    /// exceeds the budget (so it can overspend by up to one price).
    case singleBudget(Int)
}

/// What a replay measured (spec §B.5).
public struct ReplayResult: Sendable, Equatable {
    public var auctions = 0
    public var impressions = 0
    public var clicks = 0
    public var cost = 0

    public var winRate: Double { Double(impressions) / Double(auctions) }
    /// Cost per impression, in the log's price unit (per mille of the currency).
    public var cpm: Double { Double(cost) / Double(impressions) }
    /// (cost / 1000) / clicks: cost per click in currency units.
    public var ecpc: Double { Double(cost) / 1000 / Double(clicks) }
    public var ctr: Double { Double(clicks) / Double(impressions) }
    public func objective(_ o: RTBObjective) -> Double { o.value(clicks: clicks, cost: cost) }

    /// A won impression at the market price, with the log's click.
    @inline(__always)
    mutating func recordWin<Click: BinaryInteger>(price: Int, click: Click) {
        impressions += 1
        clicks += Int(click)
        cost += price
    }
}

/// Replays a bid-request log through one bidder.
///
/// Both schedules are plain loops: the requests are a sequence, and nothing happens between two
/// of them that the kernel would have to order. Under the episodes rule in log order,
/// deterministic bidders run the episodes side by side (`runConcurrentEpisodes`: same result,
/// one step per request position of an episode). Otherwise `runInLogOrder` takes the requests
/// one by one: in log order, or with arrival times by time (equal times keep log order). Episodes count handled requests: after T of them the budget resets.
public struct ExchangeReplay: Sendable {
    public let log: BidRequestLog
    /// Arrival times, one per request, in any order; nil = log order.
    public let times: [Double]?
    public let episodeLength: Int
    public let budget: Int
    public let maxBid: Int
    public let rule: ExchangeRule

    public init(log: BidRequestLog, times: [Double]? = nil, episodeLength: Int, budget: Int, maxBid: Int = 300, rule: ExchangeRule = .episodes) {
        precondition(times == nil || times!.count == log.count, "one arrival time per request")
        precondition(times?.allSatisfy { $0.isFinite } ?? true, "arrival times must be finite")
        self.log = log
        self.times = times
        self.episodeLength = episodeLength
        self.budget = budget
        self.maxBid = maxBid
        self.rule = rule
    }

    /// Whether `run` takes the concurrent-episodes schedule (see `runConcurrentEpisodes`):
    /// the episodes rule in log order, for a bidder that draws no random numbers (the
    /// schedule would change the order of `rand`'s draws, hence its bids).
    public func usesConcurrentEpisodes(_ strategy: BidStrategy) -> Bool {
        if strategy.drawsRandomNumbers { return false }
        return rule == .episodes && times == nil && episodeLength < log.count
    }

    /// - Parameter random: the stream for randomised bidders (`rand`).
    public func run(_ strategy: BidStrategy, random: Xoshiro256StarStar = Xoshiro256StarStar(seed: 0)) -> (result: ReplayResult, events: Int) {
        usesConcurrentEpisodes(strategy) ? runConcurrentEpisodes(strategy) : runInLogOrder(strategy, random: random)
    }

    /// Episodes are independent under the episodes rule (each starts with budget B
    /// and T requests left), so they run side by side: step k = 0 … T−1 of a plain loop
    /// (the steps are a sequence) brings the k-th request of every episode, handled in
    /// episode order. Every episode then reads DP row T − k − 1 while it is in
    /// cache, where the log-order replay streams the whole table once per episode
    /// (252 MB at c0 = 1/2). Clicks, impressions and cost are integer sums, so the
    /// result equals `runInLogOrder`'s exactly (asserted in ExchangeTests); `events` counts
    /// T steps instead of one per request.
    public func runConcurrentEpisodes(_ strategy: BidStrategy) -> (result: ReplayResult, events: Int) {
        precondition(rule == .episodes && times == nil, "concurrent episodes need the episodes rule in log order")
        var result = ReplayResult()
        let count = log.count, length = episodeLength, cap = maxBid
        guard count > 0, length > 0 else { return (result, 0) }
        let episodeCount = (count + length - 1) / length
        var remaining = [Int](repeating: budget, count: episodeCount)
        var bids = [Int](repeating: 0, count: episodeCount)
        let steps = Swift.min(length, count)
        log.clicks.withUnsafeBufferPointer { clicks in
            log.prices.withUnsafeBufferPointer { prices in
                log.ctrs.withUnsafeBufferPointer { ctrs in
                    remaining.withUnsafeMutableBufferPointer { remaining in
                        bids.withUnsafeMutableBufferPointer { bids in
                            for k in 0..<steps {
                                // Episode e's k-th request is log row e·T + k; the last episode may be partial.
                                let active = (count - k + length - 1) / length
                                strategy.bids(auctionsLeft: length - k, budgets: remaining.baseAddress!, ctrs: ctrs.baseAddress! + k,
                                              ctrStride: length, count: active, into: bids.baseAddress!)
                                for e in 0..<active {
                                    let i = e * length + k, price = Int(prices[i]), b = remaining[e]
                                    result.auctions += 1
                                    if Swift.min(bids[e], Swift.min(b, cap)) >= price {
                                        result.recordWin(price: price, click: clicks[i])
                                        remaining[e] = b - price
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        return (result, steps)
    }

    /// Requests one after another in log order (or by arrival time): the reference schedule.
    public func runInLogOrder(_ strategy: BidStrategy, random: Xoshiro256StarStar = Xoshiro256StarStar(seed: 0)) -> (result: ReplayResult, events: Int) {
        var rng = random
        var result = ReplayResult()
        let count = log.count
        guard count > 0 else { return (result, 0) }
        let episodes: Bool
        var remaining: Int
        switch rule {
        case .episodes: episodes = true; remaining = budget
        case .singleBudget(let b): episodes = false; remaining = b
        }
        var left = episodeLength
        let cap = maxBid
        // Requests in arrival order: by time (relative to the earliest, so the clock starts at 0),
        // equal times in log order; without times, log order.
        let order: [Int]
        if let times {
            let earliest = times.min()!
            order = (0..<count).sorted { (times[$0] - earliest, $0) < (times[$1] - earliest, $1) }
        } else {
            order = Array(0..<count)
        }
        var handled = 0
        log.clicks.withUnsafeBufferPointer { clicks in
            log.prices.withUnsafeBufferPointer { prices in
                log.ctrs.withUnsafeBufferPointer { ctrs in
                    for i in order {
                        handled += 1
                        if left == 0 {
                            left = episodeLength
                            if episodes { remaining = budget }
                        }
                        let price = Int(prices[i])
                        var bid = strategy.bid(ctr: ctrs[i], auctionsLeft: left, budget: remaining, random: &rng)
                        result.auctions += 1
                        if episodes {
                            bid = Swift.min(bid, Swift.min(remaining, cap))
                            if bid >= price {
                                result.recordWin(price: price, click: clicks[i])
                                remaining -= price
                            }
                        } else {
                            bid = Swift.min(bid, cap)
                            if bid > price {
                                result.recordWin(price: price, click: clicks[i])
                                if result.cost > remaining { break }   // spend exceeded: stop
                            }
                        }
                        left -= 1
                    }
                }
            }
        }
        // Events as the kernel counted them: every timed request was an event (those after a stop
        // were popped and ignored); in log order, each handled request.
        return (result, times == nil ? handled : count)
    }
}
