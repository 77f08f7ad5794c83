import GavelLP
import Testing

@Suite("Infeasible and unbounded are statuses, told apart correctly")
struct StatusTests {
    /// x + y ≤ 1 and x + y ≥ 3 cannot both hold.
    @Test(arguments: SolverConfiguration.all)
    func infeasibleLP(configuration: SolverConfiguration) throws {
        var lp = LinearProgram(direction: .maximize)
        let x = lp.addVariable(objective: 1)
        let y = lp.addVariable(objective: 1)
        lp.addConstraint([(x, 1), (y, 1)], .lessOrEqual(1))
        lp.addConstraint([(x, 1), (y, 1)], .greaterOrEqual(3))
        let solution = try configuration.solver.solve(lp)
        #expect(solution.status == .infeasible)
        #expect(!solution.hasValues)
        #expect(solution.objectiveValue == nil)
    }

    /// max x + y with x − y ≤ 1: y (and x with it) can grow without limit.
    @Test(arguments: SolverConfiguration.all)
    func unboundedLP(configuration: SolverConfiguration) throws {
        var lp = LinearProgram(direction: .maximize)
        let x = lp.addVariable(objective: 1)
        let y = lp.addVariable(objective: 1)
        lp.addConstraint([(x, 1), (y, -1)], .lessOrEqual(1))
        let solution = try configuration.solver.solve(lp)
        #expect(solution.status == .unbounded)
        #expect(!solution.hasValues)
    }

    /// Unbounded minimisation through a free variable with no rows at all, which
    /// GLPK's presolver removes and reports as GLP_ENODFS.
    @Test(arguments: SolverConfiguration.all)
    func unboundedFreeColumn(configuration: SolverConfiguration) throws {
        var lp = LinearProgram(direction: .minimize)
        let x = lp.addVariable(lower: 0, upper: 1, objective: 1)
        lp.addVariable(lower: -.infinity, upper: .infinity, objective: 2)
        lp.addConstraint([(x, 1)], .lessOrEqual(1))
        #expect(try configuration.solver.solve(lp).status == .unbounded)
    }

    /// Primal *and* dual infeasible: a row no point satisfies plus a free column
    /// that would make the objective unbounded. The right answer is infeasible;
    /// the presolver first sees dual infeasibility (GLP_ENODFS), which must not
    /// be reported as unbounded.
    @Test(arguments: SolverConfiguration.all)
    func infeasibleWithUnboundedDirection(configuration: SolverConfiguration) throws {
        var lp = LinearProgram(direction: .maximize)
        let y = lp.addVariable(lower: 0, name: "y")
        lp.addVariable(lower: -.infinity, upper: .infinity, objective: 1, name: "free")
        lp.addConstraint([(y, 1)], .lessOrEqual(-1), name: "impossible")
        #expect(try configuration.solver.solve(lp).status == .infeasible)
    }

    /// 2y = 1 has a continuous solution but no integer one.
    @Test(arguments: SolverConfiguration.glpk)
    func integerInfeasibleMIP(configuration: SolverConfiguration) throws {
        var lp = LinearProgram(direction: .maximize)
        let y = lp.addVariable(lower: 0, upper: 10, objective: 1, kind: .integer)
        lp.addConstraint([(y, 2)], .equal(1))
        let solution = try configuration.solver.solve(lp)
        #expect(solution.status == .infeasible)
        #expect(solution.kind == .mixedInteger)
        // The relaxation itself is fine: y = 0.5.
        let relaxed = try configuration.solver.solve(lp.relaxed())
        #expect(relaxed.status == .optimal)
        #expect(isClose(relaxed.value(of: y), 0.5, 1e-9))
    }

    /// max x + y over integers with x ≤ y: unbounded.
    @Test(arguments: SolverConfiguration.glpk)
    func unboundedMIP(configuration: SolverConfiguration) throws {
        var lp = LinearProgram(direction: .maximize)
        let x = lp.addVariable(objective: 1, kind: .integer)
        let y = lp.addVariable(objective: 1, kind: .integer)
        lp.addConstraint([(x, 1), (y, -1)], .lessOrEqual(0))
        #expect(try configuration.solver.solve(lp).status == .unbounded)
    }

    /// The relaxation is unbounded (x grows freely) but 2y = 1 has no integer
    /// solution, so the MIP is infeasible, not unbounded.
    @Test(arguments: SolverConfiguration.glpk)
    func integerInfeasibleMIPWithUnboundedRelaxation(configuration: SolverConfiguration) throws {
        var lp = LinearProgram(direction: .maximize)
        lp.addVariable(objective: 1, kind: .integer, name: "x")
        let y = lp.addVariable(upper: 10, kind: .integer, name: "y")
        lp.addConstraint([(y, 2)], .equal(1))
        #expect(try configuration.solver.solve(lp).status == .infeasible)
    }

    /// An integer variable whose bounds contain no integer is infeasible, not an input error.
    @Test func emptyIntegerDomain() throws {
        var lp = LinearProgram(direction: .maximize)
        lp.addVariable(lower: 0.2, upper: 0.8, objective: 1, kind: .integer)
        #expect(try GLPKSolver().solve(lp).status == .infeasible)
    }
}
