import Foundation
import GavelCore

/// Appends shard records one line at a time: each line is serialised into a
/// reused buffer and handed to `write(2)` in one call, so a killed process
/// leaves at most one partial last line, which --resume drops.
///
/// A write that fails (a full disk) is undone: the file is cut back to its last
/// complete line, the error is kept in `writeError`, and nothing more is written.
///
/// With `background`, lines are serialised and written by a thread of their own,
/// in the order handed over, each with its own `write(2)` as soon as that thread
/// gets to it (within about a millisecond): the runs go on meanwhile. A run that
/// has finished but is not in the file yet when the process is killed is simply
/// not there for --resume, which runs it again. `finish()` waits for every line
/// handed over; the counts and `writeError` are final after it.
public final class ShardWriter: @unchecked Sendable {   // the lock guards the mutable state
    /// Kept so that the descriptor stays open as long as the writer.
    let handle: FileHandle
    let fingerprint: String
    let kind: String
    /// `SweepFiles.linePrefix(fingerprint)`, rendered once.
    let prefix: [UInt8]
    private let lock = NSLock()
    private var line = JSONWriter(capacity: 1024)
    /// Where the last complete line ends.
    private var end: off_t
    private var counts = (written: 0, failures: 0)
    private var error: (any Error)?
    private let queue: LineQueue?
    /// With the writer thread: the bytes of the cell text of the line written last.
    private var cellMembers: [UInt8] = []
    /// Whether a thread of its own writes the lines.
    public var background: Bool { queue != nil }

    /// Record lines written (`failures`: failure lines written).
    public var written: Int { lock.withLock { counts.written } }
    /// Failure lines written.
    public var failures: Int { lock.withLock { counts.failures } }
    /// The first error writing the file, if any.
    public var writeError: (any Error)? { lock.withLock { error } }

    /// Writes at `handle`'s current offset (the end of the file, for a resumed shard).
    public init(handle: FileHandle, fingerprint: String, kind: String, background: Bool = false) {
        self.handle = handle
        self.fingerprint = fingerprint
        self.kind = kind
        self.prefix = SweepFiles.linePrefix(fingerprint)
        self.end = lseek(handle.fileDescriptor, 0, SEEK_CUR)
        self.queue = background ? LineQueue() : nil
        queue?.start { self.put($0) }   // the thread holds the writer until `finish()`
    }

    /// Whether a writer thread pays for `jobs` parallel runs: when a core this
    /// process may run on is left over for it (with none spare it would only take
    /// turns with the runs). The cores are those of the CPU affinity mask, as a
    /// batch system (Slurm's --cpus-per-task, `taskset`) sets it.
    public static func backgroundPays(jobs: Int) -> Bool {
        jobs < ScenarioRunner.usableCores()
    }

    /// Appends a finished run's line (on the writer thread when ``background``).
    public func write(record: RunRecord) {
        guard let queue else { return put(.record(record)) }
        // The writer thread gets the run's own parts, and a cell's text once for all its runs:
        // were it to retain and release what the runs of a cell share (its text, mechanism,
        // parameters) as the runs' thread does, their reference counts would go back and
        // forth between the two cores' caches at every run.
        guard let cell = record.run.cellText, cell.kind == kind else { return queue.push { _ in .record(record) } }
        let r = record.run
        queue.push { handedCell in
            let new = cell === handedCell ? nil : cell
            if new != nil { handedCell = cell }
            return .run(RunParts(runKey: r.runKey, replicate: r.replicate, workloadSeed: r.workloadSeed, mechanismSeed: r.mechanismSeed,
                                 outcome: record.outcome, newCell: new))
        }
    }

    /// Appends a failure line for `run`.
    public func write(failure run: PlannedRun, error: any Error) {
        let item = Item.failure(SweepFiles.failureLine(fingerprint, run: run, error: error))
        if let queue { queue.push { _ in item } } else { put(item) }
    }

    /// Waits until every line handed over is written (or dropped after a failed
    /// write) and ends the writer thread; without `background`, does nothing.
    public func finish() { queue?.close() }

    /// CPU time the writer thread used (serialising, writing, waiting for work), once `finish()` has returned; 0 without one.
    public var threadCPUSeconds: Double { queue?.cpuSeconds ?? 0 }

    enum Item {
        case record(RunRecord)
        /// A record of a planned run, for the writer thread.
        case run(RunParts)
        /// A failure line, newline included.
        case failure(String)
    }

    /// What a line needs of a planned run's record, but its cell's text, which comes
    /// with the first run of each cell (`newCell`) and holds for the next ones.
    struct RunParts {
        let runKey: String
        let replicate: Int
        let workloadSeed: UInt64
        let mechanismSeed: UInt64
        let outcome: RunOutcome
        let newCell: CellText?
    }

    private func put(_ item: Item) {
        lock.lock(); defer { lock.unlock() }
        line.reset()
        switch item {
        case .record(let record):
            SweepFiles.writeLine(prefix: prefix, kind: kind, record: record, to: &line)
            if append() { counts.written += 1 }
        case .run(let run):
            if let cell = run.newCell { cellMembers = cell.members }
            line.raw(bytes: prefix)
            ResultFiles.writeRunLine(runKey: run.runKey, replicate: run.replicate, workloadSeed: run.workloadSeed,
                                     mechanismSeed: run.mechanismSeed, outcome: run.outcome, to: &line) { $0.raw(bytes: cellMembers) }
            line.raw("}\n")
            if append() { counts.written += 1 }
        case .failure(let text):
            line.write(text)
            if append() { counts.failures += 1 }
        }
    }

    /// Writes `line` whole, or not at all.
    private func append() -> Bool {
        guard error == nil else { return false }
        let fd = handle.fileDescriptor
        let failed: Int32? = line.bytes.withUnsafeBytes { bytes in
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
        guard let failed else {
            end += off_t(line.bytes.count)
            return true
        }
        // Drop whatever part of the line reached the file.
        _ = ftruncate(fd, end)
        _ = lseek(fd, end, SEEK_SET)
        error = ExperimentError(String(cString: strerror(failed)))
        return false
    }
}

/// The background writer's queue: lines in the order handed over, taken in
/// batches by one thread that passes each to `write`. Handing over costs a lock
/// and an append; the thread is not woken for every line (that would cost the
/// runs a system call each) but looks every millisecond while lines keep coming
/// (less and less often, down to every 16 ms, while none come), and at once when
/// `capacity` lines are waiting or on `close`.
final class LineQueue: @unchecked Sendable {   // `condition` guards the mutable state
    static let capacity = 256
    static let interval = (first: 0.001, longest: 0.016)

    private let condition = NSCondition()
    private var items: [ShardWriter.Item] = []
    private var closed = false
    private var fullWaiters = 0
    /// The cell text of the run handed over last (see `ShardWriter.write(record:)`).
    private var handedCell: CellText?
    /// The thread's CPU time, set as it ends (read after `close`).
    private(set) var cpuSeconds = 0.0
    private let done = DispatchSemaphore(value: 0)

    init() { items.reserveCapacity(Self.capacity) }

    func start(_ write: @escaping @Sendable (ShardWriter.Item) -> Void) {
        let thread = Thread { [self] in
            drain(write)
            var t = timespec()
            clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t)
            cpuSeconds = Double(t.tv_sec) + Double(t.tv_nsec) * 1e-9
            done.signal()
        }
        thread.name = "gavel shard writer"
        thread.start()
    }

    /// Appends the item `make` returns, given the cell text handed over last (which it may replace).
    func push(_ make: (inout CellText?) -> ShardWriter.Item) {
        condition.lock(); defer { condition.unlock() }
        while items.count >= Self.capacity {
            fullWaiters += 1
            condition.broadcast()
            condition.wait()
            fullWaiters -= 1
        }
        items.append(make(&handedCell))
    }

    /// Waits for the thread to write everything handed over, and to end (once; later calls return at once).
    func close() {
        condition.lock()
        let first = !closed
        closed = true
        condition.broadcast()
        condition.unlock()
        guard first else { return }
        done.wait()
    }

    private func drain(_ write: @Sendable (ShardWriter.Item) -> Void) {
        var batch: [ShardWriter.Item] = []
        batch.reserveCapacity(Self.capacity)
        var interval = Self.interval.first
        while true {
            condition.lock()
            while items.isEmpty && !closed {
                _ = condition.wait(until: Date(timeIntervalSinceNow: interval))
                if items.isEmpty { interval = min(2 * interval, Self.interval.longest) }
            }
            if items.isEmpty { condition.unlock(); return }   // closed, and all written
            swap(&batch, &items)
            interval = Self.interval.first   // lines are coming: look again soon
            if fullWaiters > 0 { condition.broadcast() }
            condition.unlock()
            for item in batch { write(item) }
            batch.removeAll(keepingCapacity: true)
        }
    }
}
