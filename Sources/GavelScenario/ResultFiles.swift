import Foundation
import GavelCore

/// The files a scenario run writes: `summary.csv`, `runs.jsonl`, `manifest.json`.
///
/// `summary.csv` and `runs.jsonl` are functions of (scenario, seed) only, so
/// they are byte-identical across repeats, job counts and shard counts;
/// everything about the execution (wall time, speed, commit) goes to the manifest.
public enum ResultFiles {
    /// One line per run, in plan order.
    public static func runsJSONL(kind: String, records: [RunRecord]) -> String {
        records.map { runLine(kind: kind, record: $0) + "\n" }.joined()
    }

    /// One run's `runs.jsonl` line, without the newline.
    public static func runLine(kind: String, record: RunRecord) -> String {
        var out = JSONWriter()
        writeRunLine(kind: kind, record: record, to: &out)
        return out.text
    }

    /// `runLine`, written field by field into `out` (no `JSONValue` tree): a sweep writes one per run.
    public static func writeRunLine(kind: String, record: RunRecord, to out: inout JSONWriter) {
        let r = record.run
        writeRunLine(runKey: r.runKey, replicate: r.replicate, workloadSeed: r.workloadSeed, mechanismSeed: r.mechanismSeed,
                     outcome: record.outcome, to: &out) { out in
            // kind, mechanism, parameters, "replicate": as the run key hashes them (the planner's copy when there is one).
            if let text = r.cellText, text.kind == kind { out.raw(bytes: text.members) }
            else { RunPlanner.writeCanonicalMembers(kind: kind, cell: r.cell, to: &out) }
        }
    }

    /// A run line from its parts; `members` writes the cell's `"kind":…,"replicate":` (`RunPlanner.writeCanonicalMembers`).
    static func writeRunLine(runKey: String, replicate: Int, workloadSeed: UInt64, mechanismSeed: UInt64, outcome: RunOutcome,
                             to out: inout JSONWriter, members: (inout JSONWriter) -> Void) {
        out.raw(#"{"run_key":"#)
        out.string(runKey)
        out.raw(",")
        members(&out)
        out.int(Int64(replicate))
        // The seeds the run's streams came from (strings: JSON numbers lose bits beyond 2^53).
        out.raw(#","seeds":{"workload":""#)
        out.digits(workloadSeed)
        out.raw(#"","mechanism":""#)
        out.digits(mechanismSeed)
        out.raw(#""},"metrics":{"#)
        for (i, (name, value)) in outcome.metrics.enumerated() {
            if i > 0 { out.raw(",") }
            out.string(name)
            out.raw(":")
            out.double(value)
        }
        out.raw(#"},"events":"#)
        out.int(Int64(outcome.events))
        out.raw("}")
    }

    /// One row per cell (mechanism × configuration): parameters, replications,
    /// then for each metric its replication mean, standard deviation and 95% CI
    /// half-width. With a single replication per cell the `_sd` and `_ci95`
    /// columns (undefined there) are left out. Replicates are folded in plan order.
    /// - Parameter mechanismColumn: the first column's name (`mechanism`, or a
    ///   kind's own word for it, such as `bidder`).
    public static func summaryCSV(records: [RunRecord], mechanismColumn: String = "mechanism") -> String {
        var parameterNames: [String] = []
        var metricNames: [String] = []
        var cellOrder: [String] = []
        var cells: [String: (cell: RunCell, stats: [String: RunningStatistics], count: Int)] = [:]
        for record in records {
            let cell = record.run.cell
            for (name, _) in cell.parameters where !parameterNames.contains(name) { parameterNames.append(name) }
            for (name, _) in record.outcome.metrics where !metricNames.contains(name) { metricNames.append(name) }
            let id = RunPlanner.canonical(kind: "", cell: cell, replicate: 0)
            if cells[id] == nil { cellOrder.append(id); cells[id] = (cell, [:], 0) }
            cells[id]!.count += 1
            for (name, value) in record.outcome.metrics { cells[id]!.stats[name, default: RunningStatistics()].add(value) }
        }
        let spread = cells.values.contains { $0.count > 1 }
        var header = [mechanismColumn] + parameterNames + ["replications"]
        for m in metricNames { header += spread ? [m, m + "_sd", m + "_ci95"] : [m] }
        var lines = [header.map(csvField).joined(separator: ",")]
        for id in cellOrder {
            let (cell, stats, count) = cells[id]!
            var row = [cell.mechanism]
            for p in parameterNames {
                row.append(cell.parameters.first { $0.0 == p }.map { csvText($0.1) } ?? "")
            }
            row.append(String(count))
            for m in metricNames {
                let s = stats[m] ?? RunningStatistics()
                row.append(s.count > 0 ? NumberFormat.csv(s.mean) : "")
                if spread { row += [NumberFormat.csv(s.standardDeviation), NumberFormat.csv(s.confidenceHalfWidth95)] }
            }
            lines.append(row.map(csvField).joined(separator: ","))
        }
        return lines.joined(separator: "\n") + "\n"
    }

    static func csvText(_ value: JSONValue) -> String {
        switch value {
        case .string(let s): return s
        case .double(let d): return NumberFormat.csv(d)
        default: return value.serialized()
        }
    }

    static func csvField(_ s: String) -> String {
        s.unicodeScalars.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) ? "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : s
    }

    /// The runs' artifacts, one file per distinct name, in order of first
    /// appearance: the runs' contents concatenated in plan order. When a later
    /// run's contents begin with the same first line as the first run's (a CSV
    /// header), that line is dropped, so the merged CSV has one header.
    public static func mergedArtifacts(records: [RunRecord]) -> [(name: String, contents: String)] {
        var names: [String] = []
        var parts: [String: [String]] = [:]
        for record in records {
            for artifact in record.outcome.artifacts {
                if parts[artifact.name] == nil { names.append(artifact.name) }
                parts[artifact.name, default: []].append(artifact.contents)
            }
        }
        return names.map { name in
            let pieces = parts[name]!
            let header = pieces[0].prefix { $0 != "\n" }
            var merged = pieces[0]
            for piece in pieces.dropFirst() {
                if !header.isEmpty, piece.hasPrefix(header + "\n") {
                    merged += piece.dropFirst(header.count + 1)
                } else {
                    merged += piece
                }
            }
            return (name, merged)
        }
    }

    /// Everything about the execution: versions, fingerprint, seeds, speed.
    public static func manifest(scenario: Scenario, records: [RunRecord], wallSeconds: Double, jobs: Int) -> String {
        manifest(identity: .init(scenario), records: records, wallSeconds: wallSeconds, jobs: jobs)
    }

    /// What a manifest says about the scenario (also known to a merge, from plan.json).
    public struct ScenarioIdentity: Sendable {
        /// The scenario's name, kind, source path, SHA-256 fingerprint and master seed (as text).
        public var name, kind, source, fingerprint, masterSeed: String
        /// An identity given field by field (a merge, from `plan.json`).
        public init(name: String, kind: String, source: String, fingerprint: String, masterSeed: String) {
            self.name = name; self.kind = kind; self.source = source; self.fingerprint = fingerprint; self.masterSeed = masterSeed
        }
        /// `scenario`'s identity.
        public init(_ scenario: Scenario) {
            self.init(name: scenario.header.name, kind: scenario.header.kind, source: scenario.source,
                      fingerprint: scenario.fingerprint, masterSeed: String(scenario.header.seed))
        }
    }

    /// `manifest.json`'s text: versions, fingerprint, seeds, speed and `extra` fields.
    public static func manifest(identity: ScenarioIdentity, records: [RunRecord], wallSeconds: Double, jobs: Int,
                                extra: [(String, JSONValue)] = []) -> String {
        let events = records.reduce(0) { $0 + $1.outcome.events }
        return JSONValue.object([
            ("tool", .string("gavel")),
            ("version", .string(GavelVersion.current)),
            ("git_commit", .string(GavelVersion.gitCommit)),
            ("scenario", .object([
                ("name", .string(identity.name)),
                ("kind", .string(identity.kind)),
                ("source", .string(identity.source)),
                ("sha256", .string(identity.fingerprint)),
            ])),
            ("master_seed", .string(identity.masterSeed)),
            ("runs", .int(Int64(records.count))),
            ("jobs", .int(Int64(jobs))),
            ("wall_seconds", .double(wallSeconds)),
            ("events", .int(Int64(events))),
            ("events_per_second", .double(wallSeconds > 0 ? Double(events) / wallSeconds : 0)),
            // What the report reads: the layout version, the swept parameters, the metrics' units.
            ("result_schema", .int(1)),
            ("sweep_parameters", .array(sweepParameters(records).map { .string($0) })),
            ("metrics", .array((ExperimentRegistry.entry(for: identity.kind)?.metrics ?? []).map {
                .object([("name", .string($0.name)), ("unit", .string($0.unit)), ("description", .string($0.description))])
            })),
            ("seeds", .array(records.map { .object([("run_key", .string($0.run.runKey)),
                                                    ("workload", .string(String($0.run.workloadSeed))),
                                                    ("mechanism", .string(String($0.run.mechanismSeed)))]) })),
        ] + extra).prettySerialized() + "\n"
    }

    /// Cell parameters whose value differs between sweep configurations, in first-seen order.
    static func sweepParameters(_ records: [RunRecord]) -> [String] {
        var first: [String: (configuration: Int, value: JSONValue)] = [:], order: [String] = [], swept = Set<String>()
        for r in records {
            for (name, value) in r.run.cell.parameters {
                if let seen = first[name] {
                    if seen.configuration != r.run.configuration && seen.value != value { swept.insert(name) }
                } else { first[name] = (r.run.configuration, value); order.append(name) }
            }
        }
        return order.filter(swept.contains)
    }

    /// The result folder of a finished set of runs: summary, runs, manifest and
    /// the runs' artifacts, written atomically.
    public static func writeResults(to directory: String, identity: ScenarioIdentity, mechanismColumn: String,
                                    comparison: PairedComparisons.Settings, records: [RunRecord], failures: [RunFailure] = [],
                                    wallSeconds: Double, jobs: Int, extraManifest: [(String, JSONValue)] = []) throws -> [String] {
        let artifacts = mergedArtifacts(records: records)
        let reserved = ["summary.csv", "runs.jsonl", "manifest.json", "comparisons.csv", "reproduction.csv", "failures.csv"]
        if let clash = artifacts.first(where: { reserved.contains($0.name) || $0.name.contains("/") }) {
            throw ExperimentError("a run produced an artifact named '\(clash.name)' (expected a plain file name other than \(reserved.joined(separator: ", ")))")
        }
        var files = try resultFiles(kind: identity.kind, mechanismColumn: mechanismColumn, comparison: comparison, records: records)
        // Failed runs are listed, never silently missing from the summary.
        var extra = extraManifest
        if !failures.isEmpty {
            files.append(("failures.csv", failuresCSV(failures, mechanismColumn: mechanismColumn)))
            extra.append(("failed_runs", .int(Int64(failures.count))))
        }
        let names = (files.map(\.name) + ["manifest.json"] + artifacts.map(\.name)).sorted()
        try writeAtomically(files + [
            ("manifest.json", manifest(identity: identity, records: records, wallSeconds: wallSeconds, jobs: jobs,
                                       extra: extra + [("files", .array(names.map { .string($0) }))])),
        ] + artifacts, to: directory)
        return files.map(\.name) + ["manifest.json"] + artifacts.map(\.name)
    }

    /// `failures.csv`: one row per failed run, in plan order: run key, mechanism, replicate, the
    /// cell's parameters as JSON, and the error.
    static func failuresCSV(_ failures: [RunFailure], mechanismColumn: String) -> String {
        var out = "run_key,\(mechanismColumn),replicate,parameters,error\n"
        for f in failures {
            let parameters = JSONValue.object(f.run.cell.parameters).serialized()
            out += [f.run.runKey, f.run.cell.mechanism, String(f.run.replicate), parameters, f.error].map(csvField).joined(separator: ",") + "\n"
        }
        return out
    }

    /// The files that depend on the results only: `summary.csv`, `runs.jsonl`, and
    /// `comparisons.csv` when there are mechanisms to compare.
    public static func resultFiles(kind: String, mechanismColumn: String, comparison: PairedComparisons.Settings,
                                   records: [RunRecord]) throws -> [(name: String, contents: String)] {
        var files = [("summary.csv", summaryCSV(records: records, mechanismColumn: mechanismColumn)),
                     ("runs.jsonl", runsJSONL(kind: kind, records: records))]
        if let text = PairedComparisons.csv(records: records, mechanismColumn: mechanismColumn, settings: comparison) {
            files.append(("comparisons.csv", text))
        }
        if let published = comparison.published {
            files.append(("reproduction.csv", published.csv(records: records, mechanismColumn: mechanismColumn)))
        }
        return files
    }

    /// Writes each file into an existing folder by temporary name and rename
    /// (for a sweep folder, which also holds plan and shard files).
    public static func writeFilesInPlace(_ files: [(name: String, contents: String)], in directory: String) throws {
        for file in files {
            let target = URL(fileURLWithPath: directory).appendingPathComponent(file.name)
            let temp = URL(fileURLWithPath: directory).appendingPathComponent(".\(file.name).tmp-\(ProcessInfo.processInfo.processIdentifier)")
            do {
                try Data(file.contents.utf8).write(to: temp)
                // rename(2) replaces an existing file atomically.
                guard rename(temp.path, target.path) == 0 else {
                    throw ExperimentError(String(cString: strerror(errno)))
                }
            } catch {
                try? FileManager.default.removeItem(at: temp)
                throw ExperimentError("cannot write \(target.path): \(error.localizedDescription)")
            }
        }
    }

    /// Throws unless `path` is absent or a folder that holds nothing but Gavel's own
    /// result files: those its manifest lists (`files`), the standard ones, or those
    /// about to be written. A user's file beside results is never deleted.
    public static func checkReplaceable(_ path: String, newFiles: [String]) throws {
        let fm = FileManager.default
        var isDirectory: ObjCBool = false
        guard fm.fileExists(atPath: path, isDirectory: &isDirectory) else { return }
        guard isDirectory.boolValue else {
            throw ExperimentError("\(path) exists and is a file, not a Gavel result folder; choose another --out")
        }
        let contents = ((try? fm.contentsOfDirectory(atPath: path)) ?? []).sorted()
        guard !contents.isEmpty else { return }
        var ours = Set(newFiles + ["summary.csv", "runs.jsonl", "manifest.json", "comparisons.csv", "reproduction.csv"])
        guard contents.contains("manifest.json") || contents.allSatisfy(ours.contains) else {
            throw ExperimentError("\(path) exists and is not a Gavel result folder (no manifest.json); choose another --out")
        }
        if let data = fm.contents(atPath: path + "/manifest.json"),
           let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any] {
            // Manifests written before they listed their files (0.1.0 of 2026-12-05 and older) vouch for the folder as a whole.
            guard let listed = object["files"] as? [String] else { return }
            ours.formUnion(listed)
        }
        if let foreign = contents.first(where: { !ours.contains($0) }) {
            throw ExperimentError("\(path) holds '\(foreign)', which Gavel did not write there; move it or choose another --out "
                                  + "(a result folder is replaced only when it holds nothing but Gavel's files)")
        }
    }

    /// Checks before any run that results can be written to `directory`: its nearest
    /// existing ancestor is a writable folder, and an existing `directory` may be replaced.
    public static func checkWritable(_ directory: String) throws {
        let fm = FileManager.default
        let target = URL(fileURLWithPath: directory).standardizedFileURL
        try checkReplaceable(target.path, newFiles: [])
        var ancestor = target.deletingLastPathComponent()
        while !fm.fileExists(atPath: ancestor.path) && ancestor.path != "/" { ancestor = ancestor.deletingLastPathComponent() }
        var isDirectory: ObjCBool = false
        guard fm.fileExists(atPath: ancestor.path, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw ExperimentError("cannot write results to \(target.path): \(ancestor.path) is not a folder")
        }
        guard access(ancestor.path, W_OK | X_OK) == 0 else {
            throw ExperimentError("cannot write results to \(target.path): \(ancestor.path) is not writable")
        }
    }

    /// Writes `files` into `directory` all at once: into a fresh sibling folder,
    /// then renamed into place, so a killed or failed run never leaves a
    /// half-written result folder (an older complete one is replaced only at the end).
    public static func writeAtomically(_ files: [(name: String, contents: String)], to directory: String) throws {
        let fm = FileManager.default
        let target = URL(fileURLWithPath: directory).standardizedFileURL
        let parent = target.deletingLastPathComponent()
        do {
            try fm.createDirectory(at: parent, withIntermediateDirectories: true)
        } catch {
            throw ExperimentError("cannot create the output folder \(parent.path): \(error.localizedDescription)")
        }
        let pid = ProcessInfo.processInfo.processIdentifier
        let staging = parent.appendingPathComponent(".\(target.lastPathComponent).partial-\(pid)")
        let old = parent.appendingPathComponent(".\(target.lastPathComponent).old-\(pid)")
        try? fm.removeItem(at: staging)
        do {
            try fm.createDirectory(at: staging, withIntermediateDirectories: false)
            for file in files {
                try Data(file.contents.utf8).write(to: staging.appendingPathComponent(file.name))
            }
            if fm.fileExists(atPath: target.path) {
                try checkReplaceable(target.path, newFiles: files.map(\.name))
                try fm.moveItem(at: target, to: old)
            }
            try fm.moveItem(at: staging, to: target)
            try? fm.removeItem(at: old)
        } catch let error as ExperimentError {
            try? fm.removeItem(at: staging)
            throw error
        } catch {
            try? fm.removeItem(at: staging)
            if !fm.fileExists(atPath: target.path) && fm.fileExists(atPath: old.path) { try? fm.moveItem(at: old, to: target) }
            throw ExperimentError("cannot write results to \(target.path): \(error.localizedDescription)")
        }
    }
}

/// Version information for manifests.
public enum GavelVersion {
    /// Gavel's version, written into manifests.
    public static let current = "0.1.0"

    /// The commit of the source tree this binary was built from, if it is a git checkout.
    public static let gitCommit: String = {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["git", "-C", root.path, "rev-parse", "HEAD"]
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = FileHandle.nullDevice
        do { try process.run() } catch { return "unknown" }
        process.waitUntilExit()
        let out = String(data: pipe.fileHandleForReading.readDataToEndOfFile(), encoding: .utf8)?
            .trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
        return process.terminationStatus == 0 && !out.isEmpty ? out : "unknown"
    }()
}
