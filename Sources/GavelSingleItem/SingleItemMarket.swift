import GavelCore
import GavelConfig

/// `kind: single_item_auction`: repeated single-item auctions run in the kernel.
///
/// Auctions open as a Poisson process; each of n bidders arrives at a uniform
/// time within the bidding window, draws its value U[0,1] and bids its
/// equilibrium bid; the auction closes at the end of the window. Per run it
/// reports revenue and welfare per auction next to their closed forms, so the
/// simulator's numbers can be checked against theory at a glance.
public struct SingleItemMarket: Experiment {
    /// The scenario's `config:` block.
    public struct Config: Decodable, Sendable {
        /// Rules to run, distinct, built-in or registered (default: first and second price).
        public var mechanisms: [RegisteredMechanism<SingleItemAuctionRules>]
        /// Bidder counts n, distinct and ≥ 1 (`bidders: 5` or a list).
        public var bidders: [Int]
        /// Auctions per run, ≥ 1.
        public var auctions: Int
        /// Reserve price r in [0, 1), in value units (default 0).
        public var reserve: Double
        /// Auction openings per unit time (Poisson rate, default 1).
        public var arrivalRate: Double
        /// Time units an auction stays open; bidders arrive uniformly within it (default 0.5).
        public var biddingWindow: Double
        /// Auctions (the first ones to close) in which every bidder's misreports are tried; 0: no
        /// audit. With it, the summary gains `max_gain_from_misreport`.
        public var auditAuctions: Int = 0

        enum CodingKeys: String, CodingKey, CaseIterable {
            case mechanisms, bidders, auctions, reserve
            case arrivalRate = "arrival_rate"
            case biddingWindow = "bidding_window"
            case auditAuctions = "audit_auctions"
        }

        /// A config given in code (tests); a scenario's is decoded and checked.
        /// - Throws: ``InputError`` for a mechanism name no registry entry has.
        public init(mechanisms: [String] = SingleItemAuction.Format.allCases.map(\.rawValue), bidders: [Int],
                    auctions: Int, reserve: Double = 0, arrivalRate: Double = 1, biddingWindow: Double = 0.5, auditAuctions: Int = 0) throws {
            self.mechanisms = try mechanisms.map { try RegisteredMechanism($0) }
            self.auditAuctions = auditAuctions
            self.bidders = bidders
            self.auctions = auctions
            self.reserve = reserve
            self.arrivalRate = arrivalRate
            self.biddingWindow = biddingWindow
        }

        public init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            mechanisms = try c.decodeIfPresent([RegisteredMechanism<SingleItemAuctionRules>].self, forKey: .mechanisms, expecting: "a non-empty list") { !$0.isEmpty }
                ?? SingleItemAuction.Format.allCases.map { try RegisteredMechanism($0.rawValue) }
            // `bidders: 5` or `bidders: [2, 5, 10]`.
            if let one = try? c.decode(Int.self, forKey: .bidders) {
                bidders = [one]
            } else {
                bidders = try c.decode([Int].self, forKey: .bidders)
            }
            if let bad = bidders.first(where: { $0 < 1 }) {
                throw DecodingError.dataCorruptedError(forKey: .bidders, in: c, debugDescription: "expected bidder counts ≥ 1, found \(bad)")
            }
            if bidders.isEmpty {
                throw DecodingError.dataCorruptedError(forKey: .bidders, in: c, debugDescription: "expected at least one bidder count")
            }
            if let repeated = bidders.firstRepeated() {
                throw DecodingError.dataCorruptedError(forKey: .bidders, in: c, debugDescription: "expected distinct bidder counts, found \(repeated) twice")
            }
            if let repeated = mechanisms.map(\.name).firstRepeated() {
                throw DecodingError.dataCorruptedError(forKey: .mechanisms, in: c, debugDescription: "expected distinct mechanisms, found \(repeated) twice")
            }
            auctions = try c.decode(Int.self, forKey: .auctions, expecting: "an integer ≥ 1") { $0 >= 1 }
            reserve = try c.decodeIfPresent(Double.self, forKey: .reserve, expecting: "a number in [0, 1)") { $0 >= 0 && $0 < 1 } ?? 0
            arrivalRate = try c.decodeIfPresent(Double.self, forKey: .arrivalRate, expecting: "a finite number > 0") { $0 > 0 && $0.isFinite } ?? 1
            biddingWindow = try c.decodeIfPresent(Double.self, forKey: .biddingWindow, expecting: "a finite number > 0") { $0 > 0 && $0.isFinite } ?? 0.5
            auditAuctions = try c.decodeIfPresent(Int.self, forKey: .auditAuctions, expecting: "an integer ≥ 0") { $0 >= 0 } ?? 0
        }
    }

    /// `single_item_auction`.
    public static let kind = "single_item_auction"
    /// One line for `gavel list`.
    public static let summary = "repeated single-item auctions, values iid U[0,1]; checks revenue against (n−1)/(n+1)"
    /// Every rule of ``SingleItemAuctionRules/registry``, built-in and registered.
    public static var mechanisms: [ComponentInfo] { SingleItemAuctionRules.registry.components }
    /// One workload: uniform values, Poisson auction arrivals.
    public static let workloads = [ComponentInfo("uniform_values", "n bidders per auction, values iid U[0,1], Poisson auction arrivals")]

    /// The decoded config.
    public let config: Config
    /// Keeps the config; decoding has already checked it.
    public init(config: Config) throws { self.config = config }

    /// An auction format with a number of bidders (and the scenario's reserve, reported with it).
    public struct Cell: ExperimentCell {
        /// The auction rule.
        public let rule: any SingleItemAuctionRule
        /// The rule's name.
        public let mechanism: String
        /// Bidders per auction, n.
        public let bidders: Int
        /// The scenario's reserve price (the same in every cell).
        public let reserve: Double
        /// `bidders` and `reserve`, in that order.
        public var parameters: [(String, JSONValue)] { [("bidders", .int(Int64(bidders))), ("reserve", .double(reserve))] }
    }

    /// Every format × bidder count, formats slowest.
    public var cells: [Cell] {
        config.mechanisms.flatMap { m in config.bidders.map { Cell(rule: m.mechanism, mechanism: m.name, bidders: $0, reserve: config.reserve) } }
    }

    enum Event {
        case open(auction: Int)
        case arrive(auction: Int, bidder: Int)
        case close(auction: Int)
    }

    /// Runs `auctions` auctions in the kernel; both formats draw the same arrivals and values (workload streams `arrivals`, `values`).
    public func run(_ cell: Cell, context: RunContext) throws -> RunOutcome {
        let rule = cell.rule, n = cell.bidders
        let r = config.reserve
        // Workload streams: both formats see the same auctions, bidders and values.
        var arrivals = context.workload("arrivals")
        var values = context.workload("values")
        let interarrival = try ExponentialDistribution(rate: config.arrivalRate)
        let offset = try UniformDistribution(lower: 0, upper: config.biddingWindow)

        let sim = Simulation<Event>()
        var open: [Int: [Double?]] = [:]   // values of bidders arrived, per auction in progress; never iterated
        var ledger = MarketLedger(entityCount: n)
        var revenue = RunningStatistics()
        var welfare = RunningStatistics()
        var sold = 0
        var audited = 0, auditGain = 0.0

        sim.schedule(.open(auction: 0), at: interarrival.sample(using: &arrivals))
        // A rule's error stops the kernel and fails the run.
        try sim.run { sim, event in
            switch event {
            case .open(let a):
                open[a] = Array(repeating: nil, count: n)
                for i in 0..<n { sim.schedule(.arrive(auction: a, bidder: i), after: offset.sample(using: &arrivals)) }
                // Closing has priority 1: bids arriving at the very same instant still count.
                sim.schedule(.close(auction: a), after: config.biddingWindow, priority: 1)
                if a + 1 < config.auctions {
                    sim.schedule(.open(auction: a + 1), after: interarrival.sample(using: &arrivals))
                }
            case .arrive(let a, let i):
                open[a]![i] = values.nextUnitDouble()
            case .close(let a):
                let vals = open.removeValue(forKey: a)!
                let bids = try vals.map { try $0.flatMap { try rule.bid(value: $0, bidders: n, reserve: r) } }
                if audited < config.auditAuctions {
                    audited += 1
                    auditGain = max(auditGain, try Self.maxGainFromMisreport(values: vals, bids: bids, reserve: r, rule: rule))
                }
                if let (winner, price) = try rule.clear(bids: bids, reserve: r) {
                    let value = vals[winner]!
                    ledger.record(entity: winner, value: value, payment: price)
                    revenue.add(price); welfare.add(value); sold += 1
                } else {
                    revenue.add(0); welfare.add(0)
                }
            }
        }
        let expected = SingleItemAuction.expectedRevenue(bidders: n, reserve: r)
        return RunOutcome(metrics: [
            ("revenue", revenue.mean),
            ("revenue_expected", expected),
            // How many standard errors this run's mean revenue is from the closed form.
            ("revenue_z", (revenue.mean - expected) / revenue.standardError),
            ("welfare", welfare.mean),
            ("welfare_expected", SingleItemAuction.expectedWelfare(bidders: n, reserve: r)),
            ("sold_fraction", Double(sold) / Double(config.auctions)),
            ("jain_bidders", ledger.jainOverUtilities()),
        ] + (config.auditAuctions > 0 ? [("max_gain_from_misreport", auditGain)] : []), events: sim.eventsProcessed)
    }

    /// The largest gain any bidder of one auction gets by bidding something other than its value,
    /// the others' bids held fixed (the report is the bid: a direct mechanism's input). Second price
    /// shows none; first price shows the shading its equilibrium does.
    static func maxGainFromMisreport(values: [Double?], bids: [Double?], reserve: Double, rule: any SingleItemAuctionRule) throws -> Double {
        var best = 0.0
        for (i, value) in values.enumerated() {
            guard let v = value else { continue }
            let others = bids.indices.filter { $0 != i }.compactMap { bids[$0] }
            func utility(_ report: Double) throws -> Double {
                var b = bids
                b[i] = report >= reserve ? report : nil   // below the reserve is no bid, as `bid(value:)` has it
                guard let (winner, price) = try rule.clear(bids: b, reserve: reserve), winner == i else { return 0 }
                return v - price
            }
            let found = try MisreportAudit.maxGain(truth: v, misreports: MisreportAudit.candidates(truth: v, factors: MisreportAudit.defaultFactors, others: others),
                                               utility: utility)
            best = max(best, found.gain)
        }
        return best
    }
}
