import Foundation
import GavelCore
import GavelConfig

/// Which share of a sweep's runs this process executes: runs k with k mod count = index.
public struct ShardSpec: Sendable, Equatable, CustomStringConvertible {
    /// This shard, 0-based (i of `i/n`).
    public let index: Int
    /// Shards in all (n of `i/n`).
    public let count: Int

    /// Shard `index` of `count`.
    /// - Throws: `ExperimentError` unless 0 ≤ index < count.
    public init(index: Int, count: Int) throws {
        guard count >= 1, index >= 0, index < count else {
            throw ExperimentError("shard \(index)/\(count): expected 0 ≤ i < n and n ≥ 1")
        }
        self.index = index
        self.count = count
    }

    /// `i/n`.
    public var description: String { "\(index)/\(count)" }

    /// `i/n`.
    public static func parse(_ text: String) throws -> ShardSpec {
        let parts = text.split(separator: "/")
        guard parts.count == 2, let i = Int(parts[0]), let n = Int(parts[1]) else {
            throw ExperimentError("--shard: expected i/n (for example 0/4), found '\(text)'")
        }
        return try ShardSpec(index: i, count: n)
    }

    /// From the engine's environment: Slurm job arrays (SLURM_ARRAY_TASK_ID relative
    /// to SLURM_ARRAY_TASK_MIN, of SLURM_ARRAY_TASK_COUNT), Kubernetes indexed jobs
    /// (JOB_COMPLETION_INDEX) or GNU parallel (PARALLEL_SEQ, 1-based); the latter two
    /// do not say how many shards there are, so `shards` must.
    public static func fromEnvironment(_ env: [String: String], shards: Int?) throws -> ShardSpec? {
        if let id = env["SLURM_ARRAY_TASK_ID"].flatMap(Int.init) {
            let low = env["SLURM_ARRAY_TASK_MIN"].flatMap(Int.init) ?? 0
            guard let n = shards ?? env["SLURM_ARRAY_TASK_COUNT"].flatMap(Int.init) else {
                throw ExperimentError("SLURM_ARRAY_TASK_ID is set but not SLURM_ARRAY_TASK_COUNT: pass --shards n")
            }
            return try ShardSpec(index: id - low, count: n)
        }
        for (name, offset) in [("JOB_COMPLETION_INDEX", 0), ("PARALLEL_SEQ", 1)] {
            if let raw = env[name], let id = Int(raw) {
                guard let n = shards else { throw ExperimentError("\(name) is set: pass --shards n (how many shards in all)") }
                return try ShardSpec(index: id - offset, count: n)
            }
        }
        return nil
    }
}

/// The files of a sharded sweep in its output folder:
/// `plan.json` (the scenario's fingerprint and every run key, in plan order) and
/// one `shard-i-of-n.jsonl` per shard, a line per finished (or failed) run,
/// appended and flushed as each run ends.
public enum SweepFiles {
    /// `shard-i-of-n.jsonl`.
    public static func shardName(_ shard: ShardSpec) -> String { "shard-\(shard.index)-of-\(shard.count).jsonl" }

    /// `plan.json`'s text: the scenario's fingerprint and identity, its comparison settings, and every run key in plan order.
    public static func planJSON(_ scenario: Scenario, _ runs: [PlannedRun]) -> String {
        JSONValue.object([
            ("scenario_sha256", .string(scenario.fingerprint)),
            ("name", .string(scenario.header.name)),
            ("kind", .string(scenario.header.kind)),
            ("source", .string(scenario.source)),
            ("mechanism_column", .string(type(of: scenario.experiment).mechanismColumn)),
            ("mechanism_parameters", .array(type(of: scenario.experiment).mechanismParameters.map { .string($0) })),
            ("compare_to", scenario.header.compareTo.map { .string($0) } ?? .null),
            ("published", scenario.published?.json ?? .null),
            ("master_seed", .string(String(scenario.header.seed))),
            ("runs", .int(Int64(runs.count))),
            ("run_keys", .array(runs.map { .string($0.runKey) })),
        ]).prettySerialized() + "\n"
    }

    /// A finished run's shard line, newline included: `{"scenario_sha256":…,"run":<runs.jsonl line>}`.
    public static func writeLine(_ fingerprint: String, kind: String, record: RunRecord, to out: inout JSONWriter) {
        writeLine(prefix: linePrefix(fingerprint), kind: kind, record: record, to: &out)
    }

    /// What every line of a shard starts with: `{"scenario_sha256":…,"run":`.
    static func linePrefix(_ fingerprint: String) -> [UInt8] {
        var out = JSONWriter()
        out.raw(#"{"scenario_sha256":"#)
        out.string(fingerprint)
        out.raw(#","run":"#)
        return out.bytes
    }

    /// `writeLine` with the prefix rendered once (`linePrefix`).
    static func writeLine(prefix: [UInt8], kind: String, record: RunRecord, to out: inout JSONWriter) {
        out.raw(bytes: prefix)
        ResultFiles.writeRunLine(kind: kind, record: record, to: &out)
        out.raw("}\n")
    }

    /// A shard's failure line: the fingerprint, the run key and the error.
    public static func failureLine(_ fingerprint: String, run: PlannedRun, error: any Error) -> String {
        JSONValue.object([("scenario_sha256", .string(fingerprint)),
                          ("failed", .object([("run_key", .string(run.runKey)), ("error", .string("\(error)"))]))]).serialized() + "\n"
    }

    /// Writes `plan.json`, or checks that the one already there is this scenario's.
    public static func preparePlan(directory: String, scenario: Scenario, runs: [PlannedRun]) throws {
        let fm = FileManager.default
        do { try fm.createDirectory(atPath: directory, withIntermediateDirectories: true) } catch {
            throw ExperimentError("cannot create the sweep folder \(directory): \(error.localizedDescription)")
        }
        let path = directory + "/plan.json"
        let text = planJSON(scenario, runs)
        if let existing = fm.contents(atPath: path) {
            guard String(decoding: existing, as: UTF8.self) == text else {
                throw ExperimentError("\(path) belongs to another scenario or plan (fingerprints differ); use another --out")
            }
            return
        }
        let temp = path + ".tmp-\(ProcessInfo.processInfo.processIdentifier)"
        do {
            try Data(text.utf8).write(to: URL(fileURLWithPath: temp))
            if fm.fileExists(atPath: path) { try fm.removeItem(atPath: temp) } else { try fm.moveItem(atPath: temp, toPath: path) }
        } catch {
            try? fm.removeItem(atPath: temp)
            if !fm.fileExists(atPath: path) { throw ExperimentError("cannot write \(path): \(error.localizedDescription)") }
        }
    }

    /// A parsed shard file: the records and failures it holds, and whether its last
    /// line was cut off (a killed run), in which case `truncatedLength` is where it starts.
    public struct ShardContents {
        /// Record lines: fingerprint, run key and the run's parsed JSON.
        public var records: [(fingerprint: String, runKey: String, run: YAMLNode)] = []
        /// Failure lines: run key and error message.
        public var failures: [(runKey: String, error: String)] = []
        /// Byte offset of a last line cut off without its newline; nil when none.
        public var truncatedLength: Int?
    }

    /// Parses one shard file line by line.
    /// - Throws: `ExperimentError` when the file cannot be read or a complete line is not a shard record.
    public static func readShard(path: String) throws -> ShardContents {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ExperimentError("cannot read \(path)")
        }
        let bytes = [UInt8](data)
        var contents = ShardContents()
        var start = 0
        var lineNumber = 0
        while start < bytes.count {
            lineNumber += 1
            guard let end = bytes[start...].firstIndex(of: 0x0A) else {
                contents.truncatedLength = start   // no newline: a run killed mid-write
                break
            }
            let text = String(decoding: bytes[start..<end], as: UTF8.self)
            let node: YAMLNode
            do { node = try YAMLNode.parse(text, file: "\(path):\(lineNumber)") } catch {
                throw ExperimentError("\(path):\(lineNumber): not a shard record (\(error))")
            }
            guard case .scalar(let fingerprint, _, _)? = node["scenario_sha256"] else {
                throw ExperimentError("\(path):\(lineNumber): missing scenario_sha256")
            }
            if let run = node["run"], case .scalar(let key, _, _)? = run["run_key"] {
                contents.records.append((fingerprint, key, run))
            } else if let failed = node["failed"], case .scalar(let key, _, _)? = failed["run_key"],
                      case .scalar(let message, _, _)? = failed["error"] {
                contents.failures.append((key, message))
            } else {
                throw ExperimentError("\(path):\(lineNumber): expected a 'run' or 'failed' record")
            }
            start = end + 1
        }
        return contents
    }

    /// A run record read back from a shard line (the inverse of `ResultFiles.runLine`).
    static func record(from node: YAMLNode, index: Int) throws -> RunRecord {
        func scalar(_ key: String) throws -> String {
            guard case .scalar(let s, _, _)? = node[key] else { throw ExperimentError("shard record without '\(key)'") }
            return s
        }
        guard case .mapping(let params, _)? = node["parameters"], case .mapping(let metrics, _)? = node["metrics"] else {
            throw ExperimentError("shard record without parameters or metrics")
        }
        guard let replicate = Int(try scalar("replicate")), let events = Int(try scalar("events")),
              case .scalar(let w, _, _)? = node["seeds"]?["workload"], let workloadSeed = UInt64(w),
              case .scalar(let m, _, _)? = node["seeds"]?["mechanism"], let mechanismSeed = UInt64(m) else {
            throw ExperimentError("shard record with a malformed replicate, seeds or events")
        }
        let run = PlannedRun(index: index, cell: RunCell(mechanism: try scalar("mechanism"), parameters: params.map { ($0.key, $0.value.parameterValue) }),
                             replicate: replicate, runKey: try scalar("run_key"), workloadSeed: workloadSeed, mechanismSeed: mechanismSeed)
        let values: [(String, Double)] = try metrics.map { entry in
            guard case .scalar(let s, _, _) = entry.value else { throw ExperimentError("metric \(entry.key) is not a number") }
            if entry.value.isNull { return (entry.key, .nan) }
            guard let v = Double(s) else { throw ExperimentError("metric \(entry.key) is not a number: \(s)") }
            return (entry.key, v)
        }
        return RunRecord(run: run, outcome: RunOutcome(metrics: values, events: events), seconds: 0)
    }

    /// A merged sweep: its identity from `plan.json` and every run, in plan order.
    public struct Merged {
        /// The scenario's name.
        public let name: String
        /// The experiment kind.
        public let kind: String
        /// The scenario's SHA-256 fingerprint.
        public let fingerprint: String
        /// The name of `summary.csv`'s first column.
        public let mechanismColumn: String
        /// `compare_to` and the kind's variant parameters, from plan.json.
        public let comparison: PairedComparisons.Settings
        /// Every planned run, in plan order.
        public let records: [RunRecord]
        /// The shard files read.
        public let shardFiles: [String]
    }

    /// Reads `plan.json` and every shard file in `directory`, in any order, and
    /// returns the runs in plan order. Fails when a planned run is missing (or
    /// only failed), when a shard comes from another scenario, or when two shards
    /// disagree about a run.
    public static func merge(directory: String) throws -> Merged {
        let fm = FileManager.default
        guard let planData = fm.contents(atPath: directory + "/plan.json") else {
            throw ExperimentError("\(directory)/plan.json not found: is this a sweep folder written by 'gavel sweep run'?")
        }
        let plan = try YAMLNode.parse(String(decoding: planData, as: UTF8.self), file: directory + "/plan.json")
        guard case .scalar(let fingerprint, _, _)? = plan["scenario_sha256"], case .scalar(let name, _, _)? = plan["name"],
              case .scalar(let kind, _, _)? = plan["kind"], case .sequence(let keyNodes, _)? = plan["run_keys"] else {
            throw ExperimentError("\(directory)/plan.json is malformed")
        }
        var mechanismColumn = "mechanism"
        if case .scalar(let c, _, _)? = plan["mechanism_column"] { mechanismColumn = c }
        var comparison = PairedComparisons.Settings()
        if let node = plan["compare_to"], !node.isNull, case .scalar(let c, _, _) = node { comparison.baseline = c }
        if let node = plan["published"], !node.isNull { comparison.published = PublishedValues.fromPlan(node) }
        if case .sequence(let names, _)? = plan["mechanism_parameters"] {
            comparison.mechanismParameters = names.compactMap { if case .scalar(let s, _, _) = $0 { return s } else { return nil } }
        }
        let keys = keyNodes.compactMap { node -> String? in if case .scalar(let k, _, _) = node { return k } else { return nil } }
        let position = Dictionary(keys.enumerated().map { ($1, $0) }, uniquingKeysWith: { a, _ in a })
        let shardFiles = ((try? fm.contentsOfDirectory(atPath: directory)) ?? [])
            .filter { $0.hasPrefix("shard-") && $0.hasSuffix(".jsonl") }.sorted()
        guard !shardFiles.isEmpty else { throw ExperimentError("no shard-*.jsonl files in \(directory)") }
        var found = [YAMLNode?](repeating: nil, count: keys.count)
        var failed: [String: String] = [:]
        for file in shardFiles {
            let contents = try readShard(path: directory + "/" + file)
            for (fp, key, run) in contents.records {
                guard fp == fingerprint else {
                    throw ExperimentError("\(file) comes from a different scenario (sha256 \(fp.prefix(12))…) than plan.json (\(fingerprint.prefix(12))…)")
                }
                guard let i = position[key] else { throw ExperimentError("\(file) holds run \(key), which is not in the plan") }
                if let existing = found[i], existing.canonicalText != run.canonicalText {
                    throw ExperimentError("run \(key) appears twice with different results (\(file) and an earlier shard)")
                }
                found[i] = run
            }
            for (key, error) in contents.failures where position[key] != nil { failed[key] = error }
        }
        let missing = keys.indices.filter { found[$0] == nil }
        if !missing.isEmpty {
            let examples = missing.prefix(3).map { i in keys[i] + (failed[keys[i]].map { " (failed: \($0))" } ?? "") }
            throw ExperimentError("\(missing.count) of \(keys.count) planned runs are missing, e.g. \(examples.joined(separator: ", ")); "
                                  + "rerun the shards that hold them (gavel sweep run … --resume)")
        }
        let records = try found.enumerated().map { try record(from: $1!, index: $0) }
        return Merged(name: name, kind: kind, fingerprint: fingerprint, mechanismColumn: mechanismColumn, comparison: comparison,
                      records: records, shardFiles: shardFiles)
    }
}
