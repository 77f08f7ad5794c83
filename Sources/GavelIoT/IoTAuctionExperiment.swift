import Foundation
import GavelCore
import GavelData
import Synchronization
import GavelConfig

/// `kind: iot_auction`: one-shot IoT resource auctions (MOHAF and the paper's
/// baselines) on the Google trace instance, the ablation instance or notebook
/// cell 0's synthetic scenarios, reporting the paper's metrics and honest ones
/// side by side, plus `allocations.csv`.
///
/// Random draws follow the authors' notebook cell 4: one CPython `random`
/// stream seeded with the scenario's `seed`, consumed by the instance, then by
/// First-Price, then by Random (MOHAF, Greedy, Vickrey and Hungarian draw
/// nothing). Each run replays the draws of the runs before it in that order, so
/// any subset or order of mechanisms in a scenario gives the notebook's numbers.
/// With `notebook_cell0` the stream runs on across the scenarios
/// (``NotebookCell0Chain``): each scenario's instance is drawn after the previous
/// scenario's First-Price and Random draws, as in cell 0.
public struct IoTAuctionExperiment: Experiment {
    /// Which MOHAF runs: `as_run` (notebook cell 4), `package` (the `mohaf/` package) or `as_described` (``MOHAFAsDescribed``).
    public enum MOHAFMode: String, ScenarioEnum { case asRun = "as_run", package, asDescribed = "as_described" }

    /// How requests are split into clusters in `as_described` mode.
    public enum PartitionMethod: String, ScenarioEnum {
        case kmeans, grid
        /// The partition into `clusters` groups (k-means seeded `seed`, or a grid).
        public func partition(clusters: Int, seed: UInt64) -> any ResourcePartition {
            switch self {
            case .kmeans: return LocationClustering(clusters: clusters, seed: seed)
            case .grid: return GridPartition(cells: clusters)
            }
        }
    }

    /// How clusters' auctions are run: `separate` (one auction per cluster, in label order, on
    /// one shared state: `MOHAFAsDescribed.runInClusters`) or `joint` (one greedy over every
    /// cluster's pairs at once).
    public enum ClusterAuctions: String, ScenarioEnum {
        case separate, joint
    }

    /// Where the instance comes from (`workload:`, exactly one key).
    public enum Workload: Sendable {
        /// The Table 1 instance from `job_events` parts (``GoogleTraceInstance``).
        case googleTrace(jobEvents: String, files: Int, maxRequestsPerFile: Int)
        /// The Table 2 ablation instance from its two CSV files (``AblationInstance``).
        case ablation(resources: String, requests: String)
        /// The live market (issue 3, item 5): `task_events` parts as arrivals in the kernel.
        case googleLive(taskEvents: String, files: Int)
        /// Notebook cell 0's synthetic scenarios, drawn as one CPython chain (``NotebookCell0Chain``);
        /// every mechanism runs on every scenario (cell parameter `scenario`).
        case notebookCell0(scenarios: [NotebookCell0Chain.Scenario])
    }

    /// A named weight set (`configs:`), one MOHAF cell each.
    public struct NamedWeights: Decodable, Sendable {
        /// The cell's `config` parameter.
        public var name: String
        /// The weights α, β, γ, δ.
        public var weights: MOHAFWeights
        enum CodingKeys: String, CodingKey, CaseIterable { case name, weights }
    }

    /// `mohaf.as_described:` keys: F(S)'s weights, QoS and clustering.
    public struct AsDescribedSettings: Decodable, Sendable {
        /// θ1, the weight of Σ v_ij (default 1).
        public var thetaUtility = 1.0
        /// θ2, the weight of Φ_fair (default 0.5).
        public var thetaFairness = 0.5
        /// θ3, the weight of Ψ_energy (default 0.25).
        public var thetaEnergy = 0.25
        /// Whether requests' QoS requirements are enforced (default true).
        public var enforceQoS = true
        /// Number of clusters (default 1: no clustering).
        public var clusters = 1
        /// How requests are split into clusters: `kmeans` (`LocationClustering`) or `grid` (`GridPartition`).
        public var partition: PartitionMethod = .kmeans
        /// One auction per cluster or one joint auction (default `separate`).
        public var clusterAuctions: ClusterAuctions = .separate
        enum CodingKeys: String, CodingKey, CaseIterable {
            case thetaUtility = "theta_utility", thetaFairness = "theta_fairness", thetaEnergy = "theta_energy"
            case enforceQoS = "enforce_qos", clusters, partition, clusterAuctions = "cluster_auctions"
        }
        /// The defaults.
        public init() {}
        public init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            let ok: (Double) -> Bool = { $0 >= 0 && $0.isFinite }
            thetaUtility = try c.decodeIfPresent(Double.self, forKey: .thetaUtility, expecting: "a finite number ≥ 0", ok) ?? 1
            thetaFairness = try c.decodeIfPresent(Double.self, forKey: .thetaFairness, expecting: "a finite number ≥ 0", ok) ?? 0.5
            thetaEnergy = try c.decodeIfPresent(Double.self, forKey: .thetaEnergy, expecting: "a finite number ≥ 0", ok) ?? 0.25
            enforceQoS = try c.decodeIfPresent(Bool.self, forKey: .enforceQoS) ?? true
            clusters = try c.decodeIfPresent(Int.self, forKey: .clusters, expecting: "an integer ≥ 1") { $0 >= 1 } ?? 1
            partition = try c.decodeIfPresent(PartitionMethod.self, forKey: .partition) ?? .kmeans
            clusterAuctions = try c.decodeIfPresent(ClusterAuctions.self, forKey: .clusterAuctions) ?? .separate
        }
    }

    /// The kind's scenario keys (strict: an unknown key is an error naming the keys allowed).
    public struct Config: Decodable, Sendable {
        /// The instance's source.
        public var workload: Workload
        /// Mechanisms to run, distinct, resolved through ``IoTMechanisms/registry`` (default mohaf,
        /// greedy, first_price, random).
        public var mechanisms: [RegisteredMechanism<IoTMechanisms>]
        /// MOHAF's mode (`mohaf.mode`, default `as_run`).
        public var mode: MOHAFMode
        /// MOHAF's weights (`mohaf.weights`, default ``MOHAFWeights/asRun``).
        public var weights: MOHAFWeights
        /// Named weight sets (ablation): one MOHAF cell each.
        public var configs: [NamedWeights]
        /// `mohaf.as_described` settings.
        public var asDescribed: AsDescribedSettings
        /// D of the common valuation (default 200 for the Google trace, 100 for the ablation instance).
        public var distanceScale: Double
        /// Compute `ratio_to_optimum` (a Hungarian solve per instance).
        public var optimum: Bool
        /// Live-market settings (only with `workload.google_live`).
        public var live: LiveSettings
        /// Requests (the first ones, in index order) whose misreports the truthfulness auditor
        /// tries (`audit_requests`, default 0: no audit). With it, each run also reports
        /// `max_gain_from_misreport` (``IoTMisreportAudit``). One-shot workloads only.
        public var auditRequests: Int

        enum CodingKeys: String, CodingKey, CaseIterable {
            case workload, mechanisms, mohaf, configs, valuation, optimum, live
            case auditRequests = "audit_requests"
        }
        enum WorkloadKeys: String, CodingKey, CaseIterable {
            case googleTrace = "google_trace", ablationInstance = "ablation_instance", googleLive = "google_live"
            case notebookCell0 = "notebook_cell0"
        }
        enum ChainKeys: String, CodingKey, CaseIterable { case scenarios }
        enum LiveTraceKeys: String, CodingKey, CaseIterable { case taskEvents = "task_events", files }
        enum TraceKeys: String, CodingKey, CaseIterable { case jobEvents = "job_events", files, maxRequestsPerFile = "max_requests_per_file" }
        enum AblationKeys: String, CodingKey, CaseIterable { case resources, requests }
        enum MOHAFKeys: String, CodingKey, CaseIterable { case mode, weights, asDescribed = "as_described" }
        enum ValuationKeys: String, CodingKey, CaseIterable { case distanceScale = "distance_scale" }

        public init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            let w = try c.nestedContainer(keyedBy: WorkloadKeys.self, forKey: .workload)
            if [w.contains(.googleTrace), w.contains(.ablationInstance), w.contains(.googleLive), w.contains(.notebookCell0)].filter({ $0 }).count != 1 {
                throw DecodingError.dataCorruptedError(forKey: .workload, in: c, debugDescription: "expected exactly one of google_trace, ablation_instance, google_live, notebook_cell0")
            }
            if w.contains(.notebookCell0) {
                let t = try w.nestedContainer(keyedBy: ChainKeys.self, forKey: .notebookCell0)
                let scenarios = try t.decodeIfPresent([NotebookCell0Chain.Scenario].self, forKey: .scenarios,
                                                      expecting: "a non-empty list of scenarios {name, resources, requests, draws}") { !$0.isEmpty }
                    ?? NotebookCell0Chain.notebookScenarios
                if let repeated = scenarios.map(\.name).firstRepeated() {
                    throw DecodingError.dataCorruptedError(forKey: .scenarios, in: t, debugDescription: "expected distinct scenario names, found '\(repeated)' twice")
                }
                workload = .notebookCell0(scenarios: scenarios)
            } else if w.contains(.googleLive) {
                let t = try w.nestedContainer(keyedBy: LiveTraceKeys.self, forKey: .googleLive)
                workload = .googleLive(taskEvents: try t.decode(DataFile.self, forKey: .taskEvents).path,
                                       files: try t.decodeIfPresent(Int.self, forKey: .files, expecting: "an integer ≥ 1") { $0 >= 1 } ?? 2)
            } else if w.contains(.googleTrace) {
                let t = try w.nestedContainer(keyedBy: TraceKeys.self, forKey: .googleTrace)
                workload = .googleTrace(
                    jobEvents: try t.decode(DataFile.self, forKey: .jobEvents).path,
                    files: try t.decodeIfPresent(Int.self, forKey: .files, expecting: "an integer ≥ 1") { $0 >= 1 } ?? 2,
                    maxRequestsPerFile: try t.decodeIfPresent(Int.self, forKey: .maxRequestsPerFile, expecting: "an integer ≥ 1") { $0 >= 1 } ?? 2500)
            } else {
                let a = try w.nestedContainer(keyedBy: AblationKeys.self, forKey: .ablationInstance)
                workload = .ablation(resources: try a.decode(DataFile.self, forKey: .resources).path,
                                     requests: try a.decode(DataFile.self, forKey: .requests).path)
            }
            mechanisms = try c.decodeIfPresent([RegisteredMechanism<IoTMechanisms>].self, forKey: .mechanisms,
                                               expecting: "a non-empty list of distinct mechanisms") {
                !$0.isEmpty && Set($0.map(\.name)).count == $0.count
            } ?? ["mohaf", "greedy", "first_price", "random"].map { try RegisteredMechanism($0) }
            if c.contains(.mohaf) {
                let m = try c.nestedContainer(keyedBy: MOHAFKeys.self, forKey: .mohaf)
                mode = try m.decodeIfPresent(MOHAFMode.self, forKey: .mode) ?? .asRun
                weights = try m.decodeIfPresent(MOHAFWeights.self, forKey: .weights) ?? .asRun
                asDescribed = try m.decodeIfPresent(AsDescribedSettings.self, forKey: .asDescribed) ?? AsDescribedSettings()
            } else {
                mode = .asRun; weights = .asRun; asDescribed = AsDescribedSettings()
            }
            configs = try c.decodeIfPresent([NamedWeights].self, forKey: .configs) ?? []
            if let repeated = configs.map(\.name).firstRepeated() {
                throw DecodingError.dataCorruptedError(forKey: .configs, in: c, debugDescription: "expected distinct config names, found '\(repeated)' twice")
            }
            var scale: Double
            if case .googleTrace = workload { scale = 200 } else { scale = 100 }
            if c.contains(.valuation) {
                let v = try c.nestedContainer(keyedBy: ValuationKeys.self, forKey: .valuation)
                scale = try v.decodeIfPresent(Double.self, forKey: .distanceScale, expecting: "a finite number > 0") { $0 > 0 && $0.isFinite } ?? scale
            }
            distanceScale = scale
            optimum = try c.decodeIfPresent(Bool.self, forKey: .optimum) ?? true
            live = try c.decodeIfPresent(LiveSettings.self, forKey: .live) ?? LiveSettings()
            auditRequests = try c.decodeIfPresent(Int.self, forKey: .auditRequests, expecting: "an integer ≥ 0") { $0 >= 0 } ?? 0
            if case .googleLive = workload {
                if auditRequests > 0 {
                    throw DecodingError.dataCorruptedError(forKey: .auditRequests, in: c, debugDescription: "expected audit_requests only with a one-shot workload (google_trace, ablation_instance, notebook_cell0)")
                }
                if mechanisms.map(\.name) != ["mohaf"] {
                    throw DecodingError.dataCorruptedError(forKey: .mechanisms, in: c, debugDescription: "expected [mohaf] with workload google_live (the live market runs MOHAF rounds)")
                }
            } else if c.contains(.live) {
                throw DecodingError.dataCorruptedError(forKey: .live, in: c, debugDescription: "expected `live` only with workload google_live")
            }
        }
    }

    /// `live:` keys. `pricing` lists the cells: `dynamic` (eq. 4) and/or `static` (ρ fixed at its start value).
    public struct LiveSettings: Decodable, Sendable {
        /// Round interval, price rule, patience and resources of the market.
        public var market = LiveMarketSettings()
        /// The pricing cells, `dynamic` and/or `static`.
        public var pricing: [String] = ["dynamic", "static"]
        enum CodingKeys: String, CodingKey, CaseIterable {
            case roundInterval = "round_interval", priceStep = "price_step", targetUtilisation = "target_utilisation"
            case minPrice = "min_price", maxPrice = "max_price", patience, resources, capacityScale = "capacity_scale"
            case willingnessMin = "willingness_min", willingnessMax = "willingness_max", pricing
        }
        /// The defaults.
        public init() {}
        public init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            let positive: (Double) -> Bool = { $0 > 0 && $0.isFinite }
            let nonNegative: (Double) -> Bool = { $0 >= 0 && $0.isFinite }
            var m = LiveMarketSettings()
            m.roundInterval = try c.decodeIfPresent(Double.self, forKey: .roundInterval, expecting: "seconds > 0", positive) ?? m.roundInterval
            m.priceStep = try c.decodeIfPresent(Double.self, forKey: .priceStep, expecting: "a finite number ≥ 0", nonNegative) ?? m.priceStep
            m.targetUtilisation = try c.decodeIfPresent(Double.self, forKey: .targetUtilisation, expecting: "a number in [0, 1]") { (0...1).contains($0) } ?? m.targetUtilisation
            m.minPrice = try c.decodeIfPresent(Double.self, forKey: .minPrice, expecting: "a finite number ≥ 0", nonNegative) ?? m.minPrice
            m.maxPrice = try c.decodeIfPresent(Double.self, forKey: .maxPrice, expecting: "a finite number ≥ min_price") { [m] in $0.isFinite && $0 >= m.minPrice } ?? m.maxPrice
            m.patience = try c.decodeIfPresent(Double.self, forKey: .patience, expecting: "seconds ≥ 0", nonNegative) ?? m.patience
            m.resources = try c.decodeIfPresent(Int.self, forKey: .resources, expecting: "an integer ≥ 1") { $0 >= 1 } ?? m.resources
            m.capacityScale = try c.decodeIfPresent(Double.self, forKey: .capacityScale, expecting: "a finite number > 0", positive) ?? m.capacityScale
            m.willingnessMin = try c.decodeIfPresent(Double.self, forKey: .willingnessMin, expecting: "a finite number ≥ 0", nonNegative) ?? m.willingnessMin
            m.willingnessMax = try c.decodeIfPresent(Double.self, forKey: .willingnessMax, expecting: "a finite number ≥ willingness_min") { [m] in $0.isFinite && $0 >= m.willingnessMin } ?? m.willingnessMax
            market = m
            pricing = try c.decodeIfPresent([String].self, forKey: .pricing, expecting: "a non-empty list of distinct values from dynamic, static") {
                !$0.isEmpty && Set($0).count == $0.count && $0.allSatisfy { ["dynamic", "static"].contains($0) }
            } ?? pricing
        }
    }

    /// `iot_auction`.
    public static let kind = "iot_auction"
    /// One line for `gavel list`.
    public static let summary = "MOHAF (arXiv 2508.14830) and baselines on the Google trace, the ablation instance or the notebook's synthetic scenarios: paper metrics and honest ones"
    /// MOHAF, the paper's three baselines and the optimum, then any registered mechanism.
    public static var mechanisms: [ComponentInfo] { IoTMechanisms.registry.components }
    /// MOHAF's variants (`mode`, a named `config`, a live market's `pricing`) are
    /// mechanisms compared on the same workload, not workloads of their own; so are
    /// its swept settings (`mohaf.…`: weights, cluster count).
    public static let mechanismParameters = ["mode", "config", "pricing", "mohaf.*"]
    /// The Google trace (one-shot or live) and the ablation instance.
    public static let workloads = [
        ComponentInfo("google_trace", "clusterdata-2011-2 job_events parts, first SUBMITs per file, resources drawn as in notebook cell 4"),
        ComponentInfo("ablation_instance", "the 40 × 25 synthetic instance behind the paper's Table 2 (CSV files)"),
        ComponentInfo("google_live", "live market: task_events arrivals and finishes in the kernel, rounds every Δt, eq. (4) prices"),
        ComponentInfo("notebook_cell0", "notebook cell 0's synthetic scenarios (balanced, high_demand, …), one CPython random chain; cell parameter scenario"),
    ]

    /// The decoded config.
    public let config: Config
    let memo = IoTMemo()

    /// Keeps the config and reads the ablation files now, so that validation refuses what a run would.
    /// - Throws: `InputError` for a bad ablation file.
    public init(config: Config) throws {
        self.config = config
        // The ablation files are small: read and check them now, so that `validate` refuses what `run` would.
        // Traces are large: their part files are found and their gzip integrity verified now (not parsed).
        switch config.workload {
        case .ablation: _ = try instance(seed: 0)
        case .googleTrace(let dir, let files, _), .googleLive(let dir, let files): try GoogleTrace.verifyParts(in: dir, count: files)
        case .notebookCell0: break   // drawn, not read: the decoder checked the sizes
        }
    }

    /// A mechanism of one market: MOHAF with its mode and named weights (when the scenario lists
    /// several), a baseline or a registered mechanism, or the live market under one pricing rule.
    public struct Cell: ExperimentCell {
        /// The mechanism this cell runs.
        public let mechanismChoice: any IoTAllocationMechanism
        /// MOHAF's mode (one-shot cells of a mechanism that reads the `mohaf:` settings only).
        public let mode: MOHAFMode?
        /// A named weight set of `configs:` (nil: the scenario's `mohaf` weights).
        public let config: NamedWeights?
        /// `static` or `dynamic` (live-market cells only).
        public let pricing: String?
        /// Position of the cell's scenario in `notebook_cell0.scenarios` (nil for other workloads).
        public let scenario: Int?
        /// The scenario's name (nil for other workloads).
        public let scenarioName: String?
        /// The mechanism's name.
        public var mechanism: String { mechanismChoice.name }
        /// `scenario` for a notebook_cell0 cell, then: `pricing` for a live cell; `mode` (and `config` when named) for a MOHAF cell; none for a baseline.
        public var parameters: [(String, JSONValue)] {
            let head: [(String, JSONValue)] = scenarioName.map { [("scenario", .string($0))] } ?? []
            if let pricing { return head + [("pricing", .string(pricing))] }
            guard let mode else { return head }
            return head + [("mode", .string(mode.rawValue))] + (config.map { [("config", .string($0.name))] } ?? [])
        }

        init(mechanismChoice: any IoTAllocationMechanism, mode: MOHAFMode?, config: NamedWeights?, pricing: String?,
             scenario: Int? = nil, scenarioName: String? = nil) {
            self.mechanismChoice = mechanismChoice; self.mode = mode; self.config = config; self.pricing = pricing
            self.scenario = scenario; self.scenarioName = scenarioName
        }
    }

    /// The live market's pricing cells, or each mechanism in order (MOHAF once per named config), in report order.
    public var cells: [Cell] {
        if case .googleLive = config.workload {
            return config.live.pricing.map { Cell(mechanismChoice: config.mechanisms[0].mechanism, mode: nil, config: nil, pricing: $0) }
        }
        let mechanismCells = config.mechanisms.flatMap { registered -> [Cell] in
            let m = registered.mechanism
            guard m.readsMOHAFSettings else { return [Cell(mechanismChoice: m, mode: nil, config: nil, pricing: nil)] }
            if config.configs.isEmpty { return [Cell(mechanismChoice: m, mode: config.mode, config: nil, pricing: nil)] }
            return config.configs.map { Cell(mechanismChoice: m, mode: config.mode, config: $0, pricing: nil) }
        }
        guard case .notebookCell0(let scenarios) = config.workload else { return mechanismCells }
        // The notebook's order: scenario after scenario, every mechanism on each.
        return scenarios.enumerated().flatMap { k, s in
            mechanismCells.map { Cell(mechanismChoice: $0.mechanismChoice, mode: $0.mode, config: $0.config, pricing: nil, scenario: k, scenarioName: s.name) }
        }
    }

    func weights(for cell: Cell) -> MOHAFWeights { cell.config?.weights ?? config.weights }

    /// The market a one-shot cell's mechanism sees: the instance of the run's workload seed, the
    /// common valuation under the cell's weights, the notebook's stream after the instance and
    /// the kind's cached optimum.
    func market(for cell: Cell, context: RunContext) throws -> IoTMarket {
        let (inst, afterInstance) = try instance(seed: context.workloadSeed, scenario: cell.scenario)
        let valuation = CommonValuation(weights: weights(for: cell), distanceScale: config.distanceScale)
        let memo = memo, seed = context.workloadSeed, scenario = cell.scenario
        var market = IoTMarket(instance: inst, valuation: valuation,
                               mohaf: MOHAFSettings(mode: config.mode, weights: weights(for: cell), asDescribed: config.asDescribed),
                               notebookRandom: afterInstance, mechanismSeed: context.mechanismSeed,
                               cachedOptimum: { memo.optimum(valuation, instanceSeed: seed, scenario: scenario) { OptimalAssignment.solve(inst, valuation: valuation) } })
        if case .notebookCell0 = config.workload { market.notebookCode = .package }
        return market
    }

    /// The instance (of the chain's `scenario`-th scenario for `notebook_cell0`) and the CPython
    /// generator state after building it.
    func instance(seed: UInt64, scenario: Int? = nil) throws -> (IoTInstance, PythonRandom) {
        if case .notebookCell0(let scenarios) = config.workload {
            guard let k = scenario else { throw ExperimentError("iot_auction: a notebook_cell0 cell without a scenario") }
            let link = memo.chain(seed: seed) { NotebookCell0Chain.run(scenarios, seed: Int(truncatingIfNeeded: seed)).links }[k]
            return (link.instance, link.afterInstance)
        }
        return try memo.instance(seed: seed) {
            switch config.workload {
            case .googleTrace(let dir, let files, let cap):
                let built = try GoogleTraceInstance.build(jobEvents: dir, files: files, maxRequestsPerFile: cap, seed: Int(truncatingIfNeeded: seed))
                return (built.instance, built.random)
            case .ablation(let resources, let requests):
                return (try AblationInstance.load(resources: resources, requests: requests), PythonRandom(seed: Int(truncatingIfNeeded: seed)))
            case .googleLive:
                throw ExperimentError("iot_auction: google_live has no one-shot instance")
            case .notebookCell0:
                throw ExperimentError("iot_auction: notebook_cell0 instances come from the chain")
            }
        }
    }

    /// Runs one mechanism on the instance (replaying the notebook's draws before it) or the live market under one pricing rule.
    public func run(_ cell: Cell, context: RunContext) throws -> RunOutcome {
        // The workload seed feeds the notebook's CPython generator (instance draws, then the
        // as-run baselines' draws, as the notebook makes them): `paper_seed: 42` reproduces its
        // random.seed(42) in replicate 0; other replicates get instances of their own.
        if case .googleLive(let dir, let files) = config.workload { return try runLive(cell, taskEvents: dir, files: files, seed: context.workloadSeed) }
        let market = try market(for: cell, context: context)
        let inst = market.instance
        let outcome = try cell.mechanismChoice.allocate(market)
        if outcome.failure != nil { return failedRun(outcome) }
        let result = outcome.result
        let paper = PaperMetrics(result, requests: inst.requests.count, resources: inst.resources.count)
        let optimum: Double? = config.optimum ? market.optimalAssignment().value : nil
        // The one-to-one optimum does not bound capacity-sharing allocations.
        let honest = HonestMetrics(result.allocations, instance: inst, valuation: market.valuation, optimum: outcome.isOneToOne ? optimum : nil)
        let configName = cell.config?.name ?? ""
        let audit: [(String, Double)] = config.auditRequests > 0
            ? [("max_gain_from_misreport", try IoTMisreportAudit(requests: config.auditRequests).maxGain(cell.mechanismChoice, market: market))] : []
        return RunOutcome(metrics: [
            ("allocation_efficiency", paper.allocationEfficiency),
            ("revenue", paper.revenue),
            ("satisfaction_rate", paper.satisfactionRate),
            ("resource_utilization", paper.resourceUtilization),
            ("jain_per_allocation", paper.jainPerAllocation),
            ("welfare", honest.welfare),
            ("jain_per_requester", honest.jainPerRequester),
            ("jain_per_request", honest.jainPerRequest),
            ("ratio_to_optimum", honest.ratioToOptimum),
            ("allocations", Double(result.allocations.count)),
            ("bids", Double(result.bids)),
        ] + outcome.metrics + audit, events: 0, artifacts: [("allocations.csv", AllocationsCSV.render(result.allocations, instance: inst,
                                                                                     mechanism: cell.mechanism, config: configName,
                                                                                     scenario: cell.scenarioName))])
    }
}

extension IoTAuctionExperiment {
    /// A run whose mechanism failed the way the authors' code fails (``IoTMechanismOutcome/failure``):
    /// the paper's and the honest metrics are NaN (nothing was measured; the notebook printed the
    /// error and filled its table with zeros), `allocations` 0, `bids` as generated, then the
    /// mechanism's own metrics (which say what failed). No allocations, so no `allocations.csv` rows.
    func failedRun(_ outcome: IoTMechanismOutcome) -> RunOutcome {
        let notMeasured = ["allocation_efficiency", "revenue", "satisfaction_rate", "resource_utilization", "jain_per_allocation",
                           "welfare", "jain_per_requester", "jain_per_request", "ratio_to_optimum"].map { ($0, Double.nan) }
        return RunOutcome(metrics: notMeasured + [("allocations", 0), ("bids", Double(outcome.result.bids))] + outcome.metrics
                          + (config.auditRequests > 0 ? [("max_gain_from_misreport", .nan)] : []), events: 0)
    }

    /// One live-market run: `summary.csv` metrics plus `series.csv` (per round and resource).
    func runLive(_ cell: Cell, taskEvents: String, files: Int, seed: UInt64) throws -> RunOutcome {
        guard let pricing = cell.pricing else { throw ExperimentError("iot_auction: live cell without pricing") }
        let trace = try memo.liveTrace(taskEvents, files) { try LiveTaskTrace.read(taskEvents: taskEvents, parts: files) }
        var settings = config.live.market
        settings.dynamicPricing = pricing == "dynamic"
        let market = LiveMarket(trace: trace, settings: settings, weights: config.weights, distanceScale: config.distanceScale,
                                seed: Int(truncatingIfNeeded: seed))
        let r = market.run()
        let lastPart = trace.tasks.last.map { Double($0.part) } ?? .nan
        return RunOutcome(metrics: [
            ("requests", Double(r.requests)),
            ("served", Double(r.allocations.count)),
            ("served_fraction", r.servedFraction),
            ("expired", Double(r.expired)),
            ("welfare", r.welfare),
            ("revenue", r.revenue),
            ("mean_utilization", r.meanUtilisation),
            ("price_min", r.priceMin),
            ("price_max", r.priceMax),
            ("jain_per_requester", r.jainPerRequester),
            ("requesters", Double(r.requesters)),
            ("rounds", Double(r.rounds.count)),
            ("releases", Double(r.releases)),
            ("parts", Double(trace.requestsPerPart.filter { $0 > 0 }.count)),
            ("last_part", lastPart),
            ("horizon_s", trace.horizon),
        ], events: r.events, artifacts: [("series.csv", r.seriesCSV(mechanism: cell.mechanism, pricing: pricing,
                                                                      resourceIDs: market.instance.resources.map(\.id)))])
    }
}

/// `allocations.csv`: one line per accepted pair, in acceptance order, for every
/// mechanism of the scenario (the `mechanism` and `config` columns say whose).
public enum AllocationsCSV {
    /// The CSV header.
    public static let header = "mechanism,config,order,request_id,resource_id,price,amount,utility"

    /// One mechanism's allocations, header first, in acceptance order; with a `scenario` (workload
    /// `notebook_cell0`) a first column `scenario` says on which instance.
    public static func render(_ allocations: [IoTAllocation], instance inst: IoTInstance, mechanism: String, config: String,
                              scenario: String? = nil) -> String {
        var out = (scenario == nil ? "" : "scenario,") + header + "\n"
        for (k, a) in allocations.enumerated() {
            if let scenario { out += scenario + "," }
            out += "\(mechanism),\(config),\(k),\(inst.requests[a.request].id),\(inst.resources[a.resource].id),"
            out += "\(NumberFormat.csv(a.price)),\(NumberFormat.csv(a.amount)),\(NumberFormat.csv(a.utility))\n"
        }
        return out
    }
}

/// Per-experiment caches shared by its runs (instances and optima are pure
/// functions of their keys, so sharing them cannot change any result).
final class IoTMemo: Sendable {
    private let instances = Mutex<[UInt64: (IoTInstance, PythonRandom)]>([:])
    private let chains = Mutex<[UInt64: [NotebookCell0Chain.Link]]>([:])
    private let optima = Mutex<[String: OptimalAssignment.Solution]>([:])
    private let traces = Mutex<[String: LiveTaskTrace]>([:])

    func liveTrace(_ directory: String, _ files: Int, _ make: () throws -> LiveTaskTrace) throws -> LiveTaskTrace {
        let key = "\(files):\(directory)"
        if let hit = traces.withLock({ $0[key] }) { return hit }
        let made = try make()
        traces.withLock { $0[key] = made }
        return made
    }

    func instance(seed: UInt64, _ make: () throws -> (IoTInstance, PythonRandom)) throws -> (IoTInstance, PythonRandom) {
        if let hit = instances.withLock({ $0[seed] }) { return hit }
        let made = try make()
        instances.withLock { $0[seed] = made }
        return made
    }

    func chain(seed: UInt64, _ make: () -> [NotebookCell0Chain.Link]) -> [NotebookCell0Chain.Link] {
        if let hit = chains.withLock({ $0[seed] }) { return hit }
        let made = make()
        chains.withLock { $0[seed] = made }
        return made
    }

    func optimum(_ valuation: CommonValuation, instanceSeed: UInt64, scenario: Int? = nil, _ make: () -> OptimalAssignment.Solution) -> OptimalAssignment.Solution {
        let w = valuation.weights
        let key = "\(instanceSeed):\(scenario.map(String.init) ?? ""):\(w.cost),\(w.qos),\(w.energy),\(w.fairness),\(valuation.distanceScale)"
        if let hit = optima.withLock({ $0[key] }) { return hit }
        let made = make()
        optima.withLock { $0[key] = made }
        return made
    }
}
