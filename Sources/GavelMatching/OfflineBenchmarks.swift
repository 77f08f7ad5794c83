import GavelCore
import Foundation
import GavelLP

/// The benchmarks an algorithm is measured against (spec B.3). Each LP is built
/// and solved on GLPK; each DP is exact in double precision.
public enum MatchingBenchmark: String, CaseIterable, Sendable {
    /// StdLP / budgeted allocation (MP12, HZ20, GU): max Σ w p x, Σ_v p x ≤ 1, Σ_u x ≤ 1.
    case budgetLP = "budget_lp"
    /// Configuration LP with p_u(S) = min(1, Σ p) (HZ20 §2.2). Not an upper bound for large p.
    case configLP = "config_lp"
    /// Stochastic configuration LP [REC spec B.3(4)]: p_u(S) = 1 − Π(1 − p), prefix-weighted arrival rows.
    case stochasticConfigLP = "stochastic_config_lp"
    /// GU §3.2 path-based program (tiny graphs: |E| ≤ `PathBasedProgram.edgeLimit`).
    case pathBased = "path_based"
    /// Fully-offline optimum (order chosen adaptively), exact DP.
    case fullyOffline = "fully_offline"
    /// Clairvoyant optimum (arrival order, sees outcomes), exact DP.
    case clairvoyant
    /// Offline maximum-weight matching of the graph with p treated as 1 (the deterministic
    /// benchmark of KVV90; for p ∈ {0, 1} instances it equals fully_offline).
    case offlineMatching = "offline_matching"
}

/// One benchmark value with how it was obtained.
public struct BenchmarkValue: Sendable {
    public let benchmark: MatchingBenchmark
    public let value: Double
    /// Columns generated (configuration LPs), states (DPs), variables (LPs).
    public let size: Int
    /// The LP backend and method behind an LP bound (nil for DPs and trivial cases).
    public var solver: ResolvedLPSolver? = nil
    /// LP solves (column-generation rounds; 1 for a plain LP, 0 for a DP).
    public var solves: Int = 0
}

/// The offline benchmarks an online matching algorithm is measured against (LPs and DPs), by name.
public enum MatchingBenchmarks {
    /// `lp` picks the LP backend and method (default: per shape, docs/lp.md); `warmStart` lets
    /// column generation re-solve from the previous basis (false: every round from scratch).
    /// `formulation` chooses how a configuration LP is solved (the value is the same).
    public static func value(_ b: MatchingBenchmark, of instance: MatchingInstance, lp: LPSolverChoice = .automatic,
                             warmStart: Bool = true, formulation: ConfigurationLP.Formulation = .automatic) throws -> BenchmarkValue {
        switch b {
        case .budgetLP: return try BudgetLP.solve(instance, lp: lp)
        case .configLP: return try ConfigurationLP.solve(instance, kind: .standard, formulation: formulation, lp: lp, warmStart: warmStart)
        case .stochasticConfigLP: return try ConfigurationLP.solve(instance, kind: .stochastic, formulation: formulation, lp: lp, warmStart: warmStart)
        case .pathBased: return try PathBasedProgram.solve(instance, lp: lp)
        case .fullyOffline: return try OfflineDP.fullyOffline(instance)
        case .clairvoyant: return try OfflineDP.clairvoyant(instance)
        case .offlineMatching: return try BudgetLP.maxWeightMatching(instance, lp: lp)
        }
    }

    /// Solves `lp` with the backend `choice` resolves to, and requires an optimum: a time limit or
    /// any other non-optimal end is a ``ExperimentError/beyondLimit(_:)`` saying so (no partial bound), a missing
    /// backend library an `LPError` (a hard error, naming the package). The value is read through
    /// `bound(_:_:what:)`, which certifies it.
    public static func solve(_ lp: LinearProgram, what: String, choice: LPSolverChoice = .automatic) throws -> (LPSolution, ResolvedLPSolver) {
        let resolved = choice.resolved(for: lp)
        let s = try resolved.solver().solve(lp)
        try requireOptimal(s, what: what, resolved)
        return (s, resolved)
    }

    static func requireOptimal(_ s: LPSolution, what: String, _ resolved: ResolvedLPSolver) throws {
        guard s.status == .optimal, s.objectiveValue != nil else {
            var limited = s.status == .feasible
            if case .undefined(let reason) = s.status { limited = reason.contains("limit") || reason.contains("ETMLIM") }
            if limited, let limit = resolved.timeLimit {
                throw ExperimentError.beyondLimit("\(what): \(resolved) stopped at the time limit (\(limit)) before proving optimality (status \(s.status)); no bound reported")
            }
            throw ExperimentError.beyondLimit("\(what): \(resolved) ended with status \(s.status); no bound reported")
        }
    }

    /// The certified value of a benchmark LP (an upper bound): `LPSolution.certifiedBound`.
    static func bound(_ s: LPSolution, _ lp: LinearProgram, what: String) throws -> Double {
        try s.certifiedBound(lp, what: what)
    }
}

/// StdLP (spec B.3(1)): max Σ w_u p_uv x_uv s.t. Σ_v p_uv x_uv ≤ 1 (u), Σ_u x_uv ≤ 1 (v), 0 ≤ x ≤ 1.
public enum BudgetLP {
    public static func build(_ instance: MatchingInstance, probabilitiesAsOne: Bool = false) -> LinearProgram {
        var lp = LinearProgram(direction: .maximize)
        var rowsU = Array(repeating: [(LPVariable, Double)](), count: instance.offlineCount)
        for t in 0..<instance.arrivalCount {
            var rowV: [(LPVariable, Double)] = []
            for e in instance.edgeStart[t]..<instance.edgeStart[t + 1] {
                let u = Int(instance.edgeOffline[e])
                let p = probabilitiesAsOne ? (instance.edgeProbability[e] > 0 ? 1 : 0) : instance.edgeProbability[e]
                let x = lp.addVariable(lower: 0, upper: 1, objective: instance.weights[u] * p)
                rowsU[u].append((x, p)); rowV.append((x, 1))
            }
            if !rowV.isEmpty { lp.addConstraint(rowV, .lessOrEqual(1)) }
        }
        for row in rowsU where !row.isEmpty { lp.addConstraint(row, .lessOrEqual(1)) }
        return lp
    }

    public static func solve(_ instance: MatchingInstance, lp choice: LPSolverChoice = .automatic) throws -> BenchmarkValue {
        let lp = build(instance)
        if lp.variableCount == 0 { return BenchmarkValue(benchmark: .budgetLP, value: 0, size: 0) }
        let (s, resolved) = try MatchingBenchmarks.solve(lp, what: "budget LP", choice: choice)
        return BenchmarkValue(benchmark: .budgetLP, value: try MatchingBenchmarks.bound(s, lp, what: "budget LP"), size: lp.variableCount, solver: resolved, solves: 1)
    }

    /// Max-weight matching on the support graph: the bipartite matching LP is integral.
    public static func maxWeightMatching(_ instance: MatchingInstance, lp choice: LPSolverChoice = .automatic) throws -> BenchmarkValue {
        let lp = build(instance, probabilitiesAsOne: true)
        if lp.variableCount == 0 { return BenchmarkValue(benchmark: .offlineMatching, value: 0, size: 0) }
        let (s, resolved) = try MatchingBenchmarks.solve(lp, what: "offline matching LP", choice: choice)
        return BenchmarkValue(benchmark: .offlineMatching, value: try MatchingBenchmarks.bound(s, lp, what: "offline matching LP"), size: lp.variableCount, solver: resolved, solves: 1)
    }
}

/// The configuration LPs (spec B.3(2) and B.3(4)) over columns (u, S), S ⊆ N_u in
/// arrival order. Small degrees enumerate every S; larger ones use column
/// generation: start from singletons, price each u exactly by branch and bound
/// over S in arrival order, add the best column per u while its reduced profit
/// exceeds 1e-9, stop when none does (then the restricted LP is optimal). The
/// stochastic one has a compact form with the same value (``CompactStochasticConfigurationLP``),
/// used by default at large degrees: column generation tails off for minutes on the z-graph.
public enum ConfigurationLP {
    public enum Kind: Sendable { case standard, stochastic }

    /// How the LP is solved; every formulation has the same optimal value.
    public enum Formulation: String, Sendable, CaseIterable {
        /// Enumeration when every offline degree is at most `enumerationDegreeLimit`; above it,
        /// the compact form for the stochastic LP, column generation for the standard one.
        case automatic
        /// Every column (u, S): 2^d − 1 per vertex of degree d.
        case enumeration
        case columnGeneration = "column_generation"
        /// The stochastic LP only (``CompactStochasticConfigurationLP``).
        case compact
    }
    /// Offline degree up to which all 2^d − 1 subsets are enumerated.
    public static let enumerationDegreeLimit = 10
    /// Column-generation rounds before giving up with an error.
    public static let maxRounds = 500

    /// p_u(S) and each element's row coefficient (1 for ConfigLP; Π_{earlier}(1 − p) for SCLP).
    static func column(_ kind: Kind, _ ps: [Double]) -> (value: Double, coefficients: [Double]) {
        switch kind {
        case .standard:
            return (min(1, ps.reduce(0, +)), Array(repeating: 1, count: ps.count))
        case .stochastic:
            var q = 1.0, coefficients: [Double] = []
            for p in ps { coefficients.append(q); q *= 1 - p }
            return (1 - q, coefficients)
        }
    }

    public static func solve(_ instance: MatchingInstance, kind: Kind, formulation: Formulation = .automatic,
                             lp choice: LPSolverChoice = .automatic, warmStart: Bool = true) throws -> BenchmarkValue {
        let nbrs = instance.offlineNeighbourhoods.map { $0.filter { $0.p > 0 } }
        let name: MatchingBenchmark = kind == .standard ? .configLP : .stochasticConfigLP
        guard nbrs.contains(where: { !$0.isEmpty }) else { return BenchmarkValue(benchmark: name, value: 0, size: 0) }
        let small = nbrs.allSatisfy { $0.count <= enumerationDegreeLimit }
        let chosen: Formulation = formulation != .automatic ? formulation
            : small ? .enumeration : kind == .stochastic ? .compact : .columnGeneration
        if chosen == .compact {
            guard kind == .stochastic else { throw ExperimentError.beyondLimit("config_lp has no compact form (only stochastic_config_lp has)") }
            return try CompactStochasticConfigurationLP.solve(instance, lp: choice)
        }
        var columns: [(u: Int, subset: [Int])] = []   // subset: positions into nbrs[u]
        let enumerate = chosen == .enumeration
        if enumerate, let u = nbrs.firstIndex(where: { $0.count > 24 }) {
            throw ExperimentError.beyondLimit("\(name.rawValue): enumerating the columns of vertex \(u) (degree \(nbrs[u].count)) needs 2^\(nbrs[u].count) columns; use column generation")
        }
        for u in nbrs.indices where !nbrs[u].isEmpty {
            if enumerate {
                for mask in 1..<(1 << nbrs[u].count) {
                    columns.append((u, (0..<nbrs[u].count).filter { mask & (1 << $0) != 0 }))
                }
            } else {
                for k in nbrs[u].indices { columns.append((u, [k])) }
                // ConfigLP: plus N_u cut in arrival order into runs of Σp ≤ 1, the columns an optimum
                // of a symmetric family uses (MP12's G_3 at m = 100: 500 degenerate rounds of one
                // column per vertex never reached them; with them, round 1 is optimal). Any starting set
                // is valid: optimality is still certified by the pricing below. (SCLP converges from
                // singletons, and these columns slow its tailing off, so it does not get them: on G_3,
                // m = 100, 41 s without them, 52 s with them.)
                guard kind == .standard else { continue }
                var run: [Int] = [], mass = 0.0
                for k in nbrs[u].indices {
                    if !run.isEmpty && mass + nbrs[u][k].p > 1 + 1e-9 {
                        if run.count > 1 { columns.append((u, run)) }
                        run = []; mass = 0
                    }
                    run.append(k); mass += nbrs[u][k].p
                }
                if run.count > 1 { columns.append((u, run)) }
            }
        }
        // Rows are fixed (every u with a neighbour, every arrival with an edge of p > 0); columns grow.
        var base = LinearProgram(direction: .maximize)
        let uRows: [LPConstraint?] = nbrs.map { $0.isEmpty ? nil : base.addConstraint([], .lessOrEqual(1)) }
        var hasEdge = Array(repeating: false, count: instance.arrivalCount)
        for list in nbrs { for e in list { hasEdge[e.t] = true } }
        let vRows: [LPConstraint?] = hasEdge.map { $0 ? base.addConstraint([], .lessOrEqual(1)) : nil }
        func lpColumn(_ u: Int, _ subset: [Int]) -> LPColumn {
            let (value, coefficients) = column(kind, subset.map { nbrs[u][$0].p })
            var entries: [(LPConstraint, Double)] = [(uRows[u]!, 1)]
            for (k, pos) in subset.enumerated() { entries.append((vRows[nbrs[u][pos].t]!, coefficients[k])) }
            return LPColumn(objective: instance.weights[u] * value, entries: entries)
        }
        let resolved = choice.resolved(rows: base.constraintCount, columns: columns.count,
                                       nonzeros: columns.reduce(0) { $0 + $1.subset.count + 1 })
        let model = try LPColumnModel(base, solver: resolved, warm: warmStart)
        var known = Array(repeating: Set<[Int]>(), count: nbrs.count)
        for (u, subset) in columns { model.addColumn(lpColumn(u, subset)); known[u].insert(subset) }
        let deadline = choice.timeLimit.map { ContinuousClock.now + $0 }
        // Dual smoothing (Wentges 1997): price at β̃ = λ·β̄ + (1 − λ)·β, β̄ the duals with the best
        // Lagrangian bound so far, β the restricted LP's; a column priced at β̃ is added only if it
        // improves at β. When β̃ yields none, price at β itself: the stop is still exact pricing at
        // the restricted LP's duals finding nothing (smoothing only cuts the tailing-off rounds).
        var center: [Double]? = nil, bestBound = Double.infinity
        let trace = ProcessInfo.processInfo.environment["GAVEL_LP_TRACE"] != nil   // per-round progress on stderr
        let smoothing = 0.5
        for round in 0..<maxRounds {
            if let deadline, ContinuousClock.now > deadline {
                throw ExperimentError.beyondLimit("\(name.rawValue): \(resolved) column generation reached the time limit (\(choice.timeLimit!)) after \(round) rounds; no bound reported")
            }
            let solveStart = ContinuousClock.now
            let s = try model.solve()
            if trace {
                FileHandle.standardError.write(Data("\(name.rawValue) round \(round): \(s.status) \(s.objectiveValue ?? .nan), \(model.variableCount) columns, solve \((ContinuousClock.now - solveStart) / .seconds(1)) s, best bound \(bestBound)\n".utf8))
            }
            try MatchingBenchmarks.requireOptimal(s, what: name.rawValue, resolved)
            let beta = vRows.map { $0.map { max(0, s.dual(of: $0)) } ?? 0 }
            let alpha = uRows.map { $0.map { max(0, s.dual(of: $0)) } ?? 0 }
            var added = false
            if !enumerate {
                /// Reduced profit of (u, S) at the restricted LP's duals.
                func reducedProfit(_ u: Int, _ subset: [Int]) -> Double {
                    let (value, coefficients) = column(kind, subset.map { nbrs[u][$0].p })
                    var r = instance.weights[u] * value - alpha[u]
                    for (k, pos) in subset.enumerated() { r -= coefficients[k] * beta[nbrs[u][pos].t] }
                    return r
                }
                func priceAll(at point: [Double]) throws -> [(Int, Double, [Int])] {
                    try nbrs.indices.filter { !nbrs[$0].isEmpty }.map { u in
                        let (profit, best) = try price(kind, weight: instance.weights[u], items: nbrs[u].map { ($0.p, point[$0.t]) })
                        return (u, profit, best)
                    }
                }
                var points: [[Double]] = [beta]
                if let c = center { points.insert(zip(c, beta).map { smoothing * $0 + (1 - smoothing) * $1 }, at: 0) }
                for point in points {
                    let priced = try priceAll(at: point)
                    // Lagrangian bound at `point`: Σ_v β_v + Σ_u max(0, best reduced profit of u).
                    var bound = 0.0
                    for (t, row) in vRows.enumerated() where row != nil { bound += point[t] }
                    for (_, profit, _) in priced { bound += max(0, profit) }
                    if bound < bestBound { bestBound = bound; center = point }
                    for (u, _, best) in priced where reducedProfit(u, best) > 1e-9 && known[u].insert(best).inserted {
                        model.addColumn(lpColumn(u, best)); added = true
                    }
                    if added { break }
                }
            }
            if !added {
                // The reported bound: the final restricted LP's duals, certified on the whole program.
                let value = try MatchingBenchmarks.bound(s, model.program(), what: name.rawValue)
                return BenchmarkValue(benchmark: name, value: value, size: model.variableCount, solver: resolved, solves: round + 1)
            }
        }
        throw ExperimentError.beyondLimit("\(name.rawValue): column generation did not converge in \(maxRounds) rounds")
    }

    /// Branch-and-bound nodes one pricing problem may visit before the LP gives up with an error.
    public static let pricingNodeLimit = 2_000_000

    /// Exact pricing: max over nonempty S of w·p_u(S) − Σ_{v∈S} coefficient_v(S)·β_v, by
    /// depth-first branch and bound (include before exclude; ties keep the first S found).
    /// - ConfigLP: items are visited by β/p ascending (ties by arrival order); the bound is the
    ///   current value plus the fractional knapsack of the remaining items with w·p > β in the
    ///   capacity 1 − Σp left (beyond Σp = 1 an item only costs).
    /// - SCLP: items in arrival order (the coefficients depend on it); with q the survival
    ///   probability so far, the rest adds at most q·r·(1 − Π_rest(1 − p)), r the largest
    ///   (w·p − β)/p among the rest, because Σ_v q_v·p_v over the rest is that probability mass.
    static func price(_ kind: Kind, weight w: Double, items: [(p: Double, beta: Double)]) throws -> (Double, [Int]) {
        if kind == .stochastic { return priceStochastic(weight: w, items: items) }
        let n = items.count
        let order: [Int] = kind == .standard
            ? (0..<n).sorted { let a = items[$0].beta / items[$0].p, b = items[$1].beta / items[$1].p; return a != b ? a < b : $0 < $1 }
            : Array(0..<n)
        let its = order.map { items[$0] }
        var best = -Double.infinity, bestSet: [Int] = []
        var current: [Int] = []
        var nodes = 0
        var suffixSurvive = Array(repeating: 1.0, count: n + 1)   // Π_{j ≥ k, useful} (1 − p_j)
        var suffixRatio = Array(repeating: 0.0, count: n + 1)     // max_{j ≥ k} (w p_j − β_j)/p_j, ≥ 0
        for k in stride(from: n - 1, through: 0, by: -1) {
            let gain = w * its[k].p - its[k].beta
            suffixSurvive[k] = suffixSurvive[k + 1] * (gain > 0 ? 1 - its[k].p : 1)
            suffixRatio[k] = max(suffixRatio[k + 1], gain > 0 ? gain / its[k].p : 0)
        }
        func knapsackBound(_ k: Int, _ capacity: Double) -> Double {
            var c = capacity, total = 0.0
            var j = k
            while j < n && c > 0 {
                let (p, beta) = its[j]
                if w * p > beta {
                    if p <= c { total += w * p - beta; c -= p } else { total += (w * p - beta) * c / p; c = 0 }
                }
                j += 1
            }
            return total
        }
        func go(_ k: Int, _ sumP: Double, _ q: Double, _ cost: Double, _ gain: Double) throws {
            nodes += 1
            if nodes > pricingNodeLimit {
                throw ExperimentError.beyondLimit("configuration LP pricing visited more than \(pricingNodeLimit) subsets at one vertex (degree \(n)): too large")
            }
            let value = kind == .standard ? w * min(1, sumP) - cost : gain
            if !current.isEmpty, value > best + 1e-12 { best = value; bestSet = current }
            guard k < n else { return }
            let bound = kind == .standard ? value + knapsackBound(k, max(0, 1 - sumP)) : gain + q * suffixRatio[k] * (1 - suffixSurvive[k])
            if !current.isEmpty, bound <= best + 1e-12 { return }
            let (p, beta) = its[k]
            // Including an item cannot help when it adds no value: SCLP with w·p ≤ β (it only lowers q
            // for later items), ConfigLP once Σp ≥ 1 (β ≥ 0 is pure cost) — unless S is still empty.
            let useless = kind == .stochastic ? w * p - beta <= 0 : sumP >= 1
            if !useless || current.isEmpty {
                current.append(k)
                try go(k + 1, sumP + p, q * (1 - p), cost + beta, gain + q * (w * p - beta))
                current.removeLast()
            }
            try go(k + 1, sumP, q, cost, gain)
        }
        try go(0, 0, 1, 0, 0)
        return (best, bestSet.map { order[$0] }.sorted())
    }
}

extension ConfigurationLP {
    /// SCLP pricing in O(d): with r_v = w − β_v/p_v, a column's reduced profit is
    /// Σ_{v∈S} q_{<v} p_v r_v, the expected r of the first success along S. Backward over
    /// arrival order, V_k = max(V_{k+1}, p_k r_k + (1 − p_k) V_{k+1}): take v_k iff
    /// r_k > V_{k+1} (strictly; ties leave it out). If that leaves S empty, the best single item.
    static func priceStochastic(weight w: Double, items: [(p: Double, beta: Double)]) -> (Double, [Int]) {
        let n = items.count
        var V = Array(repeating: 0.0, count: n + 1)
        var take = Array(repeating: false, count: n)
        for k in stride(from: n - 1, through: 0, by: -1) {
            let (p, beta) = items[k]
            let with = (w * p - beta) + (1 - p) * V[k + 1]
            if p > 0 && with > V[k + 1] { V[k] = with; take[k] = true } else { V[k] = V[k + 1] }
        }
        // Forward: item k is in S iff it is taken given we reach it (q > 0 on the path).
        let chosen = (0..<n).filter { take[$0] }
        if !chosen.isEmpty { return (V[0], chosen) }
        let single = (0..<n).max { (w * items[$0].p - items[$0].beta, -$0) < (w * items[$1].p - items[$1].beta, -$1) }!
        return (w * items[single].p - items[single].beta, [single])
    }
}

/// GU §3.2's path-based program (spec B.3(3)): one copy of x per sample path
/// ω ∈ {0,1}^E. Non-anticipativity x^ω_e = x^ω'_e when ω, ω' differ only at e
/// is built in: x_e depends on ω with bit e cleared, giving 2^{|E|−1}·|E| columns.
public enum PathBasedProgram {
    public static let edgeLimit = 12

    public static func solve(_ instance: MatchingInstance, lp choice: LPSolverChoice = .automatic) throws -> BenchmarkValue {
        let m = instance.edgeCount
        guard m <= edgeLimit else {
            throw ExperimentError.beyondLimit("path_based has 2^|E|·|E| variables; |E| = \(m) exceeds the limit \(edgeLimit)")
        }
        guard m > 0 else { return BenchmarkValue(benchmark: .pathBased, value: 0, size: 0) }
        let edgeArrival = (0..<instance.arrivalCount).flatMap { t in Array(repeating: t, count: instance.edgeStart[t + 1] - instance.edgeStart[t]) }
        var lp = LinearProgram(direction: .maximize)
        // x[e][ω without bit e], indexed by ω & ~(1<<e).
        var x = Array(repeating: [LPVariable](), count: m)
        for e in 0..<m {
            x[e] = (0..<(1 << m)).map { _ in LPVariable(index: -1) }
            for omega in 0..<(1 << m) where omega & (1 << e) == 0 {
                x[e][omega] = lp.addVariable(lower: 0, upper: 1)
            }
        }
        var objective = Array(repeating: 0.0, count: lp.variableCount)
        for omega in 0..<(1 << m) {
            var prob = 1.0
            for e in 0..<m { let p = instance.edgeProbability[e]; prob *= (omega & (1 << e) != 0) ? p : 1 - p }
            var perU = Array(repeating: [(LPVariable, Double)](), count: instance.offlineCount)
            var perT = Array(repeating: [(LPVariable, Double)](), count: instance.arrivalCount)
            for e in 0..<m {
                let v = x[e][omega & ~(1 << e)]
                perT[edgeArrival[e]].append((v, 1))
                if omega & (1 << e) != 0 {
                    perU[Int(instance.edgeOffline[e])].append((v, 1))
                    objective[v.index] += prob * instance.weights[Int(instance.edgeOffline[e])]
                }
            }
            for row in perU where row.count > 1 { lp.addConstraint(row, .lessOrEqual(1)) }
            for row in perT where row.count > 1 { lp.addConstraint(row, .lessOrEqual(1)) }
        }
        for (j, c) in objective.enumerated() { lp.setObjectiveCoefficient(c, for: LPVariable(index: j)) }
        let (s, resolved) = try MatchingBenchmarks.solve(lp, what: "path-based program", choice: choice)
        return BenchmarkValue(benchmark: .pathBased, value: try MatchingBenchmarks.bound(s, lp, what: "path-based program"), size: lp.variableCount, solver: resolved, solves: 1)
    }
}

/// Exact offline optima as deterministic DPs (GU Lemma 1; spec B.3(5)).
public enum OfflineDP {
    /// Clairvoyant: T·2^|U| states, kept two layers at a time.
    public static let clairvoyantOfflineLimit = 24
    public static let clairvoyantStateLimit = 1 << 28
    /// Fully offline: 2^(|T|+|U|) states held in memory.
    public static let fullyOfflineLimit = 22

    /// V(t, A) = max{ V(t+1, A), max_{u ∈ A ∩ N(t)} p_ut (w_u + V(t+1, A∖u)) + (1 − p_ut) V(t+1, A) }.
    public static func clairvoyant(_ instance: MatchingInstance) throws -> BenchmarkValue {
        let n = instance.offlineCount, T = instance.arrivalCount
        guard n <= clairvoyantOfflineLimit, T * (1 << n) <= clairvoyantStateLimit else {
            throw ExperimentError.beyondLimit("clairvoyant DP has T·2^|U| states; T = \(T), |U| = \(n) exceed the limit (|U| ≤ \(clairvoyantOfflineLimit), T·2^|U| ≤ 2^28)")
        }
        var next = Array(repeating: 0.0, count: 1 << n)
        var cur = next
        for t in stride(from: T - 1, through: 0, by: -1) {
            let edges = instance.edges(of: t)
            for a in 0..<(1 << n) {
                var best = next[a]
                for (u, p) in edges where a & (1 << u) != 0 {
                    best = max(best, p * (instance.weights[u] + next[a & ~(1 << u)]) + (1 - p) * next[a])
                }
                cur[a] = best
            }
            swap(&cur, &next)
        }
        return BenchmarkValue(benchmark: .clairvoyant, value: next[(1 << n) - 1], size: T << n)
    }

    /// V(R, A) = max{0, max_{t ∈ R, u ∈ A ∩ N(t)} p_ut (w_u + V(R∖t, A∖u)) + (1 − p_ut) V(R∖t, A)}.
    /// Sub-states have smaller indices (R·2^|U| + A), so one increasing sweep suffices.
    public static func fullyOffline(_ instance: MatchingInstance) throws -> BenchmarkValue {
        let n = instance.offlineCount, T = instance.arrivalCount
        guard n + T <= fullyOfflineLimit else {
            throw ExperimentError.beyondLimit("fully-offline DP has 2^(T+|U|) states; T + |U| = \(T + n) exceeds the limit \(fullyOfflineLimit)")
        }
        let edges = (0..<T).map { instance.edges(of: $0) }
        var V = Array(repeating: 0.0, count: 1 << (n + T))
        for r in 0..<(1 << T) {
            for a in 0..<(1 << n) {
                var best = 0.0
                for t in 0..<T where r & (1 << t) != 0 {
                    let rest = (r & ~(1 << t)) << n
                    for (u, p) in edges[t] where a & (1 << u) != 0 {
                        best = max(best, p * (instance.weights[u] + V[rest | (a & ~(1 << u))]) + (1 - p) * V[rest | a])
                    }
                }
                V[(r << n) | a] = best
            }
        }
        return BenchmarkValue(benchmark: .fullyOffline, value: V[V.count - 1], size: V.count)
    }
}
