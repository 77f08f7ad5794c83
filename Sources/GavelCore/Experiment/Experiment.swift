/// One named part of an experiment kind (a mechanism, a workload), for `gavel list`.
public struct ComponentInfo: Sendable {
    /// The name a scenario uses (`first_price`, `google_trace`).
    public let name: String
    /// One line for `gavel list`.
    public let summary: String
    /// Registered by a program rather than built into Gavel (`gavel list` marks it).
    public let isRegistered: Bool
    /// A component named `name`, described in one line by `summary`.
    public init(_ name: String, _ summary: String, isRegistered: Bool = false) {
        self.name = name
        self.summary = summary
        self.isRegistered = isRegistered
    }
}

/// One mechanism × configuration of an experiment, as a kind declares it: a typed value
/// the kind's `run` reads directly (no lookup by name), rendered for the run key and the
/// result files by `mechanism` and `parameters`.
///
/// `parameters` are the values that distinguish this cell from the others (for example
/// `bidders = 5`); they go into the run key, so their order and spelling are part of the
/// results' identity: a cell type renders them in one fixed order.
public protocol ExperimentCell: Sendable {
    /// The value of `summary.csv`'s mechanism column.
    var mechanism: String { get }
    /// The distinguishing values, in the order the run key renders them.
    var parameters: [(String, JSONValue)] { get }
}

extension ExperimentCell {
    /// The cell as the scenario layer keys and reports it.
    public var rendered: RunCell { RunCell(mechanism: mechanism, parameters: parameters) }
}

/// The most common cell: one of the kind's mechanisms on one of the scenario's labelled
/// instances (a matching instance, an ad family, a market, a bidder population), rendered
/// as the mechanism's name and `labelKey: label`.
///
/// `Mechanism` is whatever the kind runs: a closed enum, or a family's protocol value
/// resolved through its registry (`any OnlineMatchingAlgorithm`), named by `mechanism`.
public struct InstanceCell<Mechanism: Sendable>: ExperimentCell {
    /// The mechanism this cell runs.
    public let mechanismChoice: Mechanism
    /// The mechanism's name (`summary.csv`'s mechanism column).
    public let mechanism: String
    /// Position of the instance in the scenario's list.
    public let instance: Int
    /// The instance's label, rendered as the `labelKey` parameter.
    public let label: String
    /// The parameter's name in the run key (`instance`, `family`, `market`, `population`).
    public let labelKey: String

    /// A cell running `mechanism`, called `name`, on the instance at position `instance`, rendered as `labelKey: label`.
    public init(_ mechanism: Mechanism, name: String, instance: Int, label: String, labelKey: String) {
        mechanismChoice = mechanism; self.mechanism = name; self.instance = instance; self.label = label; self.labelKey = labelKey
    }

    /// Every mechanism on every labelled instance, mechanisms slowest (report order).
    public static func grid(_ mechanisms: [(name: String, mechanism: Mechanism)], labels: [String], labelKey: String) -> [InstanceCell] {
        mechanisms.flatMap { m in
            labels.enumerated().map { InstanceCell(m.mechanism, name: m.name, instance: $0.offset, label: $0.element, labelKey: labelKey) }
        }
    }

    /// One parameter, `labelKey: label`.
    public var parameters: [(String, JSONValue)] { [(labelKey, .string(label))] }
}

extension InstanceCell where Mechanism: RawRepresentable, Mechanism.RawValue == String {
    /// A cell running `mechanism`, named by its raw value.
    public init(_ mechanism: Mechanism, instance: Int, label: String, labelKey: String) {
        self.init(mechanism, name: mechanism.rawValue, instance: instance, label: label, labelKey: labelKey)
    }

    /// Every mechanism on every labelled instance, mechanisms slowest (report order), named by raw value.
    public static func grid(_ mechanisms: [Mechanism], labels: [String], labelKey: String) -> [InstanceCell] {
        grid(mechanisms.map { ($0.rawValue, $0) }, labels: labels, labelKey: labelKey)
    }
}

/// A cell as rendered for the run key and the result files (a row of `summary.csv`): the
/// mechanism's name and the distinguishing values, plus the swept values of a sweep point.
/// The scenario layer works with these; only the kind reads its own typed cells.
public struct RunCell: Sendable {
    /// The value of `summary.csv`'s mechanism column.
    public let mechanism: String
    /// The distinguishing values (sweep values included), in run-key order.
    public let parameters: [(String, JSONValue)]
    /// A rendered cell: `mechanism` and its distinguishing values.
    public init(mechanism: String, parameters: [(String, JSONValue)] = []) {
        self.mechanism = mechanism
        self.parameters = parameters
    }
}

/// What a run may know about where it stands: its replicate and its random
/// streams, by role.
///
/// Two roles, so that mechanisms can be compared on common random numbers
/// (Law, *Simulation Modeling and Analysis*, ch. 11):
/// - the **workload** (arrivals, values, CTRs and their noise, click and success
///   coins, trace resampling) draws from `workload(_:)`, whose seed comes from
///   (master seed, configuration, replicate) and is therefore the same for every
///   mechanism of a configuration and replicate;
/// - a mechanism's **own** randomness (Ranking's permutation, a random bidder's
///   bids, a parameter search) draws from `mechanism(_:)`, whose seed adds the
///   mechanism (it is the run key's seed).
///
/// With `common_random_numbers: false` both seeds are the run key's seed: every
/// run draws everything on its own, as independent runs do. The runner derives
/// the seeds (`RunPlanner`); a family never picks between seeds itself.
public struct RunContext: Sendable {
    /// Seed of the workload streams. Replicate 0 of a scenario with `paper_seed`
    /// gets that seed verbatim (a paper's fixed seed, such as MOHAF's
    /// `random.seed(42)`); a kind that feeds a paper's generator uses this value as is.
    public let workloadSeed: UInt64
    /// Seed of the mechanism's own streams.
    public let mechanismSeed: UInt64
    /// Replicate number, 0-based.
    public let replicate: Int
    /// Whether the workload is shared across mechanisms. Kinds whose draws would
    /// otherwise shift with the mechanism (a coin per try) key them by edge or
    /// query when this is set; without it they may draw in sequence.
    public let commonRandomNumbers: Bool

    /// A context with the two seeds the runner derived (`RunPlanner`, GavelScenario).
    public init(workloadSeed: UInt64, mechanismSeed: UInt64, replicate: Int, commonRandomNumbers: Bool = true) {
        self.workloadSeed = workloadSeed
        self.mechanismSeed = mechanismSeed
        self.replicate = replicate
        self.commonRandomNumbers = commonRandomNumbers
    }

    /// A context whose two roles share one seed (tests, `gavel solve`).
    public init(seed: UInt64, replicate: Int = 0) {
        self.init(workloadSeed: seed, mechanismSeed: seed, replicate: replicate, commonRandomNumbers: false)
    }

    /// The named workload stream (`"arrivals"`, `"values"`...): the same for every
    /// mechanism of this configuration and replicate.
    public func workload(_ name: String) -> Xoshiro256StarStar {
        Xoshiro256StarStar(seed: workloadSeed).stream(named: name)
    }

    /// The named stream of this run's mechanism (`"ranks"`, `"bids"`...).
    public func mechanism(_ name: String) -> Xoshiro256StarStar {
        Xoshiro256StarStar(seed: mechanismSeed).stream(named: name)
    }
}

/// The figures one run produced, in the order they should be reported.
public struct RunOutcome: Sendable {
    /// (name, value) pairs, in report order.
    public var metrics: [(String, Double)]
    /// Kernel events handled (for events-per-second figures).
    public var events: Int
    /// Extra result files (name, contents), such as a CSV of allocations. Runs
    /// that produce a file of the same name are merged into one file in plan
    /// order (see `ResultFiles.mergedArtifacts`), so a CSV artifact should carry
    /// the run's mechanism/configuration in its own columns.
    public var artifacts: [(name: String, contents: String)]
    /// The outcome of one run: its metrics, the kernel events it handled and any extra files.
    public init(metrics: [(String, Double)], events: Int, artifacts: [(name: String, contents: String)] = []) {
        self.metrics = metrics
        self.events = events
        self.artifacts = artifacts
    }
}

/// An experiment kind: what `kind:` in a scenario file names.
///
/// A kind declares its configuration (`Config`, decoded from the scenario by GavelConfig's
/// strict decoder: its `CodingKeys` should be `CaseIterable`, so unknown keys are errors)
/// and its cell type, lays out its cells, and runs one (cell, replicate) at a time. Runs must be
/// independent and deterministic given their context, which is what makes
/// sharded and parallel execution give identical results.
public protocol Experiment: Sendable {
    /// The kind's settings, decoded strictly from the scenario's config.
    associatedtype Config: Decodable & Sendable
    /// What one cell of this kind is (a mechanism and the values it runs with).
    associatedtype Cell: ExperimentCell
    /// The `kind:` value, snake_case.
    static var kind: String { get }
    /// One line for `gavel list`.
    static var summary: String { get }
    /// The mechanisms a scenario of this kind may name, for `gavel list`.
    static var mechanisms: [ComponentInfo] { get }
    /// The workloads a scenario of this kind may name, for `gavel list`.
    static var workloads: [ComponentInfo] { get }
    /// The name of `summary.csv`'s first column (default `mechanism`).
    static var mechanismColumn: String { get }
    /// Cell parameters that set the mechanism, not the workload: left out of the
    /// workload seed, so changing them never changes what the mechanism faces.
    /// - A plain name (MOHAF's `config`, a live market's `pricing`) is a variant of
    ///   the mechanism: paired comparisons match runs across its values.
    /// - A pattern with `*` (any characters, dots included) names swept settings
    ///   (`mohaf.*`, `markets.*.reserve`): every sweep point of such a setting draws
    ///   the same workload, while each point is compared on its own.
    static var mechanismParameters: [String] { get }
    /// What the summary's metrics mean, with their units: the report's axis titles and captions
    /// (written into each result's manifest, so the report needs no family code).
    static var metrics: [MetricDescription] { get }

    /// Builds the kind from its decoded config, reading any data files it names.
    /// - Throws: ``InputError`` for bad input (naming the file), ``ExperimentError`` for a failed computation.
    init(config: Config) throws
    /// Mechanism × configuration cells, in report order.
    var cells: [Cell] { get }
    /// Runs one cell for one replicate; deterministic given `context`.
    func run(_ cell: Cell, context: RunContext) throws -> RunOutcome
}

extension Experiment {
    /// The cells as the scenario layer sees them, in the same order as `cells`.
    public var renderedCells: [RunCell] { cells.map(\.rendered) }

    /// Runs the cell at `index` of `cells` (how the runner, which holds rendered cells, calls a kind).
    public func run(cellAt index: Int, context: RunContext) throws -> RunOutcome {
        try run(cells[index], context: context)
    }

    /// Default: `mechanism`.
    public static var mechanismColumn: String { "mechanism" }
    /// Default: none (every cell parameter also sets the workload).
    public static var mechanismParameters: [String] { [] }
    /// Default: none (the report shows bare metric names).
    public static var metrics: [MetricDescription] { [] }
}

/// One metric of a kind's summary: its name, unit ("" for a pure number) and meaning.
public struct MetricDescription: Sendable, Equatable {
    /// The metric's name, as in `summary.csv`.
    public let name: String
    /// The unit, "" for a pure number.
    public let unit: String
    /// What the metric measures (the report's caption).
    public let description: String
    /// A metric `name` in `unit`, meaning `description`.
    public init(_ name: String, _ unit: String, _ description: String) {
        self.name = name; self.unit = unit; self.description = description
    }
}
