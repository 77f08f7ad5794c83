import Foundation
import GavelCore
import Synchronization

/// Executes a scenario's runs, in parallel when asked, and returns them in plan order.
///
/// Each run depends only on its own context (seed derived from the run key),
/// so results are identical for any number of jobs.
public struct ScenarioRunner: Sendable {
    public let scenario: Scenario
    public let jobs: Int

    public init(scenario: Scenario, jobs: Int = 1) {
        self.scenario = scenario
        self.jobs = max(1, jobs)
    }

    /// Runs `runs` (all of the plan by default); `progress` is called after each
    /// run with the number finished, from whichever thread finished it.
    public func execute(_ runs: [PlannedRun]? = nil, progress: (@Sendable (Int) -> Void)? = nil) throws -> [RunRecord] {
        let runs = runs ?? RunPlanner.plan(scenario)
        let configurations = scenario.configurations
        let master = scenario.header.seed
        let results = Mutex<[RunRecord?]>(Array(repeating: nil, count: runs.count))
        let failure = Mutex<(index: Int, error: any Error)?>(nil)
        let finished = Atomic<Int>(0)
        let next = Atomic<Int>(0)

        let work: @Sendable () -> Void = {
            while true {
                let i = next.wrappingAdd(1, ordering: .relaxed).oldValue
                guard i < runs.count else { return }
                // After a failure, still run the runs before it in plan order, so the
                // failure reported is the earliest one whatever the thread timing.
                if failure.withLock({ $0 != nil && $0!.index < i }) { return }
                let run = runs[i]
                let start = ContinuousClock.now
                do {
                    let outcome = try configurations[run.configuration].experiment.run(run.cell, context: RunContext(masterSeed: master, seed: run.seed, replicate: run.replicate))
                    let elapsed = ContinuousClock.now - start
                    let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
                    results.withLock { $0[i] = RunRecord(run: run, outcome: outcome, seconds: seconds) }
                } catch {
                    // Report the failure of the earliest run in plan order, whatever the thread timing.
                    failure.withLock { current in
                        if current == nil || current!.index > i { current = (i, error) }
                    }
                    return
                }
                let done = finished.wrappingAdd(1, ordering: .relaxed).newValue
                progress?(done)
            }
        }

        if jobs == 1 {
            work()
        } else {
            DispatchQueue.concurrentPerform(iterations: min(jobs, runs.count)) { _ in work() }
        }
        if let (i, error) = failure.withLock({ $0 }) {
            throw ExperimentError("run \(runs[i].runKey) (\(runs[i].cell.mechanism), replicate \(runs[i].replicate)) failed: \(error)")
        }
        return results.withLock { $0.map { $0! } }
    }
}
