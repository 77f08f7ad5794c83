import Foundation
import Testing
@testable import GavelScenario
import GavelCore

@Suite("Shard lines and run keys, fast paths against their definitions")
struct ShardWriterTests {
    /// A record with the values that are easy to print wrong.
    static let record = RunRecord(
        run: PlannedRun(index: 3, configuration: 1,
                        cell: RunCell(mechanism: "m \"quoted\"", parameters: [
                            ("bidders", .int(.max)), ("reserve", .double(-0.0)), ("label", .string("é\n\u{1}🎉")),
                            ("grid", .array([.double(1e-300), .null, .bool(true)])), ("nested", .object([("x", .double(0.1))])),
                        ]),
                        replicate: 12, runKey: "0123456789abcdef", workloadSeed: 0x8000_0000_0000_0001, mechanismSeed: .max),
        outcome: RunOutcome(metrics: [("revenue", 1.0 / 3), ("zero", -0.0), ("tiny", 5e-324), ("nan", .nan), ("inf", -.infinity),
                                      ("count", 78), ("big", 0x1p53), ("huge", 1.7976931348623157e308)], events: 123_456),
        seconds: 0.5)

    /// The shard line as it was built before: a `JSONValue` tree, serialised.
    static func treeLine(_ fingerprint: String, kind: String, record: RunRecord) -> String {
        let r = record.run
        let run = JSONValue.object([
            ("run_key", .string(r.runKey)), ("kind", .string(kind)), ("mechanism", .string(r.cell.mechanism)),
            ("parameters", .object(r.cell.parameters)), ("replicate", .int(Int64(r.replicate))),
            ("seeds", .object([("workload", .string(String(r.workloadSeed))), ("mechanism", .string(String(r.mechanismSeed)))])),
            ("metrics", .object(record.outcome.metrics.map { ($0.0, .double($0.1)) })), ("events", .int(Int64(record.outcome.events))),
        ]).serialized()
        return "{\"scenario_sha256\":\"\(fingerprint)\",\"run\":" + run + "}\n"
    }

    @Test("A shard line written field by field equals the JSONValue tree's serialisation")
    func lineEqualsTree() {
        var out = JSONWriter()
        SweepFiles.writeLine("ab12", kind: "single_item_auction", record: Self.record, to: &out)
        #expect(out.text == Self.treeLine("ab12", kind: "single_item_auction", record: Self.record))
        // Reused for a second line, the buffer holds that line only.
        out.reset()
        SweepFiles.writeLine("cd34", kind: "k", record: Self.record, to: &out)
        #expect(out.text == Self.treeLine("cd34", kind: "k", record: Self.record))
        // runs.jsonl's line is the shard line's `run`.
        #expect(#"{"scenario_sha256":"cd34","run":"# + ResultFiles.runLine(kind: "k", record: Self.record) + "}\n" == out.text)
    }

    @Test("Planned keys and seeds (a cell's prefix hashed once) equal hashing each canonical text whole")
    func plannedKeysEqualDirectHash() throws {
        let s = try load(Tiny.replacing(line: 5, with: "replications: 12")
                         + "sweep:\n  random: {count: 3, seed: 4, uniform: {reserve: [0.0, 0.5]}}\n  grid: {arrival_rate: [1, 2.5]}\n")
        let plan = RunPlanner.plan(s)
        #expect(plan.count == 5 * 4 * 12)
        for run in plan {
            let canonical = RunPlanner.canonical(kind: s.header.kind, cell: run.cell, replicate: run.replicate)
            #expect(run.runKey == String(SHA256.hex(canonical).prefix(16)))
            #expect(run.mechanismSeed == RunPlanner.seed(master: s.header.seed, runKey: run.runKey))
            // The workload seed: the same description without the mechanism, serialised as a tree.
            let workload = JSONValue.object([("kind", .string(s.header.kind)), ("parameters", .object(run.cell.parameters)),
                                             ("replicate", .int(Int64(run.replicate)))]).serialized()
            #expect(run.workloadSeed == RunPlanner.seed(master: s.header.seed, runKey: String(SHA256.hex(workload).prefix(16))))
        }
    }

    @Test("A writer thread only where a core this process may use is spare")
    func backgroundOnlyWithASpareCore() {
        let cores = ScenarioRunner.usableCores()
        #expect(cores >= 1 && cores <= ProcessInfo.processInfo.activeProcessorCount)
        if cores > 1 { #expect(ShardWriter.backgroundPays(jobs: cores - 1)) }
        #expect(!ShardWriter.backgroundPays(jobs: cores))
    }

    @Test("Configurations planned side by side give the plan of one thread, in the same order")
    func plannedInPartsEqualsOneThread() throws {
        let s = try load(Tiny.replacing(line: 5, with: "replications: 3")
                         + "sweep:\n  random: {count: 7, seed: 4, uniform: {reserve: [0.0, 0.5]}}\n")
        let one = RunPlanner.plan(s, parts: 1)
        for parts in [2, 3, 7, 50] {
            let split = RunPlanner.plan(s, parts: parts)
            #expect(split.map(\.index) == Array(one.indices))
            #expect(split.map(\.runKey) == one.map(\.runKey) && split.map(\.mechanismSeed) == one.map(\.mechanismSeed) && split.map(\.workloadSeed) == one.map(\.workloadSeed))
            #expect(split.map(\.configuration) == one.map(\.configuration) && split.map(\.replicate) == one.map(\.replicate))
        }
    }

    @Test("A write that fails (a full device) sets writeError, counts nothing and stops writing", arguments: [false, true])
    func failedWrite(background: Bool) throws {
        let handle = try #require(FileHandle(forWritingAtPath: "/dev/full"))
        let writer = ShardWriter(handle: handle, fingerprint: "ab12", kind: "k", background: background)
        writer.write(record: Self.record)
        writer.write(failure: Self.record.run, error: ExperimentError("boom"))
        writer.finish()
        #expect(writer.written == 0 && writer.failures == 0)
        #expect("\(try #require(writer.writeError))".contains("space"))
    }

    @Test("The writer thread writes what the direct writer does, line by line, in the order handed over")
    func backgroundEqualsDirect() throws {
        let folder = try makeTemporaryDirectory(); defer { try? FileManager.default.removeItem(at: folder) }
        let s = try load(Tiny.replacing(line: 5, with: "replications: 7") + "sweep:\n  grid: {arrival_rate: [1, 2.5, 4]}\n")
        let plan = RunPlanner.plan(s)
        let repeats = 2 * LineQueue.capacity / plan.count + 1
        var texts: [String] = []
        for background in [false, true] {
            let path = folder.appendingPathComponent("shard-\(background).jsonl").path
            FileManager.default.createFile(atPath: path, contents: nil)
            let handle = try #require(FileHandle(forWritingAtPath: path))
            let writer = ShardWriter(handle: handle, fingerprint: s.fingerprint, kind: s.header.kind, background: background)
            #expect(writer.background == background)
            // More lines than the queue holds, so that handing over waits for the thread at times.
            for _ in 0..<repeats {
                for run in plan {
                    writer.write(record: RunRecord(run: run, outcome: Self.record.outcome, seconds: 0))
                }
            }
            writer.write(failure: plan[0], error: ExperimentError("boom"))
            writer.finish()
            writer.finish()   // a second call returns at once
            try handle.close()
            #expect(writer.written == repeats * plan.count && writer.failures == 1 && writer.writeError == nil)
            texts.append(try String(contentsOfFile: path, encoding: .utf8))
        }
        #expect(texts[0] == texts[1])
        #expect(texts[0].split(separator: "\n").count == repeats * plan.count + 1)
        // The planner's cell text makes the same line as rendering the cell afresh.
        let run = plan[5]
        let fresh = PlannedRun(index: run.index, configuration: run.configuration, cell: run.cell, replicate: run.replicate,
                               runKey: run.runKey, workloadSeed: run.workloadSeed, mechanismSeed: run.mechanismSeed)
        #expect(run.cellText != nil && fresh.cellText == nil)
        #expect(ResultFiles.runLine(kind: s.header.kind, record: RunRecord(run: run, outcome: Self.record.outcome, seconds: 0))
                == ResultFiles.runLine(kind: s.header.kind, record: RunRecord(run: fresh, outcome: Self.record.outcome, seconds: 0)))
    }

    @Test("Lines are appended whole after what the file already holds (a resumed shard)")
    func appendsAfterExistingLines() throws {
        let folder = try makeTemporaryDirectory(); defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("shard.jsonl").path
        FileManager.default.createFile(atPath: path, contents: Data("earlier\n".utf8))
        let handle = try #require(FileHandle(forWritingAtPath: path))
        _ = try handle.seekToEnd()
        let writer = ShardWriter(handle: handle, fingerprint: "ab12", kind: "k")
        writer.write(record: Self.record)
        writer.write(failure: Self.record.run, error: ExperimentError("boom"))
        try handle.close()
        #expect(writer.written == 1 && writer.failures == 1 && writer.writeError == nil)
        let text = try String(contentsOfFile: path, encoding: .utf8)
        #expect(text == "earlier\n" + Self.treeLine("ab12", kind: "k", record: Self.record)
                + SweepFiles.failureLine("ab12", run: Self.record.run, error: ExperimentError("boom")))
    }
}
