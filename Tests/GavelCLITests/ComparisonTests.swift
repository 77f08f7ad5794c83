import Foundation
import Testing

/// The repository root (Scenarios/, Results/), from this file's place in it.
let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

/// `gavel compare`, `comparisons.csv`, and the committed sweep scenarios (issue 14).
@Suite("Paired comparisons through the gavel binary", .serialized)
struct ComparisonTests {
    static let scenario = """
    schema_version: 1
    name: cmp
    kind: single_item_auction
    seed: 5
    replications: 6
    mechanisms: [first_price, second_price]
    bidders: [2, 4]
    auctions: 300

    """

    @Test("compare: a folder against a rerun is unchanged (exit 0 with --check); a changed setting moves the metrics (exit 1)")
    func compareFolders() throws {
        let ws = try Workspace(); defer { ws.remove() }
        let file = try ws.write("s.yaml", Self.scenario)
        #expect(try Gavel.run(["run", file, "--out", ws.path("a"), "--quiet"], in: ws.root).status == 0)
        #expect(try Gavel.run(["run", file, "--out", ws.path("b"), "--quiet", "--jobs", "2"], in: ws.root).status == 0)
        #expect(ws.exists("a/comparisons.csv"))
        let same = try Gavel.run(["compare", ws.path("a"), ws.path("b"), "--check"], in: ws.root)
        #expect(same.status == 0, "\(same.stderr)")
        let lines = same.stdout.split(separator: "\n")
        #expect(lines.first == "mechanism,bidders,reserve,metric,before,after,mean_difference,sd,ci95,pairs,changed")
        // 4 cells × 7 metrics, every one with 6 pairs and no change.
        #expect(lines.count == 1 + 4 * 7)
        #expect(lines.dropFirst().allSatisfy { $0.hasSuffix(",6,0") })
        #expect(same.stderr.contains("24 runs paired") && same.stderr.contains("0 changed"))

        // More auctions per run keeps the run keys (auctions is not a cell parameter): every
        // revenue moves, and the closed form beside it does not.
        let more = try ws.write("more.yaml", Self.scenario.replacingOccurrences(of: "auctions: 300", with: "auctions: 3000"))
        #expect(try Gavel.run(["run", more, "--out", ws.path("c"), "--quiet"], in: ws.root).status == 0)
        let moved = try Gavel.run(["compare", ws.path("a"), ws.path("c"), "--out", ws.path("diff.csv")], in: ws.root)
        #expect(moved.status == 0, "\(moved.stderr)")
        let text = String(decoding: try ws.read("diff.csv"), as: UTF8.self)
        let revenue = text.split(separator: "\n").filter { $0.contains(",revenue,") }
        #expect(revenue.count == 4 && revenue.allSatisfy { $0.hasSuffix(",6,6") })
        #expect(moved.stderr.contains("sha256 differ"))
        #expect(text.split(separator: "\n").filter { $0.contains(",revenue_expected,") }.allSatisfy { $0.hasSuffix(",6,0") })
    }

    @Test("compare: folders of different scenarios, or not result folders, give one line naming file:line and field")
    func compareBadInput() throws {
        let ws = try Workspace(); defer { ws.remove() }
        let file = try ws.write("s.yaml", Self.scenario)
        let other = try ws.write("o.yaml", Self.scenario.replacingOccurrences(of: "name: cmp", with: "name: other"))
        #expect(try Gavel.run(["run", file, "--out", ws.path("a"), "--quiet"], in: ws.root).status == 0)
        #expect(try Gavel.run(["run", other, "--out", ws.path("b"), "--quiet"], in: ws.root).status == 0)
        let r = try Gavel.run(["compare", ws.path("a"), ws.path("b")], in: ws.root)
        #expect(r.status == 2)
        #expect(r.stderrLines.count == 1)
        let line = try #require(r.stderrLines.first)
        #expect(line.hasPrefix("error: \(ws.path("b"))/manifest.json:"), "\(line)")
        #expect(line.contains("field 'scenario.name'") && line.contains("'cmp'") && line.contains("'other'"))
        let missing = try Gavel.run(["compare", ws.path("a"), ws.path("nothing")], in: ws.root)
        #expect(missing.status == 2 && missing.stderrLines.count == 1)
        #expect(missing.stderr.contains("nothing/manifest.json"))
        // A run line that is not a record: file and line.
        try FileManager.default.copyItem(atPath: ws.path("a"), toPath: ws.path("broken"))
        let runs = try ws.write("broken/runs.jsonl", String(decoding: try ws.read("a/runs.jsonl"), as: UTF8.self) + "{\"run_key\": 3}\n")
        let broken = try Gavel.run(["compare", ws.path("a"), ws.path("broken")], in: ws.root)
        #expect(broken.status == 2 && broken.stderrLines.count == 1)
        #expect(broken.stderr.contains("\(runs):25:"), "\(broken.stderr)")
    }

    @Test("run: compare_to naming no mechanism, common_random_numbers not a boolean: one line, exit 2, no result folder")
    func scenarioKeysBadInput() throws {
        let ws = try Workspace(); defer { ws.remove() }
        for (extra, field) in [("compare_to: vickrey", "compare_to"), ("common_random_numbers: sometimes", "common_random_numbers")] {
            let file = try ws.write("bad.yaml", Self.scenario + extra + "\n")
            let r = try Gavel.run(["run", file, "--out", ws.path("out"), "--quiet"], in: ws.root)
            #expect(r.status == 2)
            #expect(r.stderrLines.count == 1)
            #expect(r.stderr.contains("bad.yaml:9:") && r.stderr.contains("field '\(field)'"), "\(r.stderr)")
            #expect(!ws.exists("out"))
        }
    }

    /// The golden check runs the heaviest committed scenarios with --jobs 2 only (CI time);
    /// here their kinds run shrunken with --jobs 1 and 2, which must agree byte for byte.
    @Test("The heavy scenarios, shrunken, give the same bytes with --jobs 1 and 2", arguments: [
        ("aigc-mnl", ["families.0.count=12", "families.1.count=4", "families.2.count=8", "audit_instances=0",
                      "mechanisms=[dinkelbach, dinkelbach_myerson, revenue_optimal, gsp]"]),
        ("aigc-cascade", ["families.0.count=10", "families.1.count=10", "families.2.count=10", "families.3.count=10",
                          "monotonicity_instances=1", "audit_instances=0"]),
        ("aigc-market", ["markets.0.queries=150", "markets.1.queries=150", "markets.2.queries=150", "markets.3.queries=100"]),
        ("matching-published-ratios", ["runs=20", "replications=2", "exact=false", "benchmarks=[budget_lp]",
                                       "instances=[{family: greedy_trap}, {family: erdos_renyi, offline: 20, arrivals: 60, density: 0.1, p_low: 0.1, p_high: 0.5}]"]),
    ])
    func heavyScenariosJobsIndependent(name: String, overrides: [String]) throws {
        let ws = try Workspace(); defer { ws.remove() }
        let scenario = repositoryRoot.appendingPathComponent("Scenarios/\(name).yaml").path
        let sets = overrides.flatMap { ["--set", $0] }
        for jobs in [1, 2] {
            let r = try Gavel.run(["run", scenario, "--out", ws.path("j\(jobs)"), "--quiet", "--jobs", "\(jobs)"] + sets, in: ws.root, timeout: 900)
            #expect(r.status == 0, "\(r.stderr)")
        }
        let files = try FileManager.default.contentsOfDirectory(atPath: ws.path("j1")).filter { $0 != "manifest.json" }.sorted()
        #expect(files.contains("summary.csv") && files.contains("comparisons.csv"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: ws.path("j2")).filter { $0 != "manifest.json" }.sorted() == files)
        for file in files { #expect(try ws.read("j1/" + file) == ws.read("j2/" + file), "\(name)/\(file)") }
    }
}
