import Foundation
import GavelCore

/// `gavel report`: one self-contained HTML page (inline SVG, no script, no
/// network) from result folders: each metric against a swept numeric parameter
/// with 95% CI bands, mechanism comparison bars, and time series (`series.csv`).
public enum HTMLReport {
    /// A parsed `summary.csv`.
    struct Table {
        let name: String
        let header: [String]
        let rows: [[String]]

        func column(_ name: String) -> Int? { header.firstIndex(of: name) }
    }

    public static func render(folders: [String]) throws -> String {
        var sections: [String] = []
        for folder in folders {
            let table = try readCSV(folder + "/summary.csv", name: (folder as NSString).lastPathComponent)
            sections.append(section(table))
            if FileManager.default.fileExists(atPath: folder + "/comparisons.csv") {
                sections.append(comparisonSection(try readCSV(folder + "/comparisons.csv", name: "comparisons"), title: table.name))
            }
            if FileManager.default.fileExists(atPath: folder + "/series.csv") {
                let series = try readCSV(folder + "/series.csv", name: "series")
                sections.append(seriesSection(series, title: table.name))
            }
        }
        return """
        <!DOCTYPE html>
        <html lang="en"><head><meta charset="utf-8"><title>Gavel report</title>
        <style>
        body{font-family:system-ui,sans-serif;margin:24px;color:#222;max-width:1100px}
        h1{font-size:22px} h2{font-size:18px;border-bottom:1px solid #ccc;padding-bottom:4px;margin-top:32px}
        h3{font-size:14px;margin:16px 0 4px} .charts{display:flex;flex-wrap:wrap;gap:12px}
        figure{margin:0} figcaption{font-size:12px;color:#555}
        table{border-collapse:collapse;font-size:12px} td,th{border:1px solid #ddd;padding:2px 6px;text-align:right}
        </style></head><body>
        <h1>Gavel report</h1>
        <p>\(escape(folders.joined(separator: ", ")))</p>
        \(sections.joined(separator: "\n"))
        </body></html>

        """
    }

    static func readCSV(_ path: String, name: String) throws -> Table {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ExperimentError("\(path) not found (expected a result folder written by gavel run or gavel sweep merge)")
        }
        var lines = parseCSV(String(decoding: data, as: UTF8.self))
        guard !lines.isEmpty else { throw ExperimentError("\(path) is empty") }
        let header = lines.removeFirst()
        for (i, row) in lines.enumerated() where row.count != header.count {
            throw ExperimentError("\(path):\(i + 2): expected \(header.count) fields, found \(row.count)")
        }
        return Table(name: name, header: header, rows: lines)
    }

    /// `comparisons.csv` as a table: each row's paired difference as mean ± 95% half-width,
    /// marked when the interval excludes 0 (at most `comparisonRows` rows: the file has them all).
    static let comparisonRows = 300
    static func comparisonSection(_ t: Table, title: String) -> String {
        guard let m = t.column("mean_difference"), let ci = t.column("ci95"), let metric = t.column("metric"),
              let pairs = t.column("pairs"), let vr = t.column("variance_reduction"), let base = t.column("baseline") else {
            return "<p>comparisons.csv: unexpected columns</p>"
        }
        let keys = Array(0..<base)   // the mechanism column and the parameters
        var html = "<h3>\(escape(title)): paired differences against \(escape(t.rows.first?[base] ?? ""))</h3>"
        html += "<p>Mechanism − baseline, paired by configuration and replicate (common random numbers); "
        html += "<b>bold</b>: the 95% interval excludes 0. variance_reduction: unpaired ÷ paired variance of the difference.</p>"
        html += "<table><tr>" + keys.map { "<th>\(escape(t.header[$0]))</th>" }.joined() + "<th>metric</th><th>difference ± 95%</th><th>pairs</th><th>variance_reduction</th></tr>"
        for row in t.rows.prefix(comparisonRows) {
            let mean = Double(row[m]) ?? .nan, half = Double(row[ci]) ?? .nan
            let excludes = half.isFinite && abs(mean) > half
            let cell = row[m] + (row[ci].isEmpty ? "" : " ± " + row[ci])
            html += "<tr>" + keys.map { "<td>\(escape(row[$0]))</td>" }.joined()
            html += "<td>\(escape(row[metric]))</td><td>\(excludes ? "<b>" : "")\(escape(cell))\(excludes ? "</b>" : "")</td>"
            html += "<td>\(escape(row[pairs]))</td><td>\(escape(row[vr]))</td></tr>"
        }
        html += "</table>"
        if t.rows.count > comparisonRows { html += "<p>\(t.rows.count - comparisonRows) more rows in comparisons.csv</p>" }
        return html
    }

    /// RFC 4180 fields (quotes doubled inside quoted fields).
    static func parseCSV(_ text: String) -> [[String]] {
        var rows: [[String]] = [], row: [String] = [], field = ""
        var quoted = false, atStart = true
        for ch in text {
            if quoted {
                if ch == "\"" { quoted = false } else { field.append(ch) }
                continue
            }
            switch ch {
            case "\"": if atStart { quoted = true } else { field.append("\"") }; atStart = false
            case ",": row.append(field); field = ""; atStart = true
            case "\n", "\r\n": row.append(field); rows.append(row); row = []; field = ""; atStart = true
            default: field.append(ch); atStart = false
            }
        }
        if !field.isEmpty || !row.isEmpty { row.append(field); rows.append(row) }
        return rows
    }

    /// Metric columns: those with a numeric value in every row, not a parameter.
    static func section(_ t: Table) -> String {
        guard let repl = t.column("replications") else { return "<h2>\(escape(t.name))</h2><p>no replications column</p>" }
        let parameters = Array(t.header[1..<repl])
        let metrics = t.header[(repl + 1)...].filter { !$0.hasSuffix("_sd") && !$0.hasSuffix("_ci95") }
        let mechanisms = orderedUnique(t.rows.map { $0[0] })
        // The swept axis: the numeric parameter with the most distinct values.
        let axis = parameters.compactMap { p -> (String, Int)? in
            let c = t.column(p)!
            let values = t.rows.map { $0[c] }
            guard values.allSatisfy({ Double($0) != nil }) else { return nil }
            return (p, Set(values).count)
        }.filter { $0.1 > 1 }.max { $0.1 < $1.1 }?.0
        var out = "<h2>\(escape(t.name))</h2><p>\(t.rows.count) rows; mechanisms: \(escape(mechanisms.joined(separator: ", ")))"
        if let axis { out += "; swept parameter: \(escape(axis))" }
        out += "</p><div class=\"charts\">"
        for metric in metrics {
            let c = t.column(metric)!
            guard t.rows.allSatisfy({ Double($0[c]) != nil }) else { continue }
            let ci = t.column(metric + "_ci95")
            if let axis, let a = t.column(axis) {
                // One line per mechanism and value of the other parameters; mean over duplicates of the axis value.
                var lines: [(String, [(Double, Double, Double)])] = []
                let others = parameters.filter { $0 != axis }.compactMap { t.column($0) }
                for key in orderedUnique(t.rows.map { row in ([row[0]] + others.map { row[$0] }).joined(separator: " ") }) {
                    let points = t.rows.filter { row in ([row[0]] + others.map { row[$0] }).joined(separator: " ") == key }
                        .map { row in (Double(row[a])!, Double(row[c])!, ci.flatMap { Double(row[$0]) }.flatMap { $0.isFinite ? $0 : nil } ?? 0) }
                        .sorted { $0.0 < $1.0 }
                    if points.count > 1 { lines.append((key, points)) }
                }
                if !lines.isEmpty { out += figure(lineChart(lines, xLabel: axis, yLabel: metric), caption: "\(metric) against \(axis) (bands: 95% CI)") }
            }
            // One bar per mechanism and value of the parameters other than the swept axis.
            let labelColumns = [0] + parameters.filter { $0 != axis }.compactMap { t.column($0) }
            func label(_ row: [String]) -> String { labelColumns.map { row[$0] }.filter { !$0.isEmpty }.joined(separator: " ") }
            let bars = orderedUnique(t.rows.map(label)).map { m -> (String, Double, Double) in
                let rows = t.rows.filter { label($0) == m }
                let values = rows.map { Double($0[c])! }
                let spread = ci.map { col in rows.map { Double($0[col]) ?? 0 }.filter(\.isFinite).max() ?? 0 } ?? 0
                return (m, values.reduce(0, +) / Double(values.count), spread)
            }
            if bars.count > 1 || axis == nil { out += figure(barChart(bars, label: metric), caption: "\(metric) by mechanism (mean over \(axis ?? "replications"); whisker: largest 95% CI)") }
        }
        return out + "</div>"
    }

    /// Time series (`series.csv`): x is the `time` column (else the first numeric one);
    /// the text columns name the lines (at most eight; aggregate rows named `all` first).
    static func seriesSection(_ t: Table, title: String) -> String {
        guard t.rows.count > 1 else { return "" }
        let numeric = t.header.indices.filter { c in t.rows.allSatisfy { $0[c].isEmpty || Double($0[c]) != nil } }
        let text = t.header.indices.filter { !numeric.contains($0) }
        guard let x = t.column("time") ?? numeric.first else { return "" }
        func group(_ row: [String]) -> String { text.map { row[$0] }.joined(separator: " ") }
        var groups = orderedUnique(t.rows.map(group))
        if groups.count > 8 {
            let aggregates = groups.filter { $0.split(separator: " ").contains("all") }
            groups = Array((aggregates.isEmpty ? groups : aggregates).prefix(8))
        }
        var out = "<h3>\(escape(title)): time series</h3><div class=\"charts\">"
        for c in numeric where c != x {
            var lines: [(String, [(Double, Double, Double)])] = []
            for g in groups {
                let points = t.rows.filter { group($0) == g }.compactMap { r -> (Double, Double, Double)? in
                    guard let xv = Double(r[x]), let yv = Double(r[c]) else { return nil }
                    return (xv, yv, 0)
                }
                if points.count > 1 { lines.append((g, points)) }
            }
            if !lines.isEmpty { out += figure(lineChart(lines, xLabel: t.header[x], yLabel: t.header[c]), caption: "\(t.header[c]) over \(t.header[x])") }
        }
        return out + "</div>"
    }

    static let palette = ["#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2", "#17becf"]

    static func figure(_ svg: String, caption: String) -> String {
        "<figure>\(svg)<figcaption>\(escape(caption))</figcaption></figure>"
    }

    /// Lines with optional CI bands: (label, [(x, y, halfWidth)]).
    static func lineChart(_ lines: [(String, [(Double, Double, Double)])], xLabel: String, yLabel: String) -> String {
        let w = 340.0, h = 220.0, left = 56.0, right = 10.0, top = 10.0, bottom = 36.0
        let xs = lines.flatMap { $0.1.map(\.0) }, ys = lines.flatMap { $0.1.flatMap { [$0.1 - $0.2, $0.1 + $0.2] } }
        let (x0, x1) = range(xs), (y0, y1) = range(ys)
        func px(_ x: Double) -> Double { left + (x - x0) / (x1 - x0) * (w - left - right) }
        func py(_ y: Double) -> Double { h - bottom - (y - y0) / (y1 - y0) * (h - top - bottom) }
        var svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(Int(w))\" height=\"\(Int(h))\" font-size=\"10\">"
        svg += axes(w: w, h: h, left: left, right: right, top: top, bottom: bottom, x: (x0, x1), y: (y0, y1), xLabel: xLabel, yLabel: yLabel)
        for (i, (label, points)) in lines.enumerated() {
            let color = palette[i % palette.count]
            if points.contains(where: { $0.2 > 0 }) {
                let upper = points.map { "\(f(px($0.0))),\(f(py($0.1 + $0.2)))" }
                let lower = points.reversed().map { "\(f(px($0.0))),\(f(py($0.1 - $0.2)))" }
                svg += "<polygon points=\"\((upper + lower).joined(separator: " "))\" fill=\"\(color)\" fill-opacity=\"0.18\" stroke=\"none\"/>"
            }
            svg += "<polyline points=\"\(points.map { "\(f(px($0.0))),\(f(py($0.1)))" }.joined(separator: " "))\" fill=\"none\" stroke=\"\(color)\" stroke-width=\"1.5\"/>"
            svg += "<text x=\"\(f(left + 6))\" y=\"\(f(top + 12 + Double(i) * 12))\" fill=\"\(color)\">\(escape(label))</text>"
        }
        return svg + "</svg>"
    }

    static func barChart(_ bars: [(String, Double, Double)], label: String) -> String {
        let w = max(200.0, 60.0 + Double(bars.count) * 56), h = 220.0, left = 56.0, right = 10.0, top = 10.0, bottom = 48.0
        let (y0, y1) = range([0] + bars.flatMap { [$0.1 + $0.2, $0.1 - $0.2] })
        func py(_ y: Double) -> Double { h - bottom - (y - y0) / (y1 - y0) * (h - top - bottom) }
        var svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(Int(w))\" height=\"\(Int(h))\" font-size=\"10\">"
        svg += axes(w: w, h: h, left: left, right: right, top: top, bottom: bottom, x: nil, y: (y0, y1), xLabel: "", yLabel: label)
        let slot = (w - left - right) / Double(bars.count)
        for (i, (name, value, ci)) in bars.enumerated() {
            let x = left + slot * Double(i) + slot * 0.15, bw = slot * 0.7
            let yTop = min(py(value), py(0)), height = abs(py(value) - py(0))
            svg += "<rect x=\"\(f(x))\" y=\"\(f(yTop))\" width=\"\(f(bw))\" height=\"\(f(height))\" fill=\"\(palette[i % palette.count])\"/>"
            if ci > 0 { svg += "<line x1=\"\(f(x + bw / 2))\" x2=\"\(f(x + bw / 2))\" y1=\"\(f(py(value - ci)))\" y2=\"\(f(py(value + ci)))\" stroke=\"#000\"/>" }
            svg += "<text x=\"\(f(x + bw / 2))\" y=\"\(f(h - bottom + 12))\" text-anchor=\"middle\">\(escape(name))</text>"
        }
        return svg + "</svg>"
    }

    static func axes(w: Double, h: Double, left: Double, right: Double, top: Double, bottom: Double,
                     x: (Double, Double)?, y: (Double, Double), xLabel: String, yLabel: String) -> String {
        var s = "<line x1=\"\(f(left))\" y1=\"\(f(top))\" x2=\"\(f(left))\" y2=\"\(f(h - bottom))\" stroke=\"#444\"/>"
        s += "<line x1=\"\(f(left))\" y1=\"\(f(h - bottom))\" x2=\"\(f(w - right))\" y2=\"\(f(h - bottom))\" stroke=\"#444\"/>"
        for k in 0...4 {
            let v = y.0 + (y.1 - y.0) * Double(k) / 4
            let yy = h - bottom - Double(k) / 4 * (h - top - bottom)
            s += "<text x=\"\(f(left - 4))\" y=\"\(f(yy + 3))\" text-anchor=\"end\">\(tick(v))</text>"
            s += "<line x1=\"\(f(left))\" x2=\"\(f(w - right))\" y1=\"\(f(yy))\" y2=\"\(f(yy))\" stroke=\"#eee\"/>"
            if let x {
                let xv = x.0 + (x.1 - x.0) * Double(k) / 4
                let xx = left + Double(k) / 4 * (w - left - right)
                s += "<text x=\"\(f(xx))\" y=\"\(f(h - bottom + 12))\" text-anchor=\"middle\">\(tick(xv))</text>"
            }
        }
        s += "<text x=\"\(f((left + w - right) / 2))\" y=\"\(f(h - 6))\" text-anchor=\"middle\">\(escape(xLabel))</text>"
        s += "<text x=\"12\" y=\"\(f((top + h - bottom) / 2))\" transform=\"rotate(-90 12 \(f((top + h - bottom) / 2)))\" text-anchor=\"middle\">\(escape(yLabel))</text>"
        return s
    }

    static func range(_ values: [Double]) -> (Double, Double) {
        let finite = values.filter(\.isFinite)
        guard let lo = finite.min(), let hi = finite.max() else { return (0, 1) }
        if lo == hi { return (lo - 1, hi + 1) }
        let pad = (hi - lo) * 0.05
        return (lo - pad, hi + pad)
    }

    static func tick(_ v: Double) -> String { abs(v) >= 1e4 || (abs(v) < 1e-2 && v != 0) ? String(format: "%.2e", v) : String(format: "%.3g", v) }
    static func f(_ v: Double) -> String { String(format: "%.1f", v) }

    static func escape(_ s: String) -> String {
        s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }

    static func orderedUnique(_ values: [String]) -> [String] {
        var seen = Set<String>(), out: [String] = []
        for v in values where seen.insert(v).inserted { out.append(v) }
        return out
    }
}
