import Foundation
@testable import GavelInfoAcq
import GavelScenario
import Testing

@Suite("Scenario kinds infoacq and infoacq_online")
struct ScenarioTests {
    static func load(_ text: String) throws -> Scenario {
        try Scenario.load(text: text, file: "t.yaml", directory: FileManager.default.currentDirectoryPath)
    }

    @Test("kind infoacq runs: correlated above product and deterministic, z-scores within 4")
    func infoacq() throws {
        let s = try Self.load("""
        schema_version: 1
        name: t
        kind: infoacq
        replications: 2
        rounds: 20000
        instances:
          - {name: cap, family: common_noise, agents: 2, noise: 0.3, cost: 0.05, cap: 0.12}
        """)
        let records = try ScenarioRunner(scenario: s).execute()
        #expect(records.count == 2 * InfoAcqMechanisms.registry.builtIn.count)   // every built-in by default
        for r in records {
            let m = Dictionary(uniqueKeysWithValues: r.outcome.metrics.map { ($0.0, $0.1) })
            #expect(abs(m["z_score"]!) < 4)
            #expect(m["max_deviation_gain"]! <= 1e-9)
            #expect(m["correlation_gain"]! > 0.01)
            // The uncorrelated class is narrower than the product class, so its gap is at least as large.
            #expect(m["correlation_gain_vs_uncorrelated"]! >= m["correlation_gain"]!)
        }
    }

    @Test("kind infoacq_online runs and writes the regret curve")
    func online() throws {
        let s = try Self.load("""
        schema_version: 1
        name: t
        kind: infoacq_online
        instance: {family: independent_noisy, agents: 2, informativeness: 0.9, cost: 0.02, cap: 1}
        horizons: [1000, 10000]
        seeds: 2
        """)
        let records = try ScenarioRunner(scenario: s).execute()
        #expect(records.count == 1)
        let csv = try #require(records[0].outcome.artifacts.first { $0.name == "regret_curve.csv" })
        #expect(csv.contents.split(separator: "\n").count == 3)
        #expect(records[0].outcome.metrics.first { $0.0 == "fit_points" }?.1 == 4)
    }

    @Test("strict configuration: an unknown key and a family without its parameter are errors")
    func strict() {
        #expect(throws: (any Error).self) {
            try Self.load("schema_version: 1\nname: t\nkind: infoacq\nround: 5\ninstances: [{family: random}]\n")
        }
        #expect(throws: (any Error).self) {
            try Self.load("schema_version: 1\nname: t\nkind: infoacq\ninstances: [{family: common_noise}]\n")
        }
    }
}
