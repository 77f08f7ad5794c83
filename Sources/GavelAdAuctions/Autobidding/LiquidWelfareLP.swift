import GavelCore
import GavelLP

/// The offline optimum of liquid welfare over a whole episode (Aggarwal, Badanidiyuru & Mehta,
/// WINE 2019, §2): max Σ_a W_a + Σ_i d_i o_i subject to W_a ≤ Σ_{i,j} β_j v_ai x_aij and W_a ≤ B_a
/// (liquid value), Σ_a x_aij + [j = slot of o_i] ≤ 1 per slot, Σ_j x_aij ≤ 1 per advertiser and
/// auction, x, o ≥ 0. The outside bid d_i counts as a bidder of value d_i without constraints
/// (it may take the first slot: o_i, with Σ_a x_ai1 + o_i ≤ 1). For one slot the program has
/// n·T + T + n columns and T + 2n rows. Return-on-spend targets do not enter: liquid welfare
/// caps value by the budget only (ABM's definition), and every allocation can be supported by
/// prices that meet the targets (charge nothing).
public enum LiquidWelfareLP {
    /// The LP of the type's documentation for `d` and the slots' click factors.
    public static func build(_ d: AutobidEpisodeData, clickFactors: [Double]) -> LinearProgram {
        var lp = LinearProgram(direction: .maximize)
        let n = d.advertisers, k = clickFactors.count
        var valueRows = Array(repeating: [(LPVariable, Double)](), count: n)
        for i in 0..<d.auctions {
            var slotRows = Array(repeating: [(LPVariable, Double)](), count: k)
            if d.outside[i] > 0 {
                let o = lp.addVariable(lower: 0, upper: 1, objective: clickFactors[0] * d.outside[i])
                slotRows[0].append((o, 1))
            }
            for a in 0..<n where d.values[a][i] > 0 {
                var perAdvertiser: [(LPVariable, Double)] = []
                for j in 0..<k {
                    let x = lp.addVariable(lower: 0, upper: 1, objective: 0)
                    slotRows[j].append((x, 1)); perAdvertiser.append((x, 1))
                    valueRows[a].append((x, clickFactors[j] * d.values[a][i]))
                }
                if k > 1 { lp.addConstraint(perAdvertiser, .lessOrEqual(1)) }
            }
            for row in slotRows where row.count > 1 { lp.addConstraint(row, .lessOrEqual(1)) }
        }
        for a in 0..<n {
            let w = lp.addVariable(lower: 0, upper: d.budgets[a].isFinite ? d.budgets[a] : .infinity, objective: 1)
            lp.addConstraint([(w, 1)] + valueRows[a].map { ($0.0, -$0.1) }, .lessOrEqual(0))
        }
        return lp
    }

    /// The certified optimum (an upper bound on every allocation's liquid welfare) and the solver used.
    public static func solve(_ d: AutobidEpisodeData, clickFactors: [Double], lp choice: LPSolverChoice = .automatic) throws -> (value: Double, solver: ResolvedLPSolver) {
        let lp = build(d, clickFactors: clickFactors)
        let resolved = choice.resolved(for: lp)
        let s = try resolved.solver().solve(lp)
        guard s.status == .optimal else { throw ExperimentError("the liquid-welfare LP ended with status \(s.status)") }
        return (try s.certifiedBound(lp, what: "liquid-welfare LP"), resolved)
    }
}
