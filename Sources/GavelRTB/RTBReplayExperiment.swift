import GavelCore
import GavelData
import Foundation
import GavelConfig

/// A tunable bidder parameter: `tuned` (on the validation log by the Lin rule),
/// `authors` (Lin's b0 from the authors' pickles), or a number.
public enum BidParameter: Decodable, Sendable, Equatable {
    case tuned, authors, value(Int)

    public init(from decoder: any Decoder) throws {
        let c = try decoder.singleValueContainer()
        if let v = try? c.decode(Int.self) {
            guard v >= 0 else { throw DecodingError.dataCorruptedError(in: c, debugDescription: "expected an integer ≥ 0, 'tuned' or 'authors', found \(v)") }
            self = .value(v); return
        }
        switch try c.decode(String.self) {
        case "tuned": self = .tuned
        case "authors": self = .authors
        case let other: throw DecodingError.dataCorruptedError(in: c, debugDescription: "expected an integer ≥ 0, 'tuned' or 'authors', found '\(other)'")
        }
    }
}

/// `kind: rtb_replay`: bidders replayed on a logged campaign (spec/rtb.md), one
/// run per (bidder, c0).
public struct RTBReplayExperiment: Experiment {
    public enum LogFormat: String, ScenarioEnum { case rlbTheta = "rlb_theta", ipinyou }
    public enum ExchangeProtocol: String, ScenarioEnum { case rlb, ortb }
    public enum ObjectiveName: String, ScenarioEnum { case clicks, profit }

    /// The kind's scenario keys (strict: an unknown key is an error naming the keys allowed).
    public struct Config: Decodable, Sendable {
        public var log: DataFile
        public var logFormat: LogFormat
        public var order: String
        public var campaign: DataFile
        public var validation: DataFile?
        public var authorsB0: DataFile?
        public var campaignID: String?
        public var episodeLength: Int
        public var c0: [Double]
        /// Bidders to replay, distinct, by name in ``RTBBidderFamily/registry``.
        public var bidders: [RegisteredMechanism<RTBBidderFamily>]
        public var maxBid: Int
        public var rows: Int?
        public var protocolName: ExchangeProtocol
        public var ortbDivisor: Int
        public var objective: ObjectiveName
        public var linB0: BidParameter
        public var constBid: BidParameter
        public var randUpper: BidParameter
        public var anchorLength: Int

        enum CodingKeys: String, CodingKey, CaseIterable {
            case log, logFormat = "log_format", order, campaign, validation
            case authorsB0 = "authors_b0", campaignID = "campaign_id"
            case episodeLength = "episode_length", c0, bidders, maxBid = "max_bid", rows
            case protocolName = "protocol", ortbDivisor = "ortb_budget_divisor", objective
            case linB0 = "lin_b0", constBid = "const_bid", randUpper = "rand_upper", anchorLength = "large_scale_anchor"
        }

        /// How the parameter of bidder `name` is chosen: the scenario's `lin_b0`, `const_bid` or
        /// `rand_upper` for those built-ins, tuning for a registered bidder that takes one, nil
        /// for a bidder without a parameter.
        func parameterChoice(_ name: String, takesParameter: Bool) -> BidParameter? {
            guard takesParameter else { return nil }
            switch name {
            case "lin": return linB0
            case "const": return constBid
            case "rand": return randUpper
            default: return .tuned
            }
        }

        public init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            log = try c.decode(DataFile.self, forKey: .log)
            logFormat = try c.decodeIfPresent(LogFormat.self, forKey: .logFormat) ?? .rlbTheta
            order = try c.decodeIfPresent(String.self, forKey: .order, expecting: "'log' or 'timestamp'") { $0 == "log" || $0 == "timestamp" } ?? "log"
            campaign = try c.decode(DataFile.self, forKey: .campaign)
            validation = try c.decodeIfPresent(DataFile.self, forKey: .validation)
            authorsB0 = try c.decodeIfPresent(DataFile.self, forKey: .authorsB0)
            campaignID = try c.decodeIfPresent(String.self, forKey: .campaignID)
            episodeLength = try c.decodeIfPresent(Int.self, forKey: .episodeLength, expecting: "an integer ≥ 1") { $0 >= 1 } ?? 1000
            if let one = try? c.decode(Double.self, forKey: .c0) { c0 = [one] } else { c0 = try c.decode([Double].self, forKey: .c0) }
            guard !c0.isEmpty, c0.allSatisfy({ $0 > 0 && $0.isFinite }) else {
                throw DecodingError.dataCorruptedError(forKey: .c0, in: c, debugDescription: "expected budget ratios c0 > 0 (e.g. 0.03125 for 1/32)")
            }
            bidders = try c.decodeIfPresent([RegisteredMechanism<RTBBidderFamily>].self, forKey: .bidders, expecting: "a non-empty list of distinct bidders") {
                !$0.isEmpty && Set($0.map(\.name)).count == $0.count
            } ?? ["const", "rand", "mcpc", "lin", "ss_mdp", "rlb"].map { try RegisteredMechanism($0) }
            maxBid = try c.decodeIfPresent(Int.self, forKey: .maxBid, expecting: "an integer ≥ 1") { $0 >= 1 } ?? 300
            rows = try c.decodeIfPresent(Int.self, forKey: .rows, expecting: "an integer ≥ 1") { $0 >= 1 }
            protocolName = try c.decodeIfPresent(ExchangeProtocol.self, forKey: .protocolName) ?? .rlb
            ortbDivisor = try c.decodeIfPresent(Int.self, forKey: .ortbDivisor, expecting: "an integer ≥ 1") { $0 >= 1 } ?? 16
            objective = try c.decodeIfPresent(ObjectiveName.self, forKey: .objective) ?? .clicks
            linB0 = try c.decodeIfPresent(BidParameter.self, forKey: .linB0) ?? .tuned
            constBid = try c.decodeIfPresent(BidParameter.self, forKey: .constBid) ?? .tuned
            randUpper = try c.decodeIfPresent(BidParameter.self, forKey: .randUpper) ?? .tuned
            anchorLength = try c.decodeIfPresent(Int.self, forKey: .anchorLength, expecting: "an integer ≥ 1") { $0 >= 1 } ?? 1000
            let needsValidation = bidders.contains { parameterChoice($0.name, takesParameter: $0.mechanism.takesParameter) == .tuned }
            if needsValidation && validation == nil {
                throw DecodingError.dataCorruptedError(forKey: .bidders, in: c, debugDescription:
                    "tuned bidder parameters need a 'validation' log (or give lin_b0 / const_bid / rand_upper as numbers)")
            }
            if linB0 == .authors && (authorsB0 == nil || campaignID == nil) {
                throw DecodingError.dataCorruptedError(forKey: .linB0, in: c, debugDescription: "lin_b0: authors needs 'authors_b0' (the JSON of tuned values) and 'campaign_id'")
            }
            if constBid == .authors || randUpper == .authors {
                throw DecodingError.dataCorruptedError(forKey: constBid == .authors ? .constBid : .randUpper, in: c,
                                                       debugDescription: "expected an integer or 'tuned' ('authors' exists for lin_b0 only)")
            }
            if protocolName == .ortb, let dp = bidders.first(where: { RTBBidderFamily.plansEpisodes($0.mechanism) }) {
                throw DecodingError.dataCorruptedError(forKey: .bidders, in: c, debugDescription:
                    "the ortb protocol (one episode, bid > price) is defined for const, rand, mcpc and lin only, not \(dp.name)")
            }
        }
    }

    public static let kind = "rtb_replay"
    public static let summary = "real-time bidding replay of a logged campaign: RLB (Cai et al. 2017) and its baselines"
    /// The bidders, built-in then registered.
    public static var mechanisms: [ComponentInfo] { RTBBidderFamily.registry.components }
    public static let workloads = [
        ComponentInfo("rlb_theta", "han-cai/rlb-dp replay file: 'click market_price pCTR' per line (test.theta.txt)"),
        ComponentInfo("ipinyou", "raw iPinYou log (make-ipinyou-data layout), θ = θ_avg for every request"),
    ]
    public static let mechanismColumn = "bidder"

    public let config: Config
    public let log: BidRequestLog
    public let times: [Double]?
    public let validationLog: BidRequestLog?
    public let info: CampaignInfo
    public let authorsB0: [Double: Int]

    public init(config: Config) throws {
        self.config = config
        info = try CampaignInfo.read(path: config.campaign.path)
        var log: BidRequestLog
        var times: [Double]? = nil
        switch config.logFormat {
        case .rlbTheta:
            log = try RLBReplayFile.readTheta(path: config.log.path)
        case .ipinyou:
            let rows = try IPinYouLogReader.read(path: config.log.path)
            // By timestamp: the replay orders the requests by time. yyyyMMddHHmmssSSS read as a number
            // is monotone in time; it is made relative to the earliest before becoming a
            // double, since 17-digit values exceed a double's exact integers (2^53).
            if config.order == "timestamp", let first = rows.map(\.timestamp).min() {
                times = rows.map { Double($0.timestamp - first) }
            }
            log = IPinYouLogReader.bidLog(rows, constantCTR: info.averageCTR)
        }
        if let rows = config.rows, rows < log.count {
            log = log.prefix(rows)
            times = times.map { Array($0.prefix(rows)) }
        }
        guard info.priceCountsTrain.count > config.maxBid else {
            throw ExperimentError("\(config.campaign.path): price_counter_train has \(info.priceCountsTrain.count) bins; max_bid \(config.maxBid) needs \(config.maxBid + 1)")
        }
        self.log = log
        self.times = times
        validationLog = try config.validation.map { try RLBReplayFile.readValidation(path: $0.path).log }
        authorsB0 = try config.authorsB0.map { try Self.readAuthorsB0(path: $0.path, campaign: config.campaignID ?? "") } ?? [:]
        for c0 in config.c0 where info.budget(c0: c0, episodeLength: config.episodeLength) < 1 {
            throw ExperimentError("c0 = \(c0) gives a zero budget (B = int(CPM_train · c0 · T) = 0): use a larger c0 or episode_length")
        }
        if config.linB0 == .authors, config.bidders.contains(where: { $0.name == "lin" }) {
            for c0 in config.c0 where authorsB0[c0] == nil {
                throw ExperimentError("\(config.authorsB0!.path): no b0 for campaign \(config.campaignID!) at c0 = \(c0)")
            }
        }
    }

    /// `{camp: {c0: {b0, best_obj, n_tune}}}` (shared/data/rtb/rlb-dp/derived/lin_bid_b0_from_pickles.json).
    static func readAuthorsB0(path: String, campaign: String) throws -> [Double: Int] {
        guard let data = FileManager.default.contents(atPath: path),
              let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            throw InputError(file: path, "expected a JSON object {campaign: {c0: {b0: …}}}")
        }
        guard let perC0 = object[campaign] as? [String: Any] else {
            throw InputError(file: path, field: campaign, "no entry for campaign \(campaign)")
        }
        var out: [Double: Int] = [:]
        for (key, value) in perC0 {
            guard let c0 = Double(key), let entry = value as? [String: Any], let b0 = (entry["b0"] as? NSNumber)?.intValue else {
                throw InputError(file: path, field: "\(campaign).\(key)", "expected {\"b0\": integer}")
            }
            out[c0] = b0
        }
        return out
    }

    /// A bidder at one budget level c0 (the budget it gives is reported with it).
    public struct Cell: ExperimentCell {
        /// The bidder.
        public let bidder: any RTBBidder
        /// Its name in the scenario.
        public let mechanism: String
        public let c0: Double
        public let budget: Int
        public var parameters: [(String, JSONValue)] { [("c0", .double(c0)), ("budget", .int(Int64(budget)))] }
    }

    public var cells: [Cell] {
        config.bidders.flatMap { b in config.c0.map { Cell(bidder: b.mechanism, mechanism: b.name, c0: $0, budget: budget($0)) } }
    }

    func budget(_ c0: Double) -> Int {
        switch config.protocolName {
        case .rlb: return info.budget(c0: c0, episodeLength: config.episodeLength)
        case .ortb: return log.totalPrice / config.ortbDivisor
        }
    }

    var objective: RTBObjective {
        config.objective == .clicks ? .clicks : .profit(valuePerClick: Int(info.costPerClick))
    }

    func replay(_ log: BidRequestLog, times: [Double]?, c0: Double) -> ExchangeReplay {
        ExchangeReplay(log: log, times: times, episodeLength: config.episodeLength, budget: budget(c0), maxBid: config.maxBid,
                       rule: config.protocolName == .rlb ? .episodes : .singleBudget(budget(c0)))
    }

    /// The bidder's setup at this c0, with parameter `p`.
    func setup(c0: Double, parameter p: Int?) -> RTBBidderSetup {
        RTBBidderSetup(campaign: info, episodeLength: config.episodeLength, budget: budget(c0), c0: c0, maxBid: config.maxBid,
                       objective: objective, anchorLength: config.anchorLength, parameter: p)
    }

    /// The parameter of a bidder that takes one, for this c0 (nil for the others).
    func parameter(_ bidder: any RTBBidder, name: String, c0: Double, random: Xoshiro256StarStar) throws -> Int? {
        guard let choice = config.parameterChoice(name, takesParameter: bidder.takesParameter) else { return nil }
        switch choice {
        case .value(let v): return v
        case .authors: return authorsB0[c0]
        case .tuned:
            let validation = replay(validationLog!, times: nil, c0: c0)
            return try ParameterTuning.tune(maximum: config.maxBid) { p in
                validation.run(try bidder.strategy(for: setup(c0: c0, parameter: p)), random: random).result.objective(objective)
            }.best
        }
    }

    public func run(_ cell: Cell, context: RunContext) throws -> RunOutcome {
        let c0 = cell.c0
        // The log is the workload (no draws); a random bidder's bids and a tuning search are the bidder's own.
        let random = context.mechanism("bids")
        let p = try parameter(cell.bidder, name: cell.mechanism, c0: c0, random: context.mechanism("tuning"))
        let strategy = try cell.bidder.strategy(for: setup(c0: c0, parameter: p))
        let (r, events) = replay(log, times: times, c0: c0).run(strategy, random: random)
        return RunOutcome(metrics: [
            ("auctions", Double(r.auctions)), ("impressions", Double(r.impressions)), ("clicks", Double(r.clicks)),
            ("cost", Double(r.cost)), ("win_rate", r.winRate), ("cpm", r.cpm), ("ecpc", r.ecpc), ("ctr", r.ctr),
            ("objective", r.objective(objective)), ("parameter", p.map(Double.init) ?? .nan),
        ], events: events)
    }
}
