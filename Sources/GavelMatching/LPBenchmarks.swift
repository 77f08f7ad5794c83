import Foundation
import GavelCore
import GavelLP

/// `gavel bench lp` and `gavel bench lp-bounds` (issue 16): the LP backends on the matching LPs.
/// Times are wall-clock seconds of one solve (build excluded), on whatever machine runs them;
/// docs/lp.md and Results/benchmarks/lp.jsonl record one run with its command.
public enum LPBenchmarks {
    public typealias Figure = BenchmarkFigure

    /// A backend configuration of the budget-LP race.
    struct Contender {
        let label: String
        let solver: any LPSolver
    }

    /// Each under a time limit (a contender that hits it is reported with status feasible/undefined).
    static func contenders(limit: Duration) -> [Contender] {
        [
            Contender(label: "glpk/dual", solver: GLPKSolver(options: .init(method: .dualSimplex, presolve: false, timeLimit: limit))),
            Contender(label: "clp/dual", solver: ClpSolver(options: .init(method: .dualSimplex, presolve: false, timeLimit: limit))),
            Contender(label: "clp/dual+presolve", solver: ClpSolver(options: .init(method: .dualSimplex, presolve: true, timeLimit: limit))),
            Contender(label: "clp/primal", solver: ClpSolver(options: .init(method: .primalSimplex, presolve: false, timeLimit: limit))),
            Contender(label: "clp/barrier+presolve", solver: ClpSolver(options: .init(method: .barrier, presolve: true, timeLimit: limit))),
        ]
    }

    /// Progress on stderr (the figures print at the end).
    static func progress(_ figure: Figure) {
        FileHandle.standardError.write(Data("bench lp: \(figure.name) \(String(format: "%.3f", figure.value)) \(figure.unit)\n".utf8))
    }

    /// The 100,000-variable budget LP of `gavel bench matching` (5,000 offline, 10,000 arrivals of
    /// degree 10, seed 2) with p ~ U(0.05, 0.5), and the harder p ~ U(0, 0.1) (both row families
    /// binding), on GLPK, each Clp method, and HiGHS through scipy (`highsScript`, run as a
    /// subprocess on the same edges) when scipy imports. Ratios: each backend's best over HiGHS's best.
    public static func budgetLPRace(highsScript: String = "Results/matching-bench/budget_lp_highs.py",
                                    variables: Int = 100_000, limit: Duration = .seconds(240)) throws -> [Figure] {
        var out: [Figure] = []
        let clock = ContinuousClock()
        // Per-solve overhead on a tiny LP (K_{2,2n}, n = 10: 40 variables), 1000 solves each.
        let tiny = BudgetLP.build(try InstanceFamily.k22n(n: 10))
        for (label, solver) in [("glpk/dual", GLPKSolver(method: .dualSimplex, presolve: false) as any LPSolver),
                                ("clp/dual", ClpSolver(method: .dualSimplex, presolve: false))] {
            let start = clock.now
            for _ in 0..<1000 { _ = try solver.solve(tiny) }
            let f = Figure(name: "lp.tiny_budget_lp.\(label)", details: [("variables", .int(Int64(tiny.variableCount))), ("solves", .int(1000))],
                           unit: "ms per solve", value: (clock.now - start) / .seconds(1))
            out.append(f); progress(f)
        }
        for (variant, low, high) in [("p_0.05_0.5", 0.05, 0.5), ("p_0_0.1", 0.0, 0.1)] {
            let x = try InstanceFamily.regularRandom(offline: variables / 20, arrivals: variables / 10, degree: 10, pLow: low, pHigh: high, seed: 2)
            let lp = BudgetLP.build(x)
            var best: [String: Double] = [:]
            var objectives: [Double] = []
            for c in contenders(limit: limit) {
                let start = clock.now
                let s = try c.solver.solve(lp)
                let t = (clock.now - start) / .seconds(1)
                if s.status == .optimal { try s.requireDualCertificate(lp, what: "budget LP (\(c.label))") }
                if s.status == .optimal { objectives.append(s.objectiveValue!) }
                let backend = String(c.label.prefix { $0 != "/" })
                if s.status == .optimal { best[backend] = min(best[backend] ?? .infinity, t) }
                let f = Figure(name: "lp.budget_lp.\(variant).\(c.label)", details: [
                    ("variables", .int(Int64(lp.variableCount))), ("rows", .int(Int64(lp.constraintCount))),
                    ("status", .string("\(s.status)")), ("objective", .double(s.objectiveValue ?? .nan))], unit: "s", value: t)
                out.append(f); progress(f)
            }
            if let highs = try runHiGHS(script: highsScript, instance: x) {
                for (method, status, objective, t) in highs {
                    best["highs"] = min(best["highs"] ?? .infinity, t)
                    let f = Figure(name: "lp.budget_lp.\(variant).highs/\(method)", details: [
                        ("variables", .int(Int64(lp.variableCount))), ("status", .string(status)), ("objective", .double(objective))], unit: "s", value: t)
                    out.append(f); progress(f)
                }
            }
            if let h = best["highs"] {
                for backend in ["glpk", "clp"] where best[backend] != nil {
                    out.append(Figure(name: "lp.budget_lp.\(variant).ratio.\(backend)_best_over_highs_best",
                                      details: [("highs_best_s", .double(h)), ("\(backend)_best_s", .double(best[backend]!))], unit: "×", value: best[backend]! / h))
                }
            }
            let spread = (objectives.max() ?? 0) - (objectives.min() ?? 0)
            out.append(Figure(name: "lp.budget_lp.\(variant).objective_spread", details: [("backends", .int(Int64(objectives.count)))], unit: "", value: spread))
        }
        return out
    }

    /// Writes the instance's edges (u,t,p) and runs the HiGHS script on them; nil when python3 or scipy is missing.
    static func runHiGHS(script: String, instance x: MatchingInstance) throws -> [(String, String, Double, Double)]? {
        guard FileManager.default.fileExists(atPath: script), shell(["python3", "-c", "import scipy"]) != nil else { return nil }
        let path = NSTemporaryDirectory() + "gavel-budget-lp-\(ProcessInfo.processInfo.processIdentifier).csv"
        var text = "u,t,p\n"
        for t in 0..<x.arrivalCount { for (u, p) in x.edges(of: t) { text += "\(u),\(t),\(p)\n" } }
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: path) }
        guard let output = shell(["python3", script, "--edges", path]) else { return nil }
        var rows: [(String, String, Double, Double)] = []
        for line in output.split(separator: "\n") {
            guard let data = line.data(using: .utf8), let o = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
                  let name = o["benchmark"] as? String, let t = o["value"] as? Double else { continue }
            let method = name.split(separator: ".").last.map(String.init) ?? name
            rows.append((method, "\(o["status"] ?? "?")", (o["objective"] as? Double) ?? .nan, t))
        }
        return rows
    }

    static func shell(_ arguments: [String]) -> String? {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = arguments
        let pipe = Pipe()
        p.standardOutput = pipe
        p.standardError = FileHandle.nullDevice
        do { try p.run() } catch { return nil }
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return p.terminationStatus == 0 ? String(decoding: data, as: UTF8.self) : nil
    }

    /// The matching LP bounds on the instances where they used to stop short: z-graph α = 0.42,
    /// n = m = 50; MP12's G_3 with m = 100; a random 1,000 × 1,000 instance of degree 10 with
    /// p ~ U(0.01, 0.1). Every LP benchmark on Clp and GLPK, column generation warm and cold and
    /// the stochastic configuration LP's compact form, each under `timeLimit` (a run that hits it is reported with status "time_limit", value = limit).
    /// Then the factor-revealing LP (n = 1500) on both backends.
    public static func boundsSuite(timeLimit: Duration = .seconds(120), factorCells: Int = 1500) throws -> [Figure] {
        var out: [Figure] = []
        let instances: [(String, MatchingInstance)] = [
            ("z_graph_a0.42_n50_m50", try InstanceFamily.zGraph(alpha: 0.42, n: 50, m: 50)),
            ("mp12_g3_m100", try InstanceFamily.mp12G(k: 3, m: 100)),
            ("regular_1000x1000_d10", try InstanceFamily.regularRandom(offline: 1000, arrivals: 1000, degree: 10, pLow: 0.01, pHigh: 0.1, seed: 3)),
        ]
        let clock = ContinuousClock()
        for (label, x) in instances {
            for backend in [LPSolverChoice.Backend.clp, .glpk] {
                let choice = LPSolverChoice(backend: backend, method: .auto, timeLimit: timeLimit)
                // (benchmark, formulation, warm start, name suffix): column generation warm and cold,
                // and the stochastic LP's compact form (one solve).
                var runs: [(MatchingBenchmark, ConfigurationLP.Formulation, Bool, String)] = [
                    (.budgetLP, .automatic, true, ""), (.offlineMatching, .automatic, true, "")]
                for b in [MatchingBenchmark.configLP, .stochasticConfigLP] {
                    runs += [(b, .columnGeneration, true, ".warm"), (b, .columnGeneration, false, ".cold")]
                }
                runs.append((.stochasticConfigLP, .compact, true, ".compact"))
                for (b, formulation, warm, suffix) in runs {
                    let start = clock.now
                    var status = "optimal", value = Double.nan, size = 0, solves = 0
                    do {
                        let v = try MatchingBenchmarks.value(b, of: x, lp: choice, warmStart: warm, formulation: formulation)
                        value = v.value; size = v.size; solves = v.solves
                    } catch let e as ExperimentError where e.isBeyondLimit {
                        status = "\(e)".contains("time limit") ? "time_limit" : "limit: \(e)"
                    }
                    let t = (clock.now - start) / .seconds(1)
                    defer { progress(out.last!) }
                    out.append(Figure(name: "lp.bounds.\(label).\(b.rawValue).\(backend.rawValue)" + suffix, details: [
                        ("offline", .int(Int64(x.offlineCount))), ("arrivals", .int(Int64(x.arrivalCount))), ("edges", .int(Int64(x.edgeCount))),
                        ("status", .string(status)), ("bound", .double(value)), ("columns", .int(Int64(size))), ("lp_solves", .int(Int64(solves)))],
                        unit: "s", value: t))
                }
            }
        }
        for choice in [LPSolverChoice(backend: .clp, method: .dual), LPSolverChoice(backend: .clp, method: .primal),
                       LPSolverChoice(backend: .glpk, method: .dual)] {
            let start = clock.now
            let f = try BalanceFactorLP(cells: factorCells, lp: choice)
            let t = (clock.now - start) / .seconds(1)
            out.append(Figure(name: "lp.balance_factor_lp.n\(factorCells).\(choice.backend.rawValue)/\(choice.method.rawValue)", details: [
                ("gamma", .double(f.gamma)), ("rounds", .int(Int64(f.gammaByRound.count))), ("solver", .string(f.solver?.description ?? ""))], unit: "s", value: t))
            progress(out.last!)
        }
        return out
    }
}
