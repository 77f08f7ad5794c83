import Foundation
import GavelCore

/// Streams typed rows from one or more `.csv.gz` part files of a trace table,
/// in file order then line order, in memory independent of the file sizes.
public struct GoogleTraceReader<Row: GoogleTraceRow>: Sendable {
    /// The part files, read in this order.
    public let files: [String]
    /// Whether a malformed row stops the read or is skipped.
    public let mode: TraceParsingMode

    /// A reader of `files`, in order (strict by default).
    public init(files: [String], mode: TraceParsingMode = .strict) {
        self.files = files
        self.mode = mode
    }

    /// Reads the first `parts` part files (`part-NNNNN-of-MMMMM.csv.gz`, by name) of a table folder.
    public init(directory: String, parts: Int, mode: TraceParsingMode = .strict) throws(InputError) {
        self.init(files: try GoogleTrace.partFiles(in: directory, count: parts), mode: mode)
    }

    /// Calls `body` for every well-formed row with its file index; `body` may
    /// return false to stop reading the current file early (the next file
    /// still opens). Returns the malformed rows skipped (always empty in strict mode).
    @discardableResult
    public func forEach(_ body: (Row, _ fileIndex: Int) throws -> GoogleTrace.Continue) throws -> MalformedRowReport {
        var report = MalformedRowReport()
        let names = Row.columnNames
        for (index, path) in files.enumerated() {
            let reader = try GzipLineReader(path: path)
            while let bytes = try reader.nextLine() {
                let row: Row
                do {
                    row = try Row(fields: TraceFields(bytes: bytes, file: path, line: reader.lineNumber, names: names))
                } catch {
                    switch mode {
                    case .strict:
                        throw error
                    case .lenient(let keep):
                        report.count += 1
                        if report.examples.count < keep { report.examples.append(error) }
                        continue
                    }
                }
                if try body(row, index) == .nextFile {
                    // The rest is not read, but it is checked: a broken CRC or length still fails.
                    try reader.verifyRest()
                    break
                }
            }
        }
        return report
    }

    /// All rows in memory (for small tables and tests).
    public func readAll() throws -> (rows: [Row], malformed: MalformedRowReport) {
        var rows: [Row] = []
        let report = try forEach { row, _ in rows.append(row); return .next }
        return (rows, report)
    }
}

/// The Google cluster trace (clusterdata-2011-2) on disk: finding its part files, checking their gzip integrity.
public enum GoogleTrace {
    /// Whether a reader should keep going in the current file.
    public enum Continue: Sendable { case next, nextFile }

    /// The first `count` files named `part-*.csv.gz` in `directory`, sorted by name.
    public static func partFiles(in directory: String, count: Int) throws(InputError) -> [String] {
        guard count >= 1 else { throw InputError(file: directory, "expected a part count ≥ 1, found \(count)") }
        let names: [String]
        do { names = try FileManager.default.contentsOfDirectory(atPath: directory) } catch {
            throw InputError(file: directory, "cannot list the folder (expected a trace table folder with part-NNNNN-of-NNNNN.csv.gz files)")
        }
        let parts = names.filter { $0.hasPrefix("part-") && $0.hasSuffix(".csv.gz") }.sorted()
        guard parts.count >= count else {
            throw InputError(file: directory, "expected at least \(count) part-*.csv.gz files, found \(parts.count)")
        }
        return parts.prefix(count).map { directory + "/" + $0 }
    }

    /// Checks that the first `count` part files exist and are intact gzip (every member's CRC-32
    /// and length), inflating them without parsing: what `validate` checks of a trace, so that
    /// it refuses a corrupt file that `run` would (issue 21). About 0.1 s per 4 MB part.
    public static func verifyParts(in directory: String, count: Int) throws(InputError) {
        for path in try partFiles(in: directory, count: count) { try GzipLineReader(path: path).verifyRest() }
    }
}
