import Foundation
import GavelCore
import Synchronization
import GavelData
import GavelLP
import GavelConfig

/// The bidder algorithms a population may use (docs/autobidding.md).
public enum AutobidderKind: String, ScenarioEnum, Encodable {
    case truthful, linear, constant
    case adaptivePacing = "adaptive_pacing", pidPacing = "pid_pacing", throttling
    case valueMaximiser = "value_maximiser", valueMaximiserPID = "value_maximiser_pid"
    case hedge, exp3, ucb

    /// One line for `gavel list`.
    public var summary: String {
        switch self {
        case .truthful: return "bids its value"
        case .linear: return "bids multiplier × value"
        case .constant: return "bids a constant amount"
        case .adaptivePacing: return "budget pacing, bid v/(1+μ), μ by dual descent (Balseiro & Gur 2019)"
        case .pidPacing: return "budget pacing, bid multiplier by PID on the spend rate"
        case .throttling: return "budget pacing by probabilistic throttling (enter with probability π)"
        case .valueMaximiser: return "value maximiser with budget and return-on-spend target, uniform bid scaling by dual descent"
        case .valueMaximiserPID: return "value maximiser, bid multiplier by PID on the tighter constraint"
        case .hedge: return "Hedge over the multiplier grid, full feedback"
        case .exp3: return "EXP3 over the multiplier grid, bandit feedback"
        case .ucb: return "UCB1 over the multiplier grid, bandit feedback"
        }
    }
    var objective: HindsightRegret.Objective { self == .valueMaximiser || self == .valueMaximiserPID ? .value : .utility }
    var usesGrid: Bool { self == .hedge || self == .exp3 || self == .ucb }
}

/// `kind: autobidding`: autobidders competing in repeated auctions under swappable mechanisms
/// (issue 17; docs/autobidding.md). Cells are mechanism × bidder population. The advertisers
/// (values, budgets, targets) and the bidders' own coins are the workload: within a population
/// every format of a replicate faces the same ones, so comparisons.csv pairs formats per
/// population. (The population is part of the configuration: across populations the draws are
/// independent.)
public struct AutobiddingExperiment: Experiment {
    /// Where values and outside bids come from: the synthetic model, or an iPinYou (RLB) replay log.
    public enum Workload: String, ScenarioEnum { case synthetic, ipinyou }

    /// `market:` keys: the advertisers, the auctions and what they are worth.
    public struct MarketConfig: Decodable, Sendable {
        /// `synthetic` (default) or `ipinyou`.
        public var workload: Workload = .synthetic
        /// Advertisers, in [1, 1000].
        public var advertisers: Int
        /// Auctions per episode T, in [1, 10^7].
        public var auctions: Int
        /// Budget = ratio × the advertiser's total value / advertisers; nil: no budgets.
        public var budgetRatio: Double?
        /// Return-on-spend target γ for every advertiser (spend ≤ value / γ); not with `tcpa`.
        public var roi: Double?
        /// Target cost per conversion: γ = the advertiser's value per conversion / tCPA; not with `roi`.
        public var tcpa: Double?
        /// ρ, the weight of the auction's common factor in the synthetic values, in [0, 1] (default 0.5).
        public var correlation = 0.5
        /// Mean of the exponential outside bid per auction; 0 (default): none.
        public var outsideMean = 0.0
        /// Click factors β_j of the slots, in (0, 1] and non-increasing (default one slot, [1]).
        public var slots: [Double] = [1]
        /// Reserve price (default 0).
        public var reserve = 0.0
        /// The MNL attraction scale s of w_aj = s·α_ai·β_j (default 1).
        public var mnlAttraction = 1.0
        /// The RLB `.theta.txt` replay file (`ipinyou` only).
        public var log: DataFile?
        /// The log's `info.json` (`ipinyou` only).
        public var logCampaign: DataFile?

        enum CodingKeys: String, CodingKey, CaseIterable {
            case workload, advertisers, auctions, budgetRatio = "budget_ratio", roi, tcpa, correlation
            case outsideMean = "outside_mean", slots, reserve, mnlAttraction = "mnl_attraction", log, logCampaign = "log_campaign"
        }

        public init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            workload = try c.decodeIfPresent(Workload.self, forKey: .workload) ?? .synthetic
            advertisers = try c.decode(Int.self, forKey: .advertisers, expecting: "an integer in [1, 1000]") { $0 >= 1 && $0 <= 1000 }
            auctions = try c.decode(Int.self, forKey: .auctions, expecting: "an integer in [1, 10^7]") { $0 >= 1 && $0 <= 10_000_000 }
            budgetRatio = try c.decodeIfPresent(Double.self, forKey: .budgetRatio, expecting: "a budget ratio > 0 (budget = ratio × the advertiser's total value / advertisers)") { $0 > 0 && $0.isFinite }
            roi = try c.decodeIfPresent(Double.self, forKey: .roi, expecting: "a return-on-spend target > 0 (spend ≤ value / roi)") { $0 > 0 && $0.isFinite }
            tcpa = try c.decodeIfPresent(Double.self, forKey: .tcpa, expecting: "a target cost per conversion > 0") { $0 > 0 && $0.isFinite }
            if roi != nil && tcpa != nil {
                throw DecodingError.dataCorruptedError(forKey: .tcpa, in: c, debugDescription: "expected one of roi and tcpa, not both")
            }
            correlation = try c.decodeIfPresent(Double.self, forKey: .correlation, expecting: "a number in [0, 1]") { $0 >= 0 && $0 <= 1 } ?? 0.5
            outsideMean = try c.decodeIfPresent(Double.self, forKey: .outsideMean, expecting: "a mean ≥ 0") { $0 >= 0 && $0.isFinite } ?? 0
            slots = try c.decodeIfPresent([Double].self, forKey: .slots, expecting: "a non-empty list of click factors in (0, 1], non-increasing") {
                !$0.isEmpty && $0.allSatisfy { $0 > 0 && $0 <= 1 } && zip($0, $0.dropFirst()).allSatisfy { $0 >= $1 }
            } ?? [1]
            reserve = try c.decodeIfPresent(Double.self, forKey: .reserve, expecting: "a reserve price ≥ 0") { $0 >= 0 && $0.isFinite } ?? 0
            mnlAttraction = try c.decodeIfPresent(Double.self, forKey: .mnlAttraction, expecting: "an attraction scale > 0") { $0 > 0 && $0.isFinite } ?? 1
            log = try c.decodeIfPresent(DataFile.self, forKey: .log)
            logCampaign = try c.decodeIfPresent(DataFile.self, forKey: .logCampaign)
            if workload == .ipinyou && (log == nil || logCampaign == nil) {
                throw DecodingError.dataCorruptedError(forKey: .log, in: c, debugDescription: "workload ipinyou needs 'log' (an RLB .theta.txt replay file) and 'log_campaign' (its info.json)")
            }
            if workload == .synthetic && (log != nil || logCampaign != nil) {
                throw DecodingError.dataCorruptedError(forKey: log != nil ? .log : .logCampaign, in: c, debugDescription: "'log' and 'log_campaign' belong to workload ipinyou")
            }
        }
    }

    /// One entry of a population: a bidder kind and how many advertisers use it.
    public struct BidderSpec: Decodable, Sendable {
        /// The bidder algorithm.
        public var type: AutobidderKind
        /// Advertisers using it; nil (for at most one entry): the advertisers left.
        public var count: Int?
        /// m for `linear` (required there).
        public var multiplier: Double?
        /// The bid for `constant` (required there).
        public var amount: Double?
        /// The learning or pacing step, overriding the kind's default.
        public var step: Double?
        enum CodingKeys: String, CodingKey, CaseIterable { case type, count, multiplier, amount, step }
        public init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            type = try c.decode(AutobidderKind.self, forKey: .type)
            count = try c.decodeIfPresent(Int.self, forKey: .count, expecting: "an integer ≥ 1") { $0 >= 1 }
            multiplier = try c.decodeIfPresent(Double.self, forKey: .multiplier, expecting: "a multiplier > 0") { $0 > 0 && $0.isFinite }
            amount = try c.decodeIfPresent(Double.self, forKey: .amount, expecting: "an amount ≥ 0") { $0 >= 0 && $0.isFinite }
            step = try c.decodeIfPresent(Double.self, forKey: .step, expecting: "a step > 0") { $0 > 0 && $0.isFinite }
            if type == .linear && multiplier == nil { throw DecodingError.dataCorruptedError(forKey: .multiplier, in: c, debugDescription: "linear needs 'multiplier'") }
            if type == .constant && amount == nil { throw DecodingError.dataCorruptedError(forKey: .amount, in: c, debugDescription: "constant needs 'amount'") }
        }
    }

    /// A named assignment of bidder kinds to the advertisers (one cell per mechanism).
    public struct Population: Decodable, Sendable {
        /// The `population` parameter: letters, digits, `_`, `-`.
        public var name: String
        /// The entries, assigned to advertisers in order.
        public var bidders: [BidderSpec]
        enum CodingKeys: String, CodingKey, CaseIterable { case name, bidders }
        public init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            name = try c.decode(String.self, forKey: .name, expecting: "a name of letters, digits, '_' or '-'") {
                !$0.isEmpty && $0.allSatisfy { $0.isLetter || $0.isNumber || $0 == "_" || $0 == "-" }
            }
            bidders = try c.decode([BidderSpec].self, forKey: .bidders, expecting: "a non-empty list of bidders") { !$0.isEmpty }
            if bidders.filter({ $0.count == nil }).count > 1 {
                throw DecodingError.dataCorruptedError(forKey: .bidders, in: c, debugDescription: "at most one bidder entry may omit 'count' (it takes the advertisers left)")
            }
        }
        /// The bidder kind of each advertiser, in order.
        func assignment(advertisers n: Int) throws -> [BidderSpec] {
            let fixed = bidders.compactMap(\.count).reduce(0, +)
            guard fixed <= n, fixed == n || bidders.contains(where: { $0.count == nil }) else {
                throw ExperimentError("population \(name): bidder counts add up to \(fixed), expected the number of advertisers (\(n))")
            }
            return bidders.flatMap { Array(repeating: $0, count: $0.count ?? (n - fixed)) }
        }
    }

    /// The kind's scenario keys (strict: an unknown key is an error naming the keys allowed).
    public struct Config: Decodable, Sendable {
        /// Auction formats, distinct, by name in ``AutobidFormats/registry``; one-slot formats need one slot.
        public var mechanisms: [RegisteredMechanism<AutobidFormats>]
        /// The market.
        public var market: MarketConfig
        /// The bidder populations, distinct names.
        public var populations: [Population]
        /// Bid multipliers of the grid learners and of hindsight regret (default 0.25 … 2).
        public var grid: [Double]
        /// Auctions between controllers' ticks (default 100).
        public var controlInterval: Int
        /// Whether to solve the liquid-welfare LP per replicate (default false).
        public var liquidWelfareLP: Bool
        /// Whether to compute hindsight regret (default true).
        public var regret: Bool
        /// Whether to run the misreport audit of budgets and targets (default false).
        public var audit: Bool

        enum CodingKeys: String, CodingKey, CaseIterable {
            case mechanisms, market, populations, grid, controlInterval = "control_interval"
            case liquidWelfareLP = "liquid_welfare_lp", regret, audit
        }

        public init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            mechanisms = try c.decode([RegisteredMechanism<AutobidFormats>].self, forKey: .mechanisms, expecting: "a non-empty list of distinct mechanisms") {
                !$0.isEmpty && Set($0.map(\.name)).count == $0.count
            }
            market = try c.decode(MarketConfig.self, forKey: .market)
            let slotCount = market.slots.count
            if let one = mechanisms.first(where: { !$0.mechanism.accepts(slots: slotCount) }) {
                let takers = AutobidFormats.registry.all.filter { $0.accepts(slots: slotCount) }.map(\.name)
                throw DecodingError.dataCorruptedError(forKey: .mechanisms, in: c, debugDescription: one.mechanism.accepts(slots: 1)
                    ? "\(one.name) is a one-slot format, but market.slots has \(slotCount) click factors (use \(takers.joined(separator: ", ")))"
                    : "\(one.name) does not take \(slotCount) click factors")
            }
            if let page = mechanisms.first(where: { !$0.mechanism.takesOutsideBidAndReserve }),
               market.workload == .ipinyou || market.outsideMean > 0 || market.reserve > 0 {
                throw DecodingError.dataCorruptedError(forKey: .mechanisms, in: c, debugDescription:
                    "\(page.name) takes no outside bid and no reserve: use the synthetic workload with outside_mean and reserve 0")
            }
            populations = try c.decode([Population].self, forKey: .populations, expecting: "a non-empty list of populations with distinct names") {
                !$0.isEmpty && Set($0.map(\.name)).count == $0.count
            }
            grid = try c.decodeIfPresent([Double].self, forKey: .grid, expecting: "at least two distinct bid multipliers > 0") {
                $0.count >= 2 && $0.allSatisfy { $0 > 0 && $0.isFinite } && Set($0).count == $0.count
            } ?? [0.25, 0.5, 0.75, 1, 1.25, 1.5, 2]
            controlInterval = try c.decodeIfPresent(Int.self, forKey: .controlInterval, expecting: "an integer ≥ 1") { $0 >= 1 } ?? 100
            liquidWelfareLP = try c.decodeIfPresent(Bool.self, forKey: .liquidWelfareLP) ?? false
            regret = try c.decodeIfPresent(Bool.self, forKey: .regret) ?? true
            audit = try c.decodeIfPresent(Bool.self, forKey: .audit) ?? false
            let advertisers = market.advertisers
            for p in populations { do { _ = try p.assignment(advertisers: advertisers) } catch {
                throw DecodingError.dataCorruptedError(forKey: .populations, in: c, debugDescription: "\(error)")
            } }
        }
    }

    /// `autobidding`.
    public static let kind = "autobidding"
    /// One line for `gavel list`.
    public static let summary = "autobidders (pacing, value maximisers, no-regret learners) in repeated auctions under swappable mechanisms; liquid welfare against its LP optimum"
    /// The auction formats: Gavel's own, then any registered ones.
    public static var mechanisms: [ComponentInfo] { AutobidFormats.registry.components }
    /// Synthetic values or an iPinYou replay.
    public static let workloads = [
        ComponentInfo("synthetic", "values V_a·q_ai, V_a ~ U(0.5, 1.5), q_ai = ρ·c_i + (1 − ρ)·u_ai (docs/autobidding.md)"),
        ComponentInfo("ipinyou", "an RLB replay log: v_ai = V_a·min(1, s_a·θ_i), the logged price as the outside bid"),
    ]
    /// `mechanism`.
    public static let mechanismColumn = "mechanism"

    /// The decoded config.
    public let config: Config
    let log: BidRequestLog?
    let logCPC: Double
    /// The liquid-welfare optimum depends on the workload only (values, budgets, outside bids), so
    /// every cell of a replicate shares one LP solve. Keyed by workload seed; a pure function of
    /// it, so the order in which runs fill it never shows in the results.
    let optimumCache = LiquidWelfareCache()

    /// Keeps the config and, for `ipinyou`, reads the log (cut to `auctions` requests) and its cost per click.
    /// - Throws: `InputError` when the log or its `info.json` cannot be read, or the log is shorter than `auctions`.
    public init(config: Config) throws {
        self.config = config
        if config.market.workload == .ipinyou, let path = config.market.log?.path, let info = config.market.logCampaign?.path {
            var l = try RLBReplayFile.readTheta(path: path)
            if config.market.auctions < l.count { l = l.prefix(config.market.auctions) }
            guard l.count == config.market.auctions else {
                throw InputError(file: path, "\(l.count) requests, fewer than market.auctions = \(config.market.auctions)")
            }
            log = l
            logCPC = try CampaignInfo.read(path: info).costPerClick
        } else {
            log = nil; logCPC = 0
        }
    }

    /// An auction format with one of the scenario's bidder populations.
    public typealias Cell = InstanceCell<any AutobidAuctionFormat>

    /// Every format with every population, formats slowest.
    public var cells: [Cell] {
        Cell.grid(config.mechanisms.map { ($0.name, $0.mechanism) }, labels: config.populations.map(\.name), labelKey: "population")
    }

    /// The advertisers and auctions of one replicate (workload streams only: the same for every cell).
    public func episodeData(_ context: RunContext) -> AutobidEpisodeData {
        let m = config.market, n = m.advertisers, t = m.auctions
        var adv = context.workload("advertisers")
        var valuesStream = context.workload("values")
        var outsideStream = context.workload("outside")
        var perConversion = [Double](repeating: 0, count: n)
        var values = Array(repeating: [Double](repeating: 0, count: t), count: n)
        var outside = [Double](repeating: 0, count: t)
        switch m.workload {
        case .synthetic:
            let outsideBids = m.outsideMean > 0 ? try? ExponentialDistribution(rate: 1 / m.outsideMean) : nil   // mean > 0 finite: valid
            for a in 0..<n { perConversion[a] = 0.5 + adv.nextUnitDouble() }
            for i in 0..<t {
                let common = valuesStream.nextUnitDouble()
                for a in 0..<n { values[a][i] = perConversion[a] * (m.correlation * common + (1 - m.correlation) * valuesStream.nextUnitDouble()) }
                if let outsideBids { outside[i] = outsideBids.sample(using: &outsideStream) }
            }
        case .ipinyou:
            let log = self.log!
            let normal = try! NormalDistribution(mean: 0, standardDeviation: 0.5)   // constant, valid parameters
            var scale = [Double](repeating: 0, count: n)
            for a in 0..<n {
                perConversion[a] = logCPC * (0.5 + adv.nextUnitDouble())
                scale[a] = exp(normal.sample(using: &adv))
            }
            for i in 0..<t {
                for a in 0..<n { values[a][i] = perConversion[a] * min(1, scale[a] * log.ctrs[i]) }
                outside[i] = Double(log.prices[i])
            }
        }
        let budgets: [Double] = (0..<n).map { a in
            m.budgetRatio.map { $0 * values[a].reduce(0, +) / Double(n) } ?? .infinity
        }
        let targets: [Double?] = (0..<n).map { a in m.roi ?? m.tcpa.map { perConversion[a] / $0 } }
        return AutobidEpisodeData(values: values, outside: outside, budgets: budgets, roiTargets: targets, perClickValues: perConversion)
    }

    static func makeBidder(_ spec: BidderSpec, setup: AutobidderSetup, grid: [Double]) -> any Autobidder {
        switch spec.type {
        case .truthful: return TruthfulBidder()
        case .linear: return LinearBidder(multiplier: spec.multiplier!)
        case .constant: return ConstantBidder(amount: spec.amount!)
        case .adaptivePacing: return AdaptivePacing(setup: setup, step: spec.step)
        case .pidPacing: return PIDPacing(setup: setup)
        case .throttling: return ThrottledPacing(setup: setup)
        case .valueMaximiser: return DualValueMaximiser(setup: setup, step: spec.step)
        case .valueMaximiserPID: return PIDValueMaximiser(setup: setup)
        case .hedge: return HedgeBidder(grid: grid, setup: setup)
        case .exp3: return EXP3Bidder(grid: grid, setup: setup)
        case .ucb: return UCBBidder(grid: grid, setup: setup)
        }
    }

    /// Plays one episode of the population under the format: revenue, welfare, liquid welfare (and its LP optimum), violations, fairness, regret, convergence and, if asked, the audit.
    public func run(_ cell: Cell, context: RunContext) throws -> RunOutcome {
        let format = cell.mechanismChoice, population = config.populations[cell.instance]
        let data = episodeData(context)
        let specs = try population.assignment(advertisers: data.advertisers)
        let terms = AutobidAuctionTerms(clickFactors: config.market.slots, reserve: config.market.reserve, attraction: config.market.mnlAttraction)
        func episode(budgets: [Double]? = nil, targets: [Double?]? = nil, keepBids: Bool) throws -> AutobidEpisode {
            var bidders: [any Autobidder] = specs.indices.map { a in
                Self.makeBidder(specs[a], setup: data.setup(a, budget: budgets?[a], roiTarget: targets.map { $0[a] }), grid: config.grid)
            }
            return try AutobidMarket.run(data, bidders: &bidders, format: format, terms: terms, controlInterval: config.controlInterval,
                                         bidderSeed: context.workloadSeed, keepBids: keepBids, reportedBudgets: budgets)
        }
        let e = try episode(keepBids: config.regret)
        let lw = AutobidMetrics.liquidWelfare(e, data)
        var metrics: [(String, Double)] = [
            ("revenue", e.revenue),
            ("welfare", e.valueWon.reduce(e.outsideValue, +)),
            ("liquid_welfare", lw),
        ]
        if config.liquidWelfareLP && !format.hasSeparableClicks {
            // The LP is over separable click factors; the MNL page's welfare is fractional-linear
            // in the allocation, and no LP optimum is computed for it.
            metrics += [("liquid_welfare_opt", .nan), ("liquid_welfare_ratio", .nan)]
        } else if config.liquidWelfareLP {
            let opt = try optimumCache.value(for: context.workloadSeed) { try LiquidWelfareLP.solve(data, clickFactors: config.market.slots).value }
            metrics += [("liquid_welfare_opt", opt), ("liquid_welfare_ratio", opt > 0 ? lw / opt : 1)]
        }
        metrics += [
            ("budget_violation", AutobidMetrics.budgetViolation(e, data)),
            ("roi_violation", AutobidMetrics.roiViolation(e, data)),
            ("jain_utilities", AutobidMetrics.jainOverUtilities(e)),
        ]
        if config.regret {
            var regrets: [Double] = []
            for a in 0..<data.advertisers {
                let r = try HindsightRegret.evaluate(advertiser: a, data, e, format: format, terms: terms, grid: config.grid, objective: specs[a].type.objective)
                // As a fraction of all the value the advertiser could have had (Σ_i v_ai): bounded, and
                // defined when the best multiplier earns nothing.
                let available = data.values[a].reduce(0, +)
                regrets.append(r.best.isFinite && available > 0 ? (r.best - r.realised) / available : 0)
            }
            metrics += [("regret_mean", regrets.reduce(0, +) / Double(regrets.count)), ("regret_max", regrets.max()!)]
        }
        let convergence = AutobidMetrics.convergence(e)
        metrics += [("converged", convergence.converged ? 1 : 0), ("multiplier_spread_tail", convergence.spread), ("time_to_converge", convergence.time)]
        if config.audit {
            metrics.append(("max_gain_from_misreport", try misreportAudit(data: data, specs: specs, truthful: e, episode: episode)))
        }
        return RunOutcome(metrics: metrics, events: e.events)
    }

    /// The truthfulness audit of the advertisers' reports (docs/autobidding.md): each constrained
    /// advertiser in turn reports its budget or its return-on-spend target scaled by 0.5, 0.8,
    /// 1.25 or 2 while the others report truly. The outcome is judged by its true constraints
    /// (a report that breaks one is not a gain) in its own objective: value for value maximisers,
    /// value − spend otherwise. Returns the largest relative gain over all advertisers and reports
    /// (0 when no report pays).
    func misreportAudit(data: AutobidEpisodeData, specs: [BidderSpec], truthful: AutobidEpisode,
                        episode: (_ budgets: [Double]?, _ targets: [Double?]?, _ keepBids: Bool) throws -> AutobidEpisode) throws -> Double {
        func objective(_ a: Int, _ e: AutobidEpisode) -> Double? {
            if e.spend[a] > data.budgets[a] * (1 + 1e-9) { return nil }
            if let g = data.roiTargets[a], e.spend[a] > e.valueWon[a] / g * (1 + 1e-9) + 1e-12 { return nil }
            return specs[a].type.objective == .value ? e.valueWon[a] : e.valueWon[a] - e.spend[a]
        }
        var gain = 0.0
        for a in 0..<data.advertisers {
            guard let base = objective(a, truthful) else { continue }
            for factor in [0.5, 0.8, 1.25, 2] {
                var reports: [(budgets: [Double]?, targets: [Double?]?)] = []
                if data.budgets[a].isFinite { var b = data.budgets; b[a] *= factor; reports.append((b, nil)) }
                if let g = data.roiTargets[a] { var t = data.roiTargets; t[a] = g * factor; reports.append((nil, t)) }
                for r in reports {
                    guard let value = objective(a, try episode(r.budgets, r.targets, false)) else { continue }
                    gain = max(gain, (value - base) / max(abs(base), 1e-12))
                }
            }
        }
        return gain
    }
}

extension AutobiddingExperiment {
    /// Revenue, welfare, liquid welfare, violations, regret and convergence, with units.
    public static let metrics: [MetricDescription] = [
        MetricDescription("revenue", "value units per episode", "Payments of all advertisers over the episode."),
        MetricDescription("welfare", "value units per episode", "Value of the slots won, the outside bids' included."),
        MetricDescription("liquid_welfare", "value units per episode", "Σ_a min(budget, value won) plus the outside bids' value."),
        MetricDescription("liquid_welfare_opt", "value units per episode", "The offline optimum of liquid welfare (LP over the whole episode)."),
        MetricDescription("liquid_welfare_ratio", "", "Liquid welfare / its LP optimum."),
        MetricDescription("budget_violation", "", "Largest relative overspend of a budget (0: every budget kept)."),
        MetricDescription("roi_violation", "", "Largest relative shortfall of a return-on-spend target (0: every target met)."),
        MetricDescription("jain_utilities", "", "Jain's index over the advertisers' utilities (negative ones as 0)."),
        MetricDescription("regret_mean", "", "Regret against the best fixed multiplier in hindsight, as a fraction of the advertiser's total value; mean over advertisers."),
        MetricDescription("regret_max", "", "Regret as a fraction of total value, worst advertiser."),
        MetricDescription("converged", "", "1 when every bidder's multiplier settles within ±5 % over the last fifth of the episode."),
        MetricDescription("multiplier_spread_tail", "", "Largest relative spread of a bidder's multiplier over the last fifth (a cycle's amplitude)."),
        MetricDescription("time_to_converge", "", "Fraction of the episode before every multiplier stays within 5 % of its final level."),
        MetricDescription("max_gain_from_misreport", "", "Largest relative gain an advertiser gets by misreporting its budget or target (0: none pays)."),
    ]
}

/// Memoised liquid-welfare optima, one per workload seed (see `AutobiddingExperiment.optimumCache`).
final class LiquidWelfareCache: Sendable {
    private let values = Mutex<[UInt64: Double]>([:])
    func value(for seed: UInt64, compute: () throws -> Double) throws -> Double {
        if let v = values.withLock({ $0[seed] }) { return v }
        let v = try compute()
        values.withLock { $0[seed] = v }
        return v
    }
}
