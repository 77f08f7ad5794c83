import Foundation
import GavelCore
import GavelScenario
import Testing
@testable import GavelIoT

/// An iot scenario's replicates are different draws of the workload (issue 14: they
/// used to be copies of the master seed's run, with a CI of zero).
@Suite("iot_auction replicates and seeds")
struct ReplicateSeedTests {
    static func scenario(replications: Int, paperSeed: Bool) throws -> Scenario {
        let text = """
        schema_version: 1
        name: iot-replicates
        kind: iot_auction
        seed: 5
        replications: \(replications)
        \(paperSeed ? "paper_seed: 42" : "")
        workload:
          google_trace: {job_events: \(try IoTTestData.jobEvents), files: 1, max_requests_per_file: 300}
        mechanisms: [mohaf, greedy]
        mohaf: {mode: as_run}
        """
        return try Scenario.load(text: text, file: "iot.yaml", directory: "/tmp")
    }

    @Test("replications: 3 on the resampled trace gives three different replicates and a non-zero CI")
    func replicatesDiffer() throws {
        let s = try Self.scenario(replications: 3, paperSeed: false)
        let records = try ScenarioRunner(scenario: s, jobs: 2).execute()
        #expect(records.count == 6)
        for mechanism in ["mohaf", "greedy"] {
            let welfare = records.filter { $0.run.cell.mechanism == mechanism }
                .map { r in r.outcome.metrics.first { $0.0 == "welfare" }!.1 }
            #expect(Set(welfare).count == 3, "\(mechanism): \(welfare)")
        }
        // Both mechanisms of a replicate saw the same instance (the seed they record says so).
        for r in 0..<3 {
            let seeds = records.filter { $0.run.replicate == r }.map(\.run.workloadSeed)
            #expect(Set(seeds).count == 1)
        }
        let summary = ResultFiles.summaryCSV(records: records)
        let header = summary.split(separator: "\n")[0].split(separator: ",").map(String.init)
        let column = try #require(header.firstIndex(of: "welfare_ci95"))
        for row in summary.split(separator: "\n").dropFirst() {
            let ci = try #require(Double(row.split(separator: ",", omittingEmptySubsequences: false)[column]))
            #expect(ci > 0)
        }
        // Paired: MOHAF against greedy on the same three instances.
        let rows = PairedComparisons.rows(records: records, settings: .init(s))
        let paired = try #require(rows.first { $0.metric == "welfare" })
        #expect(paired.cell.mechanism == "greedy" && paired.baseline == "mohaf[mode=as_run]" && paired.difference.count == 3)
    }

    @Test("paper_seed: 42 makes replicate 0 the notebook's random.seed(42) instance")
    func paperSeedReplicateZero() throws {
        let s = try Self.scenario(replications: 2, paperSeed: true)
        let records = try ScenarioRunner(scenario: s).execute()
        let built = try GoogleTraceInstance.build(jobEvents: try IoTTestData.jobEvents, files: 1, maxRequestsPerFile: 300, seed: 42)
        let greedy = GreedyAsRun.run(built.instance)
        let zero = try #require(records.first { $0.run.cell.mechanism == "greedy" && $0.run.replicate == 0 })
        let one = try #require(records.first { $0.run.cell.mechanism == "greedy" && $0.run.replicate == 1 })
        #expect(zero.run.workloadSeed == 42 && one.run.workloadSeed != 42)
        let allocations = zero.outcome.metrics.first { $0.0 == "allocations" }!.1
        #expect(allocations == Double(greedy.allocations.count))
        #expect(one.outcome.metrics.map(\.1) != zero.outcome.metrics.map(\.1))
    }
}
