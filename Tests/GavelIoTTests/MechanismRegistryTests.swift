import Foundation
import GavelCore
import GavelScenario
import Synchronization
import Testing
@testable import GavelIoT

/// A different type conforming to the public protocol, forwarding to a built-in and counting calls.
final class CountingIoTMechanism: IoTAllocationMechanism {
    let inner: any IoTAllocationMechanism
    let name: String
    private let count = Mutex(0)
    init(_ inner: any IoTAllocationMechanism, name: String) { self.inner = inner; self.name = name }
    var summary: String { "counts calls to \(inner.name)" }
    var readsMOHAFSettings: Bool { inner.readsMOHAFSettings }
    var calls: Int { count.withLock { $0 } }
    func allocate(_ market: IoTMarket) throws -> IoTMechanismOutcome {
        count.withLock { $0 += 1 }
        return try inner.allocate(market)
    }
}

/// A mechanism that fails from its `failAfter`-th call on.
final class FailingIoTMechanism: IoTAllocationMechanism {
    let name: String
    let failAfter: Int
    private let count = Mutex(0)
    init(name: String, failAfter: Int) { self.name = name; self.failAfter = failAfter }
    var summary: String { "fails" }
    func allocate(_ market: IoTMarket) throws -> IoTMechanismOutcome {
        let n = count.withLock { $0 += 1; return $0 }
        if n > failAfter { throw ExperimentError("\(name) failed on call \(n)") }
        return try GreedyBaseline().allocate(market)
    }
}

/// Issue 19: the built-in IoT mechanisms run through the public protocol, and a registered
/// mechanism is named and run like one.
@Suite("iot_auction mechanism registry")
struct MechanismRegistryTests {
    static func experiment(mechanisms: [String], extra: String = "") throws -> IoTAuctionExperiment {
        let text = """
        schema_version: 1
        name: iot-registry
        kind: iot_auction
        seed: 42
        workload:
          ablation_instance:
            resources: \(try IoTTestData.path("mohaf-ablation/ablation_synthetic_resources.csv"))
            requests: \(try IoTTestData.path("mohaf-ablation/ablation_synthetic_requests.csv"))
        mechanisms: [\(mechanisms.joined(separator: ", "))]
        mohaf: {mode: as_described, as_described: {clusters: 2}}
        \(extra)
        """
        return try #require(try Scenario.load(text: text, file: "iot.yaml", directory: "/tmp").experiment as? IoTAuctionExperiment)
    }

    /// Metrics as (name, bit pattern): NaN equals NaN, and nothing is compared within a tolerance.
    static func bits(_ o: RunOutcome) -> [String] { o.metrics.map { "\($0.0)=\($0.1.bitPattern)" } }

    @Test("The built-ins are the registry's first entries, in gavel list order")
    func builtInOrder() {
        let builtIn = ["mohaf", "greedy", "first_price", "random", "optimal", "vickrey", "hungarian"]
        #expect(IoTMechanisms.registry.builtIn.map(\.name) == builtIn)
        #expect(IoTAuctionExperiment.mechanisms.prefix(builtIn.count).map(\.name) == builtIn)
    }

    @Test("Every built-in runs through the protocol: a counting wrapper gives identical metrics",
          arguments: IoTMechanisms.registry.builtIn.map(\.name))
    func routing(builtIn: String) throws {
        let counted = CountingIoTMechanism(try IoTMechanisms.registry.resolve(builtIn), name: "counted_\(builtIn)")
        try IoTMechanisms.registry.register(counted)
        let x = try Self.experiment(mechanisms: [builtIn, counted.name])
        let cells = x.cells
        #expect(cells.map(\.mechanism) == [builtIn, counted.name])
        #expect(cells[0].parameters.map(\.0) == cells[1].parameters.map(\.0))
        let context = RunContext(seed: 42)
        let plain = try x.run(cells[0], context: context), wrapped = try x.run(cells[1], context: context)
        #expect(Self.bits(plain) == Self.bits(wrapped))
        #expect(plain.metrics.count >= 11)
        #expect(counted.calls > 0)
    }

    @Test("A name a built-in or a registered mechanism has cannot be registered")
    func clashes() throws {
        #expect(throws: InputError.self) { try IoTMechanisms.registry.register(CountingIoTMechanism(GreedyBaseline(), name: "greedy")) }
        try IoTMechanisms.registry.register(CountingIoTMechanism(GreedyBaseline(), name: "clash_once"))
        #expect(throws: InputError.self) { try IoTMechanisms.registry.register(CountingIoTMechanism(RandomBaseline(), name: "clash_once")) }
    }

    @Test("An unknown mechanism is refused at load, listing built-in and registered names")
    func unknownName() throws {
        try IoTMechanisms.registry.register(CountingIoTMechanism(GreedyBaseline(), name: "listed_extra"))
        #expect { _ = try Self.experiment(mechanisms: ["mohaf", "no_such_rule"]) } throws: { error in
            let d = "\(error)"
            return d.contains("no_such_rule") && d.contains("first_price") && d.contains("listed_extra")
        }
    }

    @Test("A registered mechanism's throw fails the run, also from inside the auditor")
    func throwsPropagate() throws {
        try IoTMechanisms.registry.register(FailingIoTMechanism(name: "failing_at_once", failAfter: 0))
        try IoTMechanisms.registry.register(FailingIoTMechanism(name: "failing_in_audit", failAfter: 1))
        let x = try Self.experiment(mechanisms: ["failing_at_once"])
        #expect(throws: ExperimentError.self) { _ = try x.run(x.cells[0], context: RunContext(seed: 42)) }
        // Its first call (the run's own) succeeds; the auditor's calls throw.
        let audited = try Self.experiment(mechanisms: ["failing_in_audit"], extra: "audit_requests: 1")
        #expect(throws: ExperimentError.self) { _ = try audited.run(audited.cells[0], context: RunContext(seed: 42)) }
    }
}
