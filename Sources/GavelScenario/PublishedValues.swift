import GavelCore
import GavelConfig

/// A scenario's `published:` block: numbers a paper prints, which the runs must reproduce.
/// `gavel run` writes `reproduction.csv` (published, measured, difference, tolerance, pass)
/// and the report shows it beside the results.
///
/// ```yaml
/// published:
///   source: "MOHAF, arXiv 2508.14830, Table 1"     # cited in every row
///   values:
///     - {where: {mechanism: mohaf, mode: as_run}, metric: allocation_efficiency, value: 0.263, tolerance: 0.0005}
///     - {where: {mechanism: ranking}, metric: ratio, value: 0.632, tolerance: 0, compare: at_least}   # a bound
/// ```
///
/// `where` names one summary row: the mechanism (by `mechanism` or the kind's own column name)
/// and any cell parameters; it may not match two cells. A row no cell matches (a scenario shrunk
/// with `--set`, or a typo) is written with `pass` = `not_run`, and a metric its runs lack with
/// `not_measured`; the report highlights both. `tolerance` is the
/// half-width the method allows (half a unit of the printed last digit, an LP tolerance, k·σ).
public struct PublishedValues: Sendable, Equatable {
    /// One published figure: the cell it belongs to, the metric, the value and how close the measurement must come.
    public struct Entry: Sendable, Equatable {
        /// `key = value` pairs that pick one cell (the mechanism and any cell parameters).
        public var conditions: [(key: String, value: String)]
        /// The metric compared.
        public var metric: String
        /// The published value.
        public var value: Double
        /// The half-width the method allows, in the metric's unit.
        public var tolerance: Double
        /// Where the value was published (paper, table, figure).
        public var source: String
        /// `equal` (|measured − value| ≤ tolerance), `at_least` (measured ≥ value − tolerance: a
        /// published lower bound) or `at_most`.
        public var relation = "equal"
        /// The values `relation` may take.
        public static let relations = ["equal", "at_least", "at_most"]
        /// Whether a measured value passes, by ``relation``, within ``tolerance``.
        public var passes: (Double) -> Bool {
            let (v, t, r) = (value, tolerance, relation)
            return { m in r == "at_least" ? m >= v - t : r == "at_most" ? m <= v + t : abs(m - v) <= t }
        }
        /// Field by field (conditions in order).
        public static func == (a: Entry, b: Entry) -> Bool {
            a.conditions.map { $0.key + "=" + $0.value } == b.conditions.map { $0.key + "=" + $0.value }
                && a.metric == b.metric && a.value == b.value && a.tolerance == b.tolerance && a.source == b.source && a.relation == b.relation
        }
        /// "mechanism=mohaf mode=as_run".
        public var label: String { conditions.map { "\($0.key)=\($0.value)" }.joined(separator: " ") }
    }
    /// The entries, in the scenario's order.
    public var entries: [Entry]

    /// Parses and checks the block; every error names its field and line.
    static func parse(_ node: YAMLNode) throws -> PublishedValues {
        guard case .mapping(let top, _) = node else { throw InputError("expected a mapping with source and values", field: "published", at: node.location) }
        var source = ""
        var valuesNode: YAMLNode?
        for e in top {
            switch e.key {
            case "source":
                guard case .scalar(let s, _, _) = e.value, !s.isEmpty else { throw InputError("expected the citation as text", field: "published.source", at: e.value.location) }
                source = s
            case "values": valuesNode = e.value
            default: throw InputError("unknown key '\(e.key)' (allowed here: source, values)", field: "published.\(e.key)", at: e.keyLocation)
            }
        }
        guard case .sequence(let items, _)? = valuesNode, !items.isEmpty else {
            throw InputError("expected a non-empty list of {where, metric, value, tolerance}", field: "published.values", at: valuesNode?.location ?? node.location)
        }
        var entries: [Entry] = []
        for (i, item) in items.enumerated() {
            let field = "published.values.\(i)"
            guard case .mapping(let keys, _) = item else { throw InputError("expected {where, metric, value, tolerance}", field: field, at: item.location) }
            var entry = Entry(conditions: [], metric: "", value: .nan, tolerance: .nan, source: source)
            for e in keys {
                func number(_ ok: (Double) -> Bool, _ what: String) throws -> Double {
                    guard case .scalar(let s, false, _) = e.value, let x = Double(s), x.isFinite, ok(x) else {
                        throw InputError("expected \(what)", field: "\(field).\(e.key)", at: e.value.location)
                    }
                    return x
                }
                switch e.key {
                case "where":
                    guard case .mapping(let conditions, _) = e.value, !conditions.isEmpty else {
                        throw InputError("expected a mapping naming the row, such as {mechanism: mohaf}", field: "\(field).where", at: e.value.location)
                    }
                    for c in conditions {
                        guard case .scalar(let v, _, _) = c.value else { throw InputError("expected a value", field: "\(field).where.\(c.key)", at: c.value.location) }
                        entry.conditions.append((c.key, v))
                    }
                case "metric":
                    guard case .scalar(let s, _, _) = e.value, !s.isEmpty else { throw InputError("expected a metric name", field: "\(field).metric", at: e.value.location) }
                    entry.metric = s
                case "value": entry.value = try number({ _ in true }, "a finite number (the published value)")
                case "tolerance": entry.tolerance = try number({ $0 > 0 }, "a finite number > 0 (what the method allows)")
                case "source":
                    guard case .scalar(let s, _, _) = e.value else { throw InputError("expected text", field: "\(field).source", at: e.value.location) }
                    entry.source = s
                case "compare":
                    guard case .scalar(let s, _, _) = e.value, Entry.relations.contains(s) else {
                        throw InputError("expected one of: \(Entry.relations.joined(separator: ", "))", field: "\(field).compare", at: e.value.location)
                    }
                    entry.relation = s
                default: throw InputError("unknown key '\(e.key)' (allowed here: where, metric, value, tolerance, compare, source)", field: "\(field).\(e.key)", at: e.keyLocation)
                }
            }
            for (key, what) in [("where", entry.conditions.isEmpty), ("metric", entry.metric.isEmpty), ("value", entry.value.isNaN), ("tolerance", entry.tolerance.isNaN)] where what {
                throw InputError("missing '\(key)'", field: field, at: item.location)
            }
            entries.append(entry)
        }
        return PublishedValues(entries: entries)
    }

    /// Whether a cell's value (as summary.csv writes it) is the one a condition names: equal
    /// numbers, or equal text.
    static func same(_ text: String, _ wanted: String) -> Bool {
        if let a = Double(text), let b = Double(wanted) { return a == b }
        return text == wanted
    }

    static func matches(_ e: Entry, cell: RunCell, mechanismColumn: String) -> Bool {
        e.conditions.allSatisfy { c in
            if c.key == "mechanism" || c.key == mechanismColumn { return cell.mechanism == c.value }
            guard let v = cell.parameters.first(where: { $0.0 == c.key })?.1 else { return false }
            return same(ResultFiles.csvText(v), c.value)
        }
    }

    /// Checks that each entry names exactly one cell of the plan (before any run).
    func validate(cells: [RunCell], mechanismColumn: String, node: YAMLNode) throws {
        for (i, e) in entries.enumerated() {
            let hits = Set(cells.filter { Self.matches(e, cell: $0, mechanismColumn: mechanismColumn) }.map { RunPlanner.canonical(kind: "", cell: $0, replicate: 0) })
            // No cell: the scenario was shrunk (--set instances=…); the row is reported as not run.
            guard hits.count <= 1 else {
                let at = node["values"].flatMap { n -> YAMLNode? in if case .sequence(let items, _) = n, i < items.count { return items[i] } else { return nil } }
                throw InputError("\(hits.count) cells are \(e.label): add the parameters that tell them apart",
                                    field: "published.values.\(i).where", at: at?.location ?? node.location)
            }
        }
    }

    /// `reproduction.csv`: per entry the measured mean over the matching runs.
    func csv(records: [RunRecord], mechanismColumn: String) -> String {
        var lines = ["source,where,metric,relation,published,measured,difference,tolerance,pass"]
        for (i, e) in entries.enumerated() {
            var stats = RunningStatistics()
            var names: [String] = []
            for r in records where Self.matches(e, cell: r.run.cell, mechanismColumn: mechanismColumn) {
                for (name, _) in r.outcome.metrics where !names.contains(name) { names.append(name) }
                if let x = r.outcome.metrics.first(where: { $0.0 == e.metric })?.1 { stats.add(x) }
            }
            if !records.contains(where: { Self.matches(e, cell: $0.run.cell, mechanismColumn: mechanismColumn) }) {
                lines.append([e.source, e.label, e.metric, e.relation, NumberFormat.csv(e.value), "", "", NumberFormat.csv(e.tolerance), "not_run"]
                    .map(ResultFiles.csvField).joined(separator: ","))
                continue
            }
            // The cell ran without this metric (its benchmark was overridden away, or a typo): said so.
            guard stats.count > 0 else {
                lines.append([e.source, e.label, e.metric, e.relation, NumberFormat.csv(e.value), "", "", NumberFormat.csv(e.tolerance),
                              "not_measured (the runs have: \(names.joined(separator: " ")))"].map(ResultFiles.csvField).joined(separator: ","))
                continue
            }
            let measured = stats.mean, difference = measured - e.value
            let pass = e.passes(measured)
            lines.append([e.source, e.label, e.metric, e.relation, NumberFormat.csv(e.value), NumberFormat.csv(measured), NumberFormat.csv(difference),
                          NumberFormat.csv(e.tolerance), pass ? "true" : "false"].map(ResultFiles.csvField).joined(separator: ","))
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// As plan.json keeps it, for a sweep's merge.
    var json: JSONValue {
        .array(entries.map { e in
            .object([("where", .object(e.conditions.map { ($0.key, .string($0.value)) })), ("metric", .string(e.metric)),
                     ("value", .double(e.value)), ("tolerance", .double(e.tolerance)), ("source", .string(e.source)), ("compare", .string(e.relation))])
        })
    }

    static func fromPlan(_ node: YAMLNode) -> PublishedValues? {
        guard case .sequence(let items, _) = node else { return nil }
        var entries: [Entry] = []
        for item in items {
            guard case .mapping(let keys, _) = item else { return nil }
            var e = Entry(conditions: [], metric: "", value: .nan, tolerance: .nan, source: "")
            for k in keys {
                switch (k.key, k.value) {
                case ("where", .mapping(let c, _)): e.conditions = c.compactMap { if case .scalar(let v, _, _) = $0.value { return ($0.key, v) } else { return nil } }
                case ("metric", .scalar(let s, _, _)): e.metric = s
                case ("value", .scalar(let s, _, _)): e.value = Double(s) ?? .nan
                case ("tolerance", .scalar(let s, _, _)): e.tolerance = Double(s) ?? .nan
                case ("source", .scalar(let s, _, _)): e.source = s
                case ("compare", .scalar(let s, _, _)): e.relation = s
                default: break
                }
            }
            entries.append(e)
        }
        return PublishedValues(entries: entries)
    }
}
