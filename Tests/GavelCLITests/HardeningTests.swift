import Foundation
import Testing

/// Issue 21 (hardening II), the scenario layer and the command line: limits before any
/// allocation, fixed keys, result folders that hold someone else's files, job scripts.
@Suite("Hardening: plan limits, fixed keys, result folders, Slurm values", .serialized)
struct HardeningTests {
    static let scenario = """
    schema_version: 1
    name: hard
    kind: single_item_auction
    seed: 5
    replications: 2
    mechanisms: [first_price, second_price]
    bidders: [2, 4]
    auctions: 100

    """

    /// Exit 2, one line naming the file, line and field, and no result folder.
    func expectRefused(_ ws: Workspace, _ text: String, field: String, contains: String, extra: [String] = [],
                       sourceLocation: Testing.SourceLocation = #_sourceLocation) throws {
        let file = try ws.write("s.yaml", text)
        let r = try Gavel.run(["run", file, "--out", ws.path("out"), "--quiet"] + extra, in: ws.root, timeout: 60)
        #expect(r.status == 2, "\(r.stderr)", sourceLocation: sourceLocation)
        #expect(r.stderrLines.count == 1, "\(r.stderr)", sourceLocation: sourceLocation)
        // The place: the file's line, or the --set override that set the value.
        #expect((r.stderr.contains("s.yaml:") || r.stderr.contains("--set ")) && r.stderr.contains("field '\(field)'") && r.stderr.contains(contains),
                "\(r.stderr)", sourceLocation: sourceLocation)
        #expect(!ws.exists("out"), sourceLocation: sourceLocation)
    }

    @Test("Plans beyond the run limit are refused before anything is made, whatever the arithmetic")
    func planLimits() throws {
        let ws = try Workspace(); defer { ws.remove() }
        // Int.max replications: 4 cells × Int.max overflows; checked, not trapped.
        try expectRefused(ws, Self.scenario, field: "replications", contains: "limit of 5000000 runs", extra: ["--set", "replications=9223372036854775807"])
        // 10^8 replications: 4·10^8 runs, not 64 GB of plan.
        try expectRefused(ws, Self.scenario, field: "replications", contains: "--max-runs", extra: ["--set", "replications=100000000"])
        // A grid whose product overflows Int, and a random sweep of a billion points.
        let grid = Self.scenario + "sweep:\n  grid:\n" + (0..<7).map { "    auctions_\($0): [" + (1...1000).map(String.init).joined(separator: ", ") + "]" }.joined(separator: "\n") + "\n"
        try expectRefused(ws, grid, field: "sweep.grid.auctions_2", contains: "limit of 5000000 runs")
        try expectRefused(ws, Self.scenario + "sweep:\n  random: {count: 1000000000, uniform: {reserve: [0, 0.5]}}\n",
                          field: "sweep.random.count", contains: "limit of 5000000 runs")
        // The limit can be raised, and lowered.
        try expectRefused(ws, Self.scenario, field: "replications", contains: "limit of 7 runs", extra: ["--max-runs", "7"])
        let file = try ws.write("ok.yaml", Self.scenario)
        #expect(try Gavel.run(["run", file, "--out", ws.path("ok"), "--quiet", "--max-runs", "8"], in: ws.root).status == 0)
    }

    @Test("The scenario's own keys cannot be swept", arguments: ["kind", "schema_version", "name", "replications", "seed", "compare_to"])
    func fixedKeys(key: String) throws {
        let ws = try Workspace(); defer { ws.remove() }
        try expectRefused(ws, Self.scenario + "sweep:\n  grid: {\(key): [1, 2]}\n", field: "sweep.\(key)", contains: "cannot be swept")
    }

    /// Inputs a hostile user tried (issue 21), each with the field its one-line error must name.
    static let badScenarios: [(name: String, text: String, field: String, message: String)] = [
        ("YAML tag", Self.scenario.replacingOccurrences(of: "seed: 5", with: "seed: !!python/object:os.system 5"), "seed", "YAML tags are not supported"),
        ("custom tag", Self.scenario + "description: !secret x\n", "description", "YAML tags are not supported"),
        ("two distributions", """
            schema_version: 1
            name: d
            kind: aigc_auction
            mechanisms: [dinkelbach]
            values: {uniform: [0, 10], exponential: 3}
            families: [{family: mnl, advertisers: 3, positions: 2, max_ads: 1, count: 2}]

            """, "values.exponential", "expected one distribution"),
        ("weight outside a mixture", """
            schema_version: 1
            name: d
            kind: aigc_auction
            mechanisms: [dinkelbach]
            values: {uniform: [0, 10], weight: 3}
            families: [{family: mnl, advertisers: 3, positions: 2, max_ads: 1, count: 2}]

            """, "values.weight", "parts of a mixture"),
        ("unknown key in a mixture part", """
            schema_version: 1
            name: d
            kind: aigc_auction
            mechanisms: [dinkelbach]
            values: {mixture: [{weight: 1, uniform: [0, 2], bar: 1}]}
            families: [{family: mnl, advertisers: 3, positions: 2, max_ads: 1, count: 2}]

            """, "values.mixture.0.bar", "unknown key 'bar'"),
        ("p_low above p_high", """
            schema_version: 1
            name: m
            kind: matching
            algorithms: [greedy]
            benchmarks: [budget_lp]
            instances: [{family: erdos_renyi, offline: 5, arrivals: 5, density: 0.5, p_low: 0.6, p_high: 0.2}]

            """, "instances.0.p_high", "expected p_low ≤ p_high"),
        ("an instance too large to build", """
            schema_version: 1
            name: m
            kind: matching
            algorithms: [greedy]
            benchmarks: [budget_lp]
            instances: [{family: k22n, n: 1000000000}]

            """, "instances.0.n", "more than the limit of 50000000"),
    ]

    @Test("Bad scenarios: exit 2, one line naming file:line and field, no result folder", arguments: badScenarios.map { [$0.name, $0.text, $0.field, $0.message] })
    func badScenario(_ c: [String]) throws {
        let ws = try Workspace(); defer { ws.remove() }
        try expectRefused(ws, c[1], field: c[2], contains: c[3])
        // validate refuses it the same way.
        let v = try Gavel.run(["validate", ws.path("s.yaml")], in: ws.root)
        #expect(v.status == 2 && v.stderrLines.count == 1 && v.stderr.contains("field '\(c[2])'"), "\(c[0]): \(v.stderr)")
    }

    @Test("A scenario that is not UTF-8 is refused at the line and column of its first bad byte")
    func notUTF8() throws {
        let ws = try Workspace(); defer { ws.remove() }
        let path = ws.path("bad.yaml")
        try Data([UInt8]("schema_version: 1\nname: q\nkind: x\ndescription: caf".utf8) + [0xE9, 0x0A]).write(to: URL(fileURLWithPath: path))
        let r = try Gavel.run(["validate", path], in: ws.root)
        #expect(r.status == 2 && r.stderrLines.count == 1)
        #expect(r.stderr.contains("bad.yaml:4:17: the file is not UTF-8"), "\(r.stderr)")
    }

    @Test("A scenario file above the size limit is refused before it is parsed")
    func fileSizeLimit() throws {
        let ws = try Workspace(); defer { ws.remove() }
        // 17.5 million list items: 40 s and 4 GB of parsing before, an error now.
        let path = ws.path("huge.yaml")
        let items = String(repeating: "2,", count: 8_750_000)
        try Data((Self.scenario.replacingOccurrences(of: "bidders: [2, 4]", with: "bidders: [\(items)2]")).utf8).write(to: URL(fileURLWithPath: path))
        let start = Date()
        let r = try Gavel.run(["validate", path], in: ws.root, timeout: 60)
        #expect(r.status == 2 && r.stderrLines.count == 1 && r.stderr.contains("more than the limit of 16777216"), "\(r.stderr)")
        #expect(Date().timeIntervalSince(start) < 10)
    }

    @Test("`-` reads the scenario from standard input")
    func scenarioFromStdin() throws {
        let ws = try Workspace(); defer { ws.remove() }
        let file = try ws.write("s.yaml", Self.scenario)
        let r = try Gavel.run(["validate", "-"], in: ws.root, stdin: file)
        #expect(r.status == 0)
        let text = r.stdout
        #expect(text.contains("valid (kind single_item_auction, 4 cells × 2 replications = 8 runs)"), "\(text)")
    }

    /// The same instance from a file and from standard input gives the same JSON; an error on
    /// standard input names `<stdin>` and the line.
    @Test("`-` reads a solve instance from standard input, for every family", arguments: ["matching", "infoacq", "aigc"])
    func instanceFromStdin(family: String) throws {
        let ws = try Workspace(); defer { ws.remove() }
        let example: String
        switch family {
        case "matching": example = try ws.write("i.yaml", "offline: [{id: u0, weight: 1.0}, {id: u1}]\narrivals:\n  - {id: t0, edges: {u0: 0.5, u1: 0.2}}\n")
        case "aigc": example = try ws.write("i.yaml", "model: mnl\nobjective: welfare\nvalues: [10, 1]\nweights: [[1, 1], [1, 1]]\nmax_ads: 2\npayments: vcg\n")
        default: example = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Scenarios/instances/infoacq-two-agents.yaml").path
        }
        let fromFile = try Gavel.run(["solve", family, example], in: ws.root)
        let fromStdin = try Gavel.run(["solve", family, "-"], in: ws.root, stdin: example)
        #expect(fromFile.status == 0 && fromStdin.status == 0, "\(fromStdin.stderr)")
        #expect(fromStdin.stdout == fromFile.stdout)
        let bad = try ws.write("bad.yaml", "offline: [1\n")
        let r = try Gavel.run(["solve", family, "-"], in: ws.root, stdin: bad)
        #expect(r.status == 2 && r.stderrLines.count == 1 && r.stderr.contains("<stdin>:"), "\(r.stderr)")
    }

    /// Instance limits are stated and raisable: k22n with n = 10 has 2·20 = 40 edges; the two-agent
    /// information table has 4 profiles × 2 states × 4 joint signals = 32 entries.
    @Test("Instance limits can be lowered and raised by option (--max-edges, --max-table-entries)")
    func instanceLimitOptions() throws {
        let ws = try Workspace(); defer { ws.remove() }
        let file = try ws.write("m.yaml", "schema_version: 1\nname: m\nkind: matching\nalgorithms: [greedy]\nbenchmarks: [budget_lp]\ninstances: [{family: k22n, n: 10}]\n")
        let low = try Gavel.run(["validate", file, "--max-edges", "39"], in: ws.root)
        #expect(low.status == 2 && low.stderrLines.count == 1 && low.stderr.contains("more than the limit of 39") && low.stderr.contains("--max-edges"), "\(low.stderr)")
        #expect(try Gavel.run(["validate", file, "--max-edges", "40"], in: ws.root).status == 0)
        let example = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Scenarios/instances/infoacq-two-agents.yaml").path
        let small = try Gavel.run(["solve", "infoacq", example, "--max-table-entries", "31"], in: ws.root)
        #expect(small.status == 2 && small.stderr.contains("more than 31 entries"), "\(small.stderr)")
        #expect(try Gavel.run(["solve", "infoacq", example, "--max-table-entries", "32"], in: ws.root).status == 0)
    }

    @Test("validate and sweep plan --dry-run count the runs of every sweep point")
    func sweepRunCount() throws {
        let ws = try Workspace(); defer { ws.remove() }
        let file = try ws.write("s.yaml", Self.scenario + "sweep:\n  grid: {reserve: [0, 0.1, 0.2]}\n")
        let v = try Gavel.run(["validate", file], in: ws.root)
        #expect(v.status == 0)
        // 3 points × (2 mechanisms × 2 bidder counts) cells × 2 replications.
        #expect(v.stdout.contains("12 cells over 3 sweep points × 2 replications = 24 runs"), "\(v.stdout)")
        let p = try Gavel.run(["sweep", "plan", file, "--dry-run"], in: ws.root)
        #expect(p.stdout.hasPrefix("24 runs"), "\(p.stdout)")
    }

    @Test("A result folder holding a file Gavel did not write is refused before any run, and left as it was")
    func foreignFileInResultFolder() throws {
        let ws = try Workspace(); defer { ws.remove() }
        let file = try ws.write("s.yaml", Self.scenario)
        #expect(try Gavel.run(["run", file, "--out", ws.path("out"), "--quiet"], in: ws.root).status == 0)
        let before = try ws.read("out/summary.csv")
        try ws.write("out/notes.txt", "mine")
        let r = try Gavel.run(["run", file, "--out", ws.path("out"), "--quiet", "--set", "auctions=200"], in: ws.root)
        #expect(r.status == 1)
        #expect(r.stderrLines.count == 1 && r.stderr.contains("'notes.txt'"), "\(r.stderr)")
        #expect(try ws.read("out/notes.txt") == Data("mine".utf8))
        #expect(try ws.read("out/summary.csv") == before)
        // Without it, the rerun replaces the folder.
        try FileManager.default.removeItem(atPath: ws.path("out/notes.txt"))
        #expect(try Gavel.run(["run", file, "--out", ws.path("out"), "--quiet", "--set", "auctions=200"], in: ws.root).status == 0)
        #expect(try ws.read("out/summary.csv") != before)
    }

    @Test("An unwritable --out fails before the first run")
    func unwritableOutBeforeRuns() throws {
        let ws = try Workspace(); defer { ws.remove() }
        // Slow enough that a check after the runs would take minutes.
        let file = try ws.write("s.yaml", Self.scenario.replacingOccurrences(of: "auctions: 100", with: "auctions: 100000000"))
        try ws.write("plain-file", "x")
        let start = Date()
        let r = try Gavel.run(["run", file, "--out", ws.path("plain-file/sub/out"), "--quiet"], in: ws.root, timeout: 60)
        #expect(r.status == 1 && r.stderrLines.count == 1, "\(r.stderr)")
        #expect(r.stderr.contains("is not a folder"))
        #expect(Date().timeIntervalSince(start) < 30)
    }

    @Test("sweep slurm: every value that reaches a job script is checked; injection through each option is refused",
          arguments: [
            (["--partition", "batch\necho INJECTED"], "--partition"),
            (["--time", "abc"], "--time"),
            (["--time", "01:00:00\necho INJECTED"], "--time"),
            (["--out", "sweep\necho INJECTED"], "--out"),
            (["--gavel", "/bin/gavel\necho INJECTED"], "--gavel"),
            (["--set", "auctions=5\necho INJECTED"], "--set"),
            (["--set", "description=a\necho INJECTED"], "--set"),
            (["--out", "my\"sweep"], "--out"),
          ])
    func slurmInjection(extra: [String], option: String) throws {
        let ws = try Workspace(); defer { ws.remove() }
        let file = try ws.write("s.yaml", Self.scenario)
        var args = ["sweep", "slurm", file, "--shards", "2"] + extra
        if !extra.contains("--out") { args += ["--out", ws.path("sweep")] }
        let r = try Gavel.run(args, in: ws.root)
        #expect(r.status == 2, "\(r.stderr)")
        #expect(r.stderrLines.count == 1 && r.stderr.contains(option), "\(r.stderr)")
        #expect(!r.stderr.contains("\necho"))
        #expect(!ws.exists("sweep/sweep.sbatch"))
    }

    @Test("sweep slurm: paths with spaces are quoted in the directives and the printed command; good values pass")
    func slurmQuoting() throws {
        let ws = try Workspace(); defer { ws.remove() }
        let file = try ws.write("s.yaml", Self.scenario)
        let folder = ws.path("my sweep")
        let r = try Gavel.run(["sweep", "slurm", file, "--out", folder, "--shards", "2", "--time", "1-12:30:00", "--partition", "batch,gpu_a.1"], in: ws.root)
        #expect(r.status == 0, "\(r.stderr)")
        let script = String(decoding: try ws.read("my sweep/sweep.sbatch"), as: UTF8.self)
        #expect(script.contains("#SBATCH --output=\"\(folder)/slurm-%A_%a.out\""))
        #expect(script.contains("#SBATCH --time=1-12:30:00\n") && script.contains("#SBATCH --partition=batch,gpu_a.1\n"))
        #expect(script.contains("--out '\(folder)'"))
        #expect(r.stdout.contains("sbatch --parsable '\(folder)/sweep.sbatch'"), "\(r.stdout)")
    }
}

/// The structured fuzzer (scripts/fuzz-structured) for a short, fixed number of cases per reader:
/// grammar-valid documents with extreme, contradictory and deep values; no signal, no hang, one
/// error line, and every result's own certificate holds. `scripts/fuzz-structured --seconds 300`
/// runs it for five minutes per reader.
@Suite("Structured fuzzing, bounded", .serialized)
struct StructuredFuzzingTests {
    @Test("25 generated cases per reader (fixed seed) pass")
    func boundedRun() throws {
        let exe = try #require(Gavel.executable)
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("gavel-fuzz-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: out) }
        let log = out + ".log"
        defer { try? FileManager.default.removeItem(atPath: log) }
        let script = repositoryRoot.appendingPathComponent("scripts/fuzz-structured").path
        let result = try Subprocess.run("/usr/bin/env", ["python3", script, "--cases", "25", "--seed", "11", "--gavel", exe.path, "--out", out],
                                        stdout: log, stderr: log, timeout: 600)
        let text = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
        #expect(result.code == 0, "\(text)")
        #expect(text.contains("100 cases, 0 failures"), "\(text)")
    }
}
