import Foundation
import GavelCore

/// The market in the kernel (issue item 6): queries arrive as a Poisson process; each runs one
/// auction on fresh CTRs from the generator (fixed advertiser and position effects, fresh noise per
/// query); the user clicks by the click model; advertisers pay per click, have budgets and may pace.
///
/// Ours, not the paper's: the paper has no experiments visible (spec A.7). Choices, documented in
/// docs/aigc.md: per-click values are drawn once per run from `values`; a click charges the per-click
/// price P_i/π_i (so expected spend per impression is P_i); an advertiser whose budget is spent bids 0
/// (a click may overshoot the budget by at most one price); multiplicative pacing every
/// `pacingInterval` time units moves a bid multiplier toward spending budget·t/T.
public struct AdMarket: Sendable {
    /// `none`, or `multiplicative`: every `pacingInterval`, a multiplier moves by ±`pacingStep` toward the budget's pro-rata spend.
    public enum Pacing: String, Sendable, CaseIterable { case none, multiplicative }

    /// The click model (`mnl` or `cascade`; default MNL).
    public var model: AdInstanceGenerator.Family = .mnl
    /// The cascade's rendering order (default `chosen`).
    public var order: RenderingOrder = .chosen
    /// n.
    public var advertisers: Int
    /// m.
    public var positions: Int
    /// K, the most ads shown per query.
    public var maxAds: Int
    /// Queries per run.
    public var queries: Int
    /// Queries per unit time (Poisson rate, default 1).
    public var arrivalRate: Double = 1
    /// Mean of the advertiser effect (default −1).
    public var advertiserMean: Double = -1
    /// Standard deviation of the advertiser effect (default 0.5).
    public var advertiserSD: Double = 0.5
    /// The position decay (default 0.3).
    public var positionDecay: Double = 0.3
    /// The per-query CTR noise's standard deviation (default 0.5).
    public var noiseSD: Double = 0.5
    /// Per-click values, drawn once per advertiser and run (default uniform on [1, 10]).
    public var values: ValueDistribution = .uniform(lower: 1, upper: 10)
    /// Per-advertiser budget over the run; nil: unlimited.
    public var budget: Double?
    /// Budget pacing (default none).
    public var pacing: Pacing = .none
    /// Time units between pacing updates (default 100).
    public var pacingInterval: Double = 100
    /// The relative change of a pacing multiplier per update, in (0, 1) (default 0.05).
    public var pacingStep: Double = 0.05
    /// Per-click reserve price: bids below it are not shown; shown ads pay at least it per click
    /// (the Myerson payment of the rule restricted to bids ≥ reserve: VCG with a reserve for `welfare`).
    public var reserve: Double = 0

    /// A market of n advertisers, m positions, K ads per query and `queries` queries, the rest at defaults.
    public init(advertisers: Int, positions: Int, maxAds: Int, queries: Int) {
        self.advertisers = advertisers
        self.positions = positions
        self.maxAds = maxAds
        self.queries = queries
    }

    /// A run's metrics, in report order, and the kernel events it handled.
    public struct Outcome: Sendable {
        /// (name, value) pairs, in report order.
        public var metrics: [(String, Double)]
        /// Kernel events handled.
        public var events: Int
    }

    enum Event { case query, pace }

    /// Runs the market under `mechanism` (adapted to the market's `values` and `reserve`; the
    /// built-ins are ``AIGCMarketFamily``'s); every draw comes from named streams of `seed`.
    public func run(_ mechanism: any PositionAuctionMechanism, seed: UInt64) throws -> Outcome {
        let mechanism = try mechanism.adapted(to: AuctionTerms(prior: values, reserve: reserve))
        let n = advertisers, m = positions, K = maxAds
        let root = Xoshiro256StarStar(seed: seed)
        var setup = root.stream(named: "advertisers")
        var arrivals = root.stream(named: "arrivals")
        var noise = root.stream(named: "ctr")
        var clicks = root.stream(named: "clicks")
        let normal = try NormalDistribution(mean: 0, standardDeviation: 1)
        let value = (0..<n).map { _ in values.sample(using: &setup) }
        let effect = (0..<n).map { _ in advertiserMean + advertiserSD * normal.sample(using: &setup) }
        var multiplier = [Double](repeating: 1, count: n)
        var cascadeCoins = [Double](repeating: 0, count: K)
        var spent = [Double](repeating: 0, count: n)
        var ledger = MarketLedger(entityCount: n)
        var expectedWelfare = 0.0, totalClicks = 0, exhausted = 0
        var exhaustedFlag = [Bool](repeating: false, count: n)
        var weights = AdMatrix.filled(rows: n, columns: m, with: 0)
        var continuation = AdMatrix.filled(rows: n, columns: m, with: 1)
        var bids = [Double](repeating: 0, count: n)
        var perClick = [Double](repeating: 0, count: n), ctr = [Double](repeating: 0, count: n)   // per query, reused
        let horizon = Double(queries) / arrivalRate
        let sim = Simulation<Event>()
        let interarrival = try ExponentialDistribution(rate: arrivalRate)
        sim.schedule(.query, at: interarrival.sample(using: &arrivals))
        if pacing == .multiplicative { sim.schedule(.pace, at: pacingInterval, priority: 1) }
        var served = 0
        var failure: Error?
        sim.run { sim, event in
            switch event {
            case .pace:
                for i in 0..<n {
                    guard let b = budget else { break }
                    let target = b * min(1, sim.now / horizon)
                    multiplier[i] = spent[i] > target ? multiplier[i] * (1 - pacingStep) : min(1, multiplier[i] * (1 + pacingStep))
                }
                if served < queries { sim.schedule(.pace, after: pacingInterval, priority: 1) }
            case .query:
                served += 1
                for i in 0..<n {
                    for j in 0..<m { weights[i, j] = exp(effect[i] - positionDecay * Double(j) + noiseSD * normal.sample(using: &noise)) }
                    let left = budget.map { spent[i] < $0 } ?? true
                    bids[i] = left ? value[i] * multiplier[i] : 0
                }
                var slots: [Slot]
                // One call of the mechanism per query (the built-in `welfare` takes its warm-started
                // fast path on MNL without a reserve).
                do {
                    let auction: PositionAuction
                    if model == .mnl {
                        auction = try PositionAuction(model: .mnl(weights: weights), maxAds: K)
                    } else {
                        var p = weights
                        for k in p.values.indices { p.values[k] = p.values[k] / (1 + p.values[k]) }
                        for k in continuation.values.indices { continuation.values[k] = 1 - p.values[k] }
                        auction = try PositionAuction(model: .cascade(ctr: p, continuation: continuation, order: order), maxAds: K)
                    }
                    let out = try mechanism.run(auction, bids: bids)
                    slots = out.slots; ctr = out.ctr; perClick = out.paymentPerClick
                } catch {
                    failure = error
                    slots = []
                }
                for s in slots { expectedWelfare += value[s.advertiser] * ctr[s.advertiser] }
                // The user: MNL picks one shown ad with probability π (else the outside option);
                // cascade (the market uses q = 1 − p) scans in rendering order, clicks with p and stops
                // after a click: one uniform per examined ad.
                if model == .mnl {
                    var u = clicks.nextUnitDouble()
                    for s in slots {
                        if u < ctr[s.advertiser] { charge(s.advertiser); break }
                        u -= ctr[s.advertiser]
                    }
                } else {
                    // One uniform per rendering position, K of them for every query whatever
                    // the mechanism shows, so the click stream stays aligned across mechanisms
                    // (common random numbers) and slot k of a page always sees the same coin.
                    for k in 0..<K { cascadeCoins[k] = clicks.nextUnitDouble() }
                    for (k, s) in slots.enumerated() {
                        let u = cascadeCoins[k]
                        let p = weights[s.advertiser, s.position] / (1 + weights[s.advertiser, s.position])
                        if u < p { charge(s.advertiser); break }
                    }
                }
                func charge(_ i: Int) {
                    totalClicks += 1
                    spent[i] += perClick[i]
                    ledger.record(entity: i, value: value[i], payment: perClick[i])
                    if let b = budget, spent[i] >= b, !exhaustedFlag[i] { exhaustedFlag[i] = true; exhausted += 1 }
                }
                if served < queries && failure == nil { sim.schedule(.query, after: interarrival.sample(using: &arrivals)) }
            }
        }
        if let failure { throw failure }
        let q = Double(queries)
        return Outcome(metrics: [
            ("welfare_per_query", ledger.welfare / q),
            ("expected_welfare_per_query", expectedWelfare / q),
            ("revenue_per_query", ledger.revenue / q),
            ("clicks_per_query", Double(totalClicks) / q),
            ("jain_utilities", ledger.jainOverUtilities()),
            ("budgets_exhausted", Double(exhausted)),
        ], events: sim.eventsProcessed)
    }
}
