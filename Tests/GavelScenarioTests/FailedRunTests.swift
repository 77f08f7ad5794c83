import Foundation
import Testing
@testable import GavelScenario
import GavelCore
import GavelSingleItem

/// A user's single-item rule that throws in auctions of five bidders (second price otherwise).
struct FailsAtFiveBidders: SingleItemAuctionRule {
    struct Failure: Error, CustomStringConvertible { var description: String { "no auction of five, by design" } }
    let name = "fails_at_five_bidders_test"
    let summary = "second price, but throws with five bidders"
    func bid(value: Double, bidders: Int, reserve: Double) throws -> Double? {
        if bidders == 5 { throw Failure() }
        return value >= reserve ? value : nil
    }
    func clear(bids: [Double?], reserve: Double) -> (winner: Int, price: Double)? {
        SingleItemAuction.Format.secondPrice.clear(bids: bids, reserve: reserve)
    }
}

@Suite("A registered mechanism that throws: its runs are recorded as failed, nothing else is lost")
struct FailedRunTests {
    static let registered: Result<Void, any Error> = Result { try SingleItemAuctionRules.registry.register(FailsAtFiveBidders()) }

    static let text = """
        schema_version: 1
        name: failing
        kind: single_item_auction
        seed: 4
        replications: 2
        mechanisms: [second_price, fails_at_five_bidders_test]
        bidders: [2, 5]
        auctions: 300

        """

    @Test("every other run finishes, in plan order; the failures are listed with their errors, in plan order, for any number of jobs")
    func recorded() throws {
        try Self.registered.get()
        let scenario = try Scenario.load(text: Self.text, file: "failing.yaml", directory: "/tmp")
        let plan = RunPlanner.plan(scenario)
        #expect(plan.count == 8)
        for jobs in [1, 2] {
            let (records, failures) = ScenarioRunner(scenario: scenario, jobs: jobs).executeRecordingFailures()
            // Plan order: mechanisms slowest, then bidders, then replicates.
            #expect(records.map { "\($0.run.cell.mechanism)/\(ResultFiles.csvText($0.run.cell.parameters[0].1))/\($0.run.replicate)" }
                    == ["second_price/2/0", "second_price/2/1", "second_price/5/0", "second_price/5/1",
                        "fails_at_five_bidders_test/2/0", "fails_at_five_bidders_test/2/1"])
            #expect(failures.map(\.run.replicate) == [0, 1])
            #expect(failures.allSatisfy { $0.run.cell.mechanism == "fails_at_five_bidders_test" && $0.error == "no auction of five, by design" })
        }
        // The throwing execute() still reports the first failure in plan order.
        #expect { try ScenarioRunner(scenario: scenario).execute() } throws: { "\($0)".contains("fails_at_five_bidders_test, replicate 0) failed: no auction of five") }
    }

    @Test("the result folder keeps every finished run and lists the failed ones in failures.csv and the manifest")
    func written() throws {
        try Self.registered.get()
        let scenario = try Scenario.load(text: Self.text, file: "failing.yaml", directory: "/tmp")
        let (records, failures) = ScenarioRunner(scenario: scenario).executeRecordingFailures()
        let dir = try makeTemporaryDirectory().appendingPathComponent("out").path
        _ = try ResultFiles.writeResults(to: dir, identity: .init(scenario), mechanismColumn: "mechanism", comparison: .init(scenario),
                                         records: records, failures: failures, wallSeconds: 1, jobs: 1)
        let csv = try String(contentsOfFile: dir + "/failures.csv", encoding: .utf8).split(separator: "\n").map(String.init)
        #expect(csv.count == 3)
        #expect(csv[0] == "run_key,mechanism,replicate,parameters,error")
        #expect(csv[1].contains(",fails_at_five_bidders_test,0,") && csv[1].hasSuffix(",\"no auction of five, by design\""))
        let summary = try String(contentsOfFile: dir + "/summary.csv", encoding: .utf8)
        // Three cells finished (second price at 2 and 5 bidders, the failing rule at 2); the failed cell has no row.
        #expect(summary.split(separator: "\n").count == 1 + 3)
        let manifest = try String(contentsOfFile: dir + "/manifest.json", encoding: .utf8)
        #expect(manifest.contains("\"failed_runs\":2") || manifest.contains("\"failed_runs\": 2"))
        #expect(manifest.contains("failures.csv"))
    }
}
