import Foundation
import GavelCore
@testable import GavelMatching
import GavelLP
import Testing

@Suite("Benchmarks: LPs and DPs")
struct BenchmarkTests {
    /// ≤ 3 offline, ≤ 5 arrivals, p anywhere in (0, 1], weights in [1, 3] (spec B10).
    static func smallInstance(_ seed: Int) throws -> MatchingInstance {
        var r = Xoshiro256StarStar(seed: UInt64(seed)).stream(named: "shape")
        let nU = 1 + r.nextInt(below: 3), nT = 1 + r.nextInt(below: 5)
        let x = try InstanceFamily.erdosRenyi(offline: nU, arrivals: nT, density: 0.7, pLow: 0.01, pHigh: 1, maxWeight: seed % 2 == 0 ? 1 : 3, seed: UInt64(seed))
        return x
    }

    @Test("chain ALG ≤ clairvoyant ≤ fully-offline ≤ PBP ≤ StdLP and clairvoyant ≤ SCLP on 300 random small instances")
    func chain() throws {
        var checked = 0, seed = 0
        // The first 300 instances with |E| ≤ 9 (PBP has 2^(|E|−1)·|E| columns).
        while checked < 300 {
            seed += 1
            let x = try Self.smallInstance(seed)
            guard x.edgeCount <= 9 else { continue }
            let clair = try OfflineDP.clairvoyant(x).value
            let full = try OfflineDP.fullyOffline(x).value
            let pbp = try PathBasedProgram.solve(x).value
            let std = try BudgetLP.solve(x).value
            let sclp = try ConfigurationLP.solve(x, kind: .stochastic).value
            for a in MatchingAlgorithm.allCases where !a.isFractional && a != .guPerturbed {
                let alg = try ExactEvaluation.evaluate(a, on: x).value
                #expect(alg <= clair + 1e-9, "seed \(seed) \(a): \(alg) > clairvoyant \(clair)")
            }
            #expect(clair <= full + 1e-9, "seed \(seed)")
            #expect(full <= pbp + 1e-6, "seed \(seed): fully offline \(full) > PBP \(pbp)")
            #expect(pbp <= std + 1e-6, "seed \(seed): PBP \(pbp) > StdLP \(std)")
            #expect(clair <= sclp + 1e-6, "seed \(seed): clairvoyant \(clair) > SCLP \(sclp)")
            checked += 1
        }
    }

    /// Both backends, column generation warm (previous basis kept) and cold (from scratch each round).
    static let backends: [(LPSolverChoice, Bool)] = [
        (LPSolverChoice(backend: .glpk, method: .dual), true), (LPSolverChoice(backend: .glpk, method: .dual), false),
        (LPSolverChoice(backend: .clp, method: .dual), true), (LPSolverChoice(backend: .clp, method: .dual), false),
        (LPSolverChoice(backend: .clp, method: .barrier), true),
    ]

    @Test("column generation reaches the enumerated optimum (ConfigLP and SCLP), every backend, warm and cold", arguments: backends)
    func columnGeneration(choice: LPSolverChoice, warm: Bool) throws {
        for seed in 0..<5 {
            let x = try InstanceFamily.erdosRenyi(offline: 4, arrivals: 9, density: 0.8, pLow: 0.05, pHigh: 0.7, maxWeight: 2, seed: UInt64(100 + seed))
            for kind in [ConfigurationLP.Kind.standard, .stochastic] {
                let full = try ConfigurationLP.solve(x, kind: kind, lp: choice)
                let cg = try ConfigurationLP.solve(x, kind: kind, formulation: .columnGeneration, lp: choice, warmStart: warm)
                #expect(abs(full.value - cg.value) <= 1e-6, "seed \(seed) \(kind): \(full.value) vs \(cg.value)")
                #expect(cg.size < full.size)
            }
        }
    }

    /// MP12's G_k with p = 1/m: u_i serving batch i alone is feasible with p_u(S) = 1, and ConfigLP ≤ StdLP = k,
    /// so ConfigLP = k. Column generation from singletons alone stalled here (500 degenerate rounds at
    /// k = 3, m = 100); it must converge, and fast (degree 300 at u_3: far beyond enumeration).
    @Test("ConfigLP on MP12's G_k converges to k by column generation (GLPK and Clp, warm)", arguments: [(3, 100), (4, 50), (2, 200)], [LPSolverChoice.Backend.glpk, .clp])
    func configLPOnMP12(size: (Int, Int), backend: LPSolverChoice.Backend) throws {
        let (k, m) = size
        let x = try InstanceFamily.mp12G(k: k, m: m)
        let choice = LPSolverChoice(backend: backend)
        #expect(abs(try ConfigurationLP.solve(x, kind: .standard, lp: choice).value - Double(k)) <= 1e-7 * Double(k))
        #expect(abs(try BudgetLP.solve(x, lp: choice).value - Double(k)) <= 1e-7 * Double(k))
        // Offline matching with p treated as 1: a perfect matching of the k offline vertices exists.
        #expect(abs(try BudgetLP.maxWeightMatching(x, lp: choice).value - Double(k)) <= 1e-7 * Double(k))
    }

    @Test("ConfigLP is not an upper bound for large p (spec B.3(2)); StdLP is")
    func configLPNotABound() throws {
        // Two arrivals, one offline vertex, p = 0.8: ConfigLP = min(1, 1.6) = 1 < ... no: offline = 1 − 0.2² = 0.96 < 1.
        // Two vertices: arrival 0 → {u0, u1}, arrival 1 → {u0}; p = 0.8.
        var found = false
        for seed in 0..<200 where !found {
            let x = try Self.smallInstance(seed)
            let full = try OfflineDP.fullyOffline(x).value
            if try ConfigurationLP.solve(x, kind: .standard).value < full - 1e-6 { found = true }
            #expect(try BudgetLP.solve(x).value >= full - 1e-6)
        }
        #expect(found, "expected some random instance with ConfigLP below the fully-offline optimum")
    }

    /// Degree 30 forces column generation (enumeration stops at degree 10).
    @Test("single vertex: StdLP = ConfigLP = min(1, mp); clairvoyant = SCLP = 1 − (1 − p)^m (GU fn. 6), every backend", arguments: backends)
    func singleVertex(choice: LPSolverChoice, warm: Bool) throws {
        for (m, p) in [(6, 0.1), (30, 0.02)] {
            let x = try InstanceFamily.singleVertex(m: m, p: p)
            let std = min(1, Double(m) * p), stochastic = 1 - pow(1 - p, Double(m))
            #expect(abs(try BudgetLP.solve(x, lp: choice).value - std) <= 1e-7)
            #expect(abs(try ConfigurationLP.solve(x, kind: .standard, lp: choice, warmStart: warm).value - std) <= 1e-7)
            #expect(abs(try OfflineDP.clairvoyant(x).value - stochastic) <= 1e-12)
            #expect(abs(try ConfigurationLP.solve(x, kind: .stochastic, lp: choice, warmStart: warm).value - stochastic) <= 1e-7)
        }
    }

    @Test("offline matching of the upper-triangular graph is n (GLPK and Clp)", arguments: [LPSolverChoice.Backend.glpk, .clp])
    func offlineMatching(backend: LPSolverChoice.Backend) throws {
        #expect(abs(try BudgetLP.maxWeightMatching(InstanceFamily.upperTriangular(n: 30), lp: LPSolverChoice(backend: backend)).value - 30) <= 1e-7 * 30)
    }

    /// Every LP benchmark on both backends (and warm/cold column generation) agrees to 1e-7 relative
    /// on random small instances: the backends are independent implementations of the same LP.
    @Test("GLPK and Clp agree to 1e-7 relative on every LP benchmark (60 random small instances)")
    func backendsAgree() throws {
        let glpk = LPSolverChoice(backend: .glpk), clp = LPSolverChoice(backend: .clp)
        for seed in 1...60 {
            let x = try Self.smallInstance(seed)
            var benchmarks: [MatchingBenchmark] = [.budgetLP, .offlineMatching, .configLP, .stochasticConfigLP]
            if x.edgeCount <= 8 { benchmarks.append(.pathBased) }
            for b in benchmarks {
                let a = try MatchingBenchmarks.value(b, of: x, lp: glpk).value
                let c = try MatchingBenchmarks.value(b, of: x, lp: clp).value
                #expect(abs(a - c) <= 1e-7 * max(1, abs(a)), "seed \(seed) \(b.rawValue): GLPK \(a) vs Clp \(c)")
            }
            for kind in [ConfigurationLP.Kind.standard, .stochastic] {
                let reference = try ConfigurationLP.solve(x, kind: kind, lp: glpk).value
                for (choice, warm) in [(glpk, true), (glpk, false), (clp, true), (clp, false)] {
                    let v = try ConfigurationLP.solve(x, kind: kind, formulation: .columnGeneration, lp: choice, warmStart: warm).value
                    #expect(abs(v - reference) <= 1e-7 * max(1, reference), "seed \(seed) \(kind) \(choice) warm \(warm): \(v) vs \(reference)")
                }
            }
        }
    }

    /// The compact form (one variable per edge plus prefix sums) against the enumerated columns
    /// (small degrees) and against column generation (degree 60 at MP12's G_3, m = 20): the
    /// equivalence argued in `CompactStochasticConfigurationLP`'s doc comment.
    @Test("SCLP's compact form equals the column LP: enumerated on 60 random instances, column-generated on G_3 and the z-graph, both backends",
          arguments: [LPSolverChoice.Backend.glpk, .clp])
    func compactStochasticConfigurationLP(backend: LPSolverChoice.Backend) throws {
        let choice = LPSolverChoice(backend: backend)
        for seed in 1...60 {
            let x = try Self.smallInstance(seed)
            let columns = try ConfigurationLP.solve(x, kind: .stochastic, formulation: .enumeration, lp: choice).value
            let compact = try ConfigurationLP.solve(x, kind: .stochastic, formulation: .compact, lp: choice).value
            #expect(abs(compact - columns) <= 1e-7 * max(1, columns), "seed \(seed): compact \(compact) vs enumerated \(columns)")
        }
        for x in [try InstanceFamily.mp12G(k: 3, m: 20), try InstanceFamily.zGraph(alpha: 0.5, n: 4, m: 5)] {
            let generated = try ConfigurationLP.solve(x, kind: .stochastic, formulation: .columnGeneration, lp: choice).value
            let compact = try ConfigurationLP.solve(x, kind: .stochastic, formulation: .compact, lp: choice).value
            #expect(abs(compact - generated) <= 1e-7 * max(1, generated), "compact \(compact) vs column generation \(generated)")
        }
        #expect { try ConfigurationLP.solve(InstanceFamily.mp12G(k: 2, m: 5), kind: .standard, formulation: .compact) } throws: { ($0 as? ExperimentError)?.isBeyondLimit == true }
    }

    /// Spec B14: Γ(200) = 0.604686 (4 rounds; HiGHS). Both backends iterate the same LPs; Γ must agree to 1e-6.
    @Test("factor-revealing LP n = 200: GLPK and Clp give the same Γ (1e-6) and the spec's 0.604686 (1e-5)")
    func factorLPBothBackends() throws {
        let g = try BalanceFactorLP(cells: 200, lp: LPSolverChoice(backend: .glpk))
        let c = try BalanceFactorLP(cells: 200, lp: LPSolverChoice(backend: .clp))
        #expect(abs(g.gamma - c.gamma) <= 1e-6, "GLPK \(g.gamma) vs Clp \(c.gamma)")
        #expect(abs(c.gamma - 0.604686) <= 1e-5)
        #expect(g.gammaByRound.count == c.gammaByRound.count)
    }

    @Test("a solver time limit is a result saying so, never a partial bound")
    func timeLimit() throws {
        let x = try InstanceFamily.regularRandom(offline: 2000, arrivals: 4000, degree: 10, pLow: 0.05, pHigh: 0.5, seed: 5)
        for backend in [LPSolverChoice.Backend.glpk, .clp] {
            let choice = LPSolverChoice(backend: backend, method: .dual, timeLimit: .milliseconds(1))
            #expect { try BudgetLP.solve(x, lp: choice) } throws: { error in
                "\(error)".contains("time limit") && "\(error)".contains("no bound reported")
            }
        }
    }

    @Test("limits: errors that name the limit")
    func limits() throws {
        let big = try InstanceFamily.upperTriangular(n: 30)
        #expect { try PathBasedProgram.solve(big) } throws: { ($0 as? ExperimentError)?.description.contains("limit 12") == true }
        #expect { try OfflineDP.fullyOffline(big) } throws: { ($0 as? ExperimentError)?.description.contains("limit 22") == true }
        #expect { try OfflineDP.clairvoyant(big) } throws: { ($0 as? ExperimentError)?.description.contains("|U| ≤ 24") == true }
    }
}

@Suite("lp: blocks in scenarios and instance files")
struct LPBlockTests {
    @Test("a scenario's lp block picks the backend; lp_bounds.csv says which produced each bound")
    func scenarioBlock() throws {
        let json = #"{"instances": [{"family": "k22n", "n": 100}], "algorithms": ["greedy"], "benchmarks": ["budget_lp", "clairvoyant"], "lp": {"solver": "glpk", "method": "primal", "time_limit_s": 30}}"#
        let config = try JSONDecoder().decode(MatchingExperiment.Config.self, from: Data(json.utf8))
        #expect(config.lp == LPSolverChoice(backend: .glpk, method: .primal, timeLimit: .seconds(30)))
        let experiment = try MatchingExperiment(config: config)
        let outcome = try experiment.run(experiment.cells[0], context: RunContext(workloadSeed: 1, mechanismSeed: 1, replicate: 0))
        // K_{2,200}, p = 1/100: StdLP = 2 (spec B2).
        #expect(abs((outcome.metrics.first { $0.0 == "budget_lp" }?.1 ?? .nan) - 2) <= 1e-9)
        #expect(outcome.artifacts.map(\.contents) == ["instance,benchmark,solver,method,lp_solves,columns\nk22n_n100,budget_lp,glpk,primal,1,400\n"])
    }

    @Test("an unknown solver or method in a scenario: an error listing the valid ones")
    func scenarioBadNames() {
        for (block, message) in [(#"{"solver": "cplex"}"#, "unknown LP solver 'cplex' (expected one of: auto, glpk, clp)"),
                                 (#"{"method": "simplex"}"#, "unknown LP method 'simplex' (expected one of: auto, dual, primal, barrier)"),
                                 (#"{"time_limit_s": -1}"#, "expected a number of seconds > 0")] {
            let json = #"{"instances": [{"family": "greedy_trap"}], "lp": "# + block + "}"
            #expect { try JSONDecoder().decode(MatchingExperiment.Config.self, from: Data(json.utf8)) } throws: { "\($0)".contains(message) }
        }
    }

    @Test("an instance file's lp block, and its errors naming file, line and field")
    func instanceFileBlock() throws {
        let text = "offline: [{id: a}]\narrivals:\n  - {id: t0, edges: {a: 0.5}}\nlp: {solver: clp, method: barrier, time_limit_s: 2.5}\n"
        let (x, lp) = try MatchingInstanceFile.parseWithLP(text: text, file: "x.yaml")
        #expect(x.edgeCount == 1)
        #expect(lp == LPSolverChoice(backend: .clp, method: .barrier, timeLimit: .milliseconds(2500)))
        let bad = "offline: [{id: a}]\narrivals: []\nlp: {solver: cplex}\n"
        #expect { try MatchingInstanceFile.parseWithLP(text: bad, file: "x.yaml") } throws: {
            "\($0)" == "x.yaml:3:14: field 'lp.solver': unknown LP solver 'cplex' (expected one of: auto, glpk, clp)"
        }
    }
}
