#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import GavelCore

/// What to do with a malformed row.
public enum TraceParsingMode: Sendable, Equatable {
    /// Stop at the first malformed row with its `file:line:column` (the default).
    case strict
    /// Skip malformed rows, counting them and keeping the first few as examples.
    case lenient(keepExamples: Int = 10)
}

/// The malformed rows a lenient read skipped.
public struct MalformedRowReport: Sendable, Equatable {
    /// Malformed rows skipped.
    public internal(set) var count = 0
    /// The first few of them (as many as the lenient mode keeps), in file order.
    public internal(set) var examples: [InputError] = []
    /// An empty report.
    public init() {}

    /// One line per example, after a count: for logs and result manifests.
    public var description: String {
        (["\(count) malformed row(s) skipped"] + examples.map { "  " + $0.description }).joined(separator: "\n")
    }
}

/// The comma-separated fields of one line, decoded on demand with errors that
/// say where. The trace has no quoting, so a comma always separates fields.
public struct TraceFields {
    let bytes: [UInt8]
    /// Start and end byte offsets of each field.
    let bounds: [(Int, Int)]
    let file: String
    let line: Int
    let names: [String]

    init(bytes: [UInt8], file: String, line: Int, names: [String]) throws(InputError) {
        self.bytes = bytes
        self.file = file
        self.line = line
        self.names = names
        var b: [(Int, Int)] = []
        b.reserveCapacity(names.count)
        var start = 0
        for (i, c) in bytes.enumerated() where c == UInt8(ascii: ",") {
            b.append((start, i))
            start = i + 1
        }
        b.append((start, bytes.count))
        bounds = b
        guard b.count == names.count else {
            // Points at the first extra field, or at the end of the line where the first missing one should start.
            let extra = b.count > names.count
            throw InputError(file: file, line: line, column: extra ? b[names.count].0 + 1 : bytes.count + 1,
                                field: extra ? "" : names[b.count],
                                extra ? "expected \(names.count) comma-separated fields, found \(b.count) (field \(names.count + 1) is extra)"
                                      : "expected \(names.count) comma-separated fields, found \(b.count) (field \(b.count + 1) of \(names.count) is missing)")
        }
    }

    func text(_ i: Int) -> String {
        String(decoding: bytes[bounds[i].0..<bounds[i].1], as: UTF8.self)
    }

    func isEmpty(_ i: Int) -> Bool { bounds[i].0 == bounds[i].1 }

    /// `file:line:column: field 'name': expected …, found "…" (field i of n)`; long values are cut at 40 characters.
    func error(_ i: Int, _ expectation: String) -> InputError {
        let found = text(i)
        let shown = found.count > 40 ? String(found.prefix(40)) + "…" : found
        return InputError(file: file, line: line, column: bounds[i].0 + 1, field: names[i],
                             "expected \(expectation), found \(String(reflecting: shown)) (field \(i + 1) of \(names.count))")
    }

    /// A decimal integer (optional sign), checked for overflow and `range`.
    func int(_ i: Int, _ expectation: String, in range: ClosedRange<Int64> = Int64.min...Int64.max) throws(InputError) -> Int64 {
        let (s, e) = bounds[i]
        guard s < e else { throw error(i, expectation) }
        var k = s
        var negative = false
        if bytes[k] == UInt8(ascii: "-") || bytes[k] == UInt8(ascii: "+") { negative = bytes[k] == UInt8(ascii: "-"); k += 1 }
        guard k < e else { throw error(i, expectation) }
        var value: Int64 = 0
        while k < e {
            let d = bytes[k] &- UInt8(ascii: "0")
            guard d < 10 else { throw error(i, expectation) }
            let (m, o1) = value.multipliedReportingOverflow(by: 10)
            let (a, o2) = negative ? m.subtractingReportingOverflow(Int64(d)) : m.addingReportingOverflow(Int64(d))
            guard !o1, !o2 else { throw error(i, expectation) }
            value = a
            k += 1
        }
        guard range.contains(value) else { throw error(i, expectation) }
        return value
    }

    func optionalInt(_ i: Int, _ expectation: String, in range: ClosedRange<Int64> = Int64.min...Int64.max) throws(InputError) -> Int64? {
        isEmpty(i) ? nil : try int(i, expectation, in: range)
    }

    /// A finite decimal number in `range`, or nil for an empty field.
    func optionalDouble(_ i: Int, _ expectation: String, in range: ClosedRange<Double>) throws(InputError) -> Double? {
        if isEmpty(i) { return nil }
        let (s, e) = bounds[i]
        // strtod on a NUL-terminated copy; the whole field must be consumed.
        var buffer = Array(bytes[s..<e])
        buffer.append(0)
        var value = 0.0
        var consumed = 0
        buffer.withUnsafeBufferPointer { p in
            let start = UnsafeRawPointer(p.baseAddress!).assumingMemoryBound(to: CChar.self)
            var end: UnsafeMutablePointer<CChar>? = nil
            value = strtod(start, &end)
            consumed = end.map { UnsafeRawPointer($0) - UnsafeRawPointer(start) } ?? 0
        }
        guard consumed == e - s, value.isFinite, range.contains(value) else { throw error(i, expectation) }
        return value
    }

    func eventType(_ i: Int) throws(InputError) -> TraceEventType {
        TraceEventType(rawValue: Int(try int(i, "an event type 0–8", in: 0...8)))!
    }
}

/// A table of the trace whose rows decode from comma-separated fields.
public protocol GoogleTraceRow: Sendable {
    /// Column names in file order (their count is the number of fields a row must have).
    static var columnNames: [String] { get }
    /// Decodes one line's fields, checking each.
    /// - Throws: `InputError` at the offending field's file, line and column.
    init(fields: TraceFields) throws(InputError)
}

extension JobEvent: GoogleTraceRow {
    /// The 8 columns of `job_events`, in file order.
    public static let columnNames = ["time", "missing info", "job ID", "event type", "user",
                                     "scheduling class", "job name", "logical job name"]

    /// Decodes and range-checks one `job_events` row.
    /// - Throws: `InputError` at the offending field.
    public init(fields f: TraceFields) throws(InputError) {
        time = try f.int(0, "a time in microseconds (an integer ≥ 0)", in: 0...Int64.max)
        missingInfo = try f.optionalInt(1, "an integer or nothing").map { Int($0) }
        jobID = try f.int(2, "a job ID (an integer ≥ 0)", in: 0...Int64.max)
        eventType = try f.eventType(3)
        user = f.text(4)
        schedulingClass = Int(try f.int(5, "a scheduling class 0–3", in: 0...3))
        jobName = f.text(6)
        logicalJobName = f.text(7)
    }
}

extension TaskEvent: GoogleTraceRow {
    /// The 13 columns of `task_events`, in file order.
    public static let columnNames = ["time", "missing info", "job ID", "task index", "machine ID", "event type", "user",
                                     "scheduling class", "priority", "CPU request", "memory request",
                                     "disk space request", "different-machines restriction"]

    /// Decodes and range-checks one `task_events` row.
    /// - Throws: `InputError` at the offending field.
    public init(fields f: TraceFields) throws(InputError) {
        time = try f.int(0, "a time in microseconds (an integer ≥ 0)", in: 0...Int64.max)
        missingInfo = try f.optionalInt(1, "an integer or nothing").map { Int($0) }
        jobID = try f.int(2, "a job ID (an integer ≥ 0)", in: 0...Int64.max)
        taskIndex = Int(try f.int(3, "a task index (an integer ≥ 0)", in: 0...Int64(Int32.max)))
        machineID = try f.optionalInt(4, "a machine ID (an integer ≥ 0) or nothing", in: 0...Int64.max)
        eventType = try f.eventType(5)
        user = f.text(6)
        schedulingClass = Int(try f.int(7, "a scheduling class 0–3", in: 0...3))
        priority = Int(try f.int(8, "a priority 0–11", in: 0...11))
        cpuRequest = try f.optionalDouble(9, "a CPU request in [0, 1] or nothing", in: 0...1)
        memoryRequest = try f.optionalDouble(10, "a memory request in [0, 1] or nothing", in: 0...1)
        diskRequest = try f.optionalDouble(11, "a disk request in [0, 1] or nothing", in: 0...1)
        differentMachines = try f.optionalInt(12, "0, 1 or nothing", in: 0...1).map { $0 == 1 }
    }
}
