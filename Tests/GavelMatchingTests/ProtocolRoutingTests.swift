import Foundation
import Synchronization
import Testing
import GavelCore
import GavelConfig
@testable import GavelMatching

/// Forwards every call to a built-in algorithm and counts `choose` calls: a different type, so
/// a kind that special-cased the built-in enum would not see through it.
final class CountedAlgorithm: OnlineMatchingAlgorithm {
    let base: any OnlineMatchingAlgorithm
    let calls = Atomic<Int>(0)
    init(_ base: any OnlineMatchingAlgorithm) { self.base = base }
    var name: String { "counted_" + base.name }
    var summary: String { "counts " + base.name }
    var isFractional: Bool { base.isFractional }
    func draws(for instance: MatchingInstance, using random: inout Xoshiro256StarStar) -> [Double] { base.draws(for: instance, using: &random) }
    var drawsDependOnlyOnInstance: Bool { base.drawsDependOnlyOnInstance }
    func forEachExactDraw(for instance: MatchingInstance, _ body: ([Double]) throws -> Void) throws { try base.forEachExactDraw(for: instance, body) }
    func choose(_ state: OnlineMatchingState) throws -> MatchingChoice {
        calls.add(1, ordering: .relaxed)
        return try base.choose(state)
    }
}

/// Throws on the third arrival it sees.
struct ThrowingAlgorithm: OnlineMatchingAlgorithm {
    struct Failure: Error, CustomStringConvertible { var description: String { "the test algorithm gave up" } }
    let name = "throwing_test_algorithm"
    let summary = "throws at arrival 2"
    func choose(_ state: OnlineMatchingState) throws -> MatchingChoice {
        if state.arrival == 2 { throw Failure() }
        return MatchingAlgorithm.greedy.choose(state)
    }
}

/// Breaks the rules: tries the arrival's first edge even when its vertex is matched.
struct RuleBreakingAlgorithm: OnlineMatchingAlgorithm {
    let name = "rule_breaking_test_algorithm"
    let summary = "tries matched vertices"
    func choose(_ state: OnlineMatchingState) -> MatchingChoice { state.edges.isEmpty ? .skip : .tryEdge(state.edges.lowerBound) }
}

@Suite("Matching: every algorithm runs through OnlineMatchingAlgorithm; registration is checked")
struct MatchingProtocolRoutingTests {
    /// Every built-in wrapped and registered once for the test process (the registry is global).
    static let counted: Result<[CountedAlgorithm], any Error> = Result {
        let wrappers = OnlineMatchingAlgorithms.registry.builtIn.map(CountedAlgorithm.init)
        for w in wrappers { try OnlineMatchingAlgorithms.registry.register(w) }
        try OnlineMatchingAlgorithms.registry.register(ThrowingAlgorithm())
        try OnlineMatchingAlgorithms.registry.register(RuleBreakingAlgorithm())
        return wrappers
    }

    static func experiment(_ algorithms: [String], exact: Bool) throws -> MatchingExperiment {
        let list = algorithms.map { "\"\($0)\"" }.joined(separator: ", ")
        let json = #"{"instances": [{"family": "erdos_renyi", "offline": 5, "arrivals": 8, "density": 0.5, "p_low": 0.2, "p_high": 0.9, "seed": 3}], "#
            + #""benchmarks": ["budget_lp"], "runs": 200, "exact": \#(exact), "algorithms": [\#(list)]}"#
        return try MatchingExperiment(config: JSONDecoder().decode(MatchingExperiment.Config.self, from: Data(json.utf8)))
    }

    @Test("each built-in and its counting wrapper give identical metrics, exactly and by Monte Carlo, and the wrapper is called",
          arguments: MatchingAlgorithm.allCases)
    func builtInsRunThroughTheProtocol(_ algorithm: MatchingAlgorithm) throws {
        let wrapper = try #require(try Self.counted.get().first { $0.base.name == algorithm.rawValue })
        for exact in [true, false] {
            let x = try Self.experiment([algorithm.rawValue, wrapper.name], exact: exact)
            let context = RunContext(workloadSeed: 5, mechanismSeed: 6, replicate: 0)
            let before = wrapper.calls.load(ordering: .relaxed)
            let plain = try x.run(x.cells[0], context: context).metrics
            let counted = try x.run(x.cells[1], context: context).metrics
            #expect(plain.map(\.0) == counted.map(\.0))
            #expect(plain.map(\.1) == counted.map(\.1), "\(algorithm.rawValue), exact \(exact)")
            #expect(wrapper.calls.load(ordering: .relaxed) > before)
        }
    }

    @Test("gavel list shows registered algorithms after the built-in ones, marked")
    func listing() throws {
        _ = try Self.counted.get()
        let names = MatchingExperiment.mechanisms.map(\.name)
        #expect(Array(names.prefix(MatchingAlgorithm.allCases.count)) == MatchingAlgorithm.allCases.map(\.rawValue))
        #expect(names.contains("counted_greedy"))
        #expect(MatchingExperiment.mechanisms.first { $0.name == "counted_greedy" }?.isRegistered == true)
        #expect(MatchingExperiment.mechanisms.first { $0.name == "greedy" }?.isRegistered == false)
    }

    @Test("a clashing name is an error naming the clash; so is a name that is not snake_case")
    func clashes() throws {
        _ = try Self.counted.get()
        #expect { try OnlineMatchingAlgorithms.registry.register(MatchingAlgorithm.greedy) } throws: {
            "\($0)" == #"cannot register matching algorithm "greedy": Gavel has a built-in matching algorithm of that name"#
        }
        #expect { try OnlineMatchingAlgorithms.registry.register(ThrowingAlgorithm()) } throws: {
            "\($0)" == #"cannot register matching algorithm "throwing_test_algorithm": a matching algorithm of that name is already registered"#
        }
        struct BadName: OnlineMatchingAlgorithm {
            let name = "My-Rule", summary = ""
            func choose(_ state: OnlineMatchingState) -> MatchingChoice { .skip }
        }
        #expect { try OnlineMatchingAlgorithms.registry.register(BadName()) } throws: { $0 is InputError && "\($0)".contains("snake_case") }
    }

    @Test("an unknown name lists the built-in and the registered algorithms")
    func unknownName() throws {
        _ = try Self.counted.get()
        #expect { try Self.experiment(["no_such_rule"], exact: true) } throws: { error in
            let text = "\(error)"
            return text.contains("greedy, ranking") && text.contains("(built-in)") && text.contains("counted_greedy") && text.contains("(registered)")
        }
    }

    @Test("an algorithm that throws or breaks the rules fails the run (exact and Monte Carlo), never a silent value")
    func failures() throws {
        _ = try Self.counted.get()
        for exact in [true, false] {
            let x = try Self.experiment(["throwing_test_algorithm", "rule_breaking_test_algorithm"], exact: exact)
            let context = RunContext(seed: 1)
            #expect { try x.run(x.cells[0], context: context) } throws: { "\($0)" == "the test algorithm gave up" }
            #expect { try x.run(x.cells[1], context: context) } throws: { "\($0)".contains("which is already matched") }
        }
        // gavel solve: the failing algorithm's entry says why; every other value is still there.
        let text = try MatchingSolveReport.json(for: try InstanceFamily.k22n(n: 2), runs: 10, seed: 1).serialized()
        #expect(text.contains(#""throwing_test_algorithm":{"value":null,"failed":"the test algorithm gave up"}"#))
        #expect(text.contains(#""greedy":{"value":"#))
    }
}
