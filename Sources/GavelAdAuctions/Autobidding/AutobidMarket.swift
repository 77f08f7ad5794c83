import GavelCore

/// The values of one autobidding episode: what each advertiser's slot-1 impression is worth in
/// each auction, the outside bid, and each advertiser's constraints (docs/autobidding.md).
public struct AutobidEpisodeData: Sendable {
    /// values[a][i]: advertiser a's slot-1 value in auction i (≥ 0).
    public let values: [[Double]]
    /// The outside bid per auction (0: none); its value counts in welfare as its bid.
    public let outside: [Double]
    /// B_a per advertiser (`.infinity`: none).
    public let budgets: [Double]
    /// Return-on-spend targets γ_a (nil: none).
    public let roiTargets: [Double?]
    /// Value per click (conversion) V_a, with v_ai = V_a·α_ai: the MNL page needs the two apart.
    public let perClickValues: [Double]
    /// The largest value any advertiser has in any auction (learners' and pacers' scale), found
    /// once here: every bidder's setup needs it.
    public let valueScale: Double

    /// An episode's data; `perClickValues` defaults to each advertiser's largest value.
    public init(values: [[Double]], outside: [Double], budgets: [Double], roiTargets: [Double?], perClickValues: [Double]? = nil) {
        precondition(values.allSatisfy { $0.count == outside.count } && budgets.count == values.count && roiTargets.count == values.count)
        self.values = values; self.outside = outside; self.budgets = budgets; self.roiTargets = roiTargets
        self.perClickValues = perClickValues ?? values.map { max($0.max() ?? 1, .leastNormalMagnitude) }
        valueScale = max(values.lazy.map { $0.max() ?? 0 }.max() ?? 0, .leastNormalMagnitude)
    }
    /// n.
    public var advertisers: Int { values.count }
    /// T.
    public var auctions: Int { outside.count }

    /// Advertiser `a`'s setup, optionally with a reported budget or target instead of its own.
    public func setup(_ a: Int, budget: Double? = nil, roiTarget: Double?? = nil) -> AutobidderSetup {
        AutobidderSetup(budget: budget ?? budgets[a], horizon: auctions, roiTarget: roiTarget ?? roiTargets[a], valueScale: valueScale)
    }
}

/// What one episode produced.
public struct AutobidEpisode: Sendable {
    /// Σ_i β_j v_ai over the slots won, per advertiser.
    public var valueWon: [Double]
    /// Total payment per advertiser.
    public var spend: [Double]
    /// Slots won per advertiser (at most one per auction).
    public var wins: [Int]
    /// Σ β_j × the outside bid over the slots it took.
    public var outsideValue = 0.0
    /// Total payments.
    public var revenue = 0.0
    /// Every bidder's `multiplier` at each control tick (ticks × advertisers).
    public var multiplierTrace: [[Double]] = []
    /// bids[a][i], kept when asked (regret in hindsight replays them).
    public var bids: [[Double]] = []
    /// Kernel events handled.
    public var events = 0
}

/// Repeated auctions in the kernel: auction i arrives at time i; every `controlInterval`
/// auctions a control tick (priority −1: before the auction at the same time) lets the
/// controllers update. The two event streams interleave in time, which is why this runs in
/// the kernel rather than a plain loop. Bids are capped by the budget left (the platform
/// knows the budget it was given), so a bidder never pays more than that budget.
public enum AutobidMarket {
    enum Event { case auction(Int), control }

    /// Plays one episode: every auction of `data` cleared by `format` under `terms`, with `bidders`
    /// (their own coins seeded by `bidderSeed`), control ticks every `controlInterval` auctions.
    ///
    /// Generic over the format so that a concrete one is specialised into the loop; a format
    /// from the registry (`any AutobidAuctionFormat`, what a scenario's run has) is opened once
    /// per episode, and each auction then costs one witness call to its `clear`.
    /// - Parameter reportedBudgets: the budgets the platform caps bids by, when they differ from the true ones (the misreport audit).
    /// - Throws: `InputError` when the format does not take the terms (slots, outside bids, reserve);
    ///   `ExperimentError` naming the auction when the format's clearing or counterfactual fails.
    public static func run<Format: AutobidAuctionFormat>(
        _ data: AutobidEpisodeData, bidders: inout [any Autobidder], format: Format, terms: AutobidAuctionTerms,
        controlInterval: Int, bidderSeed: UInt64, keepBids: Bool = false, reportedBudgets: [Double]? = nil
    ) throws -> AutobidEpisode {
        try check(format, terms: terms, hasOutsideBids: data.outside.contains { $0 > 0 })
        let n = data.advertisers, t = data.auctions
        // Each bidder's own coins (throttling, learners' draws), one named stream per advertiser.
        let streams = (0..<n).map { Xoshiro256StarStar(seed: bidderSeed).stream(named: "bidder.\($0)") }
        let budgets = reportedBudgets ?? data.budgets
        var episode = AutobidEpisode(valueWon: Array(repeating: 0, count: n), spend: Array(repeating: 0, count: n),
                                     wins: Array(repeating: 0, count: n))
        if keepBids { episode.bids = Array(repeating: Array(repeating: 0, count: t), count: n) }
        var loop = AuctionLoop(format: format, episode: episode, streams: streams,
                               auction: AutobidAuctionInput(terms: terms, bids: Array(repeating: 0, count: n), values: Array(repeating: 0, count: n),
                                                            perClickValues: data.perClickValues),
                               clearing: AuctionClearing(slots: terms.clickFactors.count, advertisers: n))
        let sim = Simulation<Event>()
        guard t > 0 else { return episode }
        sim.schedule(.auction(0), at: 0)
        if controlInterval < t { sim.schedule(.control, at: Double(controlInterval), priority: -1) }
        try sim.run { sim, event in
            switch event {
            case .control:
                for a in 0..<n { bidders[a].control() }
                loop.episode.multiplierTrace.append(bidders.map(\.multiplier))
                let next = sim.now + Double(controlInterval)
                if next < Double(t) { sim.schedule(.control, at: next, priority: -1) }
            case .auction(let i):
                try loop.run(auction: i, data: data, budgets: budgets, bidders: &bidders, keepBids: keepBids)
                if i + 1 < t { sim.schedule(.auction(i + 1), at: Double(i + 1)) }
            }
        }
        var episodeOut = loop.episode
        episodeOut.events = sim.eventsProcessed
        return episodeOut
    }

    /// One episode's per-auction state. The kernel's handler captures this one value; the auction
    /// itself runs in a mutating method, where the input, the clearing and the format are stored
    /// properties of `self`, checked for exclusive access at compile time (captured variables are
    /// boxed and checked at run time, on every access, which cost a third of the loop's speed).
    struct AuctionLoop<Format: AutobidAuctionFormat> {
        var format: Format
        var episode: AutobidEpisode
        var streams: [Xoshiro256StarStar]
        var auction: AutobidAuctionInput
        var clearing: AuctionClearing

        mutating func run(auction i: Int, data: AutobidEpisodeData, budgets: [Double], bidders: inout [any Autobidder], keepBids: Bool) throws {
            let n = data.advertisers
            auction.index = i
            auction.outside = data.outside[i]
            for a in 0..<n {
                let value = data.values[a][i]
                let left = budgets[a] - episode.spend[a]
                let raw = bidders[a].bid(value: value, random: &streams[a])
                auction.values[a] = value
                auction.bids[a] = max(0, min(raw.isFinite ? raw : 0, left))
                if keepBids { episode.bids[a][i] = auction.bids[a] }
            }
            do { try format.clear(auction, into: &clearing) } catch { throw AutobidMarket.failure(format, auction: i, "clearing", error) }
            for holder in clearing.slotHolder where holder >= 0 { episode.wins[holder] += 1 }
            episode.outsideValue += clearing.outsideValue
            for a in 0..<n {
                let pay = clearing.payment[a], won = clearing.valueWon[a]
                episode.spend[a] += pay
                episode.revenue += pay
                episode.valueWon[a] += won
                let feedback = BidderFeedback(value: auction.values[a], bid: auction.bids[a], wonValue: won, payment: pay)
                do { try bidders[a].observe(feedback) { try self.format.counterfactual(bid: $0, advertiser: a, in: self.auction) } }
                catch { throw AutobidMarket.failure(format, auction: i, "counterfactual", error) }
            }
        }
    }


    /// The terms a format cannot take, as an `InputError` (a scenario's config checks the same at decoding).
    static func check(_ format: some AutobidAuctionFormat, terms: AutobidAuctionTerms, hasOutsideBids: Bool) throws {
        guard format.accepts(slots: terms.clickFactors.count) else {
            throw InputError("the \(format.name) format does not take \(terms.clickFactors.count) slots", field: "market.slots")
        }
        guard format.takesOutsideBidAndReserve || (!hasOutsideBids && terms.reserve == 0) else {
            throw InputError("the \(format.name) format takes no outside bid and no reserve", field: "market")
        }
    }

    /// A format's failure in auction `i`, as the run's `ExperimentError` (an `InputError` stays one).
    static func failure(_ format: some AutobidAuctionFormat, auction i: Int, _ what: String, _ error: any Error) -> any Error {
        if error is InputError { return error }
        return ExperimentError("auction \(i): the \(format.name) format's \(what) failed: \(error)")
    }
}

/// Measures of an episode against the advertisers' constraints (docs/autobidding.md).
public enum AutobidMetrics {
    /// Liquid welfare (Dobzinski & Paes Leme 2014; with return-on-spend targets as in Aggarwal,
    /// Badanidiyuru & Mehta 2019): Σ_a min(B_a, value_a) plus the outside bids' value.
    public static func liquidWelfare(_ e: AutobidEpisode, _ d: AutobidEpisodeData) -> Double {
        zip(e.valueWon, d.budgets).reduce(e.outsideValue) { $0 + min($1.0, $1.1) }
    }

    /// The largest relative overspend, max_a max(0, spend − B) / B (0 when within every budget).
    public static func budgetViolation(_ e: AutobidEpisode, _ d: AutobidEpisodeData) -> Double {
        zip(e.spend, d.budgets).reduce(0) { $1.1.isFinite && $1.1 > 0 ? max($0, ($1.0 - $1.1) / $1.1) : $0 }
    }

    /// The largest relative return-on-spend shortfall, max_a max(0, spend − value/γ) / (value/γ);
    /// spend with no value won counts as 1 (100 %).
    public static func roiViolation(_ e: AutobidEpisode, _ d: AutobidEpisodeData) -> Double {
        var worst = 0.0
        for a in 0..<d.advertisers {
            guard let g = d.roiTargets[a] else { continue }
            let allowed = e.valueWon[a] / g
            if allowed > 0 { worst = max(worst, (e.spend[a] - allowed) / allowed) } else if e.spend[a] > 0 { worst = max(worst, 1) }
        }
        return worst
    }

    /// Jain's index over the advertisers' utilities value − spend, negative ones counted as 0.
    public static func jainOverUtilities(_ e: AutobidEpisode) -> Double {
        JainIndex.compute(zip(e.valueWon, e.spend).map { max(0, $0 - $1) })
    }

    /// Convergence of the control-tick multipliers: over the last fifth of the ticks, the largest
    /// relative spread (max − min) / mean of any bidder's multiplier, and the first tick (as a
    /// fraction of the episode) after which every bidder stays within `tolerance` of its
    /// last-fifth mean. Converged when the spread is at most 2·tolerance.
    public static func convergence(_ e: AutobidEpisode, tolerance: Double = 0.05) -> (converged: Bool, spread: Double, time: Double) {
        let ticks = e.multiplierTrace.count
        guard ticks >= 5, let n = e.multiplierTrace.first?.count, n > 0 else { return (false, .nan, .nan) }
        let tail = e.multiplierTrace[(ticks - ticks / 5)...]
        var spread = 0.0, means = [Double](repeating: 0, count: n)
        for a in 0..<n {
            let xs = tail.map { $0[a] }
            let mean = xs.reduce(0, +) / Double(xs.count)
            means[a] = mean
            let s = (xs.max()! - xs.min()!) / max(abs(mean), 1e-12)
            spread = max(spread, s)
        }
        var settle = ticks
        for k in stride(from: ticks - 1, through: 0, by: -1) {
            let inside = (0..<n).allSatisfy { abs(e.multiplierTrace[k][$0] - means[$0]) <= tolerance * max(abs(means[$0]), 1e-12) }
            if inside { settle = k } else { break }
        }
        return (spread <= 2 * tolerance, spread, Double(settle + 1) / Double(ticks + 1))
    }
}
