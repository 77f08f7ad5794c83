import GavelCore

/// An online principal of `kind: infoacq_online`: a rule that learns a mechanism while paying
/// for the rounds it learns in, against agents whose information structure q it does not know.
///
/// The one extension point of `infoacq_online` (issue 19), so the kind can compare learners
/// rather than measure one. Gavel's own is explore-then-commit (``InfoAcqOnlineLearner``); a
/// program registers its own in ``InfoAcqOnlinePrincipals/registry`` before running, and a
/// scenario names it in `mechanisms:` like the built-in. The kind measures every principal the
/// same way (``InfoAcqRegretCurve/measure(_:horizons:seeds:seed:)``): regret against the
/// known-q optimum for every horizon × seed, and the log-log slope of regret on T.
public protocol InfoAcqOnlinePrincipal: Sendable {
    /// The snake_case name a scenario uses (`mechanisms: [explore_then_commit, my_learner]`),
    /// also `summary.csv`'s mechanism column.
    var name: String { get }
    /// One line for `gavel list`.
    var summary: String { get }
    /// The learner for one instance and the kind's settings (`explore_scale`, `margin_scale`,
    /// `explore_cap`, the last defaulting to the instance's payment cap), prepared once per
    /// scenario load: per-instance work (LP solves) belongs here, not in each run. A settings
    /// key the principal has no use for may be ignored. A throw fails the load (an
    /// ``ExperimentError`` is prefixed with the instance's label).
    func learner(for instance: InfoAcqInstance, settings: InfoAcqOnlineLearner.Config) throws -> any InfoAcqLearning
}

/// A prepared online learner: what ``InfoAcqRegretCurve`` runs for every horizon and seed.
///
/// Separate from ``InfoAcqOnlinePrincipal`` so that preparation (once per instance) and the
/// runs (horizons × seeds × replicates) are distinct steps; ``InfoAcqOnlineLearner`` conforms.
public protocol InfoAcqLearning: Sendable {
    /// The known-q optimum OPT per round that regret is measured against (the `optimum` metric).
    var optimum: Double { get }
    /// The rounds spent exploring at horizon T (`regret_curve.csv`'s `explore_rounds`); 0 by
    /// default, for a learner without a separate explore phase.
    func exploreRounds(horizon: Int) -> Int
    /// One run of T rounds from `seed` (the run's draws must depend on nothing else, so curves
    /// are reproducible). The curve reads `regret`, `epsilon`, `committedValue` and
    /// `committedIC`. A throw fails the kind's run.
    func run(horizon: Int, seed: UInt64) throws -> InfoAcqOnlineLearner.Outcome
}

extension InfoAcqLearning {
    /// No explore phase.
    public func exploreRounds(horizon: Int) -> Int { 0 }
}

extension InfoAcqOnlineLearner: InfoAcqLearning {}

/// Gavel's explore-then-commit principal (spec A.5 [R], ``InfoAcqOnlineLearner``) as an
/// ``InfoAcqOnlinePrincipal``.
public struct InfoAcqExploreThenCommit: InfoAcqOnlinePrincipal {
    /// `explore_then_commit`.
    public var name: String { "explore_then_commit" }
    /// One line for `gavel list`.
    public var summary: String { "safe payments while exploring, q̂, relaxed LP, strict IC margin (docs/infoacq.md)" }
    /// The principal.
    public init() {}
    /// An ``InfoAcqOnlineLearner`` with the kind's settings.
    public func learner(for instance: InfoAcqInstance, settings: InfoAcqOnlineLearner.Config) throws -> any InfoAcqLearning {
        try InfoAcqOnlineLearner(instance, config: settings)
    }
}

/// The `infoacq_online` family: its registry of ``InfoAcqOnlinePrincipal``s, Gavel's own first.
public enum InfoAcqOnlinePrincipals: MechanismFamily {
    /// The family's registry; register a principal here before running a scenario that names it.
    public static let registry = MechanismRegistry<any InfoAcqOnlinePrincipal>(
        family: "online principal", builtIn: [InfoAcqExploreThenCommit()], name: { $0.name }, summary: { $0.summary })
}
