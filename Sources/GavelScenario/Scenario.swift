import Foundation
import GavelCore
import GavelData
import GavelConfig

/// The keys every scenario has, whatever its kind.
public struct ScenarioHeader: Decodable, Sendable {
    /// The `schema_version` values this build reads.
    public static let supportedSchemaVersions = [1]
    /// `schema_version`: one of ``supportedSchemaVersions``.
    public var schemaVersion: Int
    /// The result folder's name: letters, digits, `-`, `_`, `.`.
    public var name: String
    /// The experiment kind (``ExperimentRegistry``).
    public var kind: String
    /// The master seed (default 1).
    public var seed: UInt64
    /// Replicates per cell, at least 1 (default 1).
    public var replications: Int
    /// Free text about the scenario.
    public var description: String?
    /// Every mechanism of a configuration and replicate draws the same workload
    /// (`RunContext`); `false` gives each run draws of its own.
    public var commonRandomNumbers: Bool
    /// The mechanism paired comparisons are taken against (default: the first listed).
    public var compareTo: String?
    /// Replicate 0's workload seed, verbatim: a paper's fixed seed (MOHAF's
    /// `random.seed(42)`). Later replicates derive theirs, so they differ.
    public var paperSeed: UInt64?

    enum CodingKeys: String, CodingKey {
        case schemaVersion = "schema_version", name, kind, seed, replications, description
        case commonRandomNumbers = "common_random_numbers", compareTo = "compare_to", paperSeed = "paper_seed"
    }
    static let keyNames = ["schema_version", "name", "kind", "seed", "replications", "description",
                           "common_random_numbers", "compare_to", "paper_seed", "published", "sweep"]

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        schemaVersion = try c.decode(Int.self, forKey: .schemaVersion,
                                     expecting: "a supported schema version (\(Self.supportedSchemaVersions.map(String.init).joined(separator: ", ")))") {
            Self.supportedSchemaVersions.contains($0)
        }
        name = try c.decode(String.self, forKey: .name, expecting: "a name of letters, digits, '-', '_' or '.' (it names the result folder)") {
            !$0.isEmpty && $0 != "." && $0 != ".." && $0.allSatisfy { $0.isLetter || $0.isNumber || "-_.".contains($0) }
        }
        kind = try c.decode(String.self, forKey: .kind)
        seed = try c.decodeIfPresent(UInt64.self, forKey: .seed) ?? 1
        replications = try c.decodeIfPresent(Int.self, forKey: .replications, expecting: "an integer ≥ 1") { $0 >= 1 } ?? 1
        description = try c.decodeIfPresent(String.self, forKey: .description)
        commonRandomNumbers = try c.decodeIfPresent(Bool.self, forKey: .commonRandomNumbers) ?? true
        compareTo = try c.decodeIfPresent(String.self, forKey: .compareTo)
        paperSeed = try c.decodeIfPresent(UInt64.self, forKey: .paperSeed)
    }
}

/// Bounds on what a scenario may ask for, checked before anything of that size is made
/// (a plan of 10^18 runs is an error, not an allocation or an arithmetic trap).
public struct ScenarioLimits: Sendable, Equatable {
    /// Runs in the whole plan (configurations × cells × replications): 5,000,000 by
    /// default (a plan entry is about 150 bytes; the runs' records take more). `--max-runs`.
    public var maxRuns: Int
    /// 5,000,000 runs.
    public static let defaultMaxRuns = 5_000_000
    /// Bytes of a scenario file: 16 MiB (a 17.5-million-item list would take 40 s and 4 GB
    /// to parse before its error).
    public var maxFileBytes: Int
    /// Limits of `maxRuns` runs and `maxFileBytes` bytes (16 MiB by default).
    public init(maxRuns: Int = ScenarioLimits.defaultMaxRuns, maxFileBytes: Int = 16 << 20) {
        self.maxRuns = maxRuns
        self.maxFileBytes = maxFileBytes
    }
}

/// A scenario file, read, expanded, overridden, decoded and validated: ready to run.
public struct Scenario: Sendable {
    /// The keys every scenario has (name, kind, seed, replications...).
    public let header: ScenarioHeader
    /// The scenario's points: one without a `sweep:` block, else one per sweep point.
    public let configurations: [SweepConfiguration]
    /// The first configuration's experiment (the only one without a sweep).
    public var experiment: any Experiment { configurations[0].experiment }
    /// Runs in the plan, counted without making it: Σ over configurations of cells × replications.
    public var runCount: Int { configurations.reduce(0) { $0 + $1.experiment.renderedCells.count * header.replications } }
    /// Cells over all configurations.
    public var cellCount: Int { configurations.reduce(0) { $0 + $1.experiment.renderedCells.count } }
    /// Where it came from (`<embedded quickstart>` for the built-in one).
    public let source: String
    /// SHA-256 of the scenario as decoded (after overrides and `${VAR}`
    /// expansion, in canonical form) and the master seed: two runs with equal
    /// fingerprints ran the same scenario, whatever its comments or layout.
    public let fingerprint: String
    /// The `published:` block: values the runs must reproduce (`reproduction.csv`).
    public var published: PublishedValues? = nil

    /// Loads a scenario from a file.
    public static func load(path: String, overrides: [String] = [], seed: UInt64? = nil, limits: ScenarioLimits = .init(),
                            environment: [String: String] = ProcessInfo.processInfo.environment) throws -> Scenario {
        let data: Data
        if path == "-" {
            // `-`: the scenario comes on standard input; relative paths resolve from the working directory.
            data = FileHandle.standardInput.readDataToEndOfFile()
        } else {
            if let size = (try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? Int, size > limits.maxFileBytes {
                throw InputError("the file has \(size) bytes, more than the limit of \(limits.maxFileBytes) for a scenario (a sweep block describes large designs)",
                                    at: SourceLocation(file: path, line: 0, column: 0))
            }
            guard let read = FileManager.default.contents(atPath: path) else {
                throw InputError("cannot read the scenario file (expected an existing, readable file)", at: SourceLocation(file: path, line: 0, column: 0))
            }
            data = read
        }
        let file = path == "-" ? "<stdin>" : path
        guard data.count <= limits.maxFileBytes else {
            throw InputError("more than the limit of \(limits.maxFileBytes) bytes for a scenario", at: SourceLocation(file: file, line: 0, column: 0))
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw InputError("the file is not UTF-8 text (expected UTF-8)", at: Self.firstInvalidUTF8(data, file: file))
        }
        if path == "-" {
            return try load(text: text, file: file, directory: FileManager.default.currentDirectoryPath,
                            overrides: overrides, seed: seed, limits: limits, environment: environment)
        }
        let directory = (path as NSString).deletingLastPathComponent
        return try load(text: text, file: path, directory: directory.isEmpty ? "." : directory,
                        overrides: overrides, seed: seed, limits: limits, environment: environment)
    }

    /// Where the first byte that is not UTF-8 stands (`InstanceText.firstInvalidUTF8`).
    static func firstInvalidUTF8(_ data: Data, file: String) -> SourceLocation {
        let at = InstanceText.firstInvalidUTF8(data)
        return SourceLocation(file: file, line: at.line, column: at.column)
    }

    /// Loads a scenario from text (`file` is used in messages; `directory` resolves relative paths).
    public static func load(text: String, file: String, directory: String, overrides: [String] = [], seed: UInt64? = nil,
                            limits: ScenarioLimits = .init(),
                            environment: [String: String] = ProcessInfo.processInfo.environment) throws -> Scenario {
        var node = try YAMLNode.parse(text, file: file)
        guard case .mapping = node else {
            throw InputError("expected a mapping of scenario keys at the top level", at: node.location)
        }
        for assignment in overrides { node = try node.applyingOverride(assignment) }
        let dataDefault = DataDirectory.locate(environment: environment, near: [directory])
        node = try node.expandingVariables { name in
            environment[name] ?? (name == "GAVEL_DATA" ? dataDefault : nil)
        }
        var header = try node.decode(ScenarioHeader.self)
        if let seed { header.seed = seed }
        guard let entry = ExperimentRegistry.entry(for: header.kind) else {
            throw InputError("unknown kind '\(header.kind)' (expected one of: \(ExperimentRegistry.entries.map(\.kind).joined(separator: ", ")))",
                                field: "kind", at: node["kind"]?.location)
        }
        let context: [CodingUserInfoKey: Any] = [.scenarioDirectory: directory]
        var points: [[(path: [String], value: YAMLNode)]] = [[]]
        var base = node
        if let sweepNode = node["sweep"] {
            points = try SweepSpec.parse(sweepNode, defaultSeed: header.seed, maxPoints: limits.maxRuns).points
            base = node.removingKey("sweep")
        }
        var configurations: [SweepConfiguration] = []
        var runs = 0   // so far, checked against the limit as each configuration is decoded
        for point in points {
            var configured = base
            for (path, value) in point { configured = try configured.setting(path, to: value) }
            let experiment: any Experiment
            do {
                experiment = try entry.make(configured, context, ScenarioHeader.keyNames)
            } catch let error as ExperimentError {
                throw InputError(error.description, at: point.first?.value.location ?? node.location)
            }
            let (cellRuns, o1) = experiment.renderedCells.count.multipliedReportingOverflow(by: header.replications)
            let (total, o2) = runs.addingReportingOverflow(cellRuns)
            if o1 || o2 || total > limits.maxRuns {
                let what = points.count > 1 ? "\(points.count) sweep points × " : ""
                throw InputError("\(what)\(experiment.renderedCells.count) cells × \(header.replications) replications is more than the limit of "
                                    + "\(limits.maxRuns) runs (raise it with --max-runs)",
                                    field: "replications", at: node["replications"]?.location ?? node.location)
            }
            runs = total
            // Two identical cells would be two runs with the same key and seed.
            var seen: [String: Int] = [:]
            for (i, cell) in experiment.renderedCells.enumerated() {
                let id = RunPlanner.canonical(kind: header.kind, cell: cell, replicate: 0)
                if let j = seen[id] {
                    throw InputError("cells \(j + 1) and \(i + 1) are the same (mechanism \(cell.mechanism), \(JSONValue.object(cell.parameters).serialized())): a list in the scenario repeats a value",
                                        at: node.location)
                }
                seen[id] = i
            }
            configurations.append(SweepConfiguration(
                index: configurations.count,
                assignments: point.map { ($0.path.joined(separator: "."), $0.value.parameterValue) },
                experiment: experiment))
        }
        if let baseline = header.compareTo {
            let listed = configurations.flatMap { $0.experiment.renderedCells.map(\.mechanism) }
            guard listed.contains(baseline) else {
                var names: [String] = []
                for m in listed where !names.contains(m) { names.append(m) }
                throw InputError("'\(baseline)' is not a mechanism of this scenario (expected one of: \(names.joined(separator: ", ")))",
                                    field: "compare_to", at: node["compare_to"]?.location)
            }
        }
        let fingerprint = SHA256.hex(node.canonicalText + "\nseed=\(header.seed)")
        var scenario = Scenario(header: header, configurations: configurations, source: file, fingerprint: fingerprint)
        if let block = node["published"] {
            let published = try PublishedValues.parse(block)
            // The cells as planned: each configuration's cells with its swept values.
            let cells = configurations.flatMap { c in c.experiment.renderedCells.map(c.plannedCell) }
            try published.validate(cells: cells, mechanismColumn: type(of: configurations[0].experiment).mechanismColumn, node: block)
            scenario.published = published
        }
        return scenario
    }
}

/// Where `${GAVEL_DATA}` points when the environment does not say.
public enum DataDirectory {
    /// `GAVEL_DATA` if set; else `../shared/data` next to the first enclosing
    /// Gavel checkout found from the given folders, the working directory or the
    /// source tree this binary was built from.
    public static func locate(environment: [String: String], near folders: [String]) -> String? {
        if let explicit = environment["GAVEL_DATA"], !explicit.isEmpty { return explicit }
        let sourceRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent().path
        for start in folders + [FileManager.default.currentDirectoryPath, sourceRoot] {
            var url = URL(fileURLWithPath: start).standardizedFileURL
            for _ in 0..<8 {
                if FileManager.default.fileExists(atPath: url.appendingPathComponent("Package.swift").path) {
                    let data = url.deletingLastPathComponent().appendingPathComponent("shared/data").path
                    if FileManager.default.fileExists(atPath: data) { return data }
                }
                url = url.deletingLastPathComponent()
            }
        }
        return nil
    }
}

// MARK: Canonical text

extension YAMLNode {
    /// A canonical one-line rendering of the tree (scalars as JSON strings, mappings
    /// in file order): what a scenario *says*, whatever its comments or layout.
    public var canonicalText: String { canonicalJSON.serialized() }

    var canonicalJSON: JSONValue {
        switch self {
        case .scalar(let s, let q, _): return isNull ? .null : .string(q ? "'" + s : s)
        case .sequence(let items, _): return .array(items.map(\.canonicalJSON))
        case .mapping(let pairs, _): return .object(pairs.map { ($0.key, $0.value.canonicalJSON) })
        }
    }
}

