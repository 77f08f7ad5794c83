import CGavelKernels
import Foundation
import GavelCore
import Synchronization

/// A run that threw: its plan entry and the error's text.
public struct RunFailure: Sendable {
    /// The run, as planned.
    public let run: PlannedRun
    /// What it threw.
    public let error: String
    /// A failed `run` with its error's text.
    public init(run: PlannedRun, error: String) { self.run = run; self.error = error }
}

/// Executes a scenario's runs, in parallel when asked.
///
/// Each run depends only on its own context (seeds derived from the run key and the configuration),
/// so results are identical for any number of jobs, shards or machines.
public struct ScenarioRunner: Sendable {
    /// The scenario to run.
    public let scenario: Scenario
    /// Runs executed at once, at least 1.
    public let jobs: Int

    /// A runner of `scenario` with `jobs` parallel runs (1 or more; less is taken as 1).
    public init(scenario: Scenario, jobs: Int = 1) {
        self.scenario = scenario
        self.jobs = max(1, jobs)
    }

    /// Runs `runs` (all of the plan by default) and returns them in plan order;
    /// the first failure in plan order is thrown. `progress` is called after each
    /// run with the number finished, from whichever thread finished it.
    public func execute(_ runs: [PlannedRun]? = nil, progress: (@Sendable (Int) -> Void)? = nil) throws -> [RunRecord] {
        let runs = runs ?? RunPlanner.plan(scenario)
        let results = Mutex<[RunRecord?]>(Array(repeating: nil, count: runs.count))
        let failure = Mutex<(index: Int, error: any Error)?>(nil)
        let position = Dictionary(uniqueKeysWithValues: runs.enumerated().map { ($1.index, $0) })
        stream(runs, stopAfterFailure: true, onRecord: { record, done in
            results.withLock { $0[position[record.run.index]!] = record }
            progress?(done)
        }, onFailure: { run, error in
            // Keep the earliest failure in plan order, whatever the thread timing.
            failure.withLock { current in
                let i = position[run.index]!
                if current == nil || current!.index > i { current = (i, error) }
            }
        })
        if let (i, error) = failure.withLock({ $0 }) {
            throw ExperimentError("run \(runs[i].runKey) (\(runs[i].cell.mechanism), replicate \(runs[i].replicate)) failed: \(error)")
        }
        return results.withLock { $0.map { $0! } }
    }

    /// Runs `runs` (all of the plan by default) to the end, whatever fails: the records of the
    /// runs that finished and the failures of those that threw, each in plan order. One run's
    /// error never costs another run's result (a registered mechanism that throws, say).
    public func executeRecordingFailures(_ runs: [PlannedRun]? = nil, progress: (@Sendable (Int, Int) -> Void)? = nil)
        -> (records: [RunRecord], failures: [RunFailure]) {
        let runs = runs ?? RunPlanner.plan(scenario)
        let position = Dictionary(uniqueKeysWithValues: runs.enumerated().map { ($1.index, $0) })
        let results = Mutex<[RunRecord?]>(Array(repeating: nil, count: runs.count))
        let failures = Mutex<[RunFailure?]>(Array(repeating: nil, count: runs.count))
        let failed = Atomic<Int>(0)
        stream(runs, stopAfterFailure: false, onRecord: { record, done in
            results.withLock { $0[position[record.run.index]!] = record }
            progress?(done, failed.load(ordering: .relaxed))
        }, onFailure: { run, error in
            failures.withLock { $0[position[run.index]!] = RunFailure(run: run, error: "\(error)") }
            failed.add(1, ordering: .relaxed)
        })
        return (results.withLock { $0.compactMap { $0 } }, failures.withLock { $0.compactMap { $0 } })
    }

    /// Runs `runs`, calling `onRecord` (with the count finished so far) or
    /// `onFailure` as each finishes, in completion order, one call at a time.
    /// With `stopAfterFailure`, runs after a failed one (in plan order) are skipped.
    public func stream(_ runs: [PlannedRun], stopAfterFailure: Bool = false,
                       onRecord: @escaping @Sendable (RunRecord, Int) -> Void,
                       onFailure: @escaping @Sendable (PlannedRun, any Error) -> Void) {
        let configurations = scenario.configurations
        let crn = scenario.header.commonRandomNumbers
        let next = Atomic<Int>(0)
        let finished = Mutex<Int>(0)
        let firstFailure = Atomic<Int>(Int.max)

        let work: @Sendable () -> Void = {
            while true {
                let i = next.wrappingAdd(1, ordering: .relaxed).oldValue
                guard i < runs.count else { return }
                if stopAfterFailure && firstFailure.load(ordering: .relaxed) < i { return }
                let run = runs[i]
                do {
                    let experiment = configurations[run.configuration].experiment
                    let context = RunContext(workloadSeed: run.workloadSeed, mechanismSeed: run.mechanismSeed, replicate: run.replicate,
                                             commonRandomNumbers: crn)
                    let start = Self.nanoseconds()
                    guard let cellIndex = run.cellIndex else { throw ExperimentError("run \(run.runKey) was read back from a result file: it cannot be rerun") }
                    let outcome = try experiment.run(cellAt: cellIndex, context: context)
                    let seconds = Double(Self.nanoseconds() - start) * 1e-9
                    let record = RunRecord(run: run, outcome: outcome, seconds: seconds)
                    finished.withLock { done in
                        done += 1
                        onRecord(record, done)
                    }
                } catch {
                    _ = firstFailure.min(i, ordering: .relaxed)
                    finished.withLock { _ in onFailure(run, error) }
                }
            }
        }
        if jobs == 1 || runs.count <= 1 {
            work()
        } else {
            DispatchQueue.concurrentPerform(iterations: min(jobs, runs.count)) { _ in work() }
        }
    }

    /// The monotonic clock in nanoseconds: a run's own time, read twice a run
    /// (cheaper than `ContinuousClock.now`, whose `Duration` arithmetic is 128-bit).
    static func nanoseconds() -> Int64 {
        var t = timespec()
        clock_gettime(CLOCK_MONOTONIC, &t)
        return Int64(t.tv_sec) * 1_000_000_000 + Int64(t.tv_nsec)
    }

    /// The cores this process may run on: its CPU affinity mask (as Slurm's
    /// --cpus-per-task or `taskset` set it), else all the machine's.
    public static func usableCores() -> Int {
        let n = Int(gavel_usable_cpus())
        return n > 0 ? n : ProcessInfo.processInfo.activeProcessorCount
    }
}
