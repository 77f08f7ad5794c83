import GavelLP
import Testing

@Suite("A 100,000-variable sparse LP with a closed-form optimum")
struct LargeSparseLPTests {
    static let groups = 1_000
    static let groupSize = 100
    /// Total picks allowed across all groups by the coupling row.
    static let couplingLimit = 600.0

    /// Deterministic profits in [0, 0.999]; 919 (= 7919 mod 1000) is coprime to
    /// 1000, so the 100 variables of a group get distinct profits.
    static func profit(_ j: Int) -> Double { Double((j * 7919) % 1000) / 1000 }

    /// max Σ cⱼxⱼ  s.t.  Σ_{j∈g} xⱼ ≤ 1 per group g,  Σ_j xⱼ ≤ K,  0 ≤ xⱼ ≤ 1.
    ///
    /// Each group contributes at most its best profit per unit, at most one unit,
    /// and at most K units overall, so the optimum is the sum of the K largest
    /// group maxima (K = 600 < 1000 groups, so the coupling row binds).
    static func program() -> (LinearProgram, [LPVariable]) {
        var lp = LinearProgram(direction: .maximize)
        let n = groups * groupSize
        var variables: [LPVariable] = []
        variables.reserveCapacity(n)
        for j in 0..<n {
            variables.append(lp.addVariable(lower: 0, upper: 1, objective: profit(j)))
        }
        for g in 0..<groups {
            let members = variables[(g * groupSize)..<((g + 1) * groupSize)]
            lp.addConstraint(members.map { ($0, 1.0) }, .lessOrEqual(1), name: "group\(g)")
        }
        lp.addConstraint(variables.map { ($0, 1.0) }, .lessOrEqual(couplingLimit), name: "coupling")
        return (lp, variables)
    }

    static func closedFormOptimum() -> Double {
        let maxima = (0..<groups).map { g in
            ((g * groupSize)..<((g + 1) * groupSize)).map(profit).max()!
        }
        return maxima.sorted(by: >).prefix(Int(couplingLimit)).reduce(0, +)
    }

    /// Simplex only: GLPK's interior point needs minutes here, because the dense
    /// coupling row makes its normal equations dense.
    @Test(arguments: SolverConfiguration.simplex)
    func groupedSelection(configuration: SolverConfiguration) throws {
        let clock = ContinuousClock()
        let buildStart = clock.now
        let (lp, variables) = Self.program()
        let built = clock.now
        let solution = try configuration.solver.solve(lp)
        let solved = clock.now
        print("100k LP [\(configuration.testDescription)]: build \(buildStart.duration(to: built)), solve \(built.duration(to: solved))")

        let expected = Self.closedFormOptimum()
        #expect(solution.status == .optimal)
        let objective = try #require(solution.objectiveValue)
        #expect(abs(objective - expected) <= 1e-6 * expected, "objective \(objective) vs closed form \(expected)")
        #expect(abs(solution.rowActivities.last! - Self.couplingLimit) <= 1e-6 * Self.couplingLimit)
        // Every value respects its bounds (to solver tolerance).
        #expect(variables.allSatisfy { (-1e-7...(1 + 1e-7)).contains(solution.value(of: $0)) })
    }
}
