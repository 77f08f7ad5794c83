import Foundation
import Testing
@testable import GavelScenario
import GavelCore

private let small = Tiny.replacing(line: 8, with: "auctions: 500").replacingOccurrences(of: "replications: 2", with: "replications: 3")

@Suite("Runner and result files")
struct ResultFilesTests {
    @Test("jobs 1 and jobs 2 give byte-identical summary.csv and runs.jsonl")
    func jobsDoNotChangeResults() throws {
        let s = try load(small)
        let one = try ScenarioRunner(scenario: s, jobs: 1).execute()
        let two = try ScenarioRunner(scenario: s, jobs: 2).execute()
        #expect(one.count == 12)
        #expect(ResultFiles.summaryCSV(records: one) == ResultFiles.summaryCSV(records: two))
        #expect(ResultFiles.runsJSONL(kind: s.header.kind, records: one) == ResultFiles.runsJSONL(kind: s.header.kind, records: two))
        // And a fresh load and run reproduces them exactly.
        let again = try ScenarioRunner(scenario: try load(small), jobs: 2).execute()
        #expect(ResultFiles.runsJSONL(kind: s.header.kind, records: again) == ResultFiles.runsJSONL(kind: s.header.kind, records: one))
    }

    @Test("Records come back in plan order; progress counts every run")
    func planOrderAndProgress() throws {
        let s = try load(small)
        let plan = RunPlanner.plan(s)
        let seen = Counter()
        let records = try ScenarioRunner(scenario: s, jobs: 2).execute(plan) { done in seen.record(done) }
        #expect(records.map(\.run.runKey) == plan.map(\.runKey))
        #expect(seen.values.sorted() == Array(1...plan.count))
    }

    @Test("A subset of the plan runs exactly those runs, with the same results as the full plan")
    func subset() throws {
        let s = try load(small)
        let plan = RunPlanner.plan(s)
        let all = try ScenarioRunner(scenario: s).execute()
        let part = try ScenarioRunner(scenario: s, jobs: 2).execute([plan[5], plan[2]])
        #expect(part.map(\.run.index) == [5, 2])
        #expect(ResultFiles.runLine(kind: "k", record: part[0]) == ResultFiles.runLine(kind: "k", record: all[5]))
        #expect(ResultFiles.runLine(kind: "k", record: part[1]) == ResultFiles.runLine(kind: "k", record: all[2]))
    }

    @Test("summary.csv: header columns, one row per cell, values per row")
    func summaryShape() throws {
        let s = try load(small)
        let records = try ScenarioRunner(scenario: s).execute()
        let csv = ResultFiles.summaryCSV(records: records)
        #expect(csv.hasSuffix("\n"))
        let lines = csv.split(separator: "\n", omittingEmptySubsequences: false).dropLast().map(String.init)
        #expect(lines.count == 1 + 4)
        let metrics = ["revenue", "revenue_expected", "revenue_z", "welfare", "welfare_expected", "sold_fraction", "jain_bidders"]
        let expectedHeader = ["mechanism", "bidders", "reserve", "replications"] + metrics.flatMap { [$0, $0 + "_sd", $0 + "_ci95"] }
        #expect(lines[0].split(separator: ",").map(String.init) == expectedHeader)
        let rows = lines.dropFirst().map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
        #expect(rows.allSatisfy { $0.count == expectedHeader.count })
        #expect(rows.map { $0[0] } == ["first_price", "first_price", "second_price", "second_price"])
        #expect(rows.map { $0[1] } == ["2", "3", "2", "3"])
        #expect(rows.allSatisfy { $0[2] == "0" && $0[3] == "3" })   // integral values print as integers
        // revenue_expected is the closed form (n-1)/(n+1), identical in every replicate (sd 0).
        let col = try #require(expectedHeader.firstIndex(of: "revenue_expected"))
        let expectedRevenue: [Double?] = [1.0 / 3, 0.5, 1.0 / 3, 0.5]
        let revenueColumn: [Double?] = rows.map { Double($0[col]) }
        #expect(revenueColumn == expectedRevenue)
        #expect(rows.allSatisfy { $0[col + 1] == "0" })
    }

    @Test("runs.jsonl: one JSON object per run with the documented fields and exact event counts")
    func runsShape() throws {
        let s = try load(small)
        let records = try ScenarioRunner(scenario: s).execute()
        let jsonl = ResultFiles.runsJSONL(kind: s.header.kind, records: records)
        let lines = jsonl.split(separator: "\n").map(String.init)
        #expect(lines.count == 12)
        #expect(jsonl.hasSuffix("\n"))
        for (line, record) in zip(lines, records) {
            let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            #expect(object["run_key"] as? String == record.run.runKey)
            #expect(object["kind"] as? String == "single_item_auction")
            let seeds = try #require(object["seeds"] as? [String: Any])
            #expect(seeds["workload"] as? String == String(record.run.workloadSeed))
            #expect(seeds["mechanism"] as? String == String(record.run.mechanismSeed))
            let n = try #require((object["parameters"] as? [String: Any])?["bidders"] as? Int)
            // Each auction: open, n arrivals, close.
            #expect(object["events"] as? Int == 500 * (n + 2))
            #expect(line.hasPrefix("{\"run_key\":"))
            #expect(!line.contains("wall") && !line.contains("seconds"))
        }
    }

    @Test("CSV fields with separators, quotes or line breaks are quoted", arguments: [
        ("plain", "plain"),
        ("a,b", "\"a,b\""),
        ("say \"hi\"", "\"say \"\"hi\"\"\""),
        ("two\nlines", "\"two\nlines\""),
        // "\r\n" is a single Character in Swift, so `$0 == "\n"` misses it.
        // (Fails today: ResultFiles.csvField does not quote CRLF or a lone CR.)
        ("crlf\r\nline", "\"crlf\r\nline\""),
        ("cr\rline", "\"cr\rline\""),
    ])
    func csvQuoting(raw: String, quoted: String) {
        #expect(ResultFiles.csvField(raw) == quoted)
    }

    @Test("summary.csv quotes a parameter value containing a comma")
    func summaryQuotesParameters() {
        let cell = RunCell(mechanism: "m", parameters: [("label", .string("x,y"))])
        let run = PlannedRun(index: 0, cell: cell, replicate: 0, runKey: "0000000000000000", workloadSeed: 1, mechanismSeed: 1)
        let record = RunRecord(run: run, outcome: RunOutcome(metrics: [("v", 1.5)], events: 3), seconds: 0)
        let csv = ResultFiles.summaryCSV(records: [record])
        // One replication per cell: no _sd/_ci95 columns (they would be undefined).
        #expect(csv == "mechanism,label,replications,v\nm,\"x,y\",1,1.5\n")
    }

    @Test("The manifest carries the fingerprint, seeds and jobs and is valid JSON")
    func manifest() throws {
        let s = try load(small)
        let records = try ScenarioRunner(scenario: s).execute()
        let text = ResultFiles.manifest(scenario: s, records: records, wallSeconds: 2, jobs: 2)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
        #expect((object["scenario"] as? [String: Any])?["sha256"] as? String == s.fingerprint)
        #expect(object["jobs"] as? Int == 2)
        #expect(object["runs"] as? Int == 12)
        #expect((object["seeds"] as? [Any])?.count == 12)
        #expect(object["events"] as? Int == records.reduce(0) { $0 + $1.outcome.events })
    }
}

/// Thread-safe collector for progress callbacks.
final class Counter: @unchecked Sendable {
    private let lock = NSLock()
    private var storage: [Int] = []
    func record(_ v: Int) { lock.lock(); storage.append(v); lock.unlock() }
    var values: [Int] { lock.lock(); defer { lock.unlock() }; return storage }
}
