import Foundation
import GavelCore

/// Appends shard records one line at a time: each line is serialised into a
/// reused buffer and handed to `write(2)` in one call, so a killed process
/// leaves at most one partial last line, which --resume drops.
///
/// A write that fails (a full disk) is undone: the file is cut back to its last
/// complete line, the error is kept in `writeError`, and nothing more is written.
public final class ShardWriter: @unchecked Sendable {   // the lock guards the mutable state
    /// Kept so that the descriptor stays open as long as the writer.
    let handle: FileHandle
    let fingerprint: String
    let kind: String
    private let lock = NSLock()
    private var line = JSONWriter(capacity: 1024)
    /// Where the last complete line ends.
    private var end: off_t
    public private(set) var written = 0
    public private(set) var failures = 0
    public private(set) var writeError: (any Error)?

    /// Writes at `handle`'s current offset (the end of the file, for a resumed shard).
    public init(handle: FileHandle, fingerprint: String, kind: String) {
        self.handle = handle
        self.fingerprint = fingerprint
        self.kind = kind
        self.end = lseek(handle.fileDescriptor, 0, SEEK_CUR)
    }

    public func write(record: RunRecord) {
        lock.lock(); defer { lock.unlock() }
        line.reset()
        SweepFiles.writeLine(fingerprint, kind: kind, record: record, to: &line)
        if append() { written += 1 }
    }

    public func write(failure run: PlannedRun, error: any Error) {
        lock.lock(); defer { lock.unlock() }
        line.reset()
        line.write(SweepFiles.failureLine(fingerprint, run: run, error: error))
        if append() { failures += 1 }
    }

    /// Writes `line` whole, or not at all.
    private func append() -> Bool {
        guard writeError == nil else { return false }
        let fd = handle.fileDescriptor
        let error: Int32? = line.bytes.withUnsafeBytes { bytes in
            var done = 0
            while done < bytes.count {
                // A write may be short (a signal, a nearly full disk): go on from where it stopped.
                let n = Foundation.write(fd, bytes.baseAddress! + done, bytes.count - done)
                if n < 0 && errno == EINTR { continue }
                if n <= 0 { return n < 0 ? errno : EIO }
                done += n
            }
            return nil
        }
        guard let error else {
            end += off_t(line.bytes.count)
            return true
        }
        // Drop whatever part of the line reached the file.
        _ = ftruncate(fd, end)
        _ = lseek(fd, end, SEEK_SET)
        writeError = ExperimentError(String(cString: strerror(error)))
        return false
    }
}
