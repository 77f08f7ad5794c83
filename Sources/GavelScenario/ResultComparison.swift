import Foundation
import GavelCore
import GavelConfig

/// `gavel compare BEFORE AFTER`: two result folders of the same scenario (before
/// and after a change to a mechanism, say), metric by metric.
///
/// Runs pair by run key: the same key is the same mechanism, configuration and
/// replicate, hence (for the same master seed) the same workload and mechanism
/// seeds. A change that leaves a mechanism alone therefore shows as zero
/// differences, and a change that moves it shows with a paired interval whose
/// width comes from the replicates, not from the workload's noise.
public struct ResultComparison: Sendable {
    /// One cell × metric.
    public struct Row: Sendable {
        /// The cell compared.
        public var cell: RunCell
        /// The metric's name.
        public var metric: String
        /// The values in the before folder, over the pairs.
        public var before = RunningStatistics()
        /// The values in the after folder, over the pairs.
        public var after = RunningStatistics()
        /// after − before, per pair.
        public var difference = RunningStatistics()
        /// Pairs whose two values are not the same double (NaN equals NaN here).
        public var changed = 0

        /// The paired 95% interval excludes 0 (two pairs or more), or, with a
        /// single pair, the two values differ.
        public var significant: Bool {
            if difference.count >= 2 {
                let hw = difference.confidenceHalfWidth95
                return hw.isNaN ? difference.mean != 0 : abs(difference.mean) > hw
            }
            return changed > 0
        }
    }

    /// The scenario's name.
    public var name: String
    /// The experiment kind.
    public var kind: String
    /// The name of `summary.csv`'s first column.
    public var mechanismColumn: String
    /// One row per cell × metric.
    public var rows: [Row]
    /// Runs present in both folders (matched by run key).
    public var pairs: Int
    /// Runs only in the before folder.
    public var onlyBefore: Int
    /// Runs only in the after folder.
    public var onlyAfter: Int
    /// The two folders ran differently configured scenarios (their sha256 differ).
    public var scenarioChanged: Bool

    /// What a result folder says about itself, with where it says it.
    struct Folder {
        var path: String
        var name: String, kind: String, sha256: String, masterSeed: String
        var nameLocation: SourceLocation, kindLocation: SourceLocation
        var mechanismColumn: String
        var records: [RunRecord]
    }

    /// Reads two result folders of the same kind and pairs their runs by run key.
    /// - Throws: when a folder cannot be read, or (`InputError`) when the two are not of the same scenario.
    public static func compare(before: String, after: String) throws -> ResultComparison {
        let a = try read(before), b = try read(after)
        guard a.kind == b.kind else {
            throw InputError("expected kind '\(a.kind)' as in \(a.path)/manifest.json (folders of the same scenario), found '\(b.kind)'",
                                field: "scenario.kind", at: b.kindLocation)
        }
        guard a.name == b.name else {
            throw InputError("expected scenario '\(a.name)' as in \(a.path)/manifest.json (folders of the same scenario), found '\(b.name)'",
                                field: "scenario.name", at: b.nameLocation)
        }
        var afterByKey: [String: RunRecord] = [:]
        for r in b.records { afterByKey[r.run.runKey] = r }
        var matched = Set<String>()
        // Rows in the before folder's plan order: cells, then each cell's metrics.
        var order: [String] = []
        var rows: [String: Row] = [:]
        for r in a.records {
            guard let other = afterByKey[r.run.runKey] else { continue }
            matched.insert(r.run.runKey)
            let cellID = RunPlanner.canonical(kind: "", cell: r.run.cell, replicate: 0)
            for (metric, x) in r.outcome.metrics {
                guard let y = other.outcome.metrics.first(where: { $0.0 == metric })?.1 else { continue }
                let id = cellID + "\u{0}" + metric
                if rows[id] == nil { order.append(id); rows[id] = Row(cell: r.run.cell, metric: metric) }
                if !(x == y || (x.isNaN && y.isNaN)) { rows[id]!.changed += 1 }
                guard x.isFinite && y.isFinite else { continue }
                rows[id]!.before.add(x)
                rows[id]!.after.add(y)
                rows[id]!.difference.add(y - x)
            }
        }
        return ResultComparison(name: a.name, kind: a.kind, mechanismColumn: a.mechanismColumn, rows: order.map { rows[$0]! },
                                pairs: matched.count, onlyBefore: a.records.count - matched.count,
                                onlyAfter: b.records.count - matched.count, scenarioChanged: a.sha256 != b.sha256)
    }

    /// One row per cell × metric: before and after means, the paired difference, and how many pairs changed.
    public func csv() -> String {
        var parameterNames: [String] = []
        for row in rows { for (name, _) in row.cell.parameters where !parameterNames.contains(name) { parameterNames.append(name) } }
        let header = [mechanismColumn] + parameterNames
            + ["metric", "before", "after", "mean_difference", "sd", "ci95", "pairs", "changed"]
        var lines = [header.map(ResultFiles.csvField).joined(separator: ",")]
        for row in rows {
            var fields = [row.cell.mechanism]
            for p in parameterNames { fields.append(row.cell.parameters.first { $0.0 == p }.map { ResultFiles.csvText($0.1) } ?? "") }
            let d = row.difference, spread = d.count >= 2
            func mean(_ s: RunningStatistics) -> String { s.count > 0 ? NumberFormat.csv(s.mean) : "" }
            fields += [row.metric, mean(row.before), mean(row.after), mean(d),
                       spread ? NumberFormat.csv(d.standardDeviation) : "", spread ? NumberFormat.csv(d.confidenceHalfWidth95) : "",
                       String(d.count), String(row.changed)]
            lines.append(fields.map(ResultFiles.csvField).joined(separator: ","))
        }
        return lines.joined(separator: "\n") + "\n"
    }

    static func read(_ path: String) throws -> Folder {
        let manifestPath = path + "/manifest.json"
        guard let data = FileManager.default.contents(atPath: manifestPath) else {
            throw InputError("cannot read it (expected a Gavel result folder with manifest.json and runs.jsonl)",
                                at: SourceLocation(file: manifestPath, line: 0, column: 0))
        }
        let manifest = try YAMLNode.parse(String(decoding: data, as: UTF8.self), file: manifestPath)
        func text(_ node: YAMLNode?, _ field: String) throws -> (String, SourceLocation) {
            guard let node, case .scalar(let s, _, _) = node else {
                throw InputError("expected a string", field: field, at: node?.location ?? manifest.location)
            }
            return (s, node.location)
        }
        let (name, nameLocation) = try text(manifest["scenario"]?["name"], "scenario.name")
        let (kind, kindLocation) = try text(manifest["scenario"]?["kind"], "scenario.kind")
        let (sha, _) = try text(manifest["scenario"]?["sha256"], "scenario.sha256")
        let seed = (try? text(manifest["master_seed"], "master_seed"))?.0 ?? ""
        let runsPath = path + "/runs.jsonl"
        guard let runsData = FileManager.default.contents(atPath: runsPath) else {
            throw InputError("cannot read it (expected the runs of a Gavel result folder)", at: SourceLocation(file: runsPath, line: 0, column: 0))
        }
        var records: [RunRecord] = []
        for (i, line) in String(decoding: runsData, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false).enumerated()
        where !line.isEmpty {
            let location = SourceLocation(file: runsPath, line: i + 1, column: 1)
            do {
                let node = try YAMLNode.parse(String(line), file: runsPath)
                records.append(try SweepFiles.record(from: node, index: records.count))
            } catch let e as InputError {
                throw InputError("not a run record (\(e.message))", at: location)
            } catch {
                throw InputError("not a run record (\(error))", at: location)
            }
        }
        let column = (try? String(contentsOfFile: path + "/summary.csv", encoding: .utf8))?
            .prefix { $0 != "," && $0 != "\n" }.description ?? "mechanism"
        return Folder(path: path, name: name, kind: kind, sha256: sha, masterSeed: seed, nameLocation: nameLocation, kindLocation: kindLocation,
                      mechanismColumn: column.isEmpty ? "mechanism" : column, records: records)
    }
}
