import Foundation
import GavelCore

/// Appends shard records one line at a time (one write per line, so a killed
/// process leaves at most one partial last line, which --resume drops).
public final class ShardWriter: @unchecked Sendable {   // the lock guards the mutable state
    let handle: FileHandle
    let fingerprint: String
    let kind: String
    private let lock = NSLock()
    public private(set) var written = 0
    public private(set) var failures = 0
    public private(set) var writeError: (any Error)?

    public init(handle: FileHandle, fingerprint: String, kind: String) {
        self.handle = handle
        self.fingerprint = fingerprint
        self.kind = kind
    }

    public func write(record: RunRecord) {
        append(SweepFiles.line(fingerprint, kind: kind, record: record)) { written += 1 }
    }

    public func write(failure run: PlannedRun, error: any Error) {
        append(SweepFiles.failureLine(fingerprint, run: run, error: error)) { failures += 1 }
    }

    private func append(_ line: String, _ count: () -> Void) {
        lock.lock(); defer { lock.unlock() }
        do { try handle.write(contentsOf: Data(line.utf8)); count() } catch { writeError = error }
    }
}
