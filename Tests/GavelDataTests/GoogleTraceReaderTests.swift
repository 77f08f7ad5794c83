import GavelCore
import Foundation
import Testing
@testable import GavelData
import GavelConfig

/// The shared data folder: `$GAVEL_DATA`, else `../shared/data` next to the
/// repository root. Tests that need it fail (not skip) when it is missing.
enum GoogleTraceTestData {
    static var root: String {
        if let env = ProcessInfo.processInfo.environment["GAVEL_DATA"], !env.isEmpty { return env }
        let repo = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        return repo.deletingLastPathComponent().appendingPathComponent("shared/data").path
    }
    static func table(_ name: String) throws -> String {
        let path = root + "/google-cluster/clusterdata-2011-2/" + name
        try #require(FileManager.default.fileExists(atPath: path),
                     "trace data missing at \(path): set GAVEL_DATA or check out ../shared/data")
        return path
    }
}

@Suite struct GoogleTraceReaderTests {
    // Counts from shared/data/google-cluster/README.md, "Per-file contents".
    @Test func jobEventsPartsMatchTheReadme() throws {
        let dir = try GoogleTraceTestData.table("job_events")
        let files = try GoogleTrace.partFiles(in: dir, count: 2)
        var rows = [0, 0]
        var types = [[Int]](repeating: [Int](repeating: 0, count: 9), count: 2)
        var timeRange = [(Int64.max, Int64.min), (Int64.max, Int64.min)]
        try GoogleTraceReader<JobEvent>(files: files).forEach { e, f in
            rows[f] += 1
            types[f][e.eventType.rawValue] += 1
            timeRange[f] = (min(timeRange[f].0, e.time), max(timeRange[f].1, e.time))
            return .next
        }
        #expect(rows == [10_704, 3_099])
        #expect(types[0] == [4900, 4892, 0, 8, 636, 268, 0, 0, 0])
        #expect(types[1] == [1053, 1059, 0, 30, 698, 259, 0, 0, 0])
        #expect(timeRange[0] == (0, 5_598_884_349))
        #expect(timeRange[1] == (5_620_274_759, 10_622_369_433))
    }

    @Test func taskEventsPart1MatchesTheReadme() throws {
        let dir = try GoogleTraceTestData.table("task_events")
        let files = try GoogleTrace.partFiles(in: dir, count: 2)
        var rows = 0
        var priority = [Int](repeating: 0, count: 12)
        var maxCPU = 0.0, maxMemory = 0.0
        let report = try GoogleTraceReader<TaskEvent>(files: [files[1]]).forEach { e, _ in
            rows += 1
            priority[e.priority] += 1
            maxCPU = max(maxCPU, e.cpuRequest ?? 0)
            maxMemory = max(maxMemory, e.memoryRequest ?? 0)
            return .next
        }
        #expect(report.count == 0)
        #expect(rows == 77_776)
        #expect(priority == [24675, 6696, 43457, 0, 0, 0, 0, 0, 1137, 1739, 57, 15])
        #expect(maxCPU == 0.5)
        #expect(maxMemory == 0.4297)
    }

    @Test func taskEventsPart0MatchesTheReadme() throws {
        let dir = try GoogleTraceTestData.table("task_events")
        let file = try GoogleTrace.partFiles(in: dir, count: 1)[0]
        var rows = 0, emptyRequests = 0
        var types = [Int](repeating: 0, count: 9)
        var jobs = Set<Int64>()
        try GoogleTraceReader<TaskEvent>(files: [file]).forEach { e, _ in
            rows += 1
            types[e.eventType.rawValue] += 1
            if e.cpuRequest == nil || e.memoryRequest == nil { emptyRequests += 1 }
            jobs.insert(e.jobID)
            return .next
        }
        #expect(rows == 450_146)
        #expect(types == [201491, 189994, 4338, 581, 43237, 10505, 0, 0, 0])
        #expect(jobs.count == 4_895)
        #expect(emptyRequests == 291)
    }

    @Test func firstRowIsTyped() throws {
        let dir = try GoogleTraceTestData.table("job_events")
        var first: JobEvent?
        try GoogleTraceReader<JobEvent>(files: [GoogleTrace.partFiles(in: dir, count: 1)[0]]).forEach { e, _ in
            first = e
            return .nextFile
        }
        let e = try #require(first)
        #expect(e.time == 0 && e.missingInfo == nil && e.eventType == .submit)
        #expect(e.schedulingClass >= 0 && e.schedulingClass <= 3 && !e.user.isEmpty)
    }

    @Test func missingFolderAndTooFewParts() throws {
        #expect {
            _ = try GoogleTrace.partFiles(in: "/nonexistent", count: 1)
        } throws: { error in
            (error as? InputError)?.description == "/nonexistent: cannot list the folder (expected a trace table folder with part-NNNNN-of-NNNNN.csv.gz files)"
        }
        let dir = try GoogleTraceTestData.table("job_events")
        #expect {
            _ = try GoogleTrace.partFiles(in: dir, count: 3)
        } throws: { error in
            "\(error)".contains("expected at least 3 part-*.csv.gz files, found 2")
        }
    }
}

@Suite struct GoogleTraceBadInputTests {
    static let good = "600000000,,6251812952,0,/fk1fVcVxZ6iM6gHZzqbIyq56m5zrmHfpdcZ/zzkq4c=,2,ZHe2Ru3Sa1jTeS9wyyStVWq2u2r5Dq8hS0JE6vjDRlY=,HdTkvBnWHBNDnwJszpQrWQmuu3/+HJoUWFB/4mbTuDY="

    func read(_ lines: [String], mode: TraceParsingMode = .strict) throws -> ([JobEvent], MalformedRowReport) {
        let path = temporaryFile(gzipMember(Array((lines.joined(separator: "\n") + "\n").utf8)), name: "part-00000-of-00500.csv.gz")
        let result = try GoogleTraceReader<JobEvent>(files: [path], mode: mode).readAll()
        return (result.rows, result.malformed)
    }

    func message(_ lines: [String]) -> String {
        do { _ = try read(lines); return "no error" } catch { return "\(error)" }
    }

    @Test func goodRowDecodes() throws {
        let (rows, report) = try read([Self.good])
        #expect(rows.count == 1 && report.count == 0)
        #expect(rows[0].time == 600_000_000 && rows[0].jobID == 6_251_812_952 && rows[0].schedulingClass == 2)
    }

    @Test func wrongNumberOfFields() {
        let m = message([Self.good, Self.good + ",extra"])
        #expect(m.hasSuffix("part-00000-of-00500.csv.gz:2:\(Self.good.utf8.count + 2): expected 8 comma-separated fields, found 9 (field 9 is extra)"), "\(m)")
        let short = message(["1,,2,0,user,1"])
        #expect(short.hasSuffix(":1:14: field 'job name': expected 8 comma-separated fields, found 6 (field 7 of 8 is missing)"), "\(short)")
    }

    @Test func nonNumericTime() {
        let m = message([Self.good, Self.good, "12ab," + Self.good.split(separator: ",", maxSplits: 1, omittingEmptySubsequences: false)[1]])
        #expect(m.hasSuffix("part-00000-of-00500.csv.gz:3:1: field 'time': expected a time in microseconds (an integer ≥ 0), found \"12ab\" (field 1 of 8)"), "\(m)")
    }

    @Test func outOfRangeFieldsNameTheirColumn() {
        var f = Self.good.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        f[5] = "7"
        let m = message([f.joined(separator: ",")])
        let column = f[0..<5].reduce(0) { $0 + $1.utf8.count + 1 } + 1
        #expect(m.hasSuffix(":1:\(column): field 'scheduling class': expected a scheduling class 0–3, found \"7\" (field 6 of 8)"), "\(m)")
        f[5] = "2"; f[3] = "9"
        #expect(message([f.joined(separator: ",")]).contains("field 'event type': expected an event type 0–8, found \"9\" (field 4 of 8)"))
        f[3] = "0"; f[0] = "99999999999999999999"
        #expect(message([f.joined(separator: ",")]).contains(":1:1: field 'time': expected a time in microseconds"))
    }

    @Test func lenientModeCountsAndReports() throws {
        let (rows, report) = try read([Self.good, "x", Self.good, "abc," + String(Self.good.drop(while: { $0 != "," }).dropFirst()), Self.good],
                                      mode: .lenient(keepExamples: 1))
        #expect(rows.count == 3)
        #expect(report.count == 2)
        #expect(report.examples.count == 1 && report.examples[0].line == 2 && report.examples[0].column == 2)
        #expect(report.examples[0].message.hasPrefix("expected 8 comma-separated fields, found 1"))
        #expect(report.description.hasPrefix("2 malformed row(s) skipped"))
    }

    @Test func badTaskEventRequest() throws {
        let line = "5611824441,,6251995937,0,,0,user,1,9,abc,0.01,0.0001,0"
        let path = temporaryFile(gzipMember(Array((line + "\n").utf8)))
        #expect {
            _ = try GoogleTraceReader<TaskEvent>(files: [path]).readAll()
        } throws: { error in
            "\(error)".hasSuffix(":1:38: field 'CPU request': expected a CPU request in [0, 1] or nothing, found \"abc\" (field 10 of 13)")
        }
    }

    @Test func truncatedGzipThroughTheReader() throws {
        let bytes = gzipMember(Array(([String](repeating: Self.good, count: 200).joined(separator: "\n")).utf8))
        let path = temporaryFile(Array(bytes.dropLast(4)))
        #expect {
            _ = try GoogleTraceReader<JobEvent>(files: [path]).readAll()
        } throws: { error in
            guard let e = error as? InputError else { return false }
            return e.line == 0 && e.message.contains("truncated gzip data") && e.message.contains("last line read 1")
        }
    }
}
