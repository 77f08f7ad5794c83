import Foundation
import Testing
@testable import GavelScenario
import GavelCore
import GavelConfig

/// A kind defined outside Gavel, as a user's program would: n coin flips of a fixed bias, with
/// its own config and cell types. The expected counts are exact (bias 0 or 1).
struct FixedCoinExperiment: Experiment {
    struct Config: Decodable, Sendable {
        var flips: Int
        var biases: [Double]
    }
    enum Coin: String, Sendable, CaseIterable { case fixed }
    typealias Cell = InstanceCell<Coin>

    static let kind = "fixed_coin_test"
    static let summary = "a test kind: n flips of a coin of bias 0 or 1"
    static let mechanisms = [ComponentInfo("fixed", "flip the coin")]
    static let workloads: [ComponentInfo] = []

    let config: Config
    init(config: Config) throws {
        guard config.biases.allSatisfy({ $0 == 0 || $0 == 1 }) else { throw InputError("biases: expected 0 or 1") }
        self.config = config
    }
    var cells: [Cell] { Cell.grid([.fixed], labels: config.biases.map { "\($0)" }, labelKey: "bias") }
    func run(_ cell: Cell, context: RunContext) throws -> RunOutcome {
        var coins = context.workload("coins")
        let p = config.biases[cell.instance]
        let heads = (0..<config.flips).filter { _ in coins.nextUnitDouble() < p }.count
        return RunOutcome(metrics: [("heads", Double(heads))], events: config.flips)
    }
}

/// Another kind that tries to take a built-in name.
struct ClashingExperiment: Experiment {
    struct Config: Decodable, Sendable {}
    typealias Cell = InstanceCell<FixedCoinExperiment.Coin>
    static let kind = "matching"
    static let summary = ""
    static let mechanisms: [ComponentInfo] = []
    static let workloads: [ComponentInfo] = []
    init(config: Config) throws {}
    var cells: [Cell] { [] }
    func run(_ cell: Cell, context: RunContext) throws -> RunOutcome { RunOutcome(metrics: [], events: 0) }
}

@Suite("Open registry: a program registers kinds of its own")
struct OpenRegistryTests {
    /// Registered once for the whole test process (the registry is global, and registering twice is an error).
    static let registered: Result<Void, any Error> = Result { try ExperimentRegistry.register(FixedCoinExperiment.self) }

    @Test("A registered kind runs from a scenario like a built-in one; its counts are exact")
    func registeredKindRuns() throws {
        try Self.registered.get()
        #expect(ExperimentRegistry.entries.map(\.kind).prefix(ExperimentRegistry.builtIn.count) == ExperimentRegistry.builtIn.map(\.kind)[...])
        #expect(ExperimentRegistry.entry(for: "fixed_coin_test")?.summary == FixedCoinExperiment.summary)
        let text = "schema_version: 1\nname: coins\nkind: fixed_coin_test\nseed: 3\nreplications: 2\nflips: 1000\nbiases: [0, 1]\n"
        let s = try Scenario.load(text: text, file: "coins.yaml", directory: "/tmp")
        let records = try ScenarioRunner(scenario: s, jobs: 2).execute()
        #expect(records.count == 4)
        // Bias 0 never shows heads, bias 1 always does: 0 and 1000 whatever the stream.
        #expect(records.map { $0.outcome.metrics[0].1 } == [0, 0, 1000, 1000])
        #expect(records.map(\.run.cell.parameters[0].0) == ["bias", "bias", "bias", "bias"])
    }

    @Test("An unknown kind's error lists the registered kinds too")
    func unknownKindListsRegistered() throws {
        try Self.registered.get()
        let text = "schema_version: 1\nname: x\nkind: no_such_kind\nseed: 1\nreplications: 1\n"
        #expect { _ = try Scenario.load(text: text, file: "x.yaml", directory: "/tmp") } throws: { error in
            let d = "\(error)"
            return d.contains("unknown kind 'no_such_kind'") && d.contains("matching") && d.contains("fixed_coin_test")
        }
    }

    @Test("A name that clashes with a built-in or a registered kind is an error naming it")
    func clashes() throws {
        try Self.registered.get()
        #expect { try ExperimentRegistry.register(ClashingExperiment.self) } throws: {
            "\($0)".contains("cannot register kind 'matching'") && "\($0)".contains("built-in")
        }
        #expect { try ExperimentRegistry.register(FixedCoinExperiment.self) } throws: {
            "\($0)".contains("cannot register kind 'fixed_coin_test'") && "\($0)".contains("already registered")
        }
        #expect(ExperimentRegistry.entries.filter { $0.kind == "fixed_coin_test" }.count == 1)
    }
}
