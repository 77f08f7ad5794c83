import Foundation
import Testing

@Suite("gavel solve --lp-solver (issue 16)")
struct LPSolverCLITests {
    static let instance = """
        offline: [{id: a}, {id: b}]
        arrivals:
          - {id: t0, edges: {a: 0.5, b: 0.3}}
          - {id: t1, edges: {a: 0.4}}
        """

    func folder() throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("gavel-lp-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        try Self.instance.write(to: dir.appendingPathComponent("x.yaml"), atomically: true, encoding: .utf8)
        return dir
    }

    @Test("an unknown solver name: exit 2, one line listing the valid ones")
    func unknownSolver() throws {
        let dir = try folder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let r = try Gavel.run(["solve", "matching", "x.yaml", "--lp-solver", "gurobi"], in: dir)
        #expect(r.status == 2)
        #expect(r.stderrLines == ["error: --lp-solver: unknown LP solver 'gurobi' (expected one of: auto, glpk, clp)"])
    }

    /// StdLP of the instance by hand: x_a0 + x_b0 ≤ 1, 0.5 x_a0 + 0.4 x_a1 ≤ 1, all ≤ 1: every x = 1 except
    /// one of the first arrival's: best 0.5 + 0.4 = 0.9 (x_a0 = 1, x_a1 = 1; 0.5 + 0.4 ≤ 1).
    @Test("clp: the bound, and which backend and method produced it, in the JSON")
    func clpRecorded() throws {
        let dir = try folder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let r = try Gavel.run(["solve", "matching", "x.yaml", "--lp-solver", "clp/primal", "--runs", "10"], in: dir)
        #expect(r.status == 0)
        let json = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        let budget = try #require((json["benchmarks"] as? [String: Any])?["budget_lp"] as? Double)
        #expect(abs(budget - 0.9) <= 1e-9)
        let solver = try #require((json["lp_solvers"] as? [String: Any])?["budget_lp"] as? [String: Any])
        #expect(solver["solver"] as? String == "clp")
        #expect(solver["method"] as? String == "primal")
    }

    @Test("Clp missing at run time: exit 1, an error naming the package coinor-libclp-dev")
    func clpMissing() throws {
        let dir = try folder()
        defer { try? FileManager.default.removeItem(at: dir) }
        var env = ProcessInfo.processInfo.environment
        env["GAVEL_CLP_LIBRARY"] = "/nonexistent/libClp.so.1"
        let r = try Gavel.run(["solve", "matching", "x.yaml", "--lp-solver", "clp", "--runs", "10"], in: dir, environment: env)
        #expect(r.status == 1)
        #expect(r.stderr.contains("COIN-OR Clp is not installed"))
        #expect(r.stderr.contains("coinor-libclp-dev"))
        // GLPK still works without Clp.
        let g = try Gavel.run(["solve", "matching", "x.yaml", "--lp-solver", "glpk", "--runs", "10"], in: dir, environment: env)
        #expect(g.status == 0)
    }
}
