import Foundation

/// Inline SVG charts whose text never overlaps: category labels sit one per row (truncated with
/// the full text in a tooltip), legends are vertical lists, tick counts are chosen so that
/// labels of the estimated width fit, and axis titles sit apart from the ticks. Every `<text>`
/// of a chart is checked for overlaps in a real browser (`ReportLayoutTests`).
enum SVG {
    /// Estimated width of 11 px text (system-ui averages under 6.5 px a character; digits are 6.1).
    static func width(_ s: String) -> Double { Double(s.count) * 7 }
    static let maxLabel = 34

    static func esc(_ s: String) -> String {
        s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }
    static func f(_ x: Double) -> String { String(format: "%.1f", x) }

    /// A label, truncated past `maxLabel` characters with the whole text as its tooltip.
    static func text(_ s: String, x: Double, y: Double, anchor: String = "start", cls: String, extra: String = "") -> String {
        let shown = s.count > maxLabel ? String(s.prefix(maxLabel - 1)) + "…" : s
        let title = shown == s ? "" : "<title>\(esc(s))</title>"
        return "<text class=\"\(cls)\" x=\"\(f(x))\" y=\"\(f(y))\" text-anchor=\"\(anchor)\"\(extra)>\(title)\(esc(shown))</text>"
    }

    static func open(_ w: Double, _ h: Double, title: String) -> String {
        "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" width=\"\(Int(w))\" height=\"\(Int(h))\" viewBox=\"0 0 \(Int(w)) \(Int(h))\" role=\"img\" aria-label=\"\(esc(title))\" font-family=\"system-ui,sans-serif\" font-size=\"11\">"
    }

    /// The x scale with as many ticks as fit in `width` px.
    static func xScale(_ lo: Double, _ hi: Double, width: Double) -> NiceScale {
        var n = 7
        while n > 2 {
            let s = NiceScale(lo, hi, maxTicks: n)
            let widest = s.labels().map(SVG.width).max() ?? 0
            if Double(s.ticks.count) * (widest + 12) <= width { return s }
            n -= 1
        }
        return NiceScale(lo, hi, maxTicks: 2)
    }
}

/// One series of a line chart: (x, y, 95% half-width) points, drawn with a band when a half-width is positive.
struct Series: Sendable {
    var name: String
    var points: [(x: Double, y: Double, half: Double)]
    /// Draw as an empirical CDF (steps) instead of a line through points.
    var steps = false
}

struct Panel: Sendable {
    var title: String
    var series: [Series]
}

/// Lines (with 95% CI bands) in one or more panels that share both scales (small multiples).
struct LineChart {
    var panels: [Panel]
    var xLabel: String
    var yLabel: String

    func svg(_ palette: Palette) -> String {
        let pw = 300.0, ph = 190.0, left = 58.0, top = 34.0, bottom = 44.0, gap = 26.0
        let names = panels.flatMap { $0.series.map(\.name) }.reduce(into: [String]()) { if !$0.contains($1) { $0.append($1) } }
        let legendWidth = min(Double(SVG.maxLabel), Double(names.map(\.count).max() ?? 0)) * 7 + 34
        let columns = min(panels.count, 3), rows = (panels.count + columns - 1) / columns
        let w = left + Double(columns) * (pw + gap) + legendWidth
        let h = max(Double(rows) * (ph + top + bottom), top + Double(names.count) * 18 + 20)
        let xs = panels.flatMap { $0.series.flatMap { $0.points.map(\.x) } }
        let ys = panels.flatMap { $0.series.flatMap { $0.points.flatMap { [$0.y - $0.half, $0.y + $0.half] } } }.filter(\.isFinite)
        let sx = SVG.xScale(xs.min() ?? 0, xs.max() ?? 1, width: pw)
        let sy = NiceScale(ys.min() ?? 0, ys.max() ?? 1, maxTicks: max(3, Int(ph / 30)))
        var out = SVG.open(w, h, title: "\(yLabel) against \(xLabel)")
        for (k, panel) in panels.enumerated() {
            let ox = left + Double(k % columns) * (pw + gap), oy = top + Double(k / columns) * (ph + top + bottom)
            func px(_ x: Double) -> Double { ox + (x - sx.lower) / (sx.upper - sx.lower) * pw }
            func py(_ y: Double) -> Double { oy + ph - (y - sy.lower) / (sy.upper - sy.lower) * ph }
            // Axes, grid and ticks.
            for (t, label) in zip(sy.ticks, sy.labels()) {
                out += "<line x1=\"\(SVG.f(ox))\" x2=\"\(SVG.f(ox + pw))\" y1=\"\(SVG.f(py(t)))\" y2=\"\(SVG.f(py(t)))\" stroke=\"#e5e5e5\"/>"
                if k % columns == 0 { out += SVG.text(label, x: ox - 6, y: py(t) + 3.5, anchor: "end", cls: "tick") }
            }
            for (t, label) in zip(sx.ticks, sx.labels()) {
                out += "<line x1=\"\(SVG.f(px(t)))\" x2=\"\(SVG.f(px(t)))\" y1=\"\(SVG.f(oy + ph))\" y2=\"\(SVG.f(oy + ph + 4))\" stroke=\"#666\"/>"
                out += SVG.text(label, x: px(t), y: oy + ph + 20, anchor: "middle", cls: "tick")
            }
            out += "<rect x=\"\(SVG.f(ox))\" y=\"\(SVG.f(oy))\" width=\"\(SVG.f(pw))\" height=\"\(SVG.f(ph))\" fill=\"none\" stroke=\"#999\"/>"
            out += SVG.text(xLabel, x: ox + pw / 2, y: oy + ph + 37, anchor: "middle", cls: "axis")
            if panels.count > 1 { out += SVG.text(panel.title, x: ox, y: oy - 8, cls: "panel", extra: " font-weight=\"600\"") }
            else if k == 0 { out += SVG.text(yLabel, x: ox, y: oy - 10, cls: "axis") }
            for s in panel.series {
                let colour = palette.colour(s.name), dash = palette.dash(s.name)
                let pts = s.points.sorted { $0.x < $1.x }
                if !s.steps, pts.contains(where: { $0.half > 0 && $0.half.isFinite }) {
                    let upper = pts.map { "\(SVG.f(px($0.x))),\(SVG.f(py($0.y + ($0.half.isFinite ? $0.half : 0))))" }
                    let lower = pts.reversed().map { "\(SVG.f(px($0.x))),\(SVG.f(py($0.y - ($0.half.isFinite ? $0.half : 0))))" }
                    out += "<polygon points=\"\((upper + lower).joined(separator: " "))\" fill=\"\(colour)\" fill-opacity=\"0.15\" stroke=\"none\"/>"
                }
                var path: [String] = []
                for (i, p) in pts.enumerated() {
                    if s.steps && i > 0 { path.append("\(SVG.f(px(p.x))),\(SVG.f(py(pts[i - 1].y)))") }
                    path.append("\(SVG.f(px(p.x))),\(SVG.f(py(p.y)))")
                }
                out += "<polyline points=\"\(path.joined(separator: " "))\" fill=\"none\" stroke=\"\(colour)\" stroke-width=\"1.8\"\(dash.isEmpty ? "" : " stroke-dasharray=\"\(dash)\"")><title>\(SVG.esc(s.name))</title></polyline>"
                if !s.steps && pts.count <= 40 {
                    for p in pts { out += "<circle cx=\"\(SVG.f(px(p.x)))\" cy=\"\(SVG.f(py(p.y)))\" r=\"2.5\" fill=\"\(colour)\"><title>\(SVG.esc(s.name)): \(p.y)</title></circle>" }
                }
            }
        }
        if panels.count > 1 { out += SVG.text(yLabel, x: left, y: 12, cls: "axis") }
        // Legend: one row per series, right of the panels.
        let lx = left + Double(columns) * (pw + gap)
        for (i, name) in names.enumerated() {
            let y = top + Double(i) * 18 + 4
            let dash = palette.dash(name)
            out += "<line x1=\"\(SVG.f(lx))\" x2=\"\(SVG.f(lx + 20))\" y1=\"\(SVG.f(y))\" y2=\"\(SVG.f(y))\" stroke=\"\(palette.colour(name))\" stroke-width=\"3\"\(dash.isEmpty ? "" : " stroke-dasharray=\"\(dash)\"")/>"
            out += SVG.text(name, x: lx + 26, y: y + 4, cls: "legend")
        }
        return out + "</svg>"
    }
}

/// One row of a dot plot: a value with an optional interval and an optional reference mark.
struct DotRow: Sendable {
    var label: String
    var colourKey: String
    var value: Double
    var low: Double? = nil
    var high: Double? = nil
    /// A reference (a published value), drawn as a grey diamond.
    var reference: Double? = nil
    /// Whether the row is highlighted (an interval excluding 0, a reproduction that fails).
    var emphasis = false
}

/// Categories one per row (labels never collide), a dot per value with its interval: a forest
/// plot when `zero` draws the line of no difference.
struct DotPlot {
    var rows: [DotRow]
    var xLabel: String
    var zero = false

    func svg(_ palette: Palette) -> String {
        let rowHeight = 18.0, top = 28.0, bottom = 44.0, plotWidth = 360.0, right = 16.0
        let labelWidth = min(Double(SVG.maxLabel), Double(rows.map(\.label.count).max() ?? 0)) * 7 + 12
        let left = labelWidth
        let h = top + Double(rows.count) * rowHeight + bottom
        let w = left + plotWidth + right
        var values = rows.flatMap { [$0.value, $0.low, $0.high, $0.reference].compactMap { $0 } }.filter(\.isFinite)
        if zero { values.append(0) }
        let sx = SVG.xScale(values.min() ?? 0, values.max() ?? 1, width: plotWidth)
        func px(_ x: Double) -> Double { left + (x - sx.lower) / (sx.upper - sx.lower) * plotWidth }
        var out = SVG.open(w, h, title: xLabel)
        let axisY = top + Double(rows.count) * rowHeight
        for (t, label) in zip(sx.ticks, sx.labels()) {
            out += "<line x1=\"\(SVG.f(px(t)))\" x2=\"\(SVG.f(px(t)))\" y1=\"\(SVG.f(top - 4))\" y2=\"\(SVG.f(axisY))\" stroke=\"#e5e5e5\"/>"
            out += SVG.text(label, x: px(t), y: axisY + 16, anchor: "middle", cls: "tick")
        }
        if zero && sx.lower <= 0 && sx.upper >= 0 {
            out += "<line x1=\"\(SVG.f(px(0)))\" x2=\"\(SVG.f(px(0)))\" y1=\"\(SVG.f(top - 4))\" y2=\"\(SVG.f(axisY))\" stroke=\"#555\" stroke-dasharray=\"3 3\"/>"
        }
        out += SVG.text(xLabel, x: left + plotWidth / 2, y: axisY + 34, anchor: "middle", cls: "axis")
        for (i, r) in rows.enumerated() {
            let y = top + Double(i) * rowHeight + rowHeight / 2
            let colour = palette.colour(r.colourKey)
            out += SVG.text(r.label, x: left - 8, y: y + 4, anchor: "end", cls: "cat", extra: r.emphasis ? " font-weight=\"700\"" : "")
            if let lo = r.low, let hi = r.high, lo.isFinite, hi.isFinite {
                out += "<line x1=\"\(SVG.f(px(lo)))\" x2=\"\(SVG.f(px(hi)))\" y1=\"\(SVG.f(y))\" y2=\"\(SVG.f(y))\" stroke=\"\(colour)\" stroke-width=\"2\"/>"
            }
            if let ref = r.reference, ref.isFinite {
                let x = px(ref)
                out += "<path d=\"M\(SVG.f(x)),\(SVG.f(y - 5)) l5,5 l-5,5 l-5,-5 z\" fill=\"#888\"><title>published \(ref)</title></path>"
            }
            if r.value.isFinite {
                out += "<circle cx=\"\(SVG.f(px(r.value)))\" cy=\"\(SVG.f(y))\" r=\"4\" fill=\"\(colour)\"><title>\(SVG.esc(r.label)): \(r.value)</title></circle>"
            }
        }
        return out + "</svg>"
    }
}
