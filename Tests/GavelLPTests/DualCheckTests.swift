import GavelLP
import Testing

/// `LPSolution.dualCheck`: weak duality recomputed from the row duals alone (issue 21).
@Suite("Dual check: feasibility of row duals and the weak-duality bound")
struct DualCheckTests {
    /// max 3x + 5y s.t. x ≤ 4, 2y ≤ 12, 3x + 2y ≤ 18, x, y ≥ 0 (optimum 36, duals (0, 1.5, 1)).
    static func classic() -> LinearProgram {
        var lp = LinearProgram(direction: .maximize)
        let x = lp.addVariable(lower: 0, objective: 3)
        let y = lp.addVariable(lower: 0, objective: 5)
        lp.addConstraint([(x, 1)], .lessOrEqual(4))
        lp.addConstraint([(y, 2)], .lessOrEqual(12))
        lp.addConstraint([(x, 3), (y, 2)], .lessOrEqual(18))
        return lp
    }

    @Test("At an optimum of every configuration the duals are feasible and the bound is the optimum", arguments: SolverConfiguration.all)
    func optimumIsTight(configuration: SolverConfiguration) throws {
        let lp = Self.classic()
        let check = try #require(try configuration.solver.solve(lp).dualCheck(lp))
        #expect(check.holds(tolerance: configuration.tolerance), "\(check)")
        #expect(abs(check.bound - 36) <= 36 * configuration.tolerance)
    }

    /// The minimisation of KnownOptimumTests (every bound type, ≥, = and range rows, a constant; optimum 8).
    @Test("Minimisation with every bound type", arguments: SolverConfiguration.all)
    func minimisation(configuration: SolverConfiguration) throws {
        var lp = LinearProgram(direction: .minimize)
        lp.objectiveConstant = 10
        let a = lp.addVariable(lower: 0, upper: 10, objective: 1)
        let b = lp.addVariable(lower: 0, objective: 3)
        let f = lp.addVariable(lower: -.infinity, upper: .infinity, objective: 1)
        lp.addVariable(lower: -.infinity, upper: 4, objective: -1)
        lp.addVariable(lower: 2, upper: 2, objective: 0.5)
        lp.addConstraint([(a, 1), (b, 1)], .greaterOrEqual(3))
        lp.addConstraint([(f, 1), (a, -1)], .equal(-5))
        lp.addConstraint([(a, 1), (b, -1)], .range(0, 100))
        let check = try #require(try configuration.solver.solve(lp).dualCheck(lp))
        #expect(check.holds(tolerance: configuration.tolerance), "\(check)")
        #expect(abs(check.bound - 8) <= 8 * configuration.tolerance)
    }

    /// Hand-made duals: weak duality by hand. For the classic LP, λ = (1, 2, 0) gives
    /// d = (3 − 1, 5 − 4) = (2, 1) > 0 on columns unbounded above: infeasible by 2. λ = (0, 1, 1.5)
    /// gives d = (3 − 4.5, 5 − 2 − 3) = (−1.5, 0), feasible, bound 12 + 27 = 39 ≥ 36. A negative
    /// dual on a ≤ row needs the row's lower bound (−∞): infeasible by its size.
    @Test("Given duals: infeasibility and the bound by hand")
    func handMade() throws {
        let lp = Self.classic()
        func check(_ duals: [Double]) throws -> LPDualCheck {
            let s = LPSolution(status: .optimal, kind: .simplex, objectiveValue: 36, variableValues: [2, 6], rowActivities: [2, 12, 18],
                               rowDuals: duals, reducedCosts: [0, 0])
            return try #require(try s.dualCheck(lp))
        }
        let a = try check([1, 2, 0])
        #expect(a.infeasibility == 2)
        #expect(!a.holds(tolerance: 1e-9))
        let b = try check([0, 1, 1.5])
        #expect(b.infeasibility == 0)
        #expect(b.bound == 39)
        #expect(b.gap == 3)
        #expect(b.reducedCostMismatch == 1.5)   // the reported zeros against the recomputed (−1.5, 0)
        let c = try check([-1, 1.5, 1])
        #expect(c.infeasibility == 1)
    }

    /// What the matching bounds and the IC mechanism LP call before reporting: the solver's own
    /// optimum passes; the same solution with infeasible duals (λ = (1, 2, 0) above) is refused.
    @Test("requireDualCertificate: the solver's optimum passes, tampered duals are an error naming what")
    func requireCertificate() throws {
        let lp = Self.classic()
        let solved = try GLPKSolver().solve(lp)
        try solved.requireDualCertificate(lp, what: "classic")
        let tampered = LPSolution(status: .optimal, kind: .simplex, objectiveValue: 36, variableValues: [2, 6], rowActivities: [2, 12, 18],
                                  rowDuals: [1, 2, 0], reducedCosts: [2, 1])
        #expect {
            try tampered.requireDualCertificate(lp, what: "classic")
        } throws: { error in
            guard case .certificateFailed(let message) = error as? LPError else { return false }
            return message.hasPrefix("classic: ") && message.contains("dual infeasibility 2.0")
        }
    }

    /// By hand (the classic LP above): λ = (0, 1, 1.5) is feasible with d = (−1.5, 0) and bounds
    /// every feasible value by 39; reported with objective 36, the gap 3 is too large, so the
    /// certified bound is 39, not 36. Infeasible duals stay an error; the solver's own optimum is its value.
    @Test("certifiedBound: the objective when tight, the weak-duality bound when the gap is open, an error on infeasible duals")
    func certifiedBound() throws {
        let lp = Self.classic()
        let solved = try GLPKSolver().solve(lp)
        #expect(try solved.certifiedBound(lp, what: "classic") == solved.objectiveValue)
        let loose = LPSolution(status: .optimal, kind: .simplex, objectiveValue: 36, variableValues: [2, 6], rowActivities: [2, 12, 18],
                               rowDuals: [0, 1, 1.5], reducedCosts: [-1.5, 0])
        #expect(try loose.certifiedBound(lp, what: "classic") == 39)
        let infeasible = LPSolution(status: .optimal, kind: .simplex, objectiveValue: 36, variableValues: [2, 6], rowActivities: [2, 12, 18],
                                    rowDuals: [1, 2, 0], reducedCosts: [2, 1])
        #expect(throws: LPError.self) { try infeasible.certifiedBound(lp, what: "classic") }
    }

    @Test("No duals, no check (a MIP, or no optimum)")
    func absent() throws {
        var lp = LinearProgram(direction: .maximize)
        let x = lp.addVariable(lower: 0, upper: 3.5, objective: 1, kind: .integer)
        lp.addConstraint([(x, 1)], .lessOrEqual(10))
        #expect(try GLPKSolver().solve(lp).dualCheck(lp) == nil)
    }

    /// Random feasible bounded LPs (boxed columns, mixed rows): at the optimum the bound matches the
    /// objective; a perturbed λ still gives a bound ≥ the optimum when it is feasible (weak duality).
    @Test("Random LPs: tight at the optimum, weak duality for perturbed duals", arguments: 0..<40)
    func random(seed: Int) throws {
        var state = UInt64(seed) &* 0x9E37_79B9_7F4A_7C15 &+ 1
        func unit() -> Double { state = state &* 6364136223846793005 &+ 1442695040888963407; return Double(state >> 11) / Double(1 << 53) }
        var lp = LinearProgram(direction: seed % 2 == 0 ? .maximize : .minimize)
        let n = 3 + seed % 5, m = 2 + seed % 4
        let xs = (0..<n).map { _ in lp.addVariable(lower: -unit(), upper: 1 + unit(), objective: 2 * unit() - 1) }
        for _ in 0..<m {
            let terms = xs.map { ($0, 2 * unit() - 1) }
            lp.addConstraint(terms, [.lessOrEqual(0.5 + unit()), .greaterOrEqual(-0.5 - unit()), .range(-1 - unit(), 1 + unit())][Int(unit() * 3)])
        }
        let solution = try GLPKSolver().solve(lp)
        try #require(solution.status == .optimal)
        let check = try #require(try solution.dualCheck(lp))
        #expect(check.holds(tolerance: 1e-9), "\(check)")
        let optimum = try #require(solution.objectiveValue)
        let perturbed = try #require(solution.rowDuals).map { $0 + 0.1 * (2 * unit() - 1) }
        let other = LPSolution(status: .optimal, kind: .simplex, objectiveValue: optimum, variableValues: solution.variableValues,
                               rowActivities: solution.rowActivities, rowDuals: perturbed, reducedCosts: solution.reducedCosts)
        let weak = try #require(try other.dualCheck(lp))
        if weak.infeasibility == 0 {
            #expect(weak.gap >= -1e-12, "weak duality: \(weak)")
        }
    }
}
