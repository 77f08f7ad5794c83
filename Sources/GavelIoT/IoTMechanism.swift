import GavelCore

/// An IoT allocation mechanism: from requests (demands, budgets), resources (capacities, unit
/// costs) and the prices it sets, to the accepted (request, resource) pairs and what each pays.
///
/// The one extension point of `kind: iot_auction`. MOHAF and the paper's baselines are values of
/// this protocol in ``IoTMechanisms/registry``; a program registers its own before running, and a
/// scenario names it in `mechanisms:` like a built-in one. The kind builds the market (instance,
/// common valuation, the notebook's random stream), calls ``allocate(_:)`` and computes every
/// metric from the returned allocations, so a registered mechanism is measured exactly like
/// MOHAF. The truthfulness auditor (`audit_requests:`) calls ``allocate(_:)`` again on markets in
/// which one request misreports its budget or demand, so the mechanism must read requests only
/// from `market.instance` and be a deterministic function of its ``IoTMarket``.
public protocol IoTAllocationMechanism: Sendable {
    /// The snake_case name a scenario uses (`mechanisms: [mohaf, my_rule]`), also `summary.csv`'s mechanism column.
    var name: String { get }
    /// One line for `gavel list`.
    var summary: String { get }
    /// Whether the mechanism is configured by the scenario's `mohaf:` block (mode, weights) and runs
    /// once per named weight set of `configs:` (its cells then carry `mode` and `config`). Default false:
    /// a baseline runs once, with the scenario's weights in ``IoTMarket/valuation`` only.
    var readsMOHAFSettings: Bool { get }
    /// Allocates `market`'s requests to its resources. A throw fails the run (it is never swallowed).
    func allocate(_ market: IoTMarket) throws -> IoTMechanismOutcome
}

extension IoTAllocationMechanism {
    /// A baseline reads no `mohaf:` settings.
    public var readsMOHAFSettings: Bool { false }
}

/// Everything a mechanism may read on one instance: the requests as reported, the resources,
/// the common valuation, MOHAF's settings and the notebook's random stream.
public struct IoTMarket: Sendable {
    /// Resources and requests; requests carry their *reported* budgets and demands (the auditor
    /// changes one request's report and calls the mechanism again).
    public var instance: IoTInstance
    /// v_ij under the cell's weights, which the honest metrics use for every mechanism.
    public var valuation: CommonValuation
    /// The scenario's `mohaf:` settings, with the cell's weights (a named config's, if any).
    public var mohaf: MOHAFSettings
    /// The authors' CPython `random` stream right after the instance was drawn. The notebook's
    /// baselines draw from it in a fixed order (First-Price, then Random), and each replays the
    /// draws before its own, so any subset of mechanisms gives the notebook's numbers. A copy: a
    /// mechanism's draws never reach another mechanism.
    public var notebookRandom: PythonRandom
    /// Seed of the mechanism's own randomness (the run's mechanism seed: clustering, tie-breaks).
    public var mechanismSeed: UInt64
    /// Which of the authors' codes the as-run baselines replay: notebook cell 4 (Table 1, the
    /// default) or the `mohaf/` package = notebook cell 0, whose Random shuffles the resources
    /// before choosing. The `notebook_cell0` workload sets `.package`.
    public var notebookCode: MOHAFCodeVersion = .notebookCell4
    /// The kind's cache of the one-to-one optimum (shared by `optimal` and `ratio_to_optimum`);
    /// nil on the auditor's markets, whose reports change the instance.
    let cachedOptimum: (@Sendable () -> OptimalAssignment.Solution)?

    /// A market of `instance`; without `cachedOptimum` the optimum is solved when asked for.
    public init(instance: IoTInstance, valuation: CommonValuation, mohaf: MOHAFSettings, notebookRandom: PythonRandom,
                mechanismSeed: UInt64) {
        self.init(instance: instance, valuation: valuation, mohaf: mohaf, notebookRandom: notebookRandom,
                  mechanismSeed: mechanismSeed, cachedOptimum: nil)
    }

    init(instance: IoTInstance, valuation: CommonValuation, mohaf: MOHAFSettings, notebookRandom: PythonRandom,
         mechanismSeed: UInt64, cachedOptimum: (@Sendable () -> OptimalAssignment.Solution)?) {
        self.instance = instance; self.valuation = valuation; self.mohaf = mohaf
        self.notebookRandom = notebookRandom; self.mechanismSeed = mechanismSeed; self.cachedOptimum = cachedOptimum
    }

    /// The welfare-optimal one-to-one assignment of `instance` under `valuation` (Hungarian).
    public func optimalAssignment() -> OptimalAssignment.Solution {
        cachedOptimum?() ?? OptimalAssignment.solve(instance, valuation: valuation)
    }

    /// The same market with request `i` reporting `budget` and `amount` (the auditor's misreport);
    /// the optimum is no longer the cached one.
    func reporting(request i: Int, budget: Double, amount: Double) -> IoTMarket {
        var changed = instance
        changed.requests[i].budget = budget
        changed.requests[i].amount = amount
        var market = IoTMarket(instance: changed, valuation: valuation, mohaf: mohaf, notebookRandom: notebookRandom,
                               mechanismSeed: mechanismSeed, cachedOptimum: nil)
        market.notebookCode = notebookCode
        return market
    }
}

/// The scenario's `mohaf:` block as MOHAF reads it: the mode, the weights of the cell and the
/// `as_described` settings.
public struct MOHAFSettings: Sendable {
    /// `as_run`, `package` or `as_described`.
    public var mode: IoTAuctionExperiment.MOHAFMode
    /// α, β, γ, δ (a named config's when the cell has one).
    public var weights: MOHAFWeights
    /// θ, QoS and clustering of `as_described`.
    public var asDescribed: IoTAuctionExperiment.AsDescribedSettings

    /// Settings given field by field.
    public init(mode: IoTAuctionExperiment.MOHAFMode = .asRun, weights: MOHAFWeights = .asRun,
                asDescribed: IoTAuctionExperiment.AsDescribedSettings = .init()) {
        self.mode = mode; self.weights = weights; self.asDescribed = asDescribed
    }
}

/// What a mechanism returns: its allocations, metrics of its own, and whether the one-to-one
/// optimum bounds it.
public struct IoTMechanismOutcome: Sendable {
    /// The accepted pairs in acceptance order, with prices, and the paper's efficiency denominator.
    public var result: IoTAllocationResult
    /// Metrics only this mechanism has (MOHAF as described: `objective_f`, `guarantee`,
    /// `gain_evaluations`), appended after the kind's own.
    public var metrics: [(String, Double)]
    /// Whether every resource serves at most one request: only then is `ratio_to_optimum` (against
    /// the one-to-one optimum) meaningful; a capacity-sharing allocation gets NaN.
    public var isOneToOne: Bool
    /// Why the mechanism produced no allocation, when it failed the way the authors' code fails
    /// (the Hungarian baseline's "cost matrix is infeasible"): a recorded outcome, not an error.
    /// The kind then reports the paper's and the honest metrics as NaN (not measured) and keeps
    /// `allocations` = 0, `bids` and the mechanism's own metrics. `result` holds no allocations, so
    /// the truthfulness auditor reads a failed outcome as "nothing allocated" (as the notebook did).
    public var failure: String?

    /// An outcome; by default no metrics of its own and one-to-one.
    public init(_ result: IoTAllocationResult, metrics: [(String, Double)] = [], isOneToOne: Bool = true) {
        self.result = result; self.metrics = metrics; self.isOneToOne = isOneToOne
    }

    /// A recorded failure: no allocations, `bids` bids generated, `message` saying why.
    public static func failed(_ message: String, bids: Int, metrics: [(String, Double)] = []) -> IoTMechanismOutcome {
        var o = IoTMechanismOutcome(IoTAllocationResult(allocations: [], maxPossibleUtility: 0, bids: bids), metrics: metrics)
        o.failure = message
        return o
    }
}

/// The `iot_auction` family: its registry of ``IoTAllocationMechanism``s, Gavel's own first in
/// `gavel list` order (mohaf, greedy, first_price, random, optimal, vickrey, hungarian).
public enum IoTMechanisms: MechanismFamily {
    /// The family's registry; register a mechanism here before running a scenario that names it.
    public static let registry = MechanismRegistry<any IoTAllocationMechanism>(
        family: "IoT allocation mechanism",
        builtIn: [MOHAFMechanism(), GreedyBaseline(), FirstPriceBaseline(), RandomBaseline(), OptimalBaseline(),
                  VickreyBaseline(), HungarianBaseline()],
        name: { $0.name }, summary: { $0.summary })
}

extension OptimalAssignment {
    /// The welfare-optimal one-to-one assignment of `inst` under `valuation` over compatible pairs.
    static func solve(_ inst: IoTInstance, valuation: CommonValuation) -> Solution {
        solve(requests: inst.requests.count, resources: inst.resources.count) { i, j in
            inst.compatible(request: i, resource: j) ? valuation.value(inst, request: i, resource: j) : nil
        }
    }
}
