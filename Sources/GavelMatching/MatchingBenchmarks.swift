import Foundation
import GavelCore
import GavelLP

/// `gavel bench matching`: throughput of every integral algorithm on one million
/// arrivals of degree 10 (issue target: < 1 s each), and the budget LP with
/// 100,000 variables on GLPK (dual simplex).
public enum MatchingThroughput {
    public typealias Figure = BenchmarkFigure

    public static func run(arrivals: Int = 1_000_000, lpVariables: Int = 100_000) throws -> [Figure] {
        var out: [Figure] = []
        // 500,000 offline vertices and p ~ U[0.01, 0.1]: most vertices stay available to the end,
        // so every arrival scores all 10 edges (a small offline side would empty after a few arrivals).
        let x = try InstanceFamily.regularRandom(offline: 500_000, arrivals: arrivals, degree: 10, pLow: 0.01, pHigh: 0.1, seed: 1)
        let clock = ContinuousClock()
        for a in MatchingAlgorithm.allCases {
            _ = try OnlineMatchingRun.run(a, on: x, seed: 0)   // warm the priority tables
            let start = clock.now
            let r = try OnlineMatchingRun.run(a, on: x, seed: 1)
            let s = (clock.now - start) / .seconds(1)
            out.append(Figure(name: "matching.run", details: [("algorithm", .string(a.rawValue)), ("arrivals", .int(Int64(arrivals))),
                                                              ("degree", .int(10)), ("offline", .int(500_000)), ("expected_value_run", .double(r.value)), ("successes", .int(Int64(r.successes)))], unit: "s", value: s))
        }
        // Budget LP: degree 10 arrivals, |E| = lpVariables.
        let y = try InstanceFamily.regularRandom(offline: lpVariables / 20, arrivals: lpVariables / 10, degree: 10, pLow: 0.05, pHigh: 0.5, seed: 2)
        let lp = BudgetLP.build(y)
        let start = clock.now
        let sol = try GLPKSolver(method: .dualSimplex, presolve: false).solve(lp)
        let s = (clock.now - start) / .seconds(1)
        out.append(Figure(name: "matching.budget_lp.glpk", details: [("variables", .int(Int64(lp.variableCount))), ("rows", .int(Int64(lp.constraintCount))),
                                                                    ("status", .string("\(sol.status)")), ("objective", .double(sol.objectiveValue ?? .nan))], unit: "s", value: s))
        return out
    }
}
