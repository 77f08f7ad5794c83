import GavelCore
import GavelIoT
import GavelSingleItem
import GavelRTB
import GavelMatching
import GavelInfoAcq
import GavelAdAuctions
import GavelConfig

/// One experiment kind as the scenario layer sees it: its descriptions and a
/// way to build it from a decoded document.
public struct ExperimentKindEntry: Sendable {
    public let kind: String
    public let summary: String
    public let mechanisms: [ComponentInfo]
    public let workloads: [ComponentInfo]
    public let mechanismColumn: String
    public let metrics: [MetricDescription]
    let make: @Sendable (YAMLNode, [CodingUserInfoKey: Any], [String]) throws -> any Experiment

    init<E: Experiment>(_ type: E.Type) {
        kind = E.kind
        summary = E.summary
        mechanisms = E.mechanisms
        workloads = E.workloads
        mechanismColumn = E.mechanismColumn
        metrics = E.metrics
        make = { node, userInfo, rootKeys in
            let config = try node.decode(E.Config.self, userInfo: userInfo, rootKeys: rootKeys)
            return try E(config: config)
        }
    }
}

/// Every `kind:` a scenario may name, in `gavel list` order.
/// A new family registers its experiment types here, and nowhere else.
public enum ExperimentRegistry {
    public static let entries: [ExperimentKindEntry] = [
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

    public static func entry(for kind: String) -> ExperimentKindEntry? {
        entries.first { $0.kind == kind }
    }
}
