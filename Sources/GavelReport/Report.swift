import Foundation
import GavelCore
#if canImport(Glibc)
import Glibc
#endif

/// `gavel report`: one self-contained HTML page (inline SVG and CSS, a few lines of inline script
/// for sortable tables and the layout self-check, no network) from result folders, each shown
/// by the views its shape calls for (`Views`). Colours are fixed per mechanism over the page.
public enum Report {
    /// A built report: the HTML page and each figure as a standalone SVG with the CSV of its data.
    public struct Page {
        /// The self-contained HTML page.
        public let html: String
        /// Each figure as a standalone SVG and the CSV of its data, by file stem.
        public let figures: [(name: String, svg: String, csv: String)]
    }

    /// Builds the page from result folders, in the order given.
    /// - Throws: `InputError` when no folder is given or a folder cannot be read.
    public static func build(folders paths: [String], title: String = "Gavel report", summary: [String] = []) throws -> Page {
        guard !paths.isEmpty else { throw InputError("no result folder given (expected one or more folders written by gavel run)") }
        let folders = try paths.map { try ResultFolder(path: $0) }
        var palette = Palette()
        for f in folders { for row in f.summary.rows { palette.add(row[0]) } }
        var body = "", toc = "", figures: [(String, String, String)] = []
        for (k, folder) in folders.enumerated() {
            let views = Views(folder: folder, palette: palette)
            let anchor = "r\(k)-" + views.id
            toc += "<li><a href=\"#\(anchor)\">\(SVG.esc(folder.name))</a> <span class=\"kind\">\(SVG.esc(folder.kind))</span></li>"
            body += "<section id=\"\(anchor)\"><h2>\(SVG.esc(folder.name))</h2><p class=\"meta\">kind <b>\(SVG.esc(folder.kind))</b> · \(folder.summary.rows.count) rows · <code>\(SVG.esc(folder.path))</code></p>"
            for item in views.items {
                switch item {
                case .note(let text): body += "<p>\(SVG.esc(text))</p>"
                case .table(let t): body += table(t)
                case .figure(let f):
                    let csv = CSVTable.text(header: f.csvHeader, rows: f.csvRows)
                    figures.append((f.id, f.svg, csv))
                    body += "<figure id=\"\(SVG.esc(f.id))\">\(f.svg)<figcaption>\(SVG.esc(f.caption)) "
                    body += "<a download=\"\(SVG.esc(f.id)).svg\" href=\"data:image/svg+xml;charset=utf-8,\(uri(f.svg))\">SVG</a> "
                    body += "<a download=\"\(SVG.esc(f.id)).csv\" href=\"data:text/csv;charset=utf-8,\(uri(csv))\">CSV</a></figcaption></figure>"
                }
            }
            body += "</section>"
        }
        let lead = summary.isEmpty ? "" : "<ul class=\"headline\">" + summary.map { "<li>\(SVG.esc($0))</li>" }.joined() + "</ul>"
        let html = """
        <!DOCTYPE html>
        <html lang="en"><head><meta charset="utf-8"><title>\(SVG.esc(title))</title>
        <meta http-equiv="Content-Security-Policy" content="default-src 'none'; img-src data:; style-src 'unsafe-inline'; script-src 'unsafe-inline'">
        <style>
        body{font-family:system-ui,sans-serif;margin:24px auto;color:#222;max-width:1180px;padding:0 16px}
        h1{font-size:22px} h2{font-size:18px;border-bottom:1px solid #ccc;padding-bottom:4px;margin-top:36px}
        .meta,.kind{color:#666;font-size:12px} figure{margin:16px 0;display:inline-block;vertical-align:top;max-width:100%;overflow-x:auto}
        figcaption{font-size:12px;color:#444;max-width:640px} figcaption a{margin-left:6px}
        table{border-collapse:collapse;font-size:12px;margin:8px 0} td,th{border:1px solid #ddd;padding:2px 6px;text-align:right}
        th{background:#f4f4f4;cursor:pointer} tr.fail td{background:#fde8e8;font-weight:600} .tablewrap{max-height:480px;overflow:auto}
        .headline li{margin:2px 0}
        </style></head><body>
        <h1>\(SVG.esc(title))</h1>
        \(lead)<ul>\(toc)</ul>
        \(body)
        <script>
        // Sortable tables: click a header (numbers compare as numbers).
        document.querySelectorAll('table.sortable th').forEach(function(th, _) {
          th.addEventListener('click', function() {
            var table = th.closest('table'), i = Array.prototype.indexOf.call(th.parentNode.children, th);
            var rows = Array.prototype.slice.call(table.tBodies[0].rows), dir = th.dataset.dir === 'asc' ? -1 : 1;
            th.dataset.dir = dir === 1 ? 'asc' : 'desc';
            rows.sort(function(a, b) {
              var x = a.cells[i].textContent, y = b.cells[i].textContent, p = parseFloat(x), q = parseFloat(y);
              return dir * (isNaN(p) || isNaN(q) ? x.localeCompare(y) : p - q);
            });
            rows.forEach(function(r) { table.tBodies[0].appendChild(r); });
          });
        });
        // Layout self-check (report.html#check): every chart has a box, no two labels of a chart
        // overlap, no resource was fetched. The result is written into the page for a test to read.
        if (location.hash === '#check') {
          var charts = document.querySelectorAll('svg.chart'), problems = [];
          charts.forEach(function(svg, k) {
            var box = svg.getBoundingClientRect();
            if (!(box.width > 0 && box.height > 0)) problems.push('chart ' + k + ' has an empty box');
            var texts = Array.prototype.map.call(svg.querySelectorAll('text'), function(t) { return [t, t.getBoundingClientRect()]; });
            for (var i = 0; i < texts.length; i++) for (var j = i + 1; j < texts.length; j++) {
              var a = texts[i][1], b = texts[j][1];
              if (a.width > 0 && b.width > 0 && a.left < b.right - 0.5 && b.left < a.right - 0.5 && a.top < b.bottom - 0.5 && b.top < a.bottom - 0.5)
                problems.push((svg.getAttribute('aria-label') || 'chart ' + k) + ': "' + texts[i][0].textContent + '" overlaps "' + texts[j][0].textContent + '"');
            }
          });
          var result = {charts: charts.length, problems: problems, resources: performance.getEntriesByType('resource').length};
          var pre = document.createElement('pre'); pre.id = 'gavel-check'; pre.textContent = JSON.stringify(result);
          document.body.appendChild(pre);
        }
        </script>
        </body></html>

        """
        return Page(html: html, figures: figures)
    }

    static func table(_ t: Table) -> String {
        var out = t.collapsed ? "<details><summary>\(SVG.esc(t.title))</summary>" : "<h3>\(SVG.esc(t.title))</h3>"
        out += "<div class=\"tablewrap\"><table class=\"sortable\"><thead><tr>" + t.header.map { "<th>\(SVG.esc($0))</th>" }.joined() + "</tr></thead><tbody>"
        for (i, row) in t.rows.enumerated() {
            out += (i < t.emphasis.count && t.emphasis[i] ? "<tr class=\"fail\">" : "<tr>") + row.map { "<td>\(SVG.esc($0))</td>" }.joined() + "</tr>"
        }
        return out + "</tbody></table></div>" + (t.collapsed ? "</details>" : "")
    }

    static func uri(_ s: String) -> String {
        s.addingPercentEncoding(withAllowedCharacters: CharacterSet(charactersIn: "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.~ ")) .map { $0.replacingOccurrences(of: " ", with: "%20") } ?? ""
    }

    /// Writes the page to `out` (and with `figuresFolder`, every figure as NAME.svg and NAME.csv).
    /// The output is checked for writability before anything is computed, and the page is
    /// written to a temporary file that is renamed into place: a failure leaves no partial HTML.
    public static func write(folders: [String], to out: String, figuresFolder: String? = nil, title: String = "Gavel report", summary: [String] = []) throws {
        let directory = (out as NSString).deletingLastPathComponent.isEmpty ? "." : (out as NSString).deletingLastPathComponent
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory), isDirectory.boolValue,
              FileManager.default.isWritableFile(atPath: directory) else {
            throw ExperimentError("\(out): cannot write here (\(directory) is not a writable folder)")
        }
        if FileManager.default.fileExists(atPath: out, isDirectory: &isDirectory), isDirectory.boolValue {
            throw ExperimentError("\(out): is a folder (expected a file name for the HTML report)")
        }
        let page = try build(folders: folders, title: title, summary: summary)
        let temporary = directory + "/.\((out as NSString).lastPathComponent).\(ProcessInfo.processInfo.processIdentifier).tmp"
        do {
            try Data(page.html.utf8).write(to: URL(fileURLWithPath: temporary))
            // rename(2) replaces an existing report atomically.
            guard rename(temporary, out) == 0 else { throw ExperimentError(String(cString: strerror(errno))) }
        } catch {
            try? FileManager.default.removeItem(atPath: temporary)
            throw ExperimentError("\(out): cannot write the report: \(error.localizedDescription)")
        }
        if let figuresFolder {
            try FileManager.default.createDirectory(atPath: figuresFolder, withIntermediateDirectories: true)
            for f in page.figures {
                try Data(f.svg.utf8).write(to: URL(fileURLWithPath: "\(figuresFolder)/\(f.name).svg"))
                try Data(f.csv.utf8).write(to: URL(fileURLWithPath: "\(figuresFolder)/\(f.name).csv"))
            }
        }
    }
}

/// One line per result folder for a terminal: what a reader would want first.
public enum Headline {
    /// One line about the result folder at `path`.
    /// - Throws: `InputError` when the folder cannot be read.
    public static func line(_ path: String) throws -> String {
        let f = try ResultFolder(path: path)
        let shape = Views.shape(of: f)
        if let r = f.extra["reproduction"], let pass = r.column("pass") {
            let ok = r.rows.filter { $0[pass] == "true" }.count
            return "\(f.name): \(ok) of \(r.rows.count) published values reproduced within tolerance"
        }
        if let c = f.extra["comparisons"], let m = c.column("mean_difference"), let ci = c.column("ci95"),
           let metric = c.column("metric"), let base = c.column("baseline") {
            // The paired difference most clearly away from 0 (|mean| / half-width), on a charted metric.
            let charted = Set(shape.metrics.map { f.summary.header[$0] })
            let best = c.rows.filter { charted.contains($0[metric]) }.compactMap { r -> ([String], Double)? in
                guard let d = Double(r[m]), let h = Double(r[ci]), h > 0, d.isFinite, h.isFinite else { return nil }
                return (r, abs(d) / h)
            }.max { $0.1 < $1.1 }
            if let (r, _) = best {
                let params = (1..<base).filter { !r[$0].isEmpty }.map { "\(c.header[$0])=\(r[$0])" }.joined(separator: " ")
                return "\(f.name): \(r[metric]) \(r[0]) − \(r[base]) = \(short(r[m])) ± \(short(r[ci])) (95%, paired\(params.isEmpty ? "" : ", " + params))"
            }
        }
        let s = shape
        if let m = s.metrics.first {
            // Each row named by its mechanism and the parameters that vary.
            let varying = s.parameters.filter { c in Set(f.summary.rows.map { $0[c] }).count > 1 }
            let values = f.summary.rows.compactMap { r in
                Double(r[m]).map { (([r[0]] + varying.map { "\(f.summary.header[$0])=\(r[$0])" }).joined(separator: " "), $0) }
            }
            if let lo = values.min(by: { $0.1 < $1.1 }), let hi = values.max(by: { $0.1 < $1.1 }) {
                return "\(f.name): \(f.summary.header[m]) from \(short(String(lo.1))) (\(lo.0)) to \(short(String(hi.1))) (\(hi.0))"
            }
        }
        return "\(f.name): \(f.summary.rows.count) rows"
    }

    static func short(_ s: String) -> String {
        guard let x = Double(s) else { return s }
        return String(format: "%.4g", x)
    }
}
