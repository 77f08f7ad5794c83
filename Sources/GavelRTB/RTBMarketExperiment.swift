import Foundation
import GavelCore
import GavelData
import GavelConfig

/// `kind: rtb_market`: several campaigns in one exchange (see `MultiCampaignMarket`),
/// with metrics per campaign and Jain's index across campaigns; one cell per exchange
/// (`mechanisms:`, default `[market]`, the second-price exchange; see ``RTBExchangeAuction``).
public struct RTBMarketExperiment: Experiment {
    public struct CampaignConfig: Decodable, Sendable {
        public var name: String
        public var campaign: DataFile
        /// The campaign's bidder, by name in ``RTBBidderFamily/registry``.
        public var bidder: RegisteredMechanism<RTBBidderFamily>
        public var c0: Double
        public var parameter: Int?
        public var loggedClicks: Bool

        enum CodingKeys: String, CodingKey, CaseIterable {
            case name, campaign, bidder, c0, parameter, loggedClicks = "logged_clicks"
        }

        public init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            name = try c.decode(String.self, forKey: .name, expecting: "a name of letters, digits, '_' or '-'") {
                !$0.isEmpty && $0.allSatisfy { $0.isLetter || $0.isNumber || $0 == "_" || $0 == "-" }
            }
            campaign = try c.decode(DataFile.self, forKey: .campaign)
            bidder = try c.decode(RegisteredMechanism<RTBBidderFamily>.self, forKey: .bidder)
            c0 = try c.decode(Double.self, forKey: .c0, expecting: "a budget ratio > 0") { $0 > 0 && $0.isFinite }
            parameter = try c.decodeIfPresent(Int.self, forKey: .parameter, expecting: "an integer ≥ 0") { $0 >= 0 }
            loggedClicks = try c.decodeIfPresent(Bool.self, forKey: .loggedClicks) ?? false
            if bidder.mechanism.takesParameter && parameter == nil {
                throw DecodingError.dataCorruptedError(forKey: .parameter, in: c, debugDescription:
                    "\(bidder.name) needs 'parameter' (const: the bid, rand: the upper bound, lin: b0)")
            }
            if RTBBidderFamily.largeScale(bidder.mechanism) {
                throw DecodingError.dataCorruptedError(forKey: .bidder, in: c, debugDescription: "expected const, rand, mcpc, lin, ss_mdp or rlb")
            }
        }
    }

    /// The kind's scenario keys (strict: an unknown key is an error naming the keys allowed).
    public struct Config: Decodable, Sendable {
        public var log: DataFile
        public var logCampaign: DataFile
        public var episodeLength: Int
        public var rows: Int?
        public var maxBid: Int
        public var campaigns: [CampaignConfig]
        /// Requests per run whose exchange is audited for profitable misreports (default 0: none;
        /// with N > 0 the summary gains `max_gain_from_misreport`, see `SecondPriceExchange`); each
        /// cell audits its own exchange.
        public var auditAuctions: Int
        /// Exchanges to run, distinct, resolved through ``RTBExchanges/registry`` (default: `[market]`).
        public var mechanisms: [RegisteredMechanism<RTBExchanges>]

        enum CodingKeys: String, CodingKey, CaseIterable {
            case log, logCampaign = "log_campaign", episodeLength = "episode_length", rows, maxBid = "max_bid", campaigns
            case auditAuctions = "audit_auctions", mechanisms
        }

        public init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            log = try c.decode(DataFile.self, forKey: .log)
            logCampaign = try c.decode(DataFile.self, forKey: .logCampaign)
            episodeLength = try c.decodeIfPresent(Int.self, forKey: .episodeLength, expecting: "an integer ≥ 1") { $0 >= 1 } ?? 1000
            rows = try c.decodeIfPresent(Int.self, forKey: .rows, expecting: "an integer ≥ 1") { $0 >= 1 }
            maxBid = try c.decodeIfPresent(Int.self, forKey: .maxBid, expecting: "an integer ≥ 1") { $0 >= 1 } ?? 300
            campaigns = try c.decode([CampaignConfig].self, forKey: .campaigns, expecting: "a non-empty list of campaigns with distinct names") {
                !$0.isEmpty && Set($0.map(\.name)).count == $0.count
            }
            auditAuctions = try c.decodeIfPresent(Int.self, forKey: .auditAuctions, expecting: "an integer ≥ 0") { $0 >= 0 } ?? 0
            mechanisms = try c.decodeIfPresent([RegisteredMechanism<RTBExchanges>].self, forKey: .mechanisms,
                                               expecting: "a non-empty list of distinct exchanges") {
                !$0.isEmpty && Set($0.map(\.name)).count == $0.count
            } ?? [try RegisteredMechanism(SecondPriceExchangeAuction().name)]
        }
    }

    public static let kind = "rtb_market"
    public static let summary = "several RTB campaigns bidding against each other and the logged price; Jain across campaigns"
    /// The built-in exchange (`market`), then any registered one.
    public static var mechanisms: [ComponentInfo] { RTBExchanges.registry.components }
    public static let workloads = [ComponentInfo("rlb_theta", "one campaign's replay log; others see it through a CTR model scaled to their θ_avg")]

    public let config: Config
    public let market: MultiCampaignMarket

    public init(config: Config) throws {
        self.config = config
        var log = try RLBReplayFile.readTheta(path: config.log.path)
        if let rows = config.rows, rows < log.count { log = log.prefix(rows) }
        let owner = try CampaignInfo.read(path: config.logCampaign.path)
        var campaigns: [MultiCampaignMarket.Campaign] = []
        for cc in config.campaigns {
            let info = try CampaignInfo.read(path: cc.campaign.path)
            let budget = info.budget(c0: cc.c0, episodeLength: config.episodeLength)
            guard budget >= 1 else {
                throw ExperimentError("campaign \(cc.name): c0 = \(cc.c0) gives a zero budget (B = int(CPM_train · c0 · T) = 0)")
            }
            let strategy = try cc.bidder.mechanism.strategy(for: RTBBidderSetup(
                campaign: info, episodeLength: config.episodeLength, budget: budget, c0: cc.c0, maxBid: config.maxBid, parameter: cc.parameter))
            campaigns.append(.init(name: cc.name, info: info, strategy: strategy, budget: budget,
                                   ctrScale: info.averageCTR / owner.averageCTR, loggedClicks: cc.loggedClicks))
        }
        market = MultiCampaignMarket(log: log, episodeLength: config.episodeLength, maxBid: config.maxBid, campaigns: campaigns)
    }

    /// One exchange with the whole market in it (every campaign bids; the metrics are per campaign).
    public struct Cell: ExperimentCell {
        /// The exchange's name (`market` for the built-in).
        public let mechanism: String
        /// The exchange clearing every request.
        public let exchange: any RTBExchangeAuction
        /// None: the exchange is the cell's mechanism.
        public var parameters: [(String, JSONValue)] { [] }
    }

    public var cells: [Cell] { config.mechanisms.map { Cell(mechanism: $0.name, exchange: $0.mechanism) } }

    public func run(_ cell: Cell, context: RunContext) throws -> RunOutcome {
        let outcome = try market.run(workloadSeed: context.workloadSeed, mechanismSeed: context.mechanismSeed,
                                     auditAuctions: config.auditAuctions, exchange: cell.exchange)
        var metrics: [(String, Double)] = []
        let clicks = outcome.perCampaign.map { Double($0.clicks) }
        metrics.append(("auctions", Double(market.log.count)))
        metrics.append(("outside_wins", Double(outcome.outsideWins)))
        metrics.append(("clicks_total", clicks.reduce(0, +)))
        metrics.append(("cost_total", Double(outcome.perCampaign.reduce(0) { $0 + $1.cost })))
        metrics.append(("jain_clicks", JainIndex.compute(clicks)))
        metrics.append(("jain_impressions", JainIndex.compute(outcome.perCampaign.map { Double($0.impressions) })))
        for (campaign, r) in zip(market.campaigns, outcome.perCampaign) {
            metrics += [
                (campaign.name + "_impressions", Double(r.impressions)), (campaign.name + "_clicks", Double(r.clicks)),
                (campaign.name + "_cost", Double(r.cost)), (campaign.name + "_win_rate", r.winRate),
                (campaign.name + "_ecpc", r.ecpc),
            ]
        }
        if config.auditAuctions > 0 { metrics.append(("max_gain_from_misreport", outcome.maxGainFromMisreport)) }
        return RunOutcome(metrics: metrics, events: outcome.events)
    }
}
