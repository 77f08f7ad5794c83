import Foundation
import Testing

/// Faults from outside: a full disk, a stop signal in the middle of a run or a sweep.
/// Whatever happens, no half-written result folder, one clear error line, the documented exit code.
/// (Unwritable output folders, a GLPK failure and truncated traces have their own tests:
/// CLITests, GavelLPTests' trapped-error suite, GzipLineReaderTests and GoogleTraceBadInputTests.)
@Suite(.serialized) struct FaultInjectionTests {
    /// A run long enough (~2 s in debug) that a signal lands mid-run.
    static let slow = CLIScenario.text.replacingOccurrences(of: "auctions: 2000", with: "auctions: 300000")

    /// The disk fills up while the result files are written: exit 1, one line saying so, nothing left
    /// in the output's parent (a tmpfs of 8 KiB, mounted for the test: CI runs as root).
    @Test func fullDisk() throws {
        let ws = try Workspace(); defer { ws.remove() }
        try Self.withTinyDisk(in: ws) { mountPoint in
            let file = try ws.write("s.yaml", CLIScenario.text)
            let r = try Gavel.run(["run", file, "--out", mountPoint + "/out", "--quiet"], in: ws.root)
            #expect(r.status == 1)
            #expect(r.stderrLines.count == 1)
            #expect(r.stderr.contains("cannot write results") && r.stderr.contains("space"), "\(r.stderr)")
            #expect(try FileManager.default.contentsOfDirectory(atPath: mountPoint).isEmpty)
        }
    }

    /// Runs `body` with a tmpfs of 8 KiB mounted at `ws`/tiny (CI runs as root), unmounted afterwards.
    static func withTinyDisk(in ws: Workspace, _ body: (String) throws -> Void) throws {
        let mountPoint = ws.path("tiny")
        try FileManager.default.createDirectory(atPath: mountPoint, withIntermediateDirectories: true)
        let mount = try Subprocess.run("mount", ["-t", "tmpfs", "-o", "size=8k", "tmpfs", mountPoint], timeout: 30)
        try #require(mount.code == 0, "mounting a small tmpfs needs root (CI and the developers' machines run as root)")
        defer { _ = try? Subprocess.run("umount", [mountPoint], timeout: 30) }
        try body(mountPoint)
    }

    /// The disk fills up in the middle of a sweep shard: exit 1, one line saying so, and the shard
    /// file holds only whole lines (the one that did not fit is cut off), so --resume can continue it.
    @Test func fullDiskMidSweep() throws {
        let ws = try Workspace(); defer { ws.remove() }
        try Self.withTinyDisk(in: ws) { mountPoint in
            let file = try ws.write("s.yaml", SweepTests.scenario)
            let r = try Gavel.run(["sweep", "run", file, "--out", mountPoint + "/sweep", "--quiet"], in: ws.root)
            #expect(r.status == 1)
            #expect(r.stderrLines.count == 1)
            #expect(r.stderr.contains("cannot write") && r.stderr.contains("space"), "\(r.stderr)")
            let shard = try String(contentsOfFile: mountPoint + "/sweep/shard-0-of-1.jsonl", encoding: .utf8)
            let lines = shard.split(separator: "\n")
            #expect(shard.hasSuffix("\n") && lines.count >= 1 && lines.count < 56, "\(lines.count) lines")
            #expect(lines.allSatisfy { $0.hasPrefix(#"{"scenario_sha256":"#) && $0.hasSuffix("}}") })
        }
    }

    /// SIGKILL and SIGTERM mid-run: an earlier result folder at --out stays byte for byte as it was,
    /// and no new folder appears next to it. SIGTERM also says so on stderr and exits 128 + 15.
    @Test(arguments: [SIGKILL, SIGTERM])
    func stopMidRun(signal: Int32) throws {
        let ws = try Workspace(); defer { ws.remove() }
        let quick = try ws.write("quick.yaml", CLIScenario.text)
        #expect(try Gavel.run(["run", quick, "--out", ws.path("res"), "--quiet"], in: ws.root).status == 0)
        let before = try ws.read("res/summary.csv")
        let slow = try ws.write("slow.yaml", Self.slow)
        let err = ws.path("stderr")
        let child = try Subprocess.spawn(try #require(Gavel.executable).path, ["run", slow, "--out", ws.path("res"), "--quiet"], stderr: err)
        Thread.sleep(forTimeInterval: 0.5)
        kill(child.pid, signal)
        let exit = try child.wait(timeout: 60)
        if signal == SIGKILL {
            #expect(exit.signal == SIGKILL)
        } else {
            #expect(exit.code == 128 + SIGTERM && exit.signal == nil)
            let text = try String(contentsOfFile: err, encoding: .utf8)
            #expect(text == "error: stopped by SIGTERM; results are written only once every run has finished\n")
        }
        #expect(try ws.read("res/summary.csv") == before)
        #expect(ws.leftovers().isEmpty)
        #expect(try FileManager.default.contentsOfDirectory(atPath: ws.root.path).sorted() == ["quick.yaml", "res", "slow.yaml", "stderr"])
    }

    /// SIGTERM in the middle of a sweep shard, then --resume: the merged files equal `gavel run`'s.
    @Test func stopMidSweepThenResume() throws {
        let ws = try Workspace(); defer { ws.remove() }
        let file = try ws.write("s.yaml", SweepTests.scenario.replacingOccurrences(of: "auctions: [200, 300]", with: "auctions: [20000, 30000]"))
        let child = try Subprocess.spawn(try #require(Gavel.executable).path, ["sweep", "run", file, "--out", ws.path("sweep"), "--quiet"])
        ws.waitForLines("sweep/shard-0-of-1.jsonl", 5)
        kill(child.pid, SIGTERM)
        #expect(try child.wait(timeout: 60).code == 128 + SIGTERM)
        let done = ws.lineCount("sweep/shard-0-of-1.jsonl")
        #expect(done >= 5 && done < 56, "the stop should land mid-sweep (\(done) runs done)")
        #expect(try Gavel.run(["sweep", "run", file, "--out", ws.path("sweep"), "--resume", "--quiet"], in: ws.root).status == 0)
        #expect(try Gavel.run(["sweep", "merge", ws.path("sweep"), "--quiet"], in: ws.root).status == 0)
        #expect(try Gavel.run(["run", file, "--out", ws.path("direct"), "--quiet"], in: ws.root).status == 0)
        #expect(try ws.read("sweep/runs.jsonl") == ws.read("direct/runs.jsonl"))
        #expect(try ws.read("sweep/summary.csv") == ws.read("direct/summary.csv"))
    }
}
