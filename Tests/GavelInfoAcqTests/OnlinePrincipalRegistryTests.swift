import Foundation
import GavelCore
import GavelScenario
import Synchronization
import Testing
@testable import GavelInfoAcq

/// A different type conforming to `InfoAcqOnlinePrincipal`, forwarding to a built-in and counting
/// the learners it prepares and the runs they make.
final class CountingPrincipal: InfoAcqOnlinePrincipal {
    let inner: any InfoAcqOnlinePrincipal
    let name: String
    let runs = Mutex(0)
    init(_ inner: any InfoAcqOnlinePrincipal, name: String) { self.inner = inner; self.name = name }
    var summary: String { "counts calls to \(inner.name)" }
    var calls: Int { runs.withLock { $0 } }

    struct Learner: InfoAcqLearning {
        let inner: any InfoAcqLearning
        let owner: CountingPrincipal
        var optimum: Double { inner.optimum }
        func exploreRounds(horizon: Int) -> Int { inner.exploreRounds(horizon: horizon) }
        func run(horizon: Int, seed: UInt64) throws -> InfoAcqOnlineLearner.Outcome {
            owner.runs.withLock { $0 += 1 }
            return try inner.run(horizon: horizon, seed: seed)
        }
    }

    func learner(for instance: InfoAcqInstance, settings: InfoAcqOnlineLearner.Config) throws -> any InfoAcqLearning {
        Learner(inner: try inner.learner(for: instance, settings: settings), owner: self)
    }
}

/// A principal whose runs fail (`failsToPrepare`: whose preparation fails).
struct FailingPrincipal: InfoAcqOnlinePrincipal {
    let name: String
    var failsToPrepare = false
    var summary: String { "fails" }
    struct Failure: Error {}
    struct Learner: InfoAcqLearning {
        var optimum: Double { 1 }
        func run(horizon: Int, seed: UInt64) throws -> InfoAcqOnlineLearner.Outcome { throw Failure() }
    }
    func learner(for instance: InfoAcqInstance, settings: InfoAcqOnlineLearner.Config) throws -> any InfoAcqLearning {
        if failsToPrepare { throw ExperimentError("cannot prepare") }
        return Learner()
    }
}

/// Issue 19: `infoacq_online`'s explore-then-commit runs through the public protocol, and a
/// registered principal is named and run like it.
@Suite("infoacq_online principal registry")
struct OnlinePrincipalRegistryTests {
    /// Registered once per process: the counted built-in, a failing run and a failing preparation.
    /// A registration failure fails the tests that read it, not the whole test process.
    static let counted: Result<CountingPrincipal, any Error> = Result {
        let c = CountingPrincipal(InfoAcqExploreThenCommit(), name: "counted_explore_then_commit")
        try InfoAcqOnlinePrincipals.registry.register(c)
        try InfoAcqOnlinePrincipals.registry.register(FailingPrincipal(name: "failing_online"))
        try InfoAcqOnlinePrincipals.registry.register(FailingPrincipal(name: "unpreparable_online", failsToPrepare: true))
        return c
    }

    static func experiment(mechanisms: [String]?) throws -> InfoAcqOnlineExperiment {
        _ = try counted.get()
        let text = """
        schema_version: 1
        name: online-registry
        kind: infoacq_online
        \(mechanisms.map { "mechanisms: [\($0.joined(separator: ", "))]" } ?? "")
        horizons: [200, 2000]
        seeds: 2
        instance: {name: noisy, family: independent_noisy, agents: 1, informativeness: 0.8, cost: 0.1, cap: 0.4}
        """
        return try #require(try Scenario.load(text: text, file: "t.yaml", directory: "/tmp").experiment as? InfoAcqOnlineExperiment)
    }

    static func bits(_ o: RunOutcome) -> [String] { o.metrics.map { "\($0.0)=\($0.1.bitPattern)" } }

    @Test("The built-in is the registry's first entry; the default is [explore_then_commit]")
    func builtIn() throws {
        #expect(InfoAcqOnlinePrincipals.registry.builtIn.map(\.name) == ["explore_then_commit"])
        #expect(InfoAcqOnlineExperiment.mechanisms.first?.name == "explore_then_commit")
        let x = try Self.experiment(mechanisms: nil)
        #expect(x.cells.map(\.mechanism) == ["explore_then_commit"])
        #expect(x.cells[0].parameters.map(\.0) == ["instance"])
    }

    @Test("explore_then_commit runs through the protocol: a counting wrapper gives identical metrics")
    func routing() throws {
        let counted = try Self.counted.get()
        let x = try Self.experiment(mechanisms: ["explore_then_commit", counted.name])
        #expect(x.cells.map(\.mechanism) == ["explore_then_commit", counted.name])
        let context = RunContext(seed: 7)
        let before = counted.calls
        let plain = try x.run(x.cells[0], context: context), wrapped = try x.run(x.cells[1], context: context)
        #expect(Self.bits(plain) == Self.bits(wrapped))
        #expect(counted.calls > before)
        // Two principals: the curve names each row's principal; otherwise the rows agree.
        let csv = try #require(plain.artifacts.first?.contents), other = try #require(wrapped.artifacts.first?.contents)
        #expect(csv.hasPrefix("instance,mechanism,replicate,"))
        #expect(csv.replacingOccurrences(of: ",explore_then_commit,", with: ",X,") == other.replacingOccurrences(of: ",\(counted.name),", with: ",X,"))
    }

    @Test("One principal keeps the committed regret_curve.csv layout")
    func layout() throws {
        let x = try Self.experiment(mechanisms: nil)
        let o = try x.run(x.cells[0], context: RunContext(seed: 7))
        #expect(try #require(o.artifacts.first?.contents).hasPrefix("instance,replicate,horizon,"))
    }

    @Test("A built-in's or a registered principal's name cannot be registered")
    func clashes() throws {
        _ = try Self.counted.get()
        #expect(throws: InputError.self) { try InfoAcqOnlinePrincipals.registry.register(FailingPrincipal(name: "explore_then_commit")) }
        #expect(throws: InputError.self) { try InfoAcqOnlinePrincipals.registry.register(FailingPrincipal(name: "counted_explore_then_commit")) }
    }

    @Test("An unknown principal is refused at load, listing built-in and registered names")
    func unknownName() throws {
        #expect { _ = try Self.experiment(mechanisms: ["no_such_learner"]) } throws: { error in
            let d = "\(error)"
            return d.contains("no_such_learner") && d.contains("explore_then_commit") && d.contains("counted_explore_then_commit")
        }
    }

    @Test("A registered principal's throw fails the run (and a failed preparation the load)")
    func throwsPropagate() throws {
        let x = try Self.experiment(mechanisms: ["failing_online"])
        #expect(throws: FailingPrincipal.Failure.self) { _ = try x.run(x.cells[0], context: RunContext(seed: 7)) }
        #expect { _ = try Self.experiment(mechanisms: ["unpreparable_online"]) } throws: { "\($0)".contains("noisy: cannot prepare") }
    }
}
