import GavelCore
/// A weak-duality check of an LP solution's row duals, independent of the backend that produced
/// them (issue 21: "LP duals feasible where a bound is reported from an LP").
///
/// For any row multipliers λ, every feasible x satisfies c·x = Σ_i λ_i (a_i·x) + Σ_j d_j x_j with
/// the reduced costs d = c − Aᵀλ recomputed here. Maximising, each term is at most its supremum
/// over the row's (column's) bounds: λ_i·U_i when λ_i > 0, λ_i·L_i when λ_i < 0 (d_j likewise
/// with the column bounds); minimising, the infimum. A term whose supremum needs an infinite bound
/// makes λ dual infeasible; its size is the `infeasibility`. With none, `bound` (the sum of the
/// terms, plus the objective constant) bounds every feasible objective value: from above when
/// maximising, from below when minimising, whatever the solver did, up to the rounding of the sum.
/// At an optimal basis the bound equals the objective value (the `gap` is 0 up to tolerances).
public struct LPDualCheck: Sendable, Equatable {
    /// The largest |λ_i| or |d_j| whose sign needs an infinite bound (0 for a dual feasible λ).
    public let infeasibility: Double
    /// The largest |reported reduced cost − recomputed c_j − Σ_i a_ij λ_i| (the backend's own consistency).
    public let reducedCostMismatch: Double
    /// The Lagrangian bound, with the infeasible terms left out.
    public let bound: Double
    /// bound − objective value when maximising, objective value − bound when minimising: ≥ 0 in
    /// exact arithmetic for a dual feasible λ; about 0 at an optimum.
    public let gap: Double
    /// max(1, |c_j|, |objective value|): the size the tolerances are relative to.
    public let scale: Double
    /// Σ |terms| of the bound: the gap is a difference of sums this large, so each term's
    /// rounding and the solver's feasibility tolerance (on every row it prices) scale with it.
    public var termScale: Double = 0

    /// Dual feasible, consistent and tight, each within `tolerance · scale`.
    public func holds(tolerance: Double) -> Bool {
        let t = tolerance * scale
        return infeasibility <= t && reducedCostMismatch <= t && abs(gap) <= tolerance * max(scale, termScale)
    }

    /// What failed, in words (for error messages).
    public func describe(tolerance: Double) -> String {
        "dual infeasibility \(infeasibility), reduced-cost mismatch \(reducedCostMismatch), duality gap \(gap) (tolerance \(tolerance * scale), on the gap \(tolerance * max(scale, termScale)))"
    }
}

extension LPSolution {
    /// Checks this solution's row duals against `program` (the one it solves): see ``LPDualCheck``.
    /// Nil when the solution carries no duals (not optimal, or a MIP).
    public func dualCheck(_ program: LinearProgram) throws -> LPDualCheck? {
        try dualCheck(ValidatedProgram(program))
    }

    func dualCheck(_ model: ValidatedProgram) -> LPDualCheck? {
        guard let rowDuals, let reducedCosts, let objectiveValue else { return nil }
        precondition(rowDuals.count == model.rowCount && reducedCosts.count == model.columnCount, "a solution of another program")
        let maximize = model.maximize
        var d = model.objective
        for i in 0..<model.rowCount {
            let y = rowDuals[i]
            for k in model.rowStarts[i]..<model.rowStarts[i + 1] { d[model.columns[k]] -= model.values[k] * y }
        }
        var infeasibility = 0.0, mismatch = 0.0, scale = max(1, abs(objectiveValue))
        // Σ of the terms, compensated (Neumaier): the bound is a difference of large sums at an optimum.
        var sum = CompensatedSum(model.objectiveConstant), magnitude = 0.0
        func add(_ x: Double) {
            magnitude += abs(x)
            sum.add(x)
        }
        // The supremum (maximising) or infimum (minimising) of m·v over v ∈ [lower, upper].
        func term(_ m: Double, _ lower: Double, _ upper: Double) {
            guard m != 0 else { return }
            let side = (m > 0) == maximize ? upper : lower
            if side.isFinite { add(m * side) } else { infeasibility = max(infeasibility, abs(m)) }
        }
        for i in 0..<model.rowCount { term(rowDuals[i], model.rowLower[i], model.rowUpper[i]) }
        for j in 0..<model.columnCount {
            scale = max(scale, abs(model.objective[j]))
            mismatch = max(mismatch, abs(reducedCosts[j] - d[j]))
            term(d[j], model.columnLower[j], model.columnUpper[j])
        }
        let bound = sum.value
        var check = LPDualCheck(infeasibility: infeasibility, reducedCostMismatch: mismatch, bound: bound,
                                gap: maximize ? bound - objectiveValue : objectiveValue - bound, scale: scale)
        check.termScale = magnitude
        return check
    }
}

extension LPSolution {
    /// Relative tolerance of ``requireDualCertificate(_:what:)``: GLPK's own feasibility tolerances
    /// (tol_bnd, tol_dj = 1e-7) on unscaled rows, with a margin for the sums.
    public static let dualCertificateTolerance = 1e-6

    /// Throws ``LPError/certificateFailed(_:)`` when this optimal solution's duals fail
    /// ``LPDualCheck`` (issue 21: a bound is reported only when its duals are feasible and tight).
    /// Solutions without duals (not optimal, MIPs) pass unchanged.
    public func requireDualCertificate(_ program: LinearProgram, what: String) throws {
        guard let check = try dualCheck(program) else { return }
        let t = Self.dualCertificateTolerance
        guard check.holds(tolerance: t) else {
            throw LPError.certificateFailed("\(what): the solver's row duals fail the weak-duality certificate: \(check.describe(tolerance: t))")
        }
    }
}

extension LPSolution {
    /// The value to report for an LP whose optimum is used as a bound (an upper bound when
    /// maximising, a lower one when minimising): the objective value when the certificate holds;
    /// when the row duals are feasible but the duality gap exceeds the tolerance (GLPK stopped
    /// at a basis "optimal" within its own tolerances, 6e-5 below the dual bound on a
    /// path-based program), the Lagrangian bound, which weak duality makes valid whatever the
    /// primal did. Infeasible or inconsistent duals are an error.
    public func certifiedBound(_ program: LinearProgram, what: String) throws -> Double {
        guard let objectiveValue else { throw LPError.certificateFailed("\(what): no objective value (status \(status))") }
        guard let check = try dualCheck(program) else { return objectiveValue }
        let t = Self.dualCertificateTolerance
        if check.holds(tolerance: t) { return objectiveValue }
        guard check.infeasibility <= t * check.scale && check.reducedCostMismatch <= t * check.scale, check.gap > 0 else {
            throw LPError.certificateFailed("\(what): the solver's row duals fail the weak-duality certificate: \(check.describe(tolerance: t))")
        }
        return check.bound
    }
}
