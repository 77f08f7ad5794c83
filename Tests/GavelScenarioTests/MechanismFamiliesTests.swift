import Testing
@testable import GavelScenario
import GavelCore
import GavelSingleItem
import GavelRTB
import GavelIoT
import GavelMatching
import GavelInfoAcq
import GavelAdAuctions

/// Every built-in kind takes its mechanisms from one family registry, so every built-in mechanism
/// is a value of that family's public protocol (each family's routing test then wraps every
/// built-in in a counting wrapper of another type and checks identical metrics through the kind).
@Suite("Every kind's mechanisms come from its family's registry")
struct MechanismFamiliesTests {
    /// kind → the built-in names of the registry its `mechanisms:` resolve through. A new kind
    /// must be added here, with its family's registry.
    static let registries: [(kind: String, protocolName: String, builtIn: [String])] = [
        ("single_item_auction", "SingleItemAuctionRule", SingleItemAuctionRules.registry.builtIn.map(\.name)),
        ("rtb_replay", "RTBBidder", RTBBidderFamily.registry.builtIn.map(\.name)),
        ("rtb_market", "RTBExchangeAuction", RTBExchanges.registry.builtIn.map(\.name)),
        ("iot_auction", "IoTAllocationMechanism", IoTMechanisms.registry.builtIn.map(\.name)),
        ("matching", "OnlineMatchingAlgorithm", OnlineMatchingAlgorithms.registry.builtIn.map(\.name)),
        ("infoacq", "InfoAcqMechanismDesigner", InfoAcqMechanisms.registry.builtIn.map(\.name)),
        ("infoacq_online", "InfoAcqOnlinePrincipal", InfoAcqOnlinePrincipals.registry.builtIn.map(\.name)),
        ("aigc_auction", "PositionAuctionMechanism", AIGCAuctionFamily.registry.builtIn.map(\.name)),
        ("aigc_cascade", "PositionAuctionMechanism", AIGCCascadeFamily.registry.builtIn.map(\.name)),
        ("aigc_market", "PositionAuctionMechanism", AIGCMarketFamily.registry.builtIn.map(\.name)),
        ("autobidding", "AutobidAuctionFormat", AutobidFormats.registry.builtIn.map(\.name)),
    ]

    @Test("each built-in kind lists exactly its registry's built-in mechanisms, in order, and no kind is left out")
    func kindsAndRegistries() {
        #expect(Self.registries.map(\.kind) == ExperimentRegistry.builtIn.map(\.kind))
        for entry in ExperimentRegistry.builtIn {
            guard let family = Self.registries.first(where: { $0.kind == entry.kind }) else {
                Issue.record("kind \(entry.kind) has no mechanism registry"); continue
            }
            #expect(!family.builtIn.isEmpty)
            #expect(entry.mechanisms.filter { !$0.isRegistered }.map(\.name) == family.builtIn,
                    "kind \(entry.kind) (\(family.protocolName))")
        }
    }
}
