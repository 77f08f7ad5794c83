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
    /// The allocation and payment rule of every query's auction.
    public enum Mechanism: String, Sendable, CaseIterable {
        /// Welfare: the MNL optimum (Dinkelbach) with VCG; cascade: the monotone slot greedy with
        /// Myerson (exact cascade search is exponential).
        case welfare
        /// Maximise Σ b w (no denominator) / Σ b p, Myerson payments (bisection).
        case ignoreSubstitution = "ignore_substitution"
        /// Revenue-optimal MNL (Dinkelbach on φ̄ of the `values` distribution), Myerson payments.
        case revenueOptimal = "revenue_optimal"

        /// One line for `gavel list`.
        public var summary: String {
            switch self {
            case .welfare: return "MNL: Dinkelbach + VCG (exact); cascade: index-order greedy + Myerson"
            case .ignoreSubstitution: return "max Σ b·w (MNL) or Σ b·p (cascade) ignoring substitution, Myerson payments"
            case .revenueOptimal: return "Dinkelbach on ironed virtual values of the value distribution, Myerson payments (reserves)"
            }
        }
    }

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

    /// Runs the market under `mechanism`; every draw comes from named streams of `seed`.
    public func run(_ mechanism: Mechanism, seed: UInt64) throws -> Outcome {
        let n = advertisers, m = positions, K = maxAds
        let root = Xoshiro256StarStar(seed: seed)
        var setup = root.stream(named: "advertisers")
        var arrivals = root.stream(named: "arrivals")
        var noise = root.stream(named: "ctr")
        var clicks = root.stream(named: "clicks")
        let normal = try NormalDistribution(mean: 0, standardDeviation: 1)
        let value = (0..<n).map { _ in values.sample(using: &setup) }
        let effect = (0..<n).map { _ in advertiserMean + advertiserSD * normal.sample(using: &setup) }
        let phi = mechanism == .revenueOptimal ? Array(repeating: VirtualValueFunction(values), count: n) : nil
        var multiplier = [Double](repeating: 1, count: n)
        var cascadeCoins = [Double](repeating: 0, count: K)
        var spent = [Double](repeating: 0, count: n)
        var ledger = MarketLedger(entityCount: n)
        var expectedWelfare = 0.0, totalClicks = 0, exhausted = 0
        var exhaustedFlag = [Bool](repeating: false, count: n)
        var weights = AdMatrix.filled(rows: n, columns: m, with: 0)
        var continuation = AdMatrix.filled(rows: n, columns: m, with: 1)
        let matcher = MaxWeightMatcher()
        var gain = [Double](repeating: 0, count: n * m)
        var bids = [Double](repeating: 0, count: n)
        var perClick = [Double](repeating: 0, count: n), ctr = [Double](repeating: 0, count: n)   // per query, reused
        let horizon = Double(queries) / arrivalRate
        // The fast path (Dinkelbach + VCG by cycle cancelling) has no reserve; with one, the welfare
        // optimum's payments are Myerson's from exact breakpoints (VCG with a reserve).
        let generic = mechanism != .welfare || model != .mnl || reserve > 0
        let genericMechanism: AdMechanism?
        switch (mechanism, model) {
        case (.welfare, .mnl): genericMechanism = reserve > 0 ? try AdMechanism(rule: .dinkelbach, payment: .myerson, reserve: reserve) : nil
        case (.welfare, _): genericMechanism = try AdMechanism(rule: .greedy, payment: .myerson, reserve: reserve)
        case (.ignoreSubstitution, _): genericMechanism = try AdMechanism(rule: .ignoreSubstitution, payment: .myerson, reserve: reserve)
        case (.revenueOptimal, .mnl): genericMechanism = try AdMechanism(rule: .dinkelbach, payment: .myerson, virtualValues: phi, reserve: reserve)
        case (.revenueOptimal, _): genericMechanism = try AdMechanism(rule: .greedy, payment: .myerson, virtualValues: phi, reserve: reserve)
        }
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
                for i in 0..<n { perClick[i] = 0; ctr[i] = 0 }
                if !generic {
                    // Start from the best single ad grown greedily (`warmStart`: a feasible value, often
                    // optimal, and then one matching certifies it).
                    let start = MNLOptimizer.warmStart(weights: weights, coefficients: bids, maxAds: K)
                    let best = MNLOptimizer.dinkelbach(weights: weights, coefficients: bids, maxAds: K, matcher: matcher, gain: &gain,
                                                       start: start?.objective ?? 0, startSlots: start?.slots ?? [])
                    slots = best.slots
                    var denominator = 1.0
                    for s in slots { denominator += weights[s.advertiser, s.position] }
                    for s in slots { ctr[s.advertiser] = weights[s.advertiser, s.position] / denominator }
                    for s in slots {
                        let i = s.advertiser
                        let others = MNLOptimizer.optimumWithout(i, optimum: slots, total: best.objective, denominator: denominator, weights: weights,
                                                                 coefficients: bids, maxAds: K, matcher: matcher, gain: &gain)
                        let payment = max(0, others - (best.objective - bids[i] * ctr[i]))
                        perClick[i] = ctr[i] > 0 ? payment / ctr[i] : 0
                    }
                } else {
                    let auction: PositionAuction
                    do {
                        if model == .mnl {
                            auction = try PositionAuction(model: .mnl(weights: weights), maxAds: K)
                        } else {
                            var p = weights
                            for k in p.values.indices { p.values[k] = p.values[k] / (1 + p.values[k]) }
                            for k in continuation.values.indices { continuation.values[k] = 1 - p.values[k] }
                            auction = try PositionAuction(model: .cascade(ctr: p, continuation: continuation, order: order), maxAds: K)
                        }
                        guard let mech = genericMechanism else { throw ExperimentError("aigc_market: no mechanism") }
                        let out = try mech.run(auction, bids: bids)
                        slots = out.slots; ctr = out.ctr; perClick = out.paymentPerClick
                    } catch {
                        failure = error
                        slots = []
                    }
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
