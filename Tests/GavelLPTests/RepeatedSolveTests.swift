@testable import GavelLP
import Testing

@Suite("Many related solves, sequential and concurrent")
struct RepeatedSolveTests {
    static let profits: [Double] = (0..<40).map { Double(($0 * 37) % 41) + 0.5 }

    /// max Σ cᵢxᵢ  s.t.  Σ xᵢ ≤ b,  0 ≤ xᵢ ≤ 1: take the ⌊b⌋ best items whole and
    /// the fraction b − ⌊b⌋ of the next one. The capacity's shadow price is the
    /// profit of that next (marginal) item.
    static func closedForm(capacity b: Double) -> (objective: Double, price: Double) {
        let sorted = profits.sorted(by: >)
        let whole = Int(b.rounded(.down))
        let objective = sorted.prefix(whole).reduce(0, +) + (whole < sorted.count ? (b - Double(whole)) * sorted[whole] : 0)
        return (objective, whole < sorted.count ? sorted[whole] : 0)
    }

    /// Capacities strictly between integers so the marginal item, hence the dual, is unique.
    static let capacities: [Double] = (0..<30).map { Double($0) + 0.25 + Double($0 % 3) * 0.25 }

    /// One program, re-solved after changing only the capacity, as an
    /// auction would when it re-prices with different supply.
    @Test func sequentialRhsChanges() throws {
        var lp = LinearProgram(direction: .maximize)
        let items = Self.profits.map { lp.addVariable(upper: 1, objective: $0) }
        let capacity = lp.addConstraint(items.map { ($0, 1.0) }, .lessOrEqual(0))
        let solver = GLPKSolver()
        for b in Self.capacities {
            lp.setBound(of: capacity, .lessOrEqual(b))
            let solution = try solver.solve(lp)
            let expected = Self.closedForm(capacity: b)
            #expect(solution.status == .optimal)
            #expect(isClose(try #require(solution.objectiveValue), expected.objective, 1e-9), "b = \(b)")
            #expect(isClose(solution.dual(of: capacity), expected.price, 1e-9), "b = \(b)")
        }
    }

    /// Solves on many threads at once, interleaved with deliberately trapped
    /// GLPK errors. Each trapped error calls glp_free_env() on its own thread;
    /// this only works because GLPK's environment is thread-local (or, in a
    /// build without TLS, because the shim serialises all GLPK use).
    @Test func concurrentSolvesWithTrappedErrors() async throws {
        let results = try await withThrowingTaskGroup(of: (Double, Double?).self) { group in
            for (k, b) in Self.capacities.enumerated() {
                group.addTask {
                    if k % 5 == 0 {
                        #expect(throws: LPError.self) { try GLPKSolver.triggerTrappedErrorForTesting() }
                    }
                    var lp = LinearProgram(direction: .maximize)
                    let items = Self.profits.map { lp.addVariable(upper: 1, objective: $0) }
                    lp.addConstraint(items.map { ($0, 1.0) }, .lessOrEqual(b))
                    let method: GLPKSolver.Options.Method = k % 2 == 0 ? .primalSimplex : .dualSimplex
                    return (b, try GLPKSolver(method: method, presolve: k % 3 == 0).solve(lp).objectiveValue)
                }
            }
            var collected: [(Double, Double?)] = []
            for try await result in group { collected.append(result) }
            return collected
        }
        #expect(results.count == Self.capacities.count)
        for (b, objective) in results {
            #expect(isClose(try #require(objective), Self.closedForm(capacity: b).objective, 1e-9), "b = \(b)")
        }
    }

    /// A generous time limit is passed to GLPK and does not change the answer.
    @Test func timeLimitLeavesEasySolveOptimal() throws {
        var lp = LinearProgram(direction: .maximize)
        let items = Self.profits.map { lp.addVariable(upper: 1, objective: $0, kind: .binary) }
        lp.addConstraint(items.map { ($0, 1.0) }, .lessOrEqual(7.5))
        let solver = GLPKSolver(options: .init(presolve: true, timeLimit: .seconds(60)))
        let solution = try solver.solve(lp)
        #expect(solution.status == .optimal)
        #expect(isClose(try #require(solution.objectiveValue), Self.closedForm(capacity: 7).objective, 1e-9))
    }
}
