import GavelCore
import GavelLP

/// The exact optimum of the as-described problem, max F(S) over the same
/// feasible sets, as a MIP on GLPK (for small instances: tests and checks).
///
///     max θ1·Σ v_e x_e + θ2·Σ_k z_k + θ3·Σ s_e x_e
///     Σ_{e of request i} x_e ≤ 1            (one resource per request)
///     Σ_{e on resource j} d_e x_e ≤ C_j     (shared capacity)
///     z_k ≤ Σ_{e of requester k} v_e x_e,  0 ≤ z_k ≤ 1   (Φ_fair's cap, exact at the optimum)
///     x_e ∈ {0, 1}
public enum AsDescribedOptimum {
    /// Solves the MIP over `elements` (the pairs `mechanism` allows).
    /// - Returns: the optimal F(S) and the indices into `elements` of the chosen pairs.
    /// - Throws: `LPError` from GLPK, or `ExperimentError` when it does not prove optimality.
    public static func solve(_ mechanism: MOHAFAsDescribed, elements: [MOHAFAsDescribed.Element],
                             instance inst: IoTInstance) throws -> (value: Double, chosen: [Int]) {
        var lp = LinearProgram(direction: .maximize)
        let th = mechanism.theta
        let x = elements.map { e in
            lp.addVariable(lower: 0, upper: 1, objective: th.utility * e.value + th.energy * e.energyShare, kind: .binary)
        }
        let z = inst.requesterNames.indices.map { _ in lp.addVariable(lower: 0, upper: 1, objective: th.fairness) }
        var byRequest = [[(LPVariable, Double)]](repeating: [], count: inst.requests.count)
        var byResource = [[(LPVariable, Double)]](repeating: [], count: inst.resources.count)
        var byRequester = [[(LPVariable, Double)]](repeating: [], count: inst.requesterNames.count)
        for (k, e) in elements.enumerated() {
            let i = Int(e.request)
            byRequest[i].append((x[k], 1))
            byResource[Int(e.resource)].append((x[k], inst.requests[i].amount))
            byRequester[inst.requests[i].requester].append((x[k], e.value))
        }
        for terms in byRequest where terms.count > 1 { lp.addConstraint(terms, .lessOrEqual(1)) }
        for (j, terms) in byResource.enumerated() where !terms.isEmpty {
            lp.addConstraint(terms, .lessOrEqual(inst.resources[j].capacity))
        }
        for (k, terms) in byRequester.enumerated() { lp.addConstraint([(z[k], 1)] + terms.map { ($0.0, -$0.1) }, .lessOrEqual(0)) }
        let solution = try GLPKSolver().solve(lp)
        guard solution.status == .optimal, let value = solution.objectiveValue else {
            throw ExperimentError("as-described MIP: GLPK returned \(solution.status)")
        }
        return (value, x.indices.filter { solution.value(of: x[$0]) > 0.5 })
    }
}
