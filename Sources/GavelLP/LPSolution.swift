/// How a solve ended. Infeasible and unbounded are ordinary outcomes.
public enum LPStatus: Sendable, Equatable, CustomStringConvertible {
    /// Proven optimal (for a MIP: within the requested relative gap of zero).
    case optimal
    /// A feasible point that is not proven optimal (time limit, MIP gap reached).
    case feasible
    /// No point satisfies the constraints (and, for a MIP, integrality).
    case infeasible
    /// Feasible, with the objective unbounded in the optimisation direction.
    case unbounded
    /// The solver stopped without a usable answer; `reason` says why.
    case undefined(reason: String)

    /// True when the solution carries variable values.
    public var hasValues: Bool { self == .optimal || self == .feasible }

    /// `optimal`, `feasible`, `infeasible`, `unbounded` or `undefined (reason)`.
    public var description: String {
        switch self {
        case .optimal: return "optimal"
        case .feasible: return "feasible"
        case .infeasible: return "infeasible"
        case .unbounded: return "unbounded"
        case .undefined(let reason): return "undefined (\(reason))"
        }
    }
}

/// The result of solving a ``LinearProgram``.
///
/// Values are present only when ``status`` is optimal or feasible. Row duals
/// (shadow prices) and reduced costs are present only for a continuous program
/// solved to optimality; they follow the usual sensitivity convention for both
/// directions: `dual(of: row)` ≈ ∂objective/∂(row bound) for an active row, and
/// `reducedCost(of: x)` ≈ ∂objective/∂x at its active bound. Values are the
/// solver's floating-point output, accurate to its feasibility tolerances
/// (≈1e-9 relative for simplex, ≈1e-8 for interior point), not exact.
public struct LPSolution: Sendable {
    /// What produced the values.
    public enum Kind: Sendable, Equatable {
        /// A simplex basis (continuous program).
        case simplex
        /// The interior-point method (continuous program).
        case interiorPoint
        /// Branch-and-bound (a program with integer variables); no duals.
        case mixedInteger
    }

    /// How the solve ended.
    public let status: LPStatus
    /// The algorithm that produced the values.
    public let kind: Kind
    /// Objective value including the constant; nil when there are no values.
    public let objectiveValue: Double?
    /// Indexed by ``LPVariable/index``; empty when there are no values.
    public let variableValues: [Double]
    /// Σ aᵢⱼ xⱼ per row, indexed by ``LPConstraint/index``; empty when there are no values.
    public let rowActivities: [Double]
    /// Shadow prices per row; nil for MIPs and non-optimal results.
    public let rowDuals: [Double]?
    /// Reduced costs per variable; nil for MIPs and non-optimal results.
    public let reducedCosts: [Double]?

    /// A solution as a backend reports it.
    public init(
        status: LPStatus, kind: Kind, objectiveValue: Double?, variableValues: [Double],
        rowActivities: [Double], rowDuals: [Double]?, reducedCosts: [Double]?
    ) {
        self.status = status
        self.kind = kind
        self.objectiveValue = objectiveValue
        self.variableValues = variableValues
        self.rowActivities = rowActivities
        self.rowDuals = rowDuals
        self.reducedCosts = reducedCosts
    }

    /// A result without values (infeasible, unbounded, undefined).
    static func withoutValues(_ status: LPStatus, kind: Kind) -> LPSolution {
        LPSolution(status: status, kind: kind, objectiveValue: nil, variableValues: [],
                   rowActivities: [], rowDuals: nil, reducedCosts: nil)
    }

    /// Whether variable values are present (status optimal or feasible).
    public var hasValues: Bool { objectiveValue != nil }
    /// Whether row duals are present (a continuous program solved to optimality).
    public var hasDuals: Bool { rowDuals != nil }

    /// The variable's value. Requires ``hasValues`` (check ``status`` first).
    public func value(of variable: LPVariable) -> Double {
        precondition(hasValues, "solution has no values (status: \(status))")
        return variableValues[variable.index]
    }

    /// The row's activity Σ aᵢⱼ xⱼ. Requires ``hasValues``.
    public func activity(of constraint: LPConstraint) -> Double {
        precondition(hasValues, "solution has no values (status: \(status))")
        return rowActivities[constraint.index]
    }

    /// The row's shadow price. Requires ``hasDuals``.
    public func dual(of constraint: LPConstraint) -> Double {
        guard let rowDuals else { preconditionFailure("solution has no duals (status: \(status), kind: \(kind))") }
        return rowDuals[constraint.index]
    }

    /// The variable's reduced cost. Requires ``hasDuals``.
    public func reducedCost(of variable: LPVariable) -> Double {
        guard let reducedCosts else { preconditionFailure("solution has no duals (status: \(status), kind: \(kind))") }
        return reducedCosts[variable.index]
    }
}
