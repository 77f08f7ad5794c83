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
}

/// Replays a bid-request log through one bidder, in the simulation kernel:
/// requests arrive as events in log order (time = index) or at given times;
/// episode starts are events too, ordered before a request at the same time.
public struct ExchangeReplay: Sendable {
    public let log: BidRequestLog
    /// Arrival times, one per request (non-decreasing); nil = log order, time = index.
    public let times: [Double]?
    public let episodeLength: Int
    public let budget: Int
    public let maxBid: Int
    public let rule: ExchangeRule

    public init(log: BidRequestLog, times: [Double]? = nil, episodeLength: Int, budget: Int, maxBid: Int = 300, rule: ExchangeRule = .episodes) {
        precondition(times == nil || times!.count == log.count)
        self.log = log
        self.times = times
        self.episodeLength = episodeLength
        self.budget = budget
        self.maxBid = maxBid
        self.rule = rule
    }

    enum Event { case episodeStart, request(Int) }

    /// - Parameter random: the stream for randomised bidders (`rand`).
    public func run(_ strategy: BidStrategy, random: Xoshiro256StarStar = Xoshiro256StarStar(seed: 0)) -> (result: ReplayResult, events: Int) {
        var rng = random
        var result = ReplayResult()
        let sim = Simulation<Event>()
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
        log.clicks.withUnsafeBufferPointer { clicks in
            log.prices.withUnsafeBufferPointer { prices in
                log.ctrs.withUnsafeBufferPointer { ctrs in
                    func time(_ i: Int) -> Double { times?[i] ?? Double(i) }
                    sim.schedule(.episodeStart, at: time(0), priority: -1)
                    sim.schedule(.request(0), at: time(0))
                    sim.run { sim, event in
                        switch event {
                        case .episodeStart:
                            left = episodeLength
                            if episodes { remaining = budget }
                        case .request(let i):
                            let price = Int(prices[i])
                            var bid = strategy.bid(ctr: ctrs[i], auctionsLeft: left, budget: remaining, random: &rng)
                            result.auctions += 1
                            if episodes {
                                bid = Swift.min(bid, Swift.min(remaining, cap))
                                if bid >= price {
                                    result.impressions += 1
                                    result.clicks += Int(clicks[i])
                                    result.cost += price
                                    remaining -= price
                                }
                            } else {
                                bid = Swift.min(bid, cap)
                                if bid > price {
                                    result.impressions += 1
                                    result.clicks += Int(clicks[i])
                                    result.cost += price
                                    if result.cost > remaining { return }   // spend exceeded: stop
                                }
                            }
                            left -= 1
                            let next = i + 1
                            guard next < count else { return }
                            if episodes && left == 0 { sim.schedule(.episodeStart, at: time(next), priority: -1) }
                            sim.schedule(.request(next), at: time(next))
                        }
                    }
                }
            }
        }
        return (result, sim.eventsProcessed)
    }
}
