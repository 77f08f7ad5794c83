import GavelLP
import Testing

@Suite("Mixed-integer programs")
struct MixedIntegerTests {
    /// 0-1 knapsack: values (60, 100, 120), weights (10, 20, 30), capacity 50.
    /// Integer optimum 220 (items 2 and 3); the LP relaxation takes items 1 and 2
    /// whole and 2/3 of item 3 for 240.
    @Test(arguments: SolverConfiguration.glpk)
    func knapsack(configuration: SolverConfiguration) throws {
        var lp = LinearProgram(direction: .maximize)
        let values = [60.0, 100, 120]
        let weights = [10.0, 20, 30]
        let items = values.indices.map { lp.addVariable(objective: values[$0], kind: .binary, name: "item\($0 + 1)") }
        let capacity = lp.addConstraint(zip(items, weights).map { ($0, $1) }, .lessOrEqual(50), name: "capacity")

        let mip = try configuration.solver.solve(lp)
        #expect(mip.status == .optimal)
        #expect(mip.kind == .mixedInteger)
        #expect(isClose(try #require(mip.objectiveValue), 220, 1e-9))
        #expect(items.map { mip.value(of: $0) } == [0, 1, 1])
        #expect(isClose(mip.activity(of: capacity), 50, 1e-9))
        #expect(!mip.hasDuals)

        let relaxation = try configuration.solver.solve(lp.relaxed())
        let tol = configuration.tolerance
        #expect(relaxation.status == .optimal)
        #expect(isClose(try #require(relaxation.objectiveValue), 240, tol))
        #expect(isClose(relaxation.value(of: items[0]), 1, tol))
        #expect(isClose(relaxation.value(of: items[1]), 1, tol))
        #expect(isClose(relaxation.value(of: items[2]), 2.0 / 3.0, tol))
        // The capacity's shadow price is item 3's value density.
        #expect(isClose(relaxation.dual(of: capacity), 4, tol))
    }

    /// max 5x + 4y  s.t.  6x + 4y ≤ 24,  x + 2y ≤ 6,  x, y ≥ 0 integer.
    /// LP optimum 21 at (3, 1.5); integer optimum 20 at (4, 0). x's fractional
    /// upper bound 4.7 is rounded to 4 (not binding); a binary fixed at one by
    /// its lower bound adds its objective 1.
    @Test(arguments: SolverConfiguration.glpk)
    func generalIntegers(configuration: SolverConfiguration) throws {
        var lp = LinearProgram(direction: .maximize)
        let x = lp.addVariable(lower: 0, upper: 4.7, objective: 5, kind: .integer, name: "x")
        let y = lp.addVariable(lower: 0, objective: 4, kind: .integer, name: "y")
        let fixed = lp.addVariable(lower: 1, objective: 1, kind: .binary, name: "fixed")
        lp.addConstraint([(x, 6), (y, 4)], .lessOrEqual(24))
        lp.addConstraint([(x, 1), (y, 2)], .lessOrEqual(6))

        let mip = try configuration.solver.solve(lp)
        #expect(mip.status == .optimal)
        #expect(isClose(try #require(mip.objectiveValue), 21, 1e-9))
        #expect(mip.value(of: x) == 4)
        #expect(mip.value(of: y) == 0)
        #expect(mip.value(of: fixed) == 1)

        let relaxation = try configuration.solver.solve(lp.relaxed())
        #expect(isClose(try #require(relaxation.objectiveValue), 22, configuration.tolerance))
        #expect(isClose(relaxation.value(of: x), 3, configuration.tolerance))
        #expect(isClose(relaxation.value(of: y), 1.5, configuration.tolerance))
    }
}
