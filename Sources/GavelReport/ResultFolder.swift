import Foundation
import GavelCore

/// What a metric is, from the kind's metadata (`manifest.json`'s `metrics`).
public struct MetricInfo: Sendable, Equatable {
    /// The metric's unit, "" for a pure number.
    public var unit: String
    /// What the metric measures.
    public var description: String
}

/// A result folder as the report reads it: `manifest.json` (what ran), `summary.csv` (one row per
/// mechanism × configuration) and the files some kinds add (`comparisons.csv`, `series.csv`,
/// `ratios.csv`, `regret_curve.csv`, `reproduction.csv`).
public struct ResultFolder: Sendable {
    /// The newest result layout this report reads (`manifest.json`'s `result_schema`; 1 when absent).
    public static let resultSchema = 1

    /// The folder's path.
    public let path: String
    /// The scenario's name (from the manifest).
    public let name: String
    /// The experiment kind (from the manifest).
    public let kind: String
    /// Swept parameters (the manifest's `sweep_parameters`), in sweep order.
    public let swept: [String]
    /// Units and meanings by metric name; empty for an old manifest without them.
    public let metrics: [String: MetricInfo]
    /// `summary.csv`.
    public let summary: CSVTable
    /// The optional CSV files present, by stem (`comparisons`, `series`, `ratios`, `regret_curve`, `reproduction`).
    public let extra: [String: CSVTable]

    /// Reads the folder at `path`.
    /// - Throws: `InputError` when it is not a result folder this report can read.
    public init(path: String) throws {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw InputError("\(path): not a folder (expected a result folder written by gavel run or gavel sweep merge)")
        }
        guard let data = FileManager.default.contents(atPath: path + "/manifest.json") else {
            throw InputError("\(path): not a Gavel result folder (no manifest.json; expected a folder written by gavel run or gavel sweep merge)")
        }
        guard let manifest = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] else {
            throw InputError("\(path)/manifest.json: not a JSON object (expected a Gavel manifest)")
        }
        let schema = (manifest["result_schema"] as? Int) ?? 1
        guard schema <= Self.resultSchema else {
            throw InputError("\(path): written by a newer Gavel (result schema \(schema); this gavel reads up to \(Self.resultSchema)): update gavel to report it")
        }
        let scenario = manifest["scenario"] as? [String: Any] ?? [:]
        self.path = path
        name = scenario["name"] as? String ?? (path as NSString).lastPathComponent
        kind = scenario["kind"] as? String ?? "unknown"
        swept = manifest["sweep_parameters"] as? [String] ?? []
        var metrics: [String: MetricInfo] = [:]
        for case let m as [String: Any] in manifest["metrics"] as? [Any] ?? [] {
            if let n = m["name"] as? String { metrics[n] = MetricInfo(unit: m["unit"] as? String ?? "", description: m["description"] as? String ?? "") }
        }
        self.metrics = metrics
        guard FileManager.default.fileExists(atPath: path + "/summary.csv") else {
            throw InputError("\(path): no summary.csv (expected a finished result folder)")
        }
        summary = try CSVTable.read(path + "/summary.csv", name: "summary")
        var extra: [String: CSVTable] = [:]
        for file in ["comparisons", "series", "ratios", "regret_curve", "reproduction"] where FileManager.default.fileExists(atPath: "\(path)/\(file).csv") {
            extra[file] = try CSVTable.read("\(path)/\(file).csv", name: file)
        }
        self.extra = extra
    }

    /// "metric (unit)" for axis titles.
    func title(_ metric: String) -> String {
        guard let unit = metrics[metric]?.unit, !unit.isEmpty else { return metric }
        return "\(metric) (\(unit))"
    }
}
