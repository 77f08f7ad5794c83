import Foundation
import Testing

/// Issue 15: the reports of the committed results, loaded in headless Chromium (installed by
/// `scripts/setup --test`). The page's own check (`report.html#check`) measures every chart's box
/// and every pair of labels of a chart, and counts fetched resources; the test reads its result
/// from the DOM Chromium dumps.
@Suite("Reports in a real browser, and gavel report's bad input", .serialized)
struct ReportTests {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// The sweeps (committed reports), the published-ratio table (140 rows) and one of each shape.
    static let results = ["sweep-aigc-reserve-budget", "sweep-matching-edge-probability", "sweep-mohaf-clusters", "sweep-rtb-budget-ratio",
                          "matching-published-ratios", "aigc-cascade", "mohaf-google-live", "mohaf-table1", "infoacq-online", "rtb-ipinyou-2997"]

    static func check(_ html: String, in ws: Workspace) throws -> [String: Any] {
        let out = ws.path("dom.html"), err = ws.path("chromium.err")
        let exit = try Subprocess.run("chromium", ["--headless", "--no-sandbox", "--disable-gpu", "--virtual-time-budget=5000", "--dump-dom",
                                                   "file://\(html)#check"], stdout: out, stderr: err, timeout: 120)
        #expect(exit.code == 0, "headless Chromium must load the report (scripts/setup --test installs it)")
        let dom = String(decoding: try ws.read("dom.html"), as: UTF8.self)
        guard let start = dom.range(of: "<pre id=\"gavel-check\">"), let end = dom.range(of: "</pre>", range: start.upperBound..<dom.endIndex) else {
            Issue.record("no layout check in the dumped page")
            return [:]
        }
        let json = String(dom[start.upperBound..<end.lowerBound]).replacingOccurrences(of: "&quot;", with: "\"").replacingOccurrences(of: "&amp;", with: "&")
        return try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
    }

    @Test("Every chart has a box, no two labels of a chart overlap, nothing is fetched", arguments: results)
    func layout(_ name: String) throws {
        let ws = try Workspace(); defer { ws.remove() }
        let html = ws.path("\(name).html")
        let r = try Gavel.run(["report", Self.repository.appendingPathComponent("Results/\(name)").path, "--out", html], in: ws.root)
        try #require(r.status == 0, "\(r.stderr)")
        let text = String(decoding: try ws.read("\(name).html"), as: UTF8.self)
        // No network: the only URL is the SVG namespace (also percent-encoded in the SVG downloads).
        let urls = text.replacingOccurrences(of: "http-equiv", with: "").components(separatedBy: "http").dropFirst().map { String($0.prefix(40)) }
        #expect(urls.allSatisfy { $0.hasPrefix("://www.w3.org/2000/svg") || $0.hasPrefix("%3A%2F%2Fwww.w3.org%2F2000%2Fsvg") }, "\(name): a URL")
        let result = try Self.check(html, in: ws)
        #expect((result["charts"] as? Int ?? 0) > 0, "\(name): no chart")
        #expect((result["problems"] as? [String] ?? ["missing"]).isEmpty, "\(name): \(result["problems"] ?? "")")
        #expect(result["resources"] as? Int == 0, "\(name): fetched \(result["resources"] ?? "?") resources")
    }

    @Test("The published-ratio table: its reproduction view is there, readable")
    func matchingReproduction() throws {
        let ws = try Workspace(); defer { ws.remove() }
        let r = try Gavel.run(["report", Self.repository.appendingPathComponent("Results/matching-published-ratios").path, "--out", ws.path("m.html")], in: ws.root)
        try #require(r.status == 0)
        let text = String(decoding: try ws.read("m.html"), as: UTF8.self)
        #expect(text.contains("published values within tolerance") && text.contains("(measured − published) / tolerance"))
    }

    @Test("Bad input: not a result folder, a newer schema, an unwritable output: one line, no HTML")
    func badInput() throws {
        let ws = try Workspace(); defer { ws.remove() }
        try FileManager.default.createDirectory(atPath: ws.path("empty"), withIntermediateDirectories: true)
        var r = try Gavel.run(["report", ws.path("empty"), "--out", ws.path("a.html")], in: ws.root)
        #expect(r.status == 2 && r.stderrLines.count == 1 && r.stderr.contains("not a Gavel result folder"), "\(r.stderr)")
        #expect(!ws.exists("a.html"))
        // A result from a newer Gavel.
        let source = Self.repository.appendingPathComponent("Results/quickstart").path
        try FileManager.default.copyItem(atPath: source, toPath: ws.path("newer"))
        var manifest = String(decoding: try ws.read("newer/manifest.json"), as: UTF8.self)
        manifest = manifest.replacingOccurrences(of: "\"tool\": \"gavel\",", with: "\"tool\": \"gavel\", \"result_schema\": 99,")
        _ = try ws.write("newer/manifest.json", manifest)
        r = try Gavel.run(["report", ws.path("newer"), "--out", ws.path("b.html")], in: ws.root)
        #expect(r.status == 2 && r.stderrLines.count == 1 && r.stderr.contains("result schema 99"), "\(r.stderr)")
        #expect(!ws.exists("b.html"))
        // An output folder that does not exist, and one that is not writable.
        r = try Gavel.run(["report", source, "--out", ws.path("missing/c.html")], in: ws.root)
        #expect(r.status == 1 && r.stderrLines.count == 1 && r.stderr.contains("cannot write here"), "\(r.stderr)")
        try FileManager.default.createDirectory(atPath: ws.path("ro"), withIntermediateDirectories: true)
        try FileManager.default.setAttributes([.posixPermissions: 0o555], ofItemAtPath: ws.path("ro"))
        defer { try? FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: ws.path("ro")) }
        if getuid() != 0 {   // root writes anywhere
            r = try Gavel.run(["report", source, "--out", ws.path("ro/d.html")], in: ws.root)
            #expect(r.status == 1 && r.stderrLines.count == 1, "\(r.stderr)")
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: ws.path("ro")).isEmpty)
        // Unwritable even for root: /proc takes no new file.
        r = try Gavel.run(["report", source, "--out", "/proc/gavel-report.html"], in: ws.root)
        #expect(r.status == 1 && r.stderrLines.count == 1 && r.stderr.contains("/proc/gavel-report.html"), "\(r.stderr)")
        #expect(!FileManager.default.fileExists(atPath: "/proc/gavel-report.html"))
    }

    @Test("--figures writes each figure as SVG with its data as CSV")
    func figures() throws {
        let ws = try Workspace(); defer { ws.remove() }
        let source = Self.repository.appendingPathComponent("Results/quickstart").path
        let r = try Gavel.run(["report", source, "--out", ws.path("q.html"), "--figures", ws.path("fig")], in: ws.root)
        try #require(r.status == 0, "\(r.stderr)")
        let files = try FileManager.default.contentsOfDirectory(atPath: ws.path("fig")).sorted()
        #expect(files.contains("quickstart-revenue.svg") && files.contains("quickstart-revenue.csv"))
        let svg = String(decoding: try ws.read("fig/quickstart-revenue.svg"), as: UTF8.self)
        #expect(svg.hasPrefix("<svg xmlns=\"http://www.w3.org/2000/svg\""))
        // The CSV holds the plotted means: 2 mechanisms × 4 bidder counts.
        let csv = String(decoding: try ws.read("fig/quickstart-revenue.csv"), as: UTF8.self)
        #expect(csv.split(separator: "\n").count == 1 + 8)
    }
}
