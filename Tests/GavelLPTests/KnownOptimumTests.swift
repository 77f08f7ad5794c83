import GavelLP
import Testing

@Suite("LPs with known optima, duals and reduced costs")
struct KnownOptimumTests {
    /// max 3x + 5y  s.t.  x ≤ 4,  2y ≤ 12,  3x + 2y ≤ 18,  x, y ≥ 0.
    /// Optimum 36 at (2, 6); shadow prices (0, 1.5, 1); both variables basic.
    @Test(arguments: SolverConfiguration.all)
    func classicMaximisation(configuration: SolverConfiguration) throws {
        var lp = LinearProgram(direction: .maximize)
        let x = lp.addVariable(lower: 0, objective: 3, name: "x")
        let y = lp.addVariable(lower: 0, objective: 5, name: "y")
        let plant1 = lp.addConstraint([(x, 1)], .lessOrEqual(4), name: "plant1")
        let plant2 = lp.addConstraint([(y, 2)], .lessOrEqual(12), name: "plant2")
        let plant3 = lp.addConstraint([(x, 3), (y, 2)], .lessOrEqual(18), name: "plant3")

        let solution = try configuration.solver.solve(lp)
        let tol = configuration.tolerance
        #expect(solution.status == .optimal)
        let objective = try #require(solution.objectiveValue)
        #expect(isClose(objective, 36, tol))
        #expect(isClose(solution.value(of: x), 2, tol))
        #expect(isClose(solution.value(of: y), 6, tol))
        #expect(isClose(solution.activity(of: plant1), 2, tol))
        #expect(isClose(solution.activity(of: plant2), 12, tol))
        #expect(isClose(solution.activity(of: plant3), 18, tol))
        try #require(solution.hasDuals)
        #expect(isClose(solution.dual(of: plant1), 0, tol))
        #expect(isClose(solution.dual(of: plant2), 1.5, tol))
        #expect(isClose(solution.dual(of: plant3), 1, tol))
        #expect(isClose(solution.reducedCost(of: x), 0, tol))
        #expect(isClose(solution.reducedCost(of: y), 0, tol))
    }

    /// Minimisation exercising every bound type, ≥, = and range rows, and a constant:
    ///
    ///     min a + 3b + f − g + 0.5h + 10
    ///     r1: a + b ≥ 3        r2: f − a = −5        r3: 0 ≤ a − b ≤ 100
    ///     a ∈ [0, 10], b ≥ 0, f free, g ≤ 4, h = 2
    ///
    /// Substituting f = a − 5 gives 2a + 3b − 5, minimised at a = 3, b = 0, so
    /// f = −2 (negative: the free variable matters), g = 4, h = 2 and the
    /// objective is 1 − 4 + 1 + 10 = 8. Duals: r1 2, r2 1, r3 0. Reduced costs
    /// d = c − Aᵀy: a 0, b 3 − 2 = 1, f 0, g −1, h 0.5.
    @Test(arguments: SolverConfiguration.all)
    func minimisationWithAllBoundTypes(configuration: SolverConfiguration) throws {
        var lp = LinearProgram(direction: .minimize)
        lp.objectiveConstant = 10
        let a = lp.addVariable(lower: 0, upper: 10, objective: 1, name: "a")
        let b = lp.addVariable(lower: 0, objective: 3, name: "b")
        let f = lp.addVariable(lower: -.infinity, upper: .infinity, objective: 1, name: "f")
        let g = lp.addVariable(lower: -.infinity, upper: 4, objective: -1, name: "g")
        let h = lp.addVariable(lower: 2, upper: 2, objective: 0.5, name: "h")
        let r1 = lp.addConstraint([(a, 1), (b, 1)], .greaterOrEqual(3), name: "cover")
        let r2 = lp.addConstraint([(f, 1), (a, -1)], .equal(-5), name: "link")
        let r3 = lp.addConstraint([(a, 1), (b, -1)], .range(0, 100), name: "spread")

        let solution = try configuration.solver.solve(lp)
        let tol = configuration.tolerance
        #expect(solution.status == .optimal)
        #expect(isClose(try #require(solution.objectiveValue), 8, tol))
        let expectedValues: [(LPVariable, Double)] = [(a, 3), (b, 0), (f, -2), (g, 4), (h, 2)]
        for (variable, expected) in expectedValues {
            #expect(isClose(solution.value(of: variable), expected, tol), "value of \(variable)")
        }
        #expect(isClose(solution.activity(of: r1), 3, tol))
        #expect(isClose(solution.activity(of: r2), -5, tol))
        #expect(isClose(solution.activity(of: r3), 3, tol))
        try #require(solution.hasDuals)
        #expect(isClose(solution.dual(of: r1), 2, tol))
        #expect(isClose(solution.dual(of: r2), 1, tol))
        #expect(isClose(solution.dual(of: r3), 0, tol))
        let expectedReducedCosts: [(LPVariable, Double)] = [(a, 0), (b, 1), (f, 0), (g, -1), (h, 0.5)]
        for (variable, expected) in expectedReducedCosts {
            #expect(isClose(solution.reducedCost(of: variable), expected, tol), "reduced cost of \(variable)")
        }
    }

    /// Repeated terms are summed: x + x + 2y − y ≤ 4 is 2x + y ≤ 4; a term that
    /// sums to zero disappears (y − y).
    @Test func duplicateTermsAreMerged() throws {
        var lp = LinearProgram(direction: .maximize)
        let x = lp.addVariable(upper: 10, objective: 3)
        let y = lp.addVariable(upper: 10, objective: 1)
        let merged = lp.addConstraint([(x, 1), (x, 1), (y, 2), (y, -1)], .lessOrEqual(4))
        lp.addConstraint([(y, 1), (y, -1), (x, 1)], .lessOrEqual(1.5))
        let solution = try GLPKSolver().solve(lp)
        #expect(solution.status == .optimal)
        // max 3x + y with y = 4 − 2x is max x + 4: x = 1.5 (second row), y = 1.
        #expect(isClose(solution.value(of: x), 1.5, 1e-9))
        #expect(isClose(solution.value(of: y), 1, 1e-9))
        #expect(isClose(solution.activity(of: merged), 4, 1e-9))
        #expect(isClose(try #require(solution.objectiveValue), 5.5, 1e-9))
    }

    /// No variables: the objective is the constant; an empty row is feasible
    /// exactly when its bounds contain zero.
    @Test(arguments: SolverConfiguration.all)
    func programWithoutVariables(configuration: SolverConfiguration) throws {
        var lp = LinearProgram(direction: .maximize)
        lp.objectiveConstant = 7
        lp.addConstraint([], .range(-1, 1))
        let solution = try configuration.solver.solve(lp)
        #expect(solution.status == .optimal)
        #expect(solution.objectiveValue == 7)
        #expect(solution.variableValues.isEmpty)

        lp.addConstraint([], .greaterOrEqual(1), name: "impossible")
        #expect(try configuration.solver.solve(lp).status == .infeasible)
    }

    /// Variables only, no rows: each sits at its best bound.
    @Test(arguments: SolverConfiguration.all)
    func programWithoutConstraints(configuration: SolverConfiguration) throws {
        var lp = LinearProgram(direction: .minimize)
        let x = lp.addVariable(lower: -2, upper: 5, objective: 1)
        let y = lp.addVariable(lower: -2, upper: 5, objective: -3)
        let solution = try configuration.solver.solve(lp)
        #expect(solution.status == .optimal)
        #expect(isClose(solution.value(of: x), -2, configuration.tolerance))
        #expect(isClose(solution.value(of: y), 5, configuration.tolerance))
        #expect(isClose(try #require(solution.objectiveValue), -17, configuration.tolerance))
        #expect(isClose(solution.reducedCost(of: y), -3, configuration.tolerance))
    }
}

@Suite("LinearProgram builder")
struct LinearProgramBuilderTests {
    @Test func recordsWhatItIsTold() {
        var lp = LinearProgram(direction: .maximize)
        let x = lp.addVariable(lower: -1, upper: 2, objective: 3, kind: .integer, name: "x")
        let y = lp.addVariable(kind: .binary)
        let row = lp.addConstraint([(x, 1), (y, -2), (x, 4)], .range(-3, 5), name: "r")
        #expect(lp.variableCount == 2)
        #expect(lp.constraintCount == 1)
        #expect(lp.hasIntegerVariables)
        #expect(lp.bounds(of: x) == (-1, 2))
        #expect(lp.objectiveCoefficient(of: x) == 3)
        #expect(lp.kind(of: y) == .binary)
        #expect(lp.bound(of: row) == .range(-3, 5))
        #expect(lp.terms(of: row).map { $0.0 } == [x, y, x])
        #expect(lp.terms(of: row).map { $0.1 } == [1, -2, 4])
        #expect(lp.name(of: x) == "x")
        #expect(lp.name(of: y) == nil)
        #expect(lp.name(of: row) == "r")

        let relaxed = lp.relaxed()
        #expect(!relaxed.hasIntegerVariables)
        #expect(relaxed.bounds(of: y) == (0, 1))
        #expect(relaxed.bounds(of: x) == (-1, 2))

        lp.setBounds(of: x, lower: 0, upper: 0)
        lp.setObjectiveCoefficient(-1, for: y)
        lp.setBound(of: row, .equal(1))
        #expect(lp.bounds(of: x) == (0, 0))
        #expect(lp.objectiveCoefficient(of: y) == -1)
        #expect(lp.bound(of: row) == .equal(1))
    }
}
