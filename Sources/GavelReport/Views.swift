import Foundation

/// One figure of the page, with the data it draws (saved beside it as CSV).
struct Figure {
    var id: String
    var title: String
    var caption: String
    var svg: String
    var csvHeader: [String]
    var csvRows: [[String]]
}

/// A sortable table (for many rows, and for exact numbers).
struct Table {
    var title: String
    var header: [String]
    var rows: [[String]]
    /// Cells to highlight, by row (a failing reproduction row).
    var emphasis: [Bool] = []
    var collapsed = false
}

enum Item {
    case figure(Figure)
    case table(Table)
    case note(String)
}

/// The views of a result folder, chosen by what it holds (its shape): reproductions (a
/// `reproduction.csv`), sweeps (a numeric parameter with several values: lines against it, one
/// per mechanism, with 95% bands, and small multiples over a second parameter), comparisons
/// against a baseline (forest plots), time series, distributions (ECDFs) and, beyond a readable
/// number of rows, sortable tables.
struct Views {
    let folder: ResultFolder
    let palette: Palette
    /// The summary's columns by role, worked out once.
    let shape: Shape

    init(folder: ResultFolder, palette: Palette) {
        self.folder = folder
        self.palette = palette
        shape = Self.shape(of: folder)
    }
    /// Categories past which a dot plot becomes a table, and series past which lines do.
    static let maxRows = 40, maxSeries = 10, maxPanels = 9, maxMetrics = 16

    var items: [Item] {
        var out: [Item] = []
        if let r = folder.extra["reproduction"] { out += reproduction(r) }
        out += summaryViews()
        if let c = folder.extra["comparisons"] { out += comparisons(c) }
        if let s = folder.extra["series"] { out += series(s) }
        if let r = folder.extra["regret_curve"] { out += regret(r) }
        if let r = folder.extra["ratios"] { out += ratios(r) }
        let t = folder.summary
        out.append(.table(Table(title: "summary.csv (\(t.rows.count) rows)", header: t.header, rows: t.rows, collapsed: true)))
        return out
    }

    var id: String { folder.name.map { $0.isLetter || $0.isNumber ? $0 : "-" }.map(String.init).joined() }

    // MARK: summary

    struct Shape {
        var mechanism: Int
        var parameters: [Int]
        /// Parameters not determined by the axis.
        var free: [Int]
        var metrics: [Int]
        var axis: Int?
        var facet: Int?
    }

    /// Columns of summary.csv: the mechanism, the parameters (up to `replications`), the metrics
    /// (numbers, not `_sd`/`_ci95`, not constant, not 0/1 flags without an interval).
    static func shape(of folder: ResultFolder) -> Shape {
        let t = folder.summary
        let repl = t.column("replications") ?? 1
        let parameters = Array(min(1, repl)..<repl)
        var metrics: [Int] = []
        for c in (repl + 1)..<max(repl + 1, t.header.count) {
            let name = t.header[c]
            guard !name.hasSuffix("_sd"), !name.hasSuffix("_ci95"), let xs = t.numbers(c) else { continue }
            let finite = Set(xs.compactMap { $0 }.filter(\.isFinite))
            guard finite.count > 1 else { continue }
            if finite.isSubset(of: [0, 1]) && t.column(name + "_ci95") == nil { continue }
            metrics.append(c)
        }
        func distinct(_ c: Int) -> Int { Set(t.rows.map { $0[c] }).count }
        func numeric(_ c: Int) -> Bool { t.rows.allSatisfy { Double($0[c]) != nil } }
        let candidates = parameters.filter { numeric($0) && distinct($0) > 2 }
        let declared = folder.swept.compactMap { t.column($0) }.filter { candidates.contains($0) }
        let axis = declared.first ?? candidates.max { distinct($0) < distinct($1) }
        // A parameter that the axis determines (a sweep's `zip`, budget = ratio × a constant) is a
        // relabelling of the axis: it neither splits panels nor lines.
        func determined(_ p: Int) -> Bool {
            guard let a = axis else { return false }
            var seen: [String: String] = [:]
            for row in t.rows { if let v = seen[row[a]], v != row[p] { return false }; seen[row[a]] = row[p] }
            return true
        }
        let free = parameters.filter { $0 != axis && !determined($0) }
        let facet = free.filter { distinct($0) > 1 && distinct($0) <= Self.maxPanels }
            .sorted { (folder.swept.contains(t.header[$0]) ? 0 : 1, $0) < (folder.swept.contains(t.header[$1]) ? 0 : 1, $1) }.first
        return Shape(mechanism: 0, parameters: parameters, free: free, metrics: Array(metrics.prefix(Self.maxMetrics)), axis: axis, facet: facet)
    }

    func summaryViews() -> [Item] {
        let t = folder.summary, s = shape
        guard !s.metrics.isEmpty else { return [.note("summary.csv has no metric that varies.")] }
        var out: [Item] = []
        let others = s.free.filter { $0 != s.facet }
        func seriesName(_ row: [String]) -> String { ([row[s.mechanism]] + others.map { row[$0] }.filter { !$0.isEmpty }).joined(separator: " ") }
        func label(_ row: [String]) -> String {
            ([row[s.mechanism]] + s.parameters.filter { !row[$0].isEmpty }.map { "\(t.header[$0])=\(row[$0])" }).joined(separator: " ")
        }
        for m in s.metrics {
            let name = t.header[m], ci = t.column(name + "_ci95")
            let info = folder.metrics[name]?.description ?? ""
            if let a = s.axis {
                let facets = s.facet.map { f in orderedUnique(t.rows.map { $0[f] }) } ?? [""]
                var panels: [Panel] = []
                var csv: [[String]] = []
                for value in facets {
                    let rows = t.rows.filter { s.facet == nil || $0[s.facet!] == value }
                    var series: [Series] = []
                    for key in orderedUnique(rows.map(seriesName)) {
                        let pts = rows.filter { seriesName($0) == key }.compactMap { r -> (x: Double, y: Double, half: Double)? in
                            guard let x = Double(r[a]), let y = Double(r[m]), y.isFinite else { return nil }
                            csv.append([key, value, r[a], r[m], ci.map { r[$0] } ?? ""])
                            return (x, y, ci.flatMap { Double(r[$0]) }.flatMap { $0.isFinite ? $0 : nil } ?? 0)
                        }
                        if !pts.isEmpty { series.append(Series(name: key, points: pts)) }
                    }
                    panels.append(Panel(title: s.facet.map { "\(t.header[$0]) = \(value)" } ?? "", series: series))
                }
                let seriesCount = Set(panels.flatMap { $0.series.map(\.name) }).count
                guard seriesCount <= Self.maxSeries else { continue }
                let chart = LineChart(panels: panels, xLabel: folder.title(t.header[a]), yLabel: folder.title(name))
                out.append(.figure(Figure(id: "\(id)-\(name)", title: "\(name) against \(t.header[a])",
                    caption: "\(name) against \(t.header[a])\(s.facet.map { ", one panel per \(t.header[$0])" } ?? ""); one line per mechanism; bands: 95% CI." + (info.isEmpty ? "" : " \(info)"),
                    svg: chart.svg(palette), csvHeader: ["series", s.facet.map { t.header[$0] } ?? "panel", t.header[a], name, name + "_ci95"], csvRows: csv)))
            } else {
                guard t.rows.count <= Self.maxRows else { continue }
                let rows = t.rows.compactMap { r -> DotRow? in
                    guard let y = Double(r[m]) else { return nil }
                    let half = ci.flatMap { Double(r[$0]) }.flatMap { $0.isFinite && $0 > 0 ? $0 : nil }
                    return DotRow(label: label(r), colourKey: r[s.mechanism], value: y, low: half.map { y - $0 }, high: half.map { y + $0 })
                }
                let chart = DotPlot(rows: rows, xLabel: folder.title(name))
                out.append(.figure(Figure(id: "\(id)-\(name)", title: name, caption: "\(name) by mechanism and configuration; whiskers: 95% CI." + (info.isEmpty ? "" : " \(info)"),
                    svg: chart.svg(palette), csvHeader: ["label", name, name + "_ci95"],
                    csvRows: t.rows.map { r in [label(r), r[m], ci.map { r[$0] } ?? ""] })))
            }
        }
        if out.isEmpty { out.append(.note("\(t.rows.count) configurations: too many to chart; see the table below.")) }
        return out
    }

    // MARK: comparisons

    func comparisons(_ t: CSVTable) -> [Item] {
        guard let base = t.column("baseline"), let metric = t.column("metric"), let mean = t.column("mean_difference"),
              let ci = t.column("ci95") else { return [.note("comparisons.csv: unexpected columns")] }
        let charted = Set(shape.metrics.map { folder.summary.header[$0] })
        var out: [Item] = []
        for name in orderedUnique(t.rows.map { $0[metric] }) where charted.contains(name) {
            let rows = t.rows.filter { $0[metric] == name }
            func label(_ r: [String]) -> String {
                ([r[0] + " − " + r[base]] + (1..<base).filter { !r[$0].isEmpty }.map { "\(t.header[$0])=\(r[$0])" }).joined(separator: " ")
            }
            if rows.count > Self.maxRows {
                out.append(.table(Table(title: "\(name): paired differences against \(rows[0][base]) (\(rows.count) rows)",
                                        header: ["comparison", "mean_difference", "ci95", "pairs", "variance_reduction"],
                                        rows: rows.map { r in [label(r), r[mean], r[ci], t.column("pairs").map { r[$0] } ?? "", t.column("variance_reduction").map { r[$0] } ?? ""] },
                                        collapsed: true)))
                continue
            }
            let dots = rows.compactMap { r -> DotRow? in
                guard let d = Double(r[mean]), d.isFinite else { return nil }
                let h = Double(r[ci]).flatMap { $0.isFinite ? $0 : nil }
                return DotRow(label: label(r), colourKey: r[0], value: d, low: h.map { d - $0 }, high: h.map { d + $0 },
                              emphasis: h.map { abs(d) > $0 } ?? false)
            }
            guard !dots.isEmpty else { continue }
            let chart = DotPlot(rows: dots, xLabel: "difference in " + folder.title(name), zero: true)
            out.append(.figure(Figure(id: "\(id)-cmp-\(name)", title: "\(name): paired differences",
                caption: "\(name): mechanism − \(rows[0][base]), paired by configuration and replicate on common random numbers; whiskers: 95% CI; bold: the interval excludes 0.",
                svg: chart.svg(palette), csvHeader: ["comparison", "mean_difference", "ci95"], csvRows: rows.map { [label($0), $0[mean], $0[ci]] })))
        }
        return out
    }

    // MARK: reproductions

    func reproduction(_ t: CSVTable) -> [Item] {
        guard let pub = t.column("published"), let meas = t.column("measured"), let tol = t.column("tolerance"),
              let pass = t.column("pass"), let metric = t.column("metric"), let wh = t.column("where") else {
            return [.note("reproduction.csv: unexpected columns")]
        }
        let passed = t.rows.filter { $0[pass] == "true" }.count
        var out: [Item] = [.note("Reproduction: \(passed) of \(t.rows.count) published values within tolerance." + (t.column("source").map { c in " Sources: " + orderedUnique(t.rows.map { $0[c] }).joined(separator: "; ") + "." } ?? ""))]
        out.append(.table(Table(title: "Published against measured", header: t.header, rows: t.rows, emphasis: t.rows.map { $0[pass] != "true" })))
        let dots = t.rows.compactMap { r -> DotRow? in
            guard let p = Double(r[pub]), let m = Double(r[meas]), let e = Double(r[tol]), e > 0 else { return nil }
            return DotRow(label: "\(r[wh]) \(r[metric])", colourKey: r[wh].split(separator: " ").first.map(String.init) ?? "", value: (m - p) / e, emphasis: r[pass] != "true")
        }
        if !dots.isEmpty && dots.count <= Self.maxRows * 2 {
            let chart = DotPlot(rows: dots, xLabel: "(measured − published) / tolerance", zero: true)
            out.append(.figure(Figure(id: "\(id)-reproduction", title: "Reproduction", caption: "Each published value: its measured deviation in units of its tolerance (within ±1 passes; bold: fails).",
                svg: chart.svg(palette), csvHeader: t.header, csvRows: t.rows)))
        }
        return out
    }

    // MARK: time series and curves

    func series(_ t: CSVTable) -> [Item] {
        guard t.rows.count > 1 else { return [] }
        let numeric = t.header.indices.filter { c in t.rows.allSatisfy { $0[c].isEmpty || Double($0[c]) != nil } }
        let text = t.header.indices.filter { !numeric.contains($0) }
        guard let x = t.column("time") ?? numeric.first else { return [] }
        func group(_ row: [String]) -> String { text.map { row[$0] }.joined(separator: " ") }
        var groups = orderedUnique(t.rows.map(group))
        if groups.count > 8 {
            let aggregates = groups.filter { $0.split(separator: " ").contains("all") }
            groups = Array((aggregates.isEmpty ? groups : aggregates).prefix(8))
        }
        var out: [Item] = []
        for c in numeric where c != x && t.header[c] != "round" {
            var lines: [Series] = []
            var csv: [[String]] = []
            for g in groups {
                let pts = t.rows.filter { group($0) == g }.compactMap { r -> (x: Double, y: Double, half: Double)? in
                    guard let xv = Double(r[x]), let yv = Double(r[c]) else { return nil }
                    csv.append([g, r[x], r[c]])
                    return (xv, yv, 0)
                }
                if pts.count > 1 { lines.append(Series(name: g, points: pts)) }
            }
            guard !lines.isEmpty else { continue }
            let chart = LineChart(panels: [Panel(title: "", series: lines)], xLabel: folder.title(t.header[x]), yLabel: folder.title(t.header[c]))
            out.append(.figure(Figure(id: "\(id)-series-\(t.header[c])", title: "\(t.header[c]) over \(t.header[x])",
                caption: "\(t.header[c]) over \(t.header[x]) (series.csv).", svg: chart.svg(palette),
                csvHeader: ["series", t.header[x], t.header[c]], csvRows: csv)))
        }
        return out
    }

    func regret(_ t: CSVTable) -> [Item] {
        guard let x = t.column("horizon"), let y = t.column("regret_mean"), let inst = t.column("instance") else { return [] }
        let ci = t.column("regret_ci95")
        let lines = orderedUnique(t.rows.map { $0[inst] }).map { name in
            Series(name: name, points: t.rows.filter { $0[inst] == name }.compactMap { r in
                guard let a = Double(r[x]), let b = Double(r[y]) else { return nil }
                return (a, b, ci.flatMap { Double(r[$0]) } ?? 0)
            })
        }
        let chart = LineChart(panels: [Panel(title: "", series: lines)], xLabel: "horizon T", yLabel: "regret")
        return [.figure(Figure(id: "\(id)-regret", title: "Regret against the horizon", caption: "Mean regret over seeds against the horizon T; bands: 95% CI (regret_curve.csv).",
                               svg: chart.svg(palette), csvHeader: t.header, csvRows: t.rows))]
    }

    /// ALG/OPT ratios per instance: an empirical CDF per algorithm, one panel per family.
    func ratios(_ t: CSVTable) -> [Item] {
        guard let alg = t.column("algorithm"), let ratio = t.column("ratio") else { return [] }
        let fam = t.column("family")
        let families = fam.map { f in orderedUnique(t.rows.map { $0[f] }) } ?? [""]
        guard families.count <= Self.maxPanels else { return [] }
        var panels: [Panel] = []
        var csv: [[String]] = []
        for family in families {
            let rows = t.rows.filter { fam == nil || $0[fam!] == family }
            let series = orderedUnique(rows.map { $0[alg] }).map { a -> Series in
                let xs = rows.filter { $0[alg] == a }.compactMap { Double($0[ratio]) }.filter(\.isFinite).sorted()
                // At most 200 steps drawn (every k-th order statistic, the last always): the CSV has them all.
                let stride = max(1, xs.count / 200)
                let kept = xs.indices.filter { $0 % stride == stride - 1 || $0 == xs.count - 1 }
                let points = kept.map { (x: xs[$0], y: Double($0 + 1) / Double(xs.count), half: 0.0) }
                csv += points.map { [a, family, String($0.x), String($0.y)] }
                return Series(name: a, points: points, steps: true)
            }
            panels.append(Panel(title: family, series: series))
        }
        let chart = LineChart(panels: panels, xLabel: "ALG / OPT", yLabel: "fraction of instances ≤ x")
        return [.figure(Figure(id: "\(id)-ratios", title: "Distribution of ALG/OPT", caption: "Empirical CDF of each algorithm's ratio to the optimum over the instances, one panel per family (ratios.csv).",
                               svg: chart.svg(palette), csvHeader: ["algorithm", "family", "ratio", "fraction_at_most"], csvRows: csv))]
    }
}

func orderedUnique(_ values: [String]) -> [String] {
    var seen = Set<String>(), out: [String] = []
    for v in values where seen.insert(v).inserted { out.append(v) }
    return out
}
