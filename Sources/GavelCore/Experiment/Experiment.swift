/// One named part of an experiment kind (a mechanism, a workload), for `gavel list`.
public struct ComponentInfo: Sendable {
    public let name: String
    public let summary: String
    public init(_ name: String, _ summary: String) {
        self.name = name
        self.summary = summary
    }
}

/// One mechanism × configuration of an experiment: a row of `summary.csv`.
///
/// `parameters` are the values that distinguish this cell from the others
/// (for example `bidders = 5`); they go into the run key, so their order and
/// spelling are part of the results' identity.
public struct RunCell: Sendable {
    public let mechanism: String
    public let parameters: [(String, JSONValue)]
    public init(mechanism: String, parameters: [(String, JSONValue)] = []) {
        self.mechanism = mechanism
        self.parameters = parameters
    }
}

/// What a run may know about where it stands.
public struct RunContext: Sendable {
    /// The scenario's master seed (for experiments that reproduce a paper's fixed seed).
    public let masterSeed: UInt64
    /// This run's own seed, derived from (master seed, run key): independent of
    /// which shard or thread executes the run.
    public let seed: UInt64
    /// Replicate number, 0-based.
    public let replicate: Int

    public init(masterSeed: UInt64, seed: UInt64, replicate: Int) {
        self.masterSeed = masterSeed
        self.seed = seed
        self.replicate = replicate
    }

    /// The run's generator for the named sub-stream (`"arrivals"`, `"values"`...).
    public func stream(_ name: String) -> Xoshiro256StarStar {
        Xoshiro256StarStar(seed: seed).stream(named: name)
    }
}

/// The figures one run produced, in the order they should be reported.
public struct RunOutcome: Sendable {
    public var metrics: [(String, Double)]
    /// Kernel events handled (for events-per-second figures).
    public var events: Int
    /// Extra result files (name, contents), such as a CSV of allocations. Runs
    /// that produce a file of the same name are merged into one file in plan
    /// order (see `ResultFiles.mergedArtifacts`), so a CSV artifact should carry
    /// the run's mechanism/configuration in its own columns.
    public var artifacts: [(name: String, contents: String)]
    public init(metrics: [(String, Double)], events: Int, artifacts: [(name: String, contents: String)] = []) {
        self.metrics = metrics
        self.events = events
        self.artifacts = artifacts
    }
}

/// An experiment kind: what `kind:` in a scenario file names.
///
/// A kind decodes its own configuration from the scenario file (strictly: its
/// `Config.CodingKeys` should be `CaseIterable`, so unknown keys are errors),
/// lays out its cells, and runs one (cell, replicate) at a time. Runs must be
/// independent and deterministic given their context, which is what makes
/// sharded and parallel execution give identical results.
public protocol Experiment: Sendable {
    associatedtype Config: Decodable & Sendable
    /// The `kind:` value, snake_case.
    static var kind: String { get }
    /// One line for `gavel list`.
    static var summary: String { get }
    static var mechanisms: [ComponentInfo] { get }
    static var workloads: [ComponentInfo] { get }
    /// The name of `summary.csv`'s first column (default `mechanism`).
    static var mechanismColumn: String { get }

    init(config: Config) throws
    /// Mechanism × configuration cells, in report order.
    var cells: [RunCell] { get }
    func run(_ cell: RunCell, context: RunContext) throws -> RunOutcome
}

extension Experiment {
    public static var mechanismColumn: String { "mechanism" }
}

/// An error an experiment raises while running, shown to the user as is.
public struct ExperimentError: Error, CustomStringConvertible, Sendable {
    public let description: String
    public init(_ description: String) { self.description = description }
}
