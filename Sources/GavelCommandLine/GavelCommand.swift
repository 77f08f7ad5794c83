import ArgumentParser
import Foundation
import Gavel
import Synchronization
import GavelConfig

/// `gavel`: run, validate and list scenarios; run benchmarks.
///
/// Exit codes: 0 success; 1 a run failed or results could not be written;
/// 2 bad input (scenario, overrides, command line).
///
/// The entry point of the `gavel` executable and of any program built on the library: register
/// kinds first (``ExperimentRegistry/register(_:)``), then call ``main()``.
public struct GavelCommand: ParsableCommand {
    public init() {}

    public static let configuration = CommandConfiguration(
        commandName: "gavel",
        abstract: "Gavel: an auction and mechanism-design simulator.",
        version: GavelVersion.current,
        subcommands: [Run.self, Validate.self, List.self, Bench.self, Sweep.self, Report.self, Compare.self, Solve.self],
        defaultSubcommand: nil)

    /// Parses the process's arguments and runs the command; on an error, prints it and exits non-zero.
    /// ArgumentParser exits with 64 on usage errors; Gavel's contract is 2 for any bad input.
    public static func main() {
        StopSignals.install()
        do {
            var command = try parseAsRoot()
            // Only commands that write results speak of them when stopped.
            StopSignals.writesResults = command is Run || command is Sweep.RunShard || command is Sweep.Merge
            try command.run()
        } catch {
            if exitCode(for: error) == .validationFailure {
                FileHandle.standardError.write(Data((fullMessage(for: error) + "\n").utf8))
                Foundation.exit(2)
            }
            exit(withError: error)
        }
    }
}

/// SIGTERM and SIGINT: one line on stderr and exit 128 + signal, as a shell reports it.
/// Result folders are renamed into place only when complete and shard lines are
/// written whole, so a stop leaves no half result (a hidden `.NAME.partial-PID`
/// staging folder at most, if the stop falls inside the final write).
enum StopSignals {
    /// Set once, before the command runs, and only read by the handler afterwards.
    nonisolated(unsafe) static var writesResults = false

    static func install() {
        // A launcher may hand us these blocked (the mask is inherited across exec): unblock them.
        var set = sigset_t()
        sigemptyset(&set)
        sigaddset(&set, SIGTERM)
        sigaddset(&set, SIGINT)
        pthread_sigmask(SIG_UNBLOCK, &set, nil)
        for sig in [SIGTERM, SIGINT] {
            signal(sig) { sig in
                // Only async-signal-safe calls here: write(2) and _exit(2).
                let text: StaticString
                switch (sig == SIGTERM, StopSignals.writesResults) {
                case (true, true): text = "error: stopped by SIGTERM; results are written only once every run has finished\n"
                case (false, true): text = "error: stopped by SIGINT; results are written only once every run has finished\n"
                case (true, false): text = "error: stopped by SIGTERM\n"
                case (false, false): text = "error: stopped by SIGINT\n"
                }
                _ = write(2, text.utf8Start, text.utf8CodeUnitCount)
                _exit(128 + sig)
            }
        }
    }
}

/// Options shared by commands that load a scenario.
struct ScenarioOptions: ParsableArguments {
    @Option(name: .customLong("set"), help: ArgumentHelp("Override a scenario value, e.g. --set auctions=5000 (repeatable).", valueName: "path.to.key=value"))
    var overrides: [String] = []

    @Option(help: "Override the scenario's master seed.")
    var seed: UInt64?

    @Option(help: ArgumentHelp("The most runs a plan may have (checked before it is made).", valueName: "n"))
    var maxRuns: Int = ScenarioLimits.defaultMaxRuns

    @Option(help: ArgumentHelp("The most edges a generated matching instance may have.", valueName: "n"))
    var maxEdges: Int = InstanceLimits.defaults.matchingEdges

    func load(_ path: String?) throws -> Scenario {
        guard maxRuns >= 1 else { throw ValidationError("--max-runs: expected an integer ≥ 1, found \(maxRuns)") }
        guard maxEdges >= 1 else { throw ValidationError("--max-edges: expected an integer ≥ 1, found \(maxEdges)") }
        var instanceLimits = InstanceLimits.current
        instanceLimits.matchingEdges = maxEdges
        return try InstanceLimits.$current.withValue(instanceLimits) { try loadWithin(path) }
    }

    private func loadWithin(_ path: String?) throws -> Scenario {
        let limits = ScenarioLimits(maxRuns: maxRuns)
        guard let path else {
            return try Scenario.load(text: EmbeddedScenarios.quickstart, file: EmbeddedScenarios.quickstartName,
                                     directory: FileManager.default.currentDirectoryPath, overrides: overrides, seed: seed, limits: limits)
        }
        return try Scenario.load(path: path, overrides: overrides, seed: seed, limits: limits)
    }
}

/// Prints `error: message` on stderr and exits with `code`.
func fail(_ message: String, code: Int32) -> Never {
    FileHandle.standardError.write(Data("error: \(message)\n".utf8))
    exit(code)
}

extension GavelCommand {
    struct Run: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Run a scenario (the embedded quickstart when none is given).")

        @Argument(help: "Scenario file (YAML or JSON).")
        var scenario: String?

        @Option(help: "Output folder (default: Results/<scenario name>).")
        var out: String?

        @Option(help: "Runs executed in parallel.")
        var jobs: Int = 1

        @Flag(help: "No progress output.")
        var quiet = false

        @OptionGroup var options: ScenarioOptions

        func run() throws {
            guard jobs >= 1 else { fail("--jobs: expected an integer ≥ 1, found \(jobs)", code: 2) }
            let loaded: Scenario
            do { loaded = try options.load(scenario) } catch { fail("\(error)", code: 2) }
            let directory = out ?? "Results/\(loaded.header.name)"
            // Before the first run: a folder that cannot take the results fails now, not after hours of runs.
            do { try ResultFiles.checkWritable(directory) } catch { fail("\(error)", code: 1) }
            let plan = RunPlanner.plan(loaded)
            let progress = ProgressReporter(total: plan.count, style: ProgressReporter.defaultStyle(quiet: quiet))
            let start = ContinuousClock.now
            // Every run is run: one that throws is recorded in failures.csv and costs no other result.
            let (records, failures) = ScenarioRunner(scenario: loaded, jobs: jobs).executeRecordingFailures(plan) {
                progress.update(done: $0, failures: $1)
            }
            progress.finish()
            if records.isEmpty, let first = failures.first {
                fail("every run failed (\(failures.count)); nothing written. First, run \(first.run.runKey) (\(first.run.cell.mechanism), replicate \(first.run.replicate)): \(first.error)", code: 1)
            }
            let elapsed = ContinuousClock.now - start
            let wall = elapsed.inSeconds
            let written: [String]
            do {
                written = try ResultFiles.writeResults(to: directory, identity: .init(loaded),
                                                       mechanismColumn: type(of: loaded.experiment).mechanismColumn,
                                                       comparison: .init(loaded), records: records, failures: failures, wallSeconds: wall, jobs: jobs)
            } catch {
                fail("\(error)", code: 1)
            }
            if let first = failures.first {
                fail("\(failures.count) of \(plan.count) runs failed, listed in \(directory)/failures.csv (the other \(records.count) runs' results are written). "
                     + "First, run \(first.run.runKey) (\(first.run.cell.mechanism), replicate \(first.run.replicate)): \(first.error)", code: 1)
            }
            if !quiet {
                FileHandle.standardError.write(Data("wrote \(directory)/\(written.joined(separator: ", ")) (\(records.count) runs, \(String(format: "%.2f", wall)) s)\n".utf8))
            }
        }
    }

    struct Compare: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Compare two result folders of the same scenario (before and after a change), metric by metric, paired by run key.",
            discussion: """
            Prints a CSV (or writes --out): per cell and metric the means before and after, the mean paired \
            difference (after − before) with its sd and 95% Student-t half-width, the pairs, and how many pairs changed. \
            With --check, exits 1 when any metric moved (its paired 95% interval excludes 0; one pair: any change).
            """)

        @Argument(help: "Result folder before the change.") var before: String
        @Argument(help: "Result folder after the change.") var after: String
        @Option(help: "Write the CSV here instead of standard output.") var out: String?
        @Flag(help: "Exit 1 when a metric moved beyond its paired 95% interval.") var check = false

        func run() throws {
            let comparison: ResultComparison
            do { comparison = try ResultComparison.compare(before: before, after: after) } catch { fail("\(error)", code: 2) }
            let text = comparison.csv()
            if let out {
                do { try ResultFiles.writeFilesInPlace([((out as NSString).lastPathComponent, text)],
                                                       in: (out as NSString).deletingLastPathComponent.isEmpty ? "." : (out as NSString).deletingLastPathComponent) }
                catch { fail("\(error)", code: 1) }
            } else {
                print(text, terminator: "")
            }
            let moved = comparison.rows.filter(\.significant)
            var note = "compare \(comparison.name): \(comparison.pairs) runs paired, \(comparison.rows.count) cell × metric rows, "
                + "\(comparison.rows.filter { $0.changed > 0 }.count) changed, \(moved.count) beyond their 95% interval"
            if comparison.onlyBefore + comparison.onlyAfter > 0 {
                note += "; \(comparison.onlyBefore) runs only in \(before), \(comparison.onlyAfter) only in \(after)"
            }
            if comparison.scenarioChanged { note += "; the scenarios' sha256 differ (a setting changed)" }
            FileHandle.standardError.write(Data((note + "\n").utf8))
            if check && (!moved.isEmpty || comparison.pairs == 0) { Foundation.exit(1) }
        }
    }

    struct Report: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write one self-contained HTML page from result folders: the views each result calls for (docs/report.md).")

        @Argument(help: "Result folders, written by gavel run or gavel sweep merge.") var results: [String]
        @Option(help: "Output file.") var out: String = "report.html"
        @Option(help: ArgumentHelp("Also write every figure as NAME.svg with its data as NAME.csv into this folder.", valueName: "folder"))
        var figures: String?
        @Option(help: "The page's title.") var title: String = "Gavel report"
        @Flag(help: "Print one headline per result folder (also at the top of the page).") var summary = false

        func run() throws {
            guard !results.isEmpty else { fail("give at least one result folder", code: 2) }
            // Input problems (not a result folder, a newer schema) exit 2; an unwritable output 1.
            var lines: [String] = []
            if summary {
                do { lines = try results.map(Headline.line) } catch { fail("\(error)", code: 2) }
            }
            do { try GavelReport.Report.write(folders: results, to: out, figuresFolder: figures, title: title, summary: lines) }
            catch let error as InputError { fail("\(error)", code: 2) }
            catch { fail("\(error)", code: 1) }
            for line in lines { print(line) }
            print("wrote \(out)")
        }
    }

    /// `gavel solve FAMILY INSTANCE`: everything a family computes on one instance, as JSON.
    struct Solve: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Solve one instance: `gavel solve FAMILY INSTANCE.yaml` prints JSON (families: see `gavel list`).")

        @Argument(help: "Problem family (see `gavel list`).") var family: String
        @Argument(help: "Instance file (YAML or JSON; see the family's page in docs/).") var instance: String
        @Option(help: "Monte Carlo runs for instances too large for exact evaluation.") var runs: Int = 10_000
        @Option(help: "Seed of the Monte Carlo runs.") var seed: UInt64 = 1
        @Option(help: ArgumentHelp("The most entries of an information table q_a(s | state) (infoacq).", valueName: "n"))
        var maxTableEntries: Int = InstanceLimits.defaults.informationEntries
        @Option(name: .customLong("lp-solver"), help: "LP backend of the LP bounds: auto, glpk or clp, optionally /METHOD (auto, dual, primal, barrier), e.g. clp/barrier (docs/lp.md).")
        var lpSolver: String?

        func run() throws {
            guard let solver = SolverRegistry.named(family) else {
                fail("unknown family '\(family)' (expected one of: \(SolverRegistry.all.map(\.family).joined(separator: ", ")))", code: 2)
            }
            guard runs >= 1 else { fail("--runs: expected an integer ≥ 1, found \(runs)", code: 2) }
            guard maxTableEntries >= 1 else { fail("--max-table-entries: expected an integer ≥ 1, found \(maxTableEntries)", code: 2) }
            var limits = InstanceLimits.current
            limits.informationEntries = maxTableEntries
            var lp: LPSolverChoice?
            if let lpSolver {
                do { lp = try LPSolverChoice.parse(lpSolver) } catch { fail("--lp-solver: \(error)", code: 2) }
                guard family == "matching" else { fail("--lp-solver: family '\(family)' has no LP backend choice (only matching has)", code: 2) }
            }
            let report: JSONValue
            // Past a second, what the solver is doing goes to stderr (again every 5 s on one stage).
            let progress = SolveProgress(family: family)
            defer { progress.stop() }
            do { report = try InstanceLimits.$current.withValue(limits) { try solver.solve(instance, .init(runs: runs, seed: seed, lp: lp, stage: progress.enter)) } }
            catch let error as InputError { fail("\(error)", code: 2) }
            catch { fail("\(error)", code: 1) }
            print(report.prettySerialized())
        }
    }

    /// `gavel solve`'s progress lines: the stage the solver is in, once it has run a second.
    final class SolveProgress: @unchecked Sendable {   // the timer is only resumed and cancelled, from one thread
        let family: String
        let start = ContinuousClock.now
        let state = Mutex<(stage: String, printed: String, lastPrint: Double, stopped: Bool)>(("reading the instance", "", 0, false))
        let timer: DispatchSourceTimer

        init(family: String) {
            self.family = family
            timer = DispatchSource.makeTimerSource(queue: .global())
            timer.schedule(deadline: .now() + 1, repeating: 0.25)
            timer.setEventHandler { [weak self] in self?.tick() }
            timer.resume()
        }

        @Sendable func enter(_ stage: String) { state.withLock { $0.stage = stage } }

        func tick() {
            let elapsed = (ContinuousClock.now - start).inSeconds
            let line: String? = state.withLock { s in
                guard !s.stopped, s.stage != s.printed || elapsed - s.lastPrint >= 5 else { return nil }
                s.printed = s.stage
                s.lastPrint = elapsed
                return "solve \(family): \(s.stage) (\(String(format: "%.0f", elapsed)) s)\n"
            }
            if let line { FileHandle.standardError.write(Data(line.utf8)) }
        }

        func stop() {
            state.withLock { $0.stopped = true }
            timer.cancel()
        }
    }

    struct Validate: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Check a scenario file without running it.")

        @Argument(help: "Scenario file (YAML or JSON).")
        var scenario: String

        @OptionGroup var options: ScenarioOptions

        func run() throws {
            let loaded: Scenario
            do { loaded = try options.load(scenario) } catch { fail("\(error)", code: 2) }
            let sweep = loaded.configurations.count > 1 ? " over \(loaded.configurations.count) sweep points" : ""
            print("\(scenario): valid (kind \(loaded.header.kind), \(loaded.cellCount) cells\(sweep) × \(loaded.header.replications) replications = \(loaded.runCount) runs)")
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List experiment kinds, their mechanisms and workloads, and benchmarks.")

        func run() throws {
            for entry in ExperimentRegistry.entries {
                print("kind \(entry.kind): \(entry.summary)")
                for m in entry.mechanisms { print("  mechanism \(m.name): \(m.summary)" + (m.isRegistered ? " (registered)" : "")) }
                for w in entry.workloads { print("  workload \(w.name): \(w.summary)") }
            }
            for b in BenchmarkRegistry.all { print("benchmark \(b.name): \(b.summary)") }
            for s in SolverRegistry.all { print("solve \(s.family): \(s.summary)") }
        }
    }

    struct Bench: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Run a named benchmark in-process; prints one JSON object per figure.")

        @Argument(help: "Benchmark name (see `gavel list`).")
        var name: String

        func run() throws {
            guard let benchmark = BenchmarkRegistry.named(name) else {
                fail("unknown benchmark '\(name)' (expected one of: \(BenchmarkRegistry.all.map(\.name).joined(separator: ", ")))", code: 2)
            }
            do {
                for figure in try benchmark.run() { print(figure.serialized()) }
            } catch {
                fail("\(error)", code: 1)
            }
        }
    }
}
