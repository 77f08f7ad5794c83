import GavelLP

/// The stochastic configuration LP (spec B.3(4)) in compact form: one variable per edge instead
/// of one per (u, S), so it is solved once, with no column generation.
///
/// Why it is the same LP. Let N_u = (t_1, …, t_d) be u's neighbours in arrival order and
/// y_{u,k} = Σ_S x_{u,S} · [t_k ∈ S] · Π_{j<k, t_j ∈ S} (1 − p_j), the left-hand side u adds to
/// arrival t_k's row. Then
/// - the objective is linear in y: p_u(S) = 1 − Π_{t∈S}(1 − p_t) = Σ_{t_k∈S} p_k Π_{j<k, t_j∈S}(1 − p_j),
///   so Σ_S x_{u,S} w_u p_u(S) = Σ_k w_u p_k y_{u,k};
/// - every column satisfies y_k + Σ_{j<k} p_j y_j ≤ 1 (with equality when t_k ∈ S: both sides are
///   "u survived the probes before t_k"), and so does any sub-distribution x_u over columns;
/// - conversely, any y ≥ 0 with y_k + Σ_{j<k} p_j y_j ≤ 1 for all k is reached: draw S by
///   including t_k independently with probability r_k = y_k / (1 − Σ_{j<k} p_j y_j) ≤ 1. By
///   induction Π_{j<k}(1 − r_j p_j) = 1 − Σ_{j<k} p_j y_j, so E[[t_k ∈ S] Π_{j<k, t_j∈S}(1 − p_j)]
///   = r_k Π_{j<k}(1 − r_j p_j) = y_k.
/// So max Σ w_u p_{u,k} y_{u,k} s.t. y_{u,k} + Σ_{j<k} p_{u,j} y_{u,j} ≤ 1 (u, k) and Σ_u y_{u,t} ≤ 1 (t)
/// has the column LP's value. The prefix sums are carried by c_{u,k} = Σ_{j<k} p_{u,j} y_{u,j}
/// (c_{u,k} − c_{u,k−1} − p_{u,k−1} y_{u,k−1} = 0), keeping the program sparse: about 2|E|
/// variables, 2|E| + T rows and 6|E| nonzeros. `BenchmarkTests` checks it against the enumerated
/// and the column-generated forms.
public enum CompactStochasticConfigurationLP {
    public static func build(_ instance: MatchingInstance) -> LinearProgram {
        var lp = LinearProgram(direction: .maximize)
        var arrivalRows = Array(repeating: [(LPVariable, Double)](), count: instance.arrivalCount)
        for (u, neighbours) in instance.offlineNeighbourhoods.enumerated() {
            let edges = neighbours.filter { $0.p > 0 }   // p = 0 neither pays nor changes survival
            var previous: (y: LPVariable, p: Double, c: LPVariable?)? = nil
            for (t, p) in edges {
                let y = lp.addVariable(lower: 0, upper: 1, objective: instance.weights[u] * p)
                arrivalRows[t].append((y, 1))
                var c: LPVariable? = nil
                if let previous {
                    let prefix = lp.addVariable(lower: 0, upper: .infinity, objective: 0)
                    var definition: [(LPVariable, Double)] = [(prefix, 1), (previous.y, -previous.p)]
                    if let before = previous.c { definition.append((before, -1)) }
                    lp.addConstraint(definition, .equal(0))
                    lp.addConstraint([(y, 1), (prefix, 1)], .lessOrEqual(1))
                    c = prefix
                }
                previous = (y, p, c)
            }
        }
        for row in arrivalRows where !row.isEmpty { lp.addConstraint(row, .lessOrEqual(1)) }
        return lp
    }

    public static func solve(_ instance: MatchingInstance, lp choice: LPSolverChoice = .automatic) throws -> BenchmarkValue {
        let lp = build(instance)
        if lp.variableCount == 0 { return BenchmarkValue(benchmark: .stochasticConfigLP, value: 0, size: 0) }
        let what = "stochastic configuration LP (compact form)"
        let (s, resolved) = try MatchingBenchmarks.solve(lp, what: what, choice: choice)
        return BenchmarkValue(benchmark: .stochasticConfigLP, value: try MatchingBenchmarks.bound(s, lp, what: what),
                              size: lp.variableCount, solver: resolved, solves: 1)
    }
}
