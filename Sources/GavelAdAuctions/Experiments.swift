import Foundation
import GavelCore
import GavelConfig

/// A value distribution in a scenario: `{uniform: [0, 10]}`, `{exponential: 0.2}`, `{lognormal: [1, 0.5]}`,
/// `{mixture: [{weight: 0.5, uniform: [0, 2]}, ...]}`.
public struct DistributionSpec: Decodable, Sendable {
    /// The decoded distribution.
    public let distribution: ValueDistribution
    enum CodingKeys: String, CodingKey, CaseIterable { case uniform, exponential, lognormal, mixture, weight }
    struct Part: Decodable { let weight: Double; let spec: DistributionSpec
        init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            weight = try c.decode(Double.self, forKey: .weight, expecting: "a weight > 0") { $0 > 0 && $0.isFinite }
            spec = try DistributionSpec(from: decoder, inMixture: true)
        }
    }
    public init(from decoder: any Decoder) throws { try self.init(from: decoder, inMixture: false) }

    init(from decoder: any Decoder, inMixture: Bool) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        // Exactly one distribution; `weight` only on the parts of a mixture.
        let given = [CodingKeys.uniform, .exponential, .lognormal, .mixture].filter { c.contains($0) }
        if given.count > 1 {
            throw DecodingError.dataCorruptedError(forKey: given[1], in: c,
                debugDescription: "expected one distribution, found \(given.map(\.stringValue).joined(separator: " and "))")
        }
        if !inMixture && c.contains(.weight) {
            throw DecodingError.dataCorruptedError(forKey: .weight, in: c, debugDescription: "'weight' belongs to the parts of a mixture: {mixture: [{weight: 0.5, uniform: [0, 2]}, ...]}")
        }
        let d: ValueDistribution
        if let x = try c.decodeIfPresent([Double].self, forKey: .uniform, expecting: "[lower, upper]", { $0.count == 2 }) {
            d = .uniform(lower: x[0], upper: x[1])
        } else if let r = try c.decodeIfPresent(Double.self, forKey: .exponential) {
            d = .exponential(rate: r)
        } else if let x = try c.decodeIfPresent([Double].self, forKey: .lognormal, expecting: "[mu, sigma]", { $0.count == 2 }) {
            d = .lognormal(mu: x[0], sigma: x[1])
        } else if let parts = try c.decodeIfPresent([Part].self, forKey: .mixture) {
            d = .mixture(parts.map { .init(weight: $0.weight, distribution: $0.spec.distribution) })
        } else {
            throw DecodingError.dataCorrupted(.init(codingPath: c.codingPath, debugDescription: "expected one distribution: \(ValueDistribution.names.joined(separator: ", "))"))
        }
        do { distribution = try d.validated(field: "") } catch let e as InputError where e.location == nil {
            throw DecodingError.dataCorrupted(.init(codingPath: c.codingPath, debugDescription: e.message))
        }
    }
}

/// A random instance family in a scenario (see `AdInstanceGenerator`).
public struct FamilySpec: Decodable, Sendable {
    /// The instance generator, with the scenario's overrides of its defaults.
    public var generator: AdInstanceGenerator
    /// Instances per replicate (default 100).
    public var count: Int
    /// The family's label in results; nil: one is made from its shape.
    public var name: String?
    enum CodingKeys: String, CodingKey, CaseIterable {
        case family, advertisers, positions, maxAds = "max_ads", count, name, order
        case advertiserMean = "advertiser_mean", advertiserSD = "advertiser_sd", positionDecay = "position_decay", noiseSD = "noise_sd"
        case continuation, positionBase = "position_base"
    }
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let familyName = try c.decode(String.self, forKey: .family)
        guard let family = AdInstanceGenerator.Family(rawValue: familyName) else {
            throw DecodingError.dataCorruptedError(forKey: .family, in: c, debugDescription: "expected one of \(AdInstanceGenerator.Family.allCases.map(\.rawValue).joined(separator: ", ")), found \"\(familyName)\"")
        }
        let positive: (Int) -> Bool = { $0 >= 1 }
        let n = try c.decode(Int.self, forKey: .advertisers, expecting: "an integer ≥ 1", positive)
        let m = try c.decode(Int.self, forKey: .positions, expecting: "an integer ≥ 1", positive)
        let k = try c.decode(Int.self, forKey: .maxAds, expecting: "an integer in [1, positions = \(m)]") { $0 >= 1 && $0 <= m }
        generator = AdInstanceGenerator(family: family, advertisers: n, positions: m, maxAds: k)
        count = try c.decodeIfPresent(Int.self, forKey: .count, expecting: "an integer ≥ 1", positive) ?? 100
        name = try c.decodeIfPresent(String.self, forKey: .name)
        let finite: (Double) -> Bool = { $0.isFinite }
        if let x = try c.decodeIfPresent(Double.self, forKey: .advertiserMean, expecting: "a finite number", finite) { generator.advertiserMean = x }
        if let x = try c.decodeIfPresent(Double.self, forKey: .advertiserSD, expecting: "a finite number ≥ 0", { $0 >= 0 && $0.isFinite }) { generator.advertiserSD = x }
        if let x = try c.decodeIfPresent(Double.self, forKey: .positionDecay, expecting: "a finite number", finite) { generator.positionDecay = x }
        if let x = try c.decodeIfPresent(Double.self, forKey: .noiseSD, expecting: "a finite number ≥ 0", { $0 >= 0 && $0.isFinite }) { generator.noiseSD = x }
        if let x = try c.decodeIfPresent(Double.self, forKey: .positionBase, expecting: "a number in (0, 1]", { $0 > 0 && $0 <= 1 }) { generator.positionBase = x }
        if let o = try c.decodeIfPresent(String.self, forKey: .order) {
            guard let order = RenderingOrder(rawValue: o) else {
                throw DecodingError.dataCorruptedError(forKey: .order, in: c, debugDescription: "expected chosen or text, found \"\(o)\"")
            }
            generator.order = order
        }
        if c.contains(.continuation) {
            if let s = try? c.decode(String.self, forKey: .continuation) {
                guard s == "stop_after_click" else { throw DecodingError.dataCorruptedError(forKey: .continuation, in: c, debugDescription: "expected stop_after_click or [low, high], found \"\(s)\"") }
                generator.continuation = nil
            } else {
                let x = try c.decode([Double].self, forKey: .continuation, expecting: "[low, high] with 0 ≤ low ≤ high ≤ 1") { $0.count == 2 && 0 <= $0[0] && $0[0] <= $0[1] && $0[1] <= 1 }
                generator.continuation = (x[0], x[1])
            }
        }
    }

    /// `name`, or `family_NxM_kK` (with the rendering order for a cascade family).
    public var label: String {
        name ?? "\(generator.family.rawValue)_\(generator.advertisers)x\(generator.positions)_k\(generator.maxAds)" + (generator.family == .cascade ? "_\(generator.order.rawValue)" : "")
    }

    /// The replicate's instances: the workload stream "instances", shared by every
    /// mechanism under common random numbers, so mechanisms are compared on the same instances.
    func instances(_ context: RunContext, values: ValueDistribution) throws -> [(PositionAuction, [Double])] {
        var s = context.workload("instances")
        return try (0..<count).map { _ in
            let a = try generator.make(using: &s)
            return (a, (0..<a.advertisers).map { _ in values.sample(using: &s) })
        }
    }
}

func quantile(_ sorted: [Double], _ q: Double) -> Double {
    guard !sorted.isEmpty else { return .nan }
    return sorted[min(sorted.count - 1, Int((q * Double(sorted.count - 1)).rounded()))]
}

/// `kind: aigc_auction`: MNL (and separable) mechanisms on random instance families.
public struct AdAuctionExperiment: Experiment {
    /// The kind's scenario keys (strict: an unknown key is an error naming the keys allowed).
    public struct Config: Decodable, Sendable {
        /// Mechanisms to run, distinct, by name in ``AIGCAuctionFamily/registry``; `gsp` and
        /// `vcg_separable` need an `mnl_separable` family.
        public var mechanisms: [RegisteredMechanism<AIGCAuctionFamily>]
        /// Instance families (`mnl` or `mnl_separable`).
        public var families: [FamilySpec]
        /// The advertisers' per-click values (default uniform on [0, 10]).
        public var values: ValueDistribution
        /// Instances per run audited for profitable misreports (default 0).
        public var auditInstances: Int
        enum CodingKeys: String, CodingKey, CaseIterable { case mechanisms, families, values, auditInstances = "audit_instances" }
        public init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            mechanisms = try c.decode([RegisteredMechanism<AIGCAuctionFamily>].self, forKey: .mechanisms, expecting: "a non-empty list of distinct mechanisms") { !$0.isEmpty && Set($0.map(\.name)).count == $0.count }
            families = try c.decode([FamilySpec].self, forKey: .families, expecting: "a non-empty list of instance families") { !$0.isEmpty }
            values = try c.decodeIfPresent(DistributionSpec.self, forKey: .values)?.distribution ?? .uniform(lower: 0, upper: 10)
            auditInstances = try c.decodeIfPresent(Int.self, forKey: .auditInstances, expecting: "an integer ≥ 0") { $0 >= 0 } ?? 0
            for f in families where f.generator.family == .cascade || f.generator.family == .separable {
                throw DecodingError.dataCorruptedError(forKey: .families, in: c, debugDescription: "family \(f.label) is a cascade family; aigc_auction takes mnl or mnl_separable (use kind aigc_cascade)")
            }
            if mechanisms.contains(where: { AdAuctionExperiment.separableOnly($0.mechanism) }) && !families.contains(where: { $0.generator.family == .mnlSeparable }) {
                throw DecodingError.dataCorruptedError(forKey: .families, in: c, debugDescription: "gsp and vcg_separable need a separable family (mnl_separable); none is listed")
            }
        }
    }

    /// `aigc_auction`.
    public static let kind = "aigc_auction"
    /// One line for `gavel list`.
    public static let summary = "position auctions in AI-generated content, MNL: exact optimisers, VCG/Myerson, revenue-optimal, classic baselines (docs/aigc.md)"
    /// The optimisers, VCG/Myerson payments and the classic baselines, then any registered mechanisms.
    public static var mechanisms: [ComponentInfo] { AIGCAuctionFamily.registry.components }
    /// MNL and MNL-separable instance families.
    public static let workloads = [ComponentInfo("mnl", "w = exp(advertiser effect − decay·j + noise) (docs/aigc.md)"),
                                   ComponentInfo("mnl_separable", "w = α_i β_j: the classic position auction's shape under MNL")]

    /// The decoded config.
    public let config: Config
    /// Keeps the config; decoding has already checked it.
    public init(config: Config) throws { self.config = config }

    /// A mechanism on one of the scenario's instance families.
    public typealias Cell = InstanceCell<any PositionAuctionMechanism>

    /// Whether a mechanism prices the classic separable auction (`gsp`, `vcg_separable`), so runs
    /// on separable families only. A registered mechanism runs on every family.
    static func separableOnly(_ m: any PositionAuctionMechanism) -> Bool { (m as? StandardPositionAuction)?.separableOnly ?? false }

    /// Every mechanism on every family it applies to (the classic ones on separable families only), mechanisms slowest.
    public var cells: [Cell] {
        config.mechanisms.flatMap { m in
            config.families.enumerated().filter { !Self.separableOnly(m.mechanism) || $0.element.generator.family == .mnlSeparable }
                .map { Cell(m.mechanism, name: m.name, instance: $0.offset, label: $0.element.label, labelKey: "family") }
        }
    }

    /// Runs the mechanism on the family's instances for this replicate (workload stream `instances`): welfare, revenue, clicks and the ratio to the optimum.
    public func run(_ cell: Cell, context: RunContext) throws -> RunOutcome {
        let mech = try cell.mechanismChoice.adapted(to: AuctionTerms(prior: config.values)), family = config.families[cell.instance]
        var welfare = RunningStatistics(), revenue = RunningStatistics(), clicks = RunningStatistics(), shown = RunningStatistics()
        var ratios: [Double] = []
        var irViolations = 0, auditGain = 0.0
        let auditor = TruthfulnessAuditor(factors: (0...30).map { Double($0) / 10 })
        for (t, (a, v)) in try family.instances(context, values: config.values).enumerated() {
            let out = try mech.run(a, bids: v)
            let optimum: Double
            if case .mnl(let w) = a.model { optimum = MNLOptimizer.dinkelbach(weights: w, coefficients: v, maxAds: a.maxAds).objective }
            else { optimum = MNLOptimizer.bruteForce(a, coefficients: v).objective }
            welfare.add(out.welfare); revenue.add(out.revenue); clicks.add(out.ctr.reduce(0, +)); shown.add(Double(out.slots.count))
            ratios.append(optimum > 0 ? out.welfare / optimum : 1)
            for i in 0..<a.advertisers where out.paymentPerClick[i] > v[i] + 1e-9 { irViolations += 1 }
            if t < config.auditInstances { auditGain = max(auditGain, try auditor.audit(mech, on: a, values: v).gain) }
        }
        ratios.sort()
        var metrics: [(String, Double)] = [
            ("welfare", welfare.mean), ("revenue", revenue.mean), ("clicks", clicks.mean), ("ads_shown", shown.mean),
            ("welfare_ratio_mean", ratios.reduce(0, +) / Double(ratios.count)), ("welfare_ratio_min", ratios.first ?? .nan),
            ("ir_violations", Double(irViolations)),
        ]
        if config.auditInstances > 0 { metrics.append(("max_gain_from_misreport", auditGain)) }
        return RunOutcome(metrics: metrics, events: 0)
    }
}

/// `kind: aigc_cascade`: approximation ratios ALG/OPT of cascade rules over random instances, as a
/// distribution (mean, min, quantiles), monotonicity violations on a bid grid, and the auditor; the
/// worst instance of each cell is written as an instance file (artifact) for regression tests.
public struct CascadeRatioExperiment: Experiment {
    /// The kind's scenario keys (strict: an unknown key is an error naming the keys allowed).
    public struct Config: Decodable, Sendable {
        /// Rules to run, distinct, by name in ``AIGCCascadeFamily/registry``.
        public var algorithms: [RegisteredMechanism<AIGCCascadeFamily>]
        /// Instance families (`cascade` or `separable`).
        public var families: [FamilySpec]
        /// The advertisers' per-click values (default uniform on [0, 10]).
        public var values: ValueDistribution
        /// Instances per run checked for monotone allocations (default 0).
        public var monotonicityInstances: Int
        /// Instances per run audited for profitable misreports (default 0).
        public var auditInstances: Int
        enum CodingKeys: String, CodingKey, CaseIterable { case algorithms, families, values, monotonicityInstances = "monotonicity_instances", auditInstances = "audit_instances" }
        public init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            algorithms = try c.decode([RegisteredMechanism<AIGCCascadeFamily>].self, forKey: .algorithms, expecting: "a non-empty list of distinct algorithms") { !$0.isEmpty && Set($0.map(\.name)).count == $0.count }
            families = try c.decode([FamilySpec].self, forKey: .families, expecting: "a non-empty list of cascade families") { !$0.isEmpty }
            for f in families where f.generator.family != .cascade && f.generator.family != .separable {
                throw DecodingError.dataCorruptedError(forKey: .families, in: c, debugDescription: "aigc_cascade needs cascade or separable families; \(f.label) is \(f.generator.family.rawValue)")
            }
            values = try c.decodeIfPresent(DistributionSpec.self, forKey: .values)?.distribution ?? .uniform(lower: 0, upper: 10)
            monotonicityInstances = try c.decodeIfPresent(Int.self, forKey: .monotonicityInstances, expecting: "an integer ≥ 0") { $0 >= 0 } ?? 0
            auditInstances = try c.decodeIfPresent(Int.self, forKey: .auditInstances, expecting: "an integer ≥ 0") { $0 >= 0 } ?? 0
        }
    }

    /// `aigc_cascade`.
    public static let kind = "aigc_cascade"
    /// One line for `gavel list`.
    public static let summary = "cascade position auctions: approximation ratio ALG/OPT distributions, monotonicity, truthfulness audit (docs/aigc.md)"
    /// The cascade allocation rules, then any registered ones.
    public static var mechanisms: [ComponentInfo] { AIGCCascadeFamily.registry.components }
    /// Cascade and separable instance families.
    public static let workloads = [ComponentInfo("cascade", "p = w/(1 + w) with advertiser/position effects; q in [low, high] or stop_after_click"),
                                   ComponentInfo("separable", "p = α β, q ≡ 1: the classic position auction")]
    /// `algorithm`: the cells are allocation rules.
    public static let mechanismColumn = "algorithm"

    /// The decoded config.
    public let config: Config
    /// Keeps the config; decoding has already checked it.
    public init(config: Config) throws { self.config = config }

    /// An allocation algorithm on one of the scenario's instance families.
    public typealias Cell = InstanceCell<any PositionAuctionMechanism>

    /// Every rule on every family, rules slowest.
    public var cells: [Cell] { Cell.grid(config.algorithms.map { ($0.name, $0.mechanism) }, labels: config.families.map(\.label), labelKey: "family") }

    /// ALG/OPT against brute force on each instance of the replicate, with its distribution, `ratios.csv` and the worst instance as an artifact.
    public func run(_ cell: Cell, context: RunContext) throws -> RunOutcome {
        let alg = try cell.mechanismChoice.adapted(to: AuctionTerms(prior: config.values)), family = config.families[cell.instance]
        var ratios: [Double] = []
        var worst: (ratio: Double, text: String)? = nil
        var violations = 0, checks = 0, auditGain = 0.0
        let auditor = TruthfulnessAuditor(factors: (0...20).map { Double($0) / 8 })
        var csv = "algorithm,family,instance,alg,opt,ratio\n"
        for (t, (a, v)) in try family.instances(context, values: config.values).enumerated() {
            let opt = MNLOptimizer.bruteForce(a, coefficients: v).objective
            let x = a.objective(of: try alg.allocate(a, bids: v), coefficients: v)
            let ratio = opt > 0 ? x / opt : 1
            ratios.append(ratio)
            csv += "\(cell.mechanism),\(cell.label),\(t),\(NumberFormat.csv(x)),\(NumberFormat.csv(opt)),\(NumberFormat.csv(ratio))\n"
            if worst.map({ ratio < $0.ratio }) ?? true {
                worst = (ratio, "# worst instance of \(cell.mechanism) on \(cell.label) (replicate \(context.replicate), instance \(t)): ALG/OPT = \(ratio)\n"
                         + AdInstanceFile.write(a, values: v, rule: cell.mechanism, payment: .myerson))
            }
            if t < config.monotonicityInstances {
                let count = try MonotonicityCheck().check(alg, on: a, bids: v)
                checks += count.checks
                violations += count.violations
            }
            if t < config.auditInstances { auditGain = max(auditGain, try auditor.audit(alg, on: a, values: v).gain) }
        }
        let sorted = ratios.sorted()
        var metrics: [(String, Double)] = [
            ("ratio_mean", ratios.reduce(0, +) / Double(ratios.count)), ("ratio_min", sorted.first ?? .nan),
            ("ratio_p01", quantile(sorted, 0.01)), ("ratio_p05", quantile(sorted, 0.05)), ("ratio_p25", quantile(sorted, 0.25)),
            ("ratio_median", quantile(sorted, 0.5)), ("optimal_fraction", Double(ratios.filter { $0 >= 1 - 1e-12 }.count) / Double(ratios.count)),
        ]
        if config.monotonicityInstances > 0 { metrics += [("monotonicity_violations", Double(violations)), ("monotonicity_checks", Double(checks))] }
        if config.auditInstances > 0 { metrics.append(("max_gain_from_misreport", auditGain)) }
        var artifacts: [(name: String, contents: String)] = [("ratios.csv", csv)]
        if let worst { artifacts.append(("worst-\(cell.mechanism)-\(cell.label)-r\(context.replicate).yaml", worst.text)) }
        return RunOutcome(metrics: metrics, events: 0, artifacts: artifacts)
    }
}

/// `kind: aigc_market`: the kernel market of `AdMarket`.
public struct AdMarketExperiment: Experiment {
    /// The kind's scenario keys (strict: an unknown key is an error naming the keys allowed).
    public struct Config: Decodable, Sendable {
        /// Mechanisms to run, distinct, by name in ``AIGCMarketFamily/registry``.
        public var mechanisms: [RegisteredMechanism<AIGCMarketFamily>]
        /// The markets, each decoded from its keys over `AdMarket`'s defaults.
        public var markets: [AdMarket]
        /// The markets' labels (`name`, or one made from the shape), distinct.
        public var labels: [String]
        enum CodingKeys: String, CodingKey, CaseIterable { case mechanisms, markets }
        struct MarketSpec: Decodable {
            let market: AdMarket
            let label: String
            enum Keys: String, CodingKey, CaseIterable {
                case name, model, order, advertisers, positions, maxAds = "max_ads", queries, arrivalRate = "arrival_rate"
                case advertiserMean = "advertiser_mean", advertiserSD = "advertiser_sd", positionDecay = "position_decay", noiseSD = "noise_sd"
                case values, budget, pacing, pacingInterval = "pacing_interval", pacingStep = "pacing_step", reserve
            }
            init(from decoder: any Decoder) throws {
                let c = try decoder.container(keyedBy: Keys.self)
                let positive: (Int) -> Bool = { $0 >= 1 }
                let m = try c.decode(Int.self, forKey: .positions, expecting: "an integer ≥ 1", positive)
                var x = AdMarket(advertisers: try c.decode(Int.self, forKey: .advertisers, expecting: "an integer ≥ 1", positive), positions: m,
                                 maxAds: try c.decode(Int.self, forKey: .maxAds, expecting: "an integer in [1, positions = \(m)]") { $0 >= 1 && $0 <= m },
                                 queries: try c.decode(Int.self, forKey: .queries, expecting: "an integer ≥ 1", positive))
                if let s = try c.decodeIfPresent(String.self, forKey: .model) {
                    guard s == "mnl" || s == "cascade" else { throw DecodingError.dataCorruptedError(forKey: .model, in: c, debugDescription: "expected mnl or cascade, found \"\(s)\"") }
                    x.model = s == "mnl" ? .mnl : .cascade
                }
                if let s = try c.decodeIfPresent(String.self, forKey: .order) {
                    guard let o = RenderingOrder(rawValue: s) else { throw DecodingError.dataCorruptedError(forKey: .order, in: c, debugDescription: "expected chosen or text, found \"\(s)\"") }
                    x.order = o
                }
                let finite: (Double) -> Bool = { $0.isFinite }
                if let v = try c.decodeIfPresent(Double.self, forKey: .arrivalRate, expecting: "a rate > 0", { $0 > 0 && $0.isFinite }) { x.arrivalRate = v }
                if let v = try c.decodeIfPresent(Double.self, forKey: .advertiserMean, expecting: "a finite number", finite) { x.advertiserMean = v }
                if let v = try c.decodeIfPresent(Double.self, forKey: .advertiserSD, expecting: "a finite number ≥ 0", { $0 >= 0 && $0.isFinite }) { x.advertiserSD = v }
                if let v = try c.decodeIfPresent(Double.self, forKey: .positionDecay, expecting: "a finite number", finite) { x.positionDecay = v }
                if let v = try c.decodeIfPresent(Double.self, forKey: .noiseSD, expecting: "a finite number ≥ 0", { $0 >= 0 && $0.isFinite }) { x.noiseSD = v }
                if let v = try c.decodeIfPresent(DistributionSpec.self, forKey: .values) { x.values = v.distribution }
                x.budget = try c.decodeIfPresent(Double.self, forKey: .budget, expecting: "a budget > 0", { $0 > 0 && $0.isFinite })
                if let s = try c.decodeIfPresent(String.self, forKey: .pacing) {
                    guard let p = AdMarket.Pacing(rawValue: s) else { throw DecodingError.dataCorruptedError(forKey: .pacing, in: c, debugDescription: "expected none or multiplicative, found \"\(s)\"") }
                    x.pacing = p
                }
                if let v = try c.decodeIfPresent(Double.self, forKey: .pacingInterval, expecting: "a time > 0", { $0 > 0 && $0.isFinite }) { x.pacingInterval = v }
                if let v = try c.decodeIfPresent(Double.self, forKey: .pacingStep, expecting: "a step in (0, 1)", { $0 > 0 && $0 < 1 }) { x.pacingStep = v }
                if let v = try c.decodeIfPresent(Double.self, forKey: .reserve, expecting: "a per-click reserve price ≥ 0", { $0 >= 0 && $0.isFinite }) { x.reserve = v }
                market = x
                label = try c.decodeIfPresent(String.self, forKey: .name)
                    ?? "\(x.model.rawValue)_\(x.advertisers)x\(x.positions)_k\(x.maxAds)" + (x.budget.map { "_b\($0)_\(x.pacing.rawValue)" } ?? "")
                    + (x.reserve > 0 ? "_r\(x.reserve)" : "")
            }
        }
        public init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            mechanisms = try c.decode([RegisteredMechanism<AIGCMarketFamily>].self, forKey: .mechanisms, expecting: "a non-empty list of distinct mechanisms") { !$0.isEmpty && Set($0.map(\.name)).count == $0.count }
            let specs = try c.decode([MarketSpec].self, forKey: .markets, expecting: "a non-empty list of markets") { !$0.isEmpty }
            markets = specs.map(\.market)
            labels = specs.map(\.label)
            if let repeated = labels.firstRepeated() {
                throw DecodingError.dataCorruptedError(forKey: .markets, in: c, debugDescription: "expected distinct markets, found '\(repeated)' twice (give one a 'name')")
            }
        }
    }

    /// `aigc_market`.
    public static let kind = "aigc_market"
    /// One line for `gavel list`.
    public static let summary = "AI-content ad market in the kernel: Poisson queries, fresh CTRs, MNL/cascade clicks, budgets and pacing (docs/aigc.md)"
    /// The market's mechanisms, then any registered ones.
    public static var mechanisms: [ComponentInfo] { AIGCMarketFamily.registry.components }
    /// MNL or cascade clicks.
    public static let workloads = [ComponentInfo("mnl", "MNL clicks (one click or the outside option per query)"), ComponentInfo("cascade", "cascade clicks, stop after a click")]
    /// Reserve, budgets and pacing change no draw (advertisers, arrivals, CTR noise and click
    /// coins come per query whatever they are): sweep points over them share the workload.
    public static let mechanismParameters = ["markets.*.reserve", "markets.*.budget", "markets.*.pacing*"]

    /// The decoded config.
    public let config: Config
    /// Keeps the config; decoding has already checked it.
    public init(config: Config) throws { self.config = config }

    /// A mechanism in one of the scenario's markets.
    public typealias Cell = InstanceCell<any PositionAuctionMechanism>

    /// Every mechanism in every market, mechanisms slowest.
    public var cells: [Cell] { Cell.grid(config.mechanisms.map { ($0.name, $0.mechanism) }, labels: config.labels, labelKey: "market") }

    /// Runs the market with the mechanism; every stream is workload (seeded by the workload seed).
    public func run(_ cell: Cell, context: RunContext) throws -> RunOutcome {
        let mech = cell.mechanismChoice, k = cell.instance
        // Every stream of the market (advertisers, arrivals, CTR noise, clicks) is workload.
        let out = try config.markets[k].run(mech, seed: context.workloadSeed)
        return RunOutcome(metrics: out.metrics, events: out.events)
    }
}
