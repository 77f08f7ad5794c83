import GavelCore
import GavelIoT
import GavelSingleItem
import GavelRTB
import GavelMatching
import GavelInfoAcq
import GavelAdAuctions
import GavelConfig
import Synchronization

/// One experiment kind as the scenario layer sees it: its descriptions and a
/// way to build it from a decoded document.
public struct ExperimentKindEntry: Sendable {
    /// The `kind:` value (`Experiment.kind`).
    public let kind: String
    /// One line for `gavel list`.
    public let summary: String
    /// The kind's mechanisms, for `gavel list`: read when asked, so mechanisms registered
    /// in the kind's family after this entry was made are listed too.
    public var mechanisms: [ComponentInfo] { mechanismsNow() }
    private let mechanismsNow: @Sendable () -> [ComponentInfo]
    /// The kind's workloads, for `gavel list`.
    public let workloads: [ComponentInfo]
    /// The name of `summary.csv`'s first column.
    public let mechanismColumn: String
    /// The kind's metric descriptions, written into each manifest.
    public let metrics: [MetricDescription]
    let make: @Sendable (YAMLNode, [CodingUserInfoKey: Any], [String]) throws -> any Experiment

    init<E: Experiment>(_ type: E.Type) {
        kind = E.kind
        summary = E.summary
        mechanismsNow = { E.mechanisms }
        workloads = E.workloads
        mechanismColumn = E.mechanismColumn
        metrics = E.metrics
        make = { node, userInfo, rootKeys in
            let config = try node.decode(E.Config.self, userInfo: userInfo, rootKeys: rootKeys)
            return try E(config: config)
        }
    }
}

/// Every `kind:` a scenario may name: Gavel's own, then those a program registered.
///
/// Open: a program built on the library registers kinds of its own before it runs anything
/// (``register(_:)``), then calls `GavelCommand.main()` and is "gavel plus its kinds", with
/// the same CLI, scenarios, sweeps, comparisons and report.
public enum ExperimentRegistry {
    /// Gavel's own kinds, in `gavel list` order. A built-in family adds its kinds here.
    public static let builtIn: [ExperimentKindEntry] = [
        ExperimentKindEntry(SingleItemMarket.self),
        ExperimentKindEntry(RTBReplayExperiment.self),
        ExperimentKindEntry(RTBMarketExperiment.self),
        ExperimentKindEntry(IoTAuctionExperiment.self),
        ExperimentKindEntry(MatchingExperiment.self),
        ExperimentKindEntry(InfoAcqExperiment.self),
        ExperimentKindEntry(InfoAcqOnlineExperiment.self),
        ExperimentKindEntry(AdAuctionExperiment.self),
        ExperimentKindEntry(CascadeRatioExperiment.self),
        ExperimentKindEntry(AdMarketExperiment.self),
        ExperimentKindEntry(AutobiddingExperiment.self),
    ]

    private static let registered = Mutex<[ExperimentKindEntry]>([])

    /// Every kind, built-in first, then registered ones in registration order (`gavel list` order).
    public static var entries: [ExperimentKindEntry] { builtIn + registered.withLock { $0 } }

    /// The entry for `kind` (built-in or registered), or nil when no kind has that name.
    public static func entry(for kind: String) -> ExperimentKindEntry? {
        entries.first { $0.kind == kind }
    }

    /// Adds a kind. Its name must be snake_case and new: a name a built-in or an already
    /// registered kind has is an `InputError` naming both.
    public static func register<E: Experiment>(_ type: E.Type) throws {
        let name = E.kind
        guard MechanismRegistry<Never>.isSnakeCase(name) else {
            throw InputError("cannot register kind \(quoted(name)) (\(E.self)): expected a snake_case name (a-z, 0-9, _; a letter first)")
        }
        try registered.withLock { list in
            if builtIn.contains(where: { $0.kind == name }) {
                throw InputError("cannot register kind \(quoted(name)) (\(E.self)): Gavel has a built-in kind of that name")
            }
            if list.contains(where: { $0.kind == name }) {
                throw InputError("cannot register kind \(quoted(name)) (\(E.self)): a kind of that name is already registered")
            }
            list.append(ExperimentKindEntry(E.self))
        }
    }
}
