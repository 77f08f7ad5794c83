import GavelCore

/// `comparisons.csv`: every mechanism against a baseline, run by run.
///
/// Runs pair up when they share a configuration (the cell's parameters without the
/// mechanism's variant parameters) and a replicate. Under common random numbers the
/// two runs of a pair saw the same workload, so their difference carries only the
/// mechanisms' own noise (Law, *Simulation Modeling and Analysis*, ch. 11).
///
/// One row per configuration × mechanism (variant) × metric, with the mean of the
/// paired differences (mechanism − baseline), their standard deviation, the 95%
/// Student-t half-width, the number of pairs, and `variance_reduction`:
/// (s²_mechanism + s²_baseline) / s²_difference, the variance the difference of two
/// independent runs would have over the variance it has paired (1 without common
/// random numbers, in expectation; above 1 when they help).
public enum PairedComparisons {
    /// How runs are matched, as the scenario says.
    public struct Settings: Sendable, Equatable {
        /// The baseline mechanism (`compare_to`); nil: the first mechanism in plan order.
        public var baseline: String?
        /// The kind's `mechanismParameters`.
        public var mechanismParameters: [String]
        /// The scenario's `published:` values (compared in `reproduction.csv`).
        public var published: PublishedValues?
        /// Settings given directly (tests, merges).
        public init(baseline: String? = nil, mechanismParameters: [String] = [], published: PublishedValues? = nil) {
            self.baseline = baseline
            self.mechanismParameters = mechanismParameters
            self.published = published
        }
        /// The settings `scenario` declares: `compare_to`, its kind's variant parameters and its `published:` block.
        public init(_ scenario: Scenario) {
            self.init(baseline: scenario.header.compareTo,
                      mechanismParameters: type(of: scenario.experiment).mechanismParameters, published: scenario.published)
        }
    }

    /// One mechanism's paired differences from the baseline on one metric.
    public struct Row: Sendable {
        /// The configuration and mechanism compared.
        public var cell: RunCell
        /// The baseline mechanism's name.
        public var baseline: String
        /// The metric's name.
        public var metric: String
        /// Mechanism − baseline, per pair.
        public var difference: RunningStatistics
        /// Variances of the two sides' own values over the pairs.
        public var mechanismValues: RunningStatistics
        /// The baseline's values over the pairs.
        public var baselineValues: RunningStatistics

        /// (s²_mechanism + s²_baseline) / s²_difference; nil when undefined (fewer
        /// than two pairs, or no variance on either side); +∞ when only the
        /// difference has none.
        public var varianceReduction: Double? {
            guard difference.count >= 2 else { return nil }
            let unpaired = mechanismValues.variance + baselineValues.variance
            let paired = difference.variance
            if paired > 0 { return unpaired / paired }
            return unpaired > 0 ? .infinity : nil
        }
    }

    /// The rows, in plan order of configurations, then mechanisms, then the mechanism's metrics.
    public static func rows(records: [RunRecord], settings: Settings) -> [Row] {
        guard let baseline = settings.baseline ?? records.first?.run.cell.mechanism else { return [] }
        let variants = settings.mechanismParameters
        // Configurations and their arms (mechanism with its parameters) in order of first appearance;
        // dictionaries only index, never order, what is written.
        var configurationOrder: [String] = []
        var arms: [String: [(id: String, cell: RunCell)]] = [:]
        var runs: [String: [Int: RunRecord]] = [:]   // arm id → replicate → record
        for record in records {
            let cell = record.run.cell
            let configuration = RunPlanner.configurationKey(cell, excluding: variants)
            let id = RunPlanner.canonical(kind: "", cell: cell, replicate: 0)
            if arms[configuration] == nil { configurationOrder.append(configuration); arms[configuration] = [] }
            if runs[id] == nil { arms[configuration]!.append((id, cell)); runs[id] = [:] }
            runs[id]![record.run.replicate] = record
        }
        var out: [Row] = []
        for configuration in configurationOrder {
            let list = arms[configuration]!
            guard let base = list.first(where: { $0.cell.mechanism == baseline }) else { continue }
            let baseRuns = runs[base.id]!
            let label = Self.label(base.cell, variants: variants)
            for arm in list where arm.id != base.id {
                let armRuns = runs[arm.id]!
                let replicates = armRuns.keys.sorted()
                guard let first = replicates.first else { continue }
                for (metric, _) in armRuns[first]!.outcome.metrics {
                    var row = Row(cell: arm.cell, baseline: label, metric: metric, difference: RunningStatistics(),
                                  mechanismValues: RunningStatistics(), baselineValues: RunningStatistics())
                    for r in replicates {
                        guard let b = baseRuns[r], let y = b.outcome.metrics.first(where: { $0.0 == metric })?.1,
                              let x = armRuns[r]!.outcome.metrics.first(where: { $0.0 == metric })?.1,
                              x.isFinite, y.isFinite else { continue }
                        row.difference.add(x - y)
                        row.mechanismValues.add(x)
                        row.baselineValues.add(y)
                    }
                    if row.difference.count > 0 { out.append(row) }
                }
            }
        }
        return out
    }

    /// The baseline as a row names it: the mechanism, with its variant parameters when it has any.
    static func label(_ cell: RunCell, variants: [String]) -> String {
        let own = cell.parameters.filter { variants.contains($0.0) }
        guard !own.isEmpty else { return cell.mechanism }
        return cell.mechanism + "[" + own.map { "\($0.0)=\(ResultFiles.csvText($0.1))" }.joined(separator: ",") + "]"
    }

    /// The CSV text, or nil when there is nothing to compare (one mechanism per configuration).
    public static func csv(records: [RunRecord], mechanismColumn: String = "mechanism", settings: Settings) -> String? {
        let rows = rows(records: records, settings: settings)
        guard !rows.isEmpty else { return nil }
        var parameterNames: [String] = []
        for record in records {
            for (name, _) in record.run.cell.parameters where !parameterNames.contains(name) { parameterNames.append(name) }
        }
        let header = [mechanismColumn] + parameterNames
            + ["baseline", "metric", "mean_difference", "sd", "ci95", "pairs", "variance_reduction"]
        var lines = [header.map(ResultFiles.csvField).joined(separator: ",")]
        for row in rows {
            var fields = [row.cell.mechanism]
            for p in parameterNames { fields.append(row.cell.parameters.first { $0.0 == p }.map { ResultFiles.csvText($0.1) } ?? "") }
            let d = row.difference
            let spread = d.count >= 2
            fields += [row.baseline, row.metric, NumberFormat.csv(d.mean),
                       spread ? NumberFormat.csv(d.standardDeviation) : "",
                       spread ? NumberFormat.csv(d.confidenceHalfWidth95) : "",
                       String(d.count),
                       row.varianceReduction.map(NumberFormat.csv) ?? ""]
            lines.append(fields.map(ResultFiles.csvField).joined(separator: ","))
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
