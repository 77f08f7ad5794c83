import Foundation
import GavelCore
import GavelScenario
import Synchronization
@testable import GavelAdAuctions
import Testing

/// Calls made through a wrapper, shared by its adapted copies.
final class CallCount: Sendable {
    private let value = Atomic<Int>(0)
    func add() { value.add(1, ordering: .relaxed) }
    var count: Int { value.load(ordering: .relaxed) }
}

/// A different type conforming to `PositionAuctionMechanism`, forwarding every call to `base` and
/// counting them: if a kind runs the wrapper and gets the built-in's numbers, the built-in runs
/// through the public protocol.
struct CountedPositionAuction: PositionAuctionMechanism {
    let base: any PositionAuctionMechanism
    let name: String
    let calls: CallCount
    var summary: String { "counted " + base.summary }
    func allocate(_ auction: PositionAuction, bids: [Double]) throws -> [Slot] {
        calls.add()
        return try base.allocate(auction, bids: bids)
    }
    func run(_ auction: PositionAuction, bids: [Double]) throws -> MechanismOutcome {
        calls.add()
        return try base.run(auction, bids: bids)
    }
    func adapted(to terms: AuctionTerms) throws -> any PositionAuctionMechanism {
        CountedPositionAuction(base: try base.adapted(to: terms), name: name, calls: calls)
    }
}

/// A registered rule that fails: the kind's run must fail with its error.
struct FailingPositionAuction: PositionAuctionMechanism {
    let name = "failing_rule"
    let summary = "throws on every auction"
    func allocate(_ auction: PositionAuction, bids: [Double]) throws -> [Slot] { throw ExperimentError("failing_rule: no allocation") }
}

@Suite struct RegistryRoutingTests {
    /// The three AI-content kinds: registry, the scenario text naming one mechanism, and the key naming it.
    static let kinds: [(kind: String, registry: MechanismRegistry<any PositionAuctionMechanism>, body: @Sendable (String) -> String)] = [
        ("aigc_auction", AIGCAuctionFamily.registry, {
            "mechanisms: [\($0)]\naudit_instances: 1\nfamilies: [{family: mnl_separable, advertisers: 4, positions: 3, max_ads: 2, count: 4}]\n"
        }),
        ("aigc_cascade", AIGCCascadeFamily.registry, {
            "algorithms: [\($0)]\nmonotonicity_instances: 1\naudit_instances: 1\nfamilies: [{family: cascade, advertisers: 4, positions: 3, max_ads: 3, count: 4}]\n"
        }),
        ("aigc_market", AIGCMarketFamily.registry, {
            "mechanisms: [\($0)]\nmarkets: [{advertisers: 4, positions: 3, max_ads: 2, queries: 40},"
                + " {model: cascade, advertisers: 4, positions: 3, max_ads: 2, queries: 40, reserve: 1, budget: 20, pacing: multiplicative, pacing_interval: 5}]\n"
        }),
    ]

    /// Each built-in of each kind registered once, wrapped as `counted_<name>` (registries are per process).
    /// A registration failure fails the tests that read it, not the whole test process.
    static let counted: Result<[String: [String: CallCount]], any Error> = Result {
        var out: [String: [String: CallCount]] = [:]
        for k in kinds {
            for m in k.registry.builtIn {
                let calls = CallCount()
                try k.registry.register(CountedPositionAuction(base: m, name: "counted_" + m.name, calls: calls))
                out[k.kind, default: [:]][m.name] = calls
            }
        }
        try AIGCMarketFamily.registry.register(FailingPositionAuction())
        try AIGCAuctionFamily.registry.register(FailingPositionAuction())
        return out
    }

    static func metrics(_ kind: String, _ body: String) throws -> [[(String, Double)]] {
        let experiment = try Scenario.load(text: "schema_version: 1\nname: t\nkind: \(kind)\nseed: 1\n" + body, file: "t.yaml", directory: "/tmp").experiment
        return try experiment.renderedCells.indices.map {
            try experiment.run(cellAt: $0, context: RunContext(workloadSeed: 11, mechanismSeed: 12, replicate: 0)).metrics
        }
    }

    @Test("every built-in position auction runs through the protocol: a counting wrapper registered under another name gives its metrics")
    func builtInsRouteThroughTheProtocol() throws {
        for k in Self.kinds {
            for m in k.registry.builtIn {
                let calls = try #require(try Self.counted.get()[k.kind]?[m.name])
                let plain = try Self.metrics(k.kind, k.body(m.name))
                let wrapped = try Self.metrics(k.kind, k.body("counted_" + m.name))
                #expect(calls.count > 0, "\(k.kind) \(m.name): the wrapper was never called")
                #expect(plain.map { $0.map(\.0) } == wrapped.map { $0.map(\.0) }, "\(k.kind) \(m.name)")
                for (p, w) in zip(plain.joined(), wrapped.joined()) {
                    #expect(p.1 == w.1 || (p.1.isNaN && w.1.isNaN), "\(k.kind) \(m.name) \(p.0): \(p.1) vs \(w.1)")
                }
            }
        }
    }

    @Test("registering a built-in's name or an already registered one is an InputError; gavel list shows registered ones")
    func clashesAreInputErrors() throws {
        _ = try Self.counted.get()
        #expect(throws: InputError.self) { try AIGCAuctionFamily.registry.register(FailingPositionAuction2(name: "dinkelbach")) }
        #expect(throws: InputError.self) { try AIGCCascadeFamily.registry.register(FailingPositionAuction2(name: "greedy")) }
        #expect(throws: InputError.self) { try AIGCMarketFamily.registry.register(FailingPositionAuction2(name: "counted_welfare")) }
        #expect(throws: InputError.self) { try AIGCMarketFamily.registry.register(FailingPositionAuction2(name: "Not-Snake")) }
        #expect(AdMarketExperiment.mechanisms.contains { $0.name == "counted_welfare" && $0.isRegistered })
        #expect(Array(AdMarketExperiment.mechanisms.prefix(3).map(\.name)) == ["welfare", "ignore_substitution", "revenue_optimal"])
    }

    @Test("a registered mechanism that throws makes the kind's run throw (aigc_auction, aigc_market)")
    func failuresPropagate() throws {
        _ = try Self.counted.get()
        for kind in ["aigc_auction", "aigc_market"] {
            let body = Self.kinds.first { $0.kind == kind }!.body("failing_rule")
            #expect(throws: ExperimentError.self, "\(kind)") { _ = try Self.metrics(kind, body) }
        }
    }
}

/// A mechanism of a given name (for the clash checks).
struct FailingPositionAuction2: PositionAuctionMechanism {
    let name: String
    var summary: String { "a clash" }
    func allocate(_ auction: PositionAuction, bids: [Double]) throws -> [Slot] { [] }
}
