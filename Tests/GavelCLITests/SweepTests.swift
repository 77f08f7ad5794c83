import Foundation
import Testing

/// Sharded sweeps end to end through the `gavel` binary: whatever the split,
/// the merged result files equal `gavel run`'s, byte for byte.
@Suite(.serialized) struct SweepTests {
    static let scenario = """
    schema_version: 1
    name: sweep-test
    kind: single_item_auction
    seed: 5
    replications: 2
    mechanisms: [first_price, second_price]
    bidders: [2, 4]
    auctions: 300
    sweep:
      grid: {reserve: [0.0, 0.3], auctions: [200, 300]}
      random: {count: 3, uniform: {reserve: [0.05, 0.45]}}

    """

    func sweep(_ ws: Workspace, _ arguments: [String], environment: [String: String]? = nil) throws -> Gavel.Result {
        try Gavel.run(["sweep"] + arguments, in: ws.root, environment: environment)
    }

    @Test(arguments: [(1, 1), (3, 1), (8, 1), (3, 2), (8, 2)])
    func anyShardCountMergesToTheSameBytes(shards: Int, jobs: Int) throws {
        let ws = try Workspace(); defer { ws.remove() }
        let file = try ws.write("s.yaml", Self.scenario)
        #expect(try Gavel.run(["run", file, "--out", ws.path("direct"), "--quiet"], in: ws.root).status == 0)
        for i in 0..<shards {
            let r = try sweep(ws, ["run", file, "--out", ws.path("sweep"), "--shard", "\(i)/\(shards)", "--jobs", "\(jobs)", "--quiet"])
            #expect(r.status == 0, "\(r.stderr)")
        }
        let merge = try sweep(ws, ["merge", ws.path("sweep"), "--quiet"])
        #expect(merge.status == 0, "\(merge.stderr)")
        #expect(try ws.read("sweep/summary.csv") == ws.read("direct/summary.csv"))
        #expect(try ws.read("sweep/runs.jsonl") == ws.read("direct/runs.jsonl"))
        #expect(try ws.read("sweep/comparisons.csv") == ws.read("direct/comparisons.csv"))
        // 7 configurations × 4 cells × 2 replications.
        #expect(String(decoding: try ws.read("sweep/runs.jsonl"), as: UTF8.self).split(separator: "\n").count == 56)
    }

    @Test func shardIndexFromTheEnvironment() throws {
        let ws = try Workspace(); defer { ws.remove() }
        let file = try ws.write("s.yaml", Self.scenario)
        var env = ProcessInfo.processInfo.environment
        for (i, variables) in [["SLURM_ARRAY_TASK_ID": "10", "SLURM_ARRAY_TASK_MIN": "10", "SLURM_ARRAY_TASK_COUNT": "3"],
                               ["JOB_COMPLETION_INDEX": "1"], ["PARALLEL_SEQ": "3"]].enumerated() {
            env = ProcessInfo.processInfo.environment.merging(variables) { $1 }
            let r = try sweep(ws, ["run", file, "--out", ws.path("sweep"), "--shards", "3", "--quiet"], environment: env)
            #expect(r.status == 0, "\(r.stderr)")
            #expect(ws.exists("sweep/shard-\(i)-of-3.jsonl"))
        }
        #expect(try sweep(ws, ["merge", ws.path("sweep"), "--out", ws.path("merged"), "--quiet"]).status == 0)
        #expect(try Gavel.run(["run", file, "--out", ws.path("direct"), "--quiet"], in: ws.root).status == 0)
        #expect(try ws.read("merged/runs.jsonl") == ws.read("direct/runs.jsonl"))
        // An index without a count is a usage error.
        let bad = try sweep(ws, ["run", file, "--out", ws.path("other")], environment: ProcessInfo.processInfo.environment.merging(["PARALLEL_SEQ": "1"]) { $1 })
        #expect(bad.status == 2)
        #expect(bad.stderr.contains("--shards"))
    }

    /// A shard killed with SIGKILL mid-run, then rerun with --resume: nothing lost, nothing twice.
    @Test func killedShardResumes() throws {
        let ws = try Workspace(); defer { ws.remove() }
        // Slower runs so the kill lands mid-sweep.
        let file = try ws.write("s.yaml", Self.scenario.replacingOccurrences(of: "auctions: [200, 300]", with: "auctions: [20000, 30000]"))
        let process = try Subprocess.spawn(try #require(Gavel.executable).path, ["sweep", "run", file, "--out", ws.path("sweep"), "--quiet"])
        let shardPath = ws.path("sweep/shard-0-of-1.jsonl")
        ws.waitForLines("sweep/shard-0-of-1.jsonl", 5)
        kill(process.pid, SIGKILL)
        #expect(try process.wait(timeout: 60).signal == SIGKILL)
        // Make sure a half-written last line is there too, as a kill mid-write leaves it.
        let handle = try #require(FileHandle(forWritingAtPath: shardPath))
        try handle.seekToEnd()
        try handle.write(contentsOf: Data(#"{"scenario_sha256":"abc","run":{"run_key":"#.utf8))
        try handle.close()
        let before = String(decoding: try ws.read("sweep/shard-0-of-1.jsonl"), as: UTF8.self).split(separator: "\n").count - 1
        #expect(before >= 5 && before < 56, "the kill should land mid-sweep (\(before) runs done)")

        // Without --resume the existing file is refused.
        #expect(try sweep(ws, ["run", file, "--out", ws.path("sweep"), "--quiet"]).status == 2)
        let resumed = try sweep(ws, ["run", file, "--out", ws.path("sweep"), "--resume", "--quiet"])
        #expect(resumed.status == 0, "\(resumed.stderr)")
        let lines = String(decoding: try ws.read("sweep/shard-0-of-1.jsonl"), as: UTF8.self).split(separator: "\n")
        #expect(lines.count == 56)
        let runKeys = lines.map { line -> String in
            let start = line.range(of: #""run_key":""#)!.upperBound
            return String(line[start...].prefix(16))
        }
        #expect(Set(runKeys).count == 56)   // no run twice
        #expect(try sweep(ws, ["merge", ws.path("sweep"), "--quiet"]).status == 0)
        #expect(try Gavel.run(["run", file, "--out", ws.path("direct"), "--quiet"], in: ws.root).status == 0)
        #expect(try ws.read("sweep/runs.jsonl") == ws.read("direct/runs.jsonl"))
        #expect(try ws.read("sweep/summary.csv") == ws.read("direct/summary.csv"))
    }

    @Test func mergeFailsWhenAShardIsMissing() throws {
        let ws = try Workspace(); defer { ws.remove() }
        let file = try ws.write("s.yaml", Self.scenario)
        for i in [0, 2] { #expect(try sweep(ws, ["run", file, "--out", ws.path("sweep"), "--shard", "\(i)/3", "--quiet"]).status == 0) }
        let merge = try sweep(ws, ["merge", ws.path("sweep")])
        #expect(merge.status == 1)
        #expect(merge.stderr.contains("planned runs are missing"))
        #expect(!ws.exists("sweep/summary.csv"))
    }

    @Test func mergeFailsOnShardsOfDifferentScenarios() throws {
        let ws = try Workspace(); defer { ws.remove() }
        let a = try ws.write("a.yaml", Self.scenario)
        let b = try ws.write("b.yaml", Self.scenario.replacingOccurrences(of: "seed: 5", with: "seed: 6"))
        #expect(try sweep(ws, ["run", a, "--out", ws.path("A"), "--quiet"]).status == 0)
        #expect(try sweep(ws, ["run", b, "--out", ws.path("B"), "--quiet"]).status == 0)
        // A shard of another scenario cannot even be written into the folder...
        let into = try sweep(ws, ["run", b, "--out", ws.path("A"), "--shard", "0/2", "--quiet"])
        #expect(into.status == 1)
        #expect(into.stderr.contains("another scenario"))
        // ...and one copied in is caught by merge.
        try FileManager.default.copyItem(atPath: ws.path("B/shard-0-of-1.jsonl"), toPath: ws.path("A/shard-1-of-2.jsonl"))
        let merge = try sweep(ws, ["merge", ws.path("A")])
        #expect(merge.status == 1)
        #expect(merge.stderr.contains("different scenario"))
    }

    @Test func planListsRunsWithStableKeys() throws {
        let ws = try Workspace(); defer { ws.remove() }
        let file = try ws.write("s.yaml", Self.scenario)
        let dry = try sweep(ws, ["plan", file, "--dry-run"])
        #expect(dry.stdout.hasPrefix("56 runs (7 configurations"))
        let first = try sweep(ws, ["plan", file]), second = try sweep(ws, ["plan", file])
        #expect(first.stdout == second.stdout)
        #expect(first.stdout.split(separator: "\n").count == 56)
    }

    /// GNU parallel as the engine: PARALLEL_SEQ picks the shard.
    @Test func gnuParallelRunsTheSweep() throws {
        let ws = try Workspace(); defer { ws.remove() }
        let file = try ws.write("s.yaml", Self.scenario)
        let exe = try #require(Gavel.executable).path
        let parallel = try Subprocess.run("parallel", ["--will-cite", "-j", "2", exe + " sweep run " + file + " --out " + ws.path("sweep") + " --shards 4 --quiet # {}",
                                                       ":::", "a", "b", "c", "d"], timeout: 300)
        #expect(parallel.code == 0, "GNU parallel must be installed (scripts/setup installs it)")
        #expect(try sweep(ws, ["merge", ws.path("sweep"), "--quiet"]).status == 0)
        #expect(try Gavel.run(["run", file, "--out", ws.path("direct"), "--quiet"], in: ws.root).status == 0)
        #expect(try ws.read("sweep/summary.csv") == ws.read("direct/summary.csv"))
    }
}

/// A real `sbatch --array` sweep on a single-node Slurm started for the test
/// (scripts/slurm-local: slurmctld, slurmd, munge from Debian) and stopped after.
@Suite(.serialized) struct SlurmSweepTests {
    /// Runs scripts/slurm-local; its output goes to a log file (printed on failure), never to
    /// the test runner's stdout, so no daemon it starts can hold the runner's pipe open.
    static func script(_ args: [String]) throws -> Int32 {
        let repo = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let log = FileManager.default.temporaryDirectory.appendingPathComponent("gavel-slurm-local-\(UUID().uuidString).log").path
        defer { try? FileManager.default.removeItem(atPath: log) }
        // start installs slurm-wlm and munge on a new machine (apt), then waits up to ~2 min for the node.
        let exit = try Subprocess.run(repo.appendingPathComponent("scripts/slurm-local").path, args, stdout: log, stderr: log, timeout: 900)
        if exit.code != 0 { print("scripts/slurm-local \(args.joined(separator: " ")) exited \(exit.code):\n" + ((try? String(contentsOfFile: log, encoding: .utf8)) ?? "")) }
        return exit.code
    }

    @Test func slurmArrayJobRunsAndMerges() throws {
        #expect(try Self.script(["start"]) == 0, "a single-node Slurm must start (scripts/slurm-local start, as root)")
        defer { _ = try? Self.script(["stop"]) }
        let ws = try Workspace(); defer { ws.remove() }
        let file = try ws.write("s.yaml", SweepTests.scenario)
        let submit = try Gavel.run(["sweep", "slurm", file, "--out", ws.path("sweep"), "--shards", "3", "--submit"], in: ws.root)
        #expect(submit.status == 0, "\(submit.stderr)")
        #expect(submit.stdout.contains("submitted array job"))
        let deadline = Date().addingTimeInterval(180)
        while Date() < deadline && !ws.exists("sweep/summary.csv") { Thread.sleep(forTimeInterval: 0.5) }
        #expect(ws.exists("sweep/summary.csv"), "the merge job did not finish within 180 s")
        for i in 0..<3 { #expect(ws.exists("sweep/shard-\(i)-of-3.jsonl")) }
        #expect(try Gavel.run(["run", file, "--out", ws.path("direct"), "--quiet"], in: ws.root).status == 0)
        #expect(try ws.read("sweep/summary.csv") == ws.read("direct/summary.csv"))
        #expect(try ws.read("sweep/runs.jsonl") == ws.read("direct/runs.jsonl"))
    }
}

// `gavel report`: ReportTests.swift.
