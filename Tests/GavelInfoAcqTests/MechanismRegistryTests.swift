import Foundation
import GavelCore
import GavelScenario
import Synchronization
import Testing
@testable import GavelInfoAcq

/// A different type conforming to the public protocol, forwarding to a built-in and counting calls.
final class CountingDesigner: InfoAcqMechanismDesigner {
    let inner: any InfoAcqMechanismDesigner
    let name: String
    private let count = Mutex(0)
    init(_ inner: any InfoAcqMechanismDesigner, name: String) { self.inner = inner; self.name = name }
    var summary: String { "counts calls to \(inner.name)" }
    var calls: Int { count.withLock { $0 } }
    func design(_ analysis: InfoAcqAnalysis) throws -> InfoAcqDesign {
        count.withLock { $0 += 1 }
        return try inner.design(analysis)
    }
}

/// A designer that always fails.
struct FailingDesigner: InfoAcqMechanismDesigner {
    let name: String
    var summary: String { "fails" }
    struct Failure: Error {}
    func design(_ analysis: InfoAcqAnalysis) throws -> InfoAcqDesign { throw Failure() }
}

/// Issue 19: the built-in information-acquisition mechanisms run through the public protocol,
/// and a registered one is named and run like them.
@Suite("infoacq mechanism registry")
struct MechanismRegistryTests {
    static func experiment(mechanisms: [String], extra: String = "") throws -> InfoAcqExperiment {
        let text = """
        schema_version: 1
        name: infoacq-registry
        kind: infoacq
        rounds: 2000
        mechanisms: [\(mechanisms.joined(separator: ", "))]
        instances:
          - {name: noisy, family: independent_noisy, agents: 1, informativeness: 0.8, cost: 0.1, cap: 0.4}
        \(extra)
        """
        return try #require(try Scenario.load(text: text, file: "t.yaml", directory: "/tmp").experiment as? InfoAcqExperiment)
    }

    /// Metrics as (name, bit pattern): NaN equals NaN, and nothing is compared within a tolerance.
    static func bits(_ o: RunOutcome) -> [String] { o.metrics.map { "\($0.0)=\($0.1.bitPattern)" } }

    @Test("The built-ins are the registry's first entries, in gavel list order")
    func builtInOrder() {
        #expect(InfoAcqMechanisms.registry.builtIn.map(\.name) == ["correlated", "product", "deterministic", "uncorrelated"])
        #expect(InfoAcqExperiment.mechanisms.prefix(4).map(\.name) == ["correlated", "product", "deterministic", "uncorrelated"])
    }

    @Test("Every built-in runs through the protocol: a counting wrapper gives identical metrics",
          arguments: InfoAcqMechanisms.registry.builtIn.map(\.name))
    func routing(builtIn: String) throws {
        let counted = CountingDesigner(try InfoAcqMechanisms.registry.resolve(builtIn), name: "counted_\(builtIn)")
        try InfoAcqMechanisms.registry.register(counted)
        let x = try Self.experiment(mechanisms: [builtIn, counted.name], extra: "audit_misreports: true")
        #expect(x.cells.map(\.mechanism) == [builtIn, counted.name])
        let context = RunContext(seed: 7)
        let plain = try x.run(x.cells[0], context: context), wrapped = try x.run(x.cells[1], context: context)
        #expect(Self.bits(plain) == Self.bits(wrapped))
        #expect(plain.metrics.contains { $0.0 == "max_gain_from_misreport" })
        #expect(counted.calls > 0)
    }

    @Test("A name a built-in or a registered mechanism has cannot be registered")
    func clashes() throws {
        #expect(throws: InputError.self) {
            try InfoAcqMechanisms.registry.register(CountingDesigner(InfoAcqProductOptimum(), name: "correlated"))
        }
        try InfoAcqMechanisms.registry.register(CountingDesigner(InfoAcqProductOptimum(), name: "clash_once"))
        #expect(throws: InputError.self) {
            try InfoAcqMechanisms.registry.register(CountingDesigner(InfoAcqDeterministicOptimum(), name: "clash_once"))
        }
    }

    @Test("An unknown mechanism is refused at load, listing built-in and registered names")
    func unknownName() throws {
        try InfoAcqMechanisms.registry.register(CountingDesigner(InfoAcqProductOptimum(), name: "listed_extra"))
        #expect { _ = try Self.experiment(mechanisms: ["no_such_design"]) } throws: { error in
            let d = "\(error)"
            return d.contains("no_such_design") && d.contains("deterministic") && d.contains("listed_extra")
        }
    }

    @Test("A registered designer's throw fails the run")
    func throwsPropagate() throws {
        try InfoAcqMechanisms.registry.register(FailingDesigner(name: "failing_design"))
        let x = try Self.experiment(mechanisms: ["failing_design"])
        #expect(throws: FailingDesigner.Failure.self) { _ = try x.run(x.cells[0], context: RunContext(seed: 7)) }
    }
}
