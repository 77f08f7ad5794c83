import Foundation
import Synchronization
import GavelCore

/// `gavel bench sweep`: what a sweep costs beyond its runs, and how it scales with --jobs.
///
/// "In the runs" is the sum of the runs' own clocks (`RunRecord.seconds`: the
/// experiment's `run` and nothing else); everything else in the sweep's wall
/// time is overhead: planning (run keys, seeds), serialising each record and
/// writing it to the shard file, the runner's bookkeeping. Every figure is
/// measured 5 times on this shared machine; the best and the median are reported.
enum SweepBenchmark {
    static let repeats = 5

    static func figures() throws -> [JSONValue] {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("gavel-bench-sweep-\(ProcessInfo.processInfo.processIdentifier)")
        try? FileManager.default.removeItem(at: folder)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        // 10,000 short runs (100 sweep points × 100 replications, ~20–26 µs each at 40 auctions),
        // written to a shard file as `sweep run --jobs 1` does (with the writer thread when a
        // core is spare for it); then the same with runs 10 times longer; then the short runs
        // with the lines written by the runs' own thread, as where no core is spare.
        let trivial = try scenario(auctions: 40)
        let background = ShardWriter.backgroundPays(jobs: 1)
        _ = try Overhead.measure(trivial, background: background, in: folder)   // warm-up: page faults, caches, lazy metadata
        let short = try (0..<repeats).map { _ in try Overhead.measure(trivial, background: background, in: folder) }
        let longer = try (0..<repeats).map { _ in try Overhead.measure(try scenario(auctions: 400), background: background, in: folder) }
        let direct = try (0..<repeats).map { _ in try Overhead.measure(trivial, background: false, in: folder) }
        let floor = try (0..<repeats).map { _ in try writeFloor(lineBytes: short[0].lineBytes, writes: short[0].runs, in: folder) }
        return [Overhead.figure(short, auctions: 40), Overhead.figure(longer, auctions: 400), Overhead.figure(direct, auctions: 40),
                floorFigure(floor, lineBytes: short[0].lineBytes, writes: short[0].runs, runMicroseconds: median(short.map(\.runMicroseconds))),
                try jobsFigure()]
    }

    static func scenario(auctions: Int) throws -> Scenario {
        try load("""
        schema_version: 1
        name: bench-trivial
        kind: single_item_auction
        replications: 100
        mechanisms: [second_price]
        bidders: [3]
        auctions: \(auctions)
        sweep:
          random: {count: 100, seed: 1, uniform: {reserve: [0.0, 0.5]}}
        """)
    }

    static func load(_ text: String) throws -> Scenario {
        try Scenario.load(text: text, file: "<bench sweep>", directory: FileManager.default.currentDirectoryPath)
    }

    /// One measured sweep into a fresh shard file.
    struct Overhead {
        var runs: Int
        var wall: Double
        /// CPU time of the writer thread, if there is one (it runs beside the runs, on the other core).
        var writerCPU: Double
        var inRuns: Double
        var plan: Double
        /// Handing the records to `ShardWriter.write` (serialising and writing them
        /// there, or queueing them for the writer thread; timed for one run in
        /// `sampled` and scaled up), and waiting for that thread to write the last ones.
        var write: Double
        var lineBytes: Int
        var background: Bool

        var fraction: Double { (wall - inRuns) / wall }
        func perRun(_ seconds: Double) -> Double { seconds / Double(runs) * 1e6 }
        var outsideMicroseconds: Double { perRun(wall - inRuns) }
        var runMicroseconds: Double { perRun(inRuns) }

        /// One run in this many has its hand-over to the writer timed (for `write`).
        static let sampled = 16

        static func measure(_ scenario: Scenario, background: Bool, in folder: URL) throws -> Overhead {
            let path = folder.appendingPathComponent("shard-0-of-1.jsonl").path
            FileManager.default.createFile(atPath: path, contents: nil)
            let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
            let clock = ContinuousClock()
            let start = clock.now
            let plan = RunPlanner.plan(scenario)
            let planSeconds = (clock.now - start).inSeconds
            let writer = ShardWriter(handle: handle, fingerprint: scenario.fingerprint, kind: scenario.header.kind, background: background)
            let totals = Mutex<(inRuns: Double, write: Double)>((0, 0))
            ScenarioRunner(scenario: scenario, jobs: 1).stream(plan, onRecord: { record, done in
                // The hand-over is timed for one run in `sampled` (its clock reads would be overhead of their own).
                guard done % sampled == 0 else {
                    writer.write(record: record)
                    totals.withLock { $0.inRuns += record.seconds }
                    return
                }
                let t0 = clock.now
                writer.write(record: record)
                let writing = (clock.now - t0).inSeconds * Double(sampled)
                totals.withLock { $0.inRuns += record.seconds; $0.write += writing }
            }, onFailure: { _, _ in })
            let t0 = clock.now
            writer.finish()   // the lines still queued for the writer thread
            let draining = (clock.now - t0).inSeconds
            try handle.close()
            let wall = (clock.now - start).inSeconds
            if let error = writer.writeError { throw ExperimentError("bench sweep: cannot write \(path): \(error)") }
            let bytes = (try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0
            let (inRuns, write) = totals.withLock { $0 }
            return Overhead(runs: plan.count, wall: wall, writerCPU: writer.threadCPUSeconds, inRuns: inRuns, plan: planSeconds, write: write + draining,
                            lineBytes: bytes / max(1, plan.count), background: writer.background)
        }

        static func figure(_ all: [Overhead], auctions: Int) -> JSONValue {
            let best = all.min { $0.fraction < $1.fraction }!
            func µs(_ x: Double) -> JSONValue { .double((x * 10).rounded() / 10) }
            return .object([
                ("benchmark", .string("sweep.overhead")), ("auctions", .int(Int64(auctions))), ("runs", .int(Int64(best.runs))),
                ("repeats", .int(Int64(all.count))), ("line_bytes", .int(Int64(best.lineBytes))),
                ("run_microseconds", µs(median(all.map(\.runMicroseconds)))),
                ("outside_microseconds_per_run", µs(best.outsideMicroseconds)),
                ("outside_microseconds_per_run_median", µs(median(all.map(\.outsideMicroseconds)))),
                // Where the outside time goes (medians): planning, serialising + writing, the rest (runner, clock, freeing records).
                ("plan_microseconds_per_run", µs(median(all.map { $0.perRun($0.plan) }))),
                ("write_microseconds_per_run", µs(median(all.map { $0.perRun($0.write) }))),
                ("other_microseconds_per_run", µs(median(all.map { $0.perRun($0.wall - $0.inRuns - $0.plan - $0.write) }))),
                // Besides: the writer thread's own CPU time per run (serialising, write(2), its wake-ups), on the core the runs leave free.
                ("writer_thread_cpu_microseconds_per_run", µs(median(all.map { $0.perRun($0.writerCPU) }))),
                ("writer_thread", .bool(best.background)),
                ("median", .double(median(all.map(\.fraction)))), ("all", .array(all.map { .double($0.fraction) })),
                ("unit", .string("fraction of wall time outside runs")), ("value", .double(best.fraction)),
            ])
        }
    }

    /// The floor under the per-run write: `writes` bare write(2) calls of a
    /// `lineBytes`-long line to a fresh file in the same folder, in seconds.
    static func writeFloor(lineBytes: Int, writes: Int, in folder: URL) throws -> Double {
        let path = folder.appendingPathComponent("floor.jsonl").path
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        guard fd >= 0 else { throw ExperimentError("bench sweep: cannot create \(path): \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        let line = [UInt8](repeating: UInt8(ascii: "x"), count: max(1, lineBytes - 1)) + [UInt8(ascii: "\n")]
        let start = ContinuousClock.now
        try line.withUnsafeBytes { bytes in
            for _ in 0..<writes {
                guard Foundation.write(fd, bytes.baseAddress!, bytes.count) == bytes.count else {
                    throw ExperimentError("bench sweep: write to \(path) failed")
                }
            }
        }
        return (ContinuousClock.now - start).inSeconds
    }

    static func floorFigure(_ seconds: [Double], lineBytes: Int, writes: Int, runMicroseconds: Double) -> JSONValue {
        let each = seconds.map { $0 / Double(writes) * 1e6 }
        let best = each.min()!
        return .object([
            ("benchmark", .string("sweep.write_floor")), ("writes", .int(Int64(writes))), ("line_bytes", .int(Int64(lineBytes))),
            ("repeats", .int(Int64(each.count))), ("median", .double(median(each))), ("all", .array(each.map { .double($0) })),
            // What one write per run alone costs a sweep of the 40-auction runs, as a share of its wall time.
            ("fraction_at_40_auctions", .double(best / (best + runMicroseconds))),
            ("unit", .string("microseconds per write(2)")), ("value", .double(best)),
        ])
    }

    /// CPU-bound runs (~20 ms each): --jobs 1 against --jobs 2, repeated in pairs.
    static func jobsFigure() throws -> JSONValue {
        let heavy = try load("""
        schema_version: 1
        name: bench-heavy
        kind: single_item_auction
        replications: 40
        mechanisms: [first_price]
        bidders: [5]
        auctions: 20000
        """)
        func seconds(jobs: Int) throws -> Double {
            let t0 = ContinuousClock.now
            _ = try ScenarioRunner(scenario: heavy, jobs: jobs).execute()
            return (ContinuousClock.now - t0).inSeconds
        }
        let pairs = try (0..<repeats).map { _ in (one: try seconds(jobs: 1), two: try seconds(jobs: 2)) }
        let speedups = pairs.map { $0.one / $0.two }
        let best = pairs[speedups.indices.max { speedups[$0] < speedups[$1] }!]
        return .object([
            ("benchmark", .string("sweep.jobs_speedup")), ("runs", .int(40)), ("repeats", .int(Int64(repeats))),
            ("jobs1_seconds", .double(best.one)), ("jobs2_seconds", .double(best.two)),
            ("median", .double(median(speedups))), ("all", .array(speedups.map { .double($0) })),
            ("unit", .string("speed-up of --jobs 2 over --jobs 1")), ("value", .double(best.one / best.two)),
        ])
    }

    static func median(_ xs: [Double]) -> Double { xs.sorted()[xs.count / 2] }
}
