import ArgumentParser
import Foundation
import Synchronization
import Gavel

extension GavelCommand {
    /// `gavel sweep plan|run|merge|slurm`: sharded, resumable sweeps whose merged
    /// results do not depend on how the work was split.
    struct Sweep: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Plan, run (sharded, resumable), merge and submit parameter sweeps.",
            subcommands: [Plan.self, RunShard.self, Merge.self, Slurm.self])
    }
}

extension GavelCommand.Sweep {
    struct Plan: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "plan", abstract: "List the runs of a scenario's sweep with their run keys and seeds.")

        @Argument(help: "Scenario file.") var scenario: String
        @Flag(name: .customLong("dry-run"), help: "Only count the runs (and configurations).") var dryRun = false
        @OptionGroup var options: ScenarioOptions

        func run() throws {
            let loaded: Scenario
            do { loaded = try options.load(scenario) } catch { fail("\(error)", code: 2) }
            if dryRun {
                // Counted from the configurations, without making the plan.
                print("\(loaded.runCount) runs (\(loaded.configurations.count) configurations × cells × \(loaded.header.replications) replications)")
                return
            }
            let runs = RunPlanner.plan(loaded)
            for run in runs {
                print(JSONValue.object([
                    ("index", .int(Int64(run.index))), ("run_key", .string(run.runKey)), ("configuration", .int(Int64(run.configuration))),
                    ("mechanism", .string(run.cell.mechanism)), ("parameters", .object(run.cell.parameters)),
                    ("replicate", .int(Int64(run.replicate))),
                    ("seeds", .object([("workload", .string(String(run.workloadSeed))), ("mechanism", .string(String(run.mechanismSeed)))])),
                ]).serialized())
            }
        }
    }

    struct RunShard: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "run",
            abstract: "Run one shard of a sweep into DIR/shard-i-of-n.jsonl (one line per run, flushed as each ends).",
            discussion: """
            The shard is --shard i/n, or from the environment: SLURM_ARRAY_TASK_ID (with SLURM_ARRAY_TASK_COUNT), \
            JOB_COMPLETION_INDEX (Kubernetes indexed jobs) or PARALLEL_SEQ (GNU parallel), the last two with --shards n. \
            Without any, the whole sweep is one shard 0/1.
            """)

        @Argument(help: "Scenario file.") var scenario: String
        @Option(help: "Sweep folder (plan.json and shard files).") var out: String
        @Option(help: "This shard, i/n (runs k with k mod n = i).") var shard: String?
        @Option(help: "Number of shards, when the index comes from the environment.") var shards: Int?
        @Option(help: "Runs executed in parallel within this shard.") var jobs: Int = 1
        @Flag(help: "Skip runs already in this shard's file (after a kill or a failure).") var resume = false
        @Flag(help: "No progress output.") var quiet = false
        @OptionGroup var options: ScenarioOptions

        func run() throws {
            guard jobs >= 1 else { fail("--jobs: expected an integer ≥ 1, found \(jobs)", code: 2) }
            let loaded: Scenario
            let spec: ShardSpec
            do {
                loaded = try options.load(scenario)
                if let shard { spec = try ShardSpec.parse(shard) }
                else { spec = try ShardSpec.fromEnvironment(ProcessInfo.processInfo.environment, shards: shards) ?? ShardSpec(index: 0, count: 1) }
            } catch { fail("\(error)", code: 2) }
            let plan = RunPlanner.plan(loaded)
            let path = out + "/" + SweepFiles.shardName(spec)
            var done = Set<String>()
            do {
                try SweepFiles.preparePlan(directory: out, scenario: loaded, runs: plan)
                if FileManager.default.fileExists(atPath: path) {
                    guard resume else {
                        fail("\(path) exists: pass --resume to continue it, or remove it", code: 2)
                    }
                    let contents = try SweepFiles.readShard(path: path)
                    if let cut = contents.truncatedLength {
                        // Drop the line a killed run left half-written.
                        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
                        try handle.truncate(atOffset: UInt64(cut))
                        try handle.close()
                    }
                    for r in contents.records where r.fingerprint != loaded.fingerprint {
                        fail("\(path) holds runs of another scenario (sha256 \(r.fingerprint.prefix(12))…): use another --out", code: 2)
                    }
                    done = Set(contents.records.map(\.runKey))
                } else {
                    _ = FileManager.default.createFile(atPath: path, contents: nil)
                }
            } catch { fail("\(error)", code: 1) }
            let mine = plan.filter { $0.index % spec.count == spec.index && !done.contains($0.runKey) }
            guard let handle = FileHandle(forWritingAtPath: path) else { fail("cannot open \(path) for writing", code: 1) }
            _ = try? handle.seekToEnd()
            let writer = ShardWriter(handle: handle, fingerprint: loaded.fingerprint, kind: loaded.header.kind,
                                     background: ShardWriter.backgroundPays(jobs: jobs))
            let progress = ProgressReporter(total: mine.count, style: ProgressReporter.defaultStyle(quiet: quiet))
            let tally = Mutex((records: 0, failed: 0))   // runs finished so far
            ScenarioRunner(scenario: loaded, jobs: jobs).stream(mine, onRecord: { record, count in
                writer.write(record: record)
                let failed = tally.withLock { $0.records = count; return $0.failed }
                progress.update(done: count + failed, failures: failed)
            }, onFailure: { run, error in
                writer.write(failure: run, error: error)
                let t = tally.withLock { $0.failed += 1; return $0 }
                progress.update(done: t.records + t.failed, failures: t.failed)
            })
            writer.finish()
            progress.finish()
            try? handle.close()
            if let error = writer.writeError { fail("cannot write \(path): \(error)", code: 1) }
            if writer.failures > 0 { fail("\(writer.failures) of \(mine.count) runs failed (see \(path)); rerun with --resume after fixing", code: 1) }
            if !quiet {
                FileHandle.standardError.write(Data("shard \(spec): \(mine.count) runs written to \(path) (\(done.count) already there)\n".utf8))
            }
        }
    }

    struct Merge: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Merge a sweep folder's shards (in any order) into summary.csv, runs.jsonl and manifest.json.")

        @Argument(help: "Sweep folder.") var directory: String
        @Option(help: "Result folder (default: the sweep folder itself).") var out: String?
        @Flag(help: "No message on success.") var quiet = false

        func run() throws {
            let merged: SweepFiles.Merged
            do { merged = try SweepFiles.merge(directory: directory) } catch { fail("\(error)", code: 1) }
            let target = out ?? directory
            do {
                if target == directory {
                    // Writing into the sweep folder itself: only the three result files, atomically each.
                    try ResultFiles.writeFilesInPlace(
                        ResultFiles.resultFiles(kind: merged.kind, mechanismColumn: merged.mechanismColumn,
                                                comparison: merged.comparison, records: merged.records)
                        + [("manifest.json", manifest(merged))], in: directory)
                } else {
                    _ = try ResultFiles.writeResults(to: target, identity: identity(merged), mechanismColumn: merged.mechanismColumn,
                                                     comparison: merged.comparison, records: merged.records, wallSeconds: 0, jobs: 0,
                                                     extraManifest: [("shards", .array(merged.shardFiles.map { .string($0) }))])
                }
            } catch { fail("\(error)", code: 1) }
            if !quiet {
                FileHandle.standardError.write(Data("merged \(merged.records.count) runs from \(merged.shardFiles.count) shard files into \(target)\n".utf8))
            }
        }

        func identity(_ m: SweepFiles.Merged) -> ResultFiles.ScenarioIdentity {
            .init(name: m.name, kind: m.kind, source: directory + "/plan.json", fingerprint: m.fingerprint, masterSeed: "")
        }

        func manifest(_ m: SweepFiles.Merged) -> String {
            ResultFiles.manifest(identity: identity(m), records: m.records, wallSeconds: 0, jobs: 0,
                                 extra: [("shards", .array(m.shardFiles.map { .string($0) }))])
        }
    }

    struct Slurm: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write (and with --submit, submit) a Slurm array job for a sweep and a merge job that runs after it.")

        @Argument(help: "Scenario file.") var scenario: String
        @Option(help: "Sweep folder.") var out: String
        @Option(help: "Number of array tasks (shards).") var shards: Int
        @Option(help: "Runs in parallel per task (also --cpus-per-task).") var jobs: Int = 1
        @Option(help: "Time limit per task (sbatch --time).") var time: String = "01:00:00"
        @Option(help: "Partition (sbatch --partition).") var partition: String?
        @Option(help: "The gavel binary the jobs run (default: this one).") var gavel: String?
        @Flag(help: "Submit with sbatch (the merge job depends on the array: afterok).") var submit = false
        @OptionGroup var options: ScenarioOptions

        func run() throws {
            guard shards >= 1, jobs >= 1 else { fail("--shards and --jobs: expected integers ≥ 1", code: 2) }
            // Every value that goes into a job script or a printed command is checked here.
            guard SlurmValues.isTime(time) else {
                fail("--time: expected a Slurm time limit (minutes, MM:SS, HH:MM:SS, D-HH, D-HH:MM, D-HH:MM:SS or UNLIMITED), found '\(SlurmValues.printable(time))'", code: 2)
            }
            if let partition, !SlurmValues.isPartition(partition) {
                fail("--partition: expected partition names of letters, digits, '_', '-' and '.', separated by commas, found '\(SlurmValues.printable(partition))'", code: 2)
            }
            do { _ = try options.load(scenario) } catch { fail("\(error)", code: 2) }
            let binary = gavel ?? URL(fileURLWithPath: CommandLine.arguments[0]).standardizedFileURL.path
            let scenarioPath = URL(fileURLWithPath: scenario).standardizedFileURL.path
            let folder = URL(fileURLWithPath: out).standardizedFileURL.path
            // The folder also goes into #SBATCH directives (double-quoted there); the rest only into single-quoted words.
            for (option, value) in [("--out", folder), ("--gavel", binary), ("scenario", scenarioPath)] + options.overrides.map({ ("--set", $0) })
            where !SlurmValues.isScriptSafe(value) || (option == "--out" && value.contains("\"")) {
                fail("\(option): a control character\(option == "--out" ? " or a double quote" : "") cannot go into a job script, found '\(SlurmValues.printable(value))'", code: 2)
            }
            let sets = options.overrides.map { " --set " + shellQuote($0) }.joined() + (options.seed.map { " --seed \($0)" } ?? "")
            let partitionLine = partition.map { "#SBATCH --partition=\($0)\n" } ?? ""
            let array = """
            #!/bin/bash
            #SBATCH --job-name=gavel-sweep
            #SBATCH --array=0-\(shards - 1)
            #SBATCH --cpus-per-task=\(jobs)
            #SBATCH --time=\(time)
            #SBATCH --output=\(SlurmValues.directiveQuote(folder + "/slurm-%A_%a.out"))
            \(partitionLine)# One shard per array task; the shard index comes from SLURM_ARRAY_TASK_ID.
            # --resume makes a requeued or rerun task continue where it stopped.
            exec \(shellQuote(binary)) sweep run \(shellQuote(scenarioPath)) --out \(shellQuote(folder)) --shards \(shards) --jobs \(jobs) --resume --quiet\(sets)

            """
            let merge = """
            #!/bin/bash
            #SBATCH --job-name=gavel-merge
            #SBATCH --time=00:30:00
            #SBATCH --output=\(SlurmValues.directiveQuote(folder + "/slurm-merge-%j.out"))
            \(partitionLine)exec \(shellQuote(binary)) sweep merge \(shellQuote(folder))

            """
            do {
                try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
                try Data(array.utf8).write(to: URL(fileURLWithPath: folder + "/sweep.sbatch"))
                try Data(merge.utf8).write(to: URL(fileURLWithPath: folder + "/merge.sbatch"))
            } catch { fail("cannot write the job scripts into \(folder): \(error.localizedDescription)", code: 1) }
            print("wrote \(folder)/sweep.sbatch and \(folder)/merge.sbatch")
            guard submit else {
                print("submit with: jid=$(sbatch --parsable \(shellQuote(folder + "/sweep.sbatch"))) && sbatch --dependency=afterok:${jid%%;*} \(shellQuote(folder + "/merge.sbatch"))")
                return
            }
            let arrayID = try sbatch(["--parsable", folder + "/sweep.sbatch"])
            let mergeID = try sbatch(["--parsable", "--dependency=afterok:" + arrayID, folder + "/merge.sbatch"])
            print("submitted array job \(arrayID) and merge job \(mergeID)")
        }

        func sbatch(_ arguments: [String]) throws -> String {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            process.arguments = ["sbatch"] + arguments
            let pipe = Pipe(), errors = Pipe()
            process.standardOutput = pipe
            process.standardError = errors
            do { try process.run() } catch { fail("cannot run sbatch: \(error.localizedDescription)", code: 1) }
            process.waitUntilExit()
            let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            guard process.terminationStatus == 0 else {
                fail("sbatch failed: \(String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self))", code: 1)
            }
            // --parsable prints "jobid" or "jobid;cluster".
            return String(output.trimmingCharacters(in: .whitespacesAndNewlines).split(separator: ";").first ?? "")
        }
    }
}

/// Values a Slurm job script may hold: checked, never trusted (a newline in a partition
/// name would be a command of its own in the script).
enum SlurmValues {
    /// sbatch --time: minutes, minutes:seconds, hours:minutes:seconds, days-hours,
    /// days-hours:minutes, days-hours:minutes:seconds (sbatch(1)), or UNLIMITED / infinite.
    static func isTime(_ s: String) -> Bool {
        if ["UNLIMITED", "unlimited", "infinite", "INFINITE"].contains(s) { return true }
        func numbers(_ t: Substring, _ counts: ClosedRange<Int>) -> Bool {
            let parts = t.split(separator: ":", omittingEmptySubsequences: false)
            return counts.contains(parts.count) && parts.allSatisfy { !$0.isEmpty && $0.count <= 9 && $0.allSatisfy { $0.isASCII && $0.isNumber } }
        }
        let dash = s.split(separator: "-", omittingEmptySubsequences: false)
        switch dash.count {
        case 1: return numbers(dash[0], 1...3)
        case 2: return numbers(dash[0], 1...1) && numbers(dash[1], 1...3)
        default: return false
        }
    }

    /// Partition names (comma-separated list): letters, digits, '_', '-', '.'.
    static func isPartition(_ s: String) -> Bool {
        !s.isEmpty && s.split(separator: ",", omittingEmptySubsequences: false).allSatisfy { name in
            !name.isEmpty && name.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || "_-.".contains($0)) }
        }
    }

    /// No control character (a line break would end the directive or the command).
    static func isScriptSafe(_ s: String) -> Bool {
        !s.unicodeScalars.contains { $0.properties.generalCategory == .control || $0 == "\u{2028}" || $0 == "\u{2029}" }
    }

    /// A #SBATCH directive's value, double-quoted when it holds a space (sbatch reads directives
    /// word by word, with quotes).
    static func directiveQuote(_ s: String) -> String { s.contains(where: \.isWhitespace) ? "\"" + s + "\"" : s }

    /// The value for an error message, control characters escaped (the message stays one line).
    static func printable(_ s: String) -> String {
        s.unicodeScalars.map { $0.properties.generalCategory == .control ? $0.escaped(asASCII: true) : String($0) }.joined()
    }
}

func shellQuote(_ s: String) -> String {
    s.allSatisfy({ $0.isLetter || $0.isNumber || "/._-=:,".contains($0) }) ? s : "'" + s.replacingOccurrences(of: "'", with: "'\\''") + "'"
}

