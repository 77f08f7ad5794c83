/// A handle to a variable (column) of a ``LinearProgram``: its 0-based index.
///
/// Handles are plain indices so they are cheap to store in mechanism code and stay
/// valid in copies of the program they came from. A handle used with a program that
/// does not have that many variables is reported by validation, not trusted.
public struct LPVariable: Hashable, Sendable, CustomStringConvertible {
    /// 0-based column index.
    public let index: Int
    /// A handle to column `index` (normally returned by the program when the variable is added).
    public init(index: Int) { self.index = index }
    /// `LPVariable(index)`.
    public var description: String { "LPVariable(\(index))" }
}

/// A handle to a constraint (row) of a ``LinearProgram``: its 0-based index.
public struct LPConstraint: Hashable, Sendable, CustomStringConvertible {
    /// 0-based row index.
    public let index: Int
    /// A handle to row `index` (normally returned by the program when the constraint is added).
    public init(index: Int) { self.index = index }
    /// `LPConstraint(index)`.
    public var description: String { "LPConstraint(\(index))" }
}

/// Whether the objective is maximised or minimised.
public enum LPDirection: Sendable, Equatable {
    case minimize
    case maximize
}

/// The domain of a variable besides its bounds.
public enum LPVariableKind: Sendable, Equatable {
    case continuous
    /// Integral values. Bounds are rounded inwards before solving (a bound within
    /// 1e-9 relative of an integer is taken as that integer), because GLPK's
    /// branch-and-bound refuses fractional bounds on integer columns.
    case integer
    /// Integer in [0, 1]; the declared bounds are intersected with [0, 1], so
    /// `lower: 1` fixes a binary variable at one.
    case binary
}

/// The bounds of a constraint's activity Σ aᵢⱼ xⱼ.
///
/// Infinite values are accepted where they make sense (`.lessOrEqual(.infinity)`
/// is a free row); NaN, `lower > upper`, a lower bound of +∞ or an upper bound of
/// −∞ are rejected by validation.
public enum LPConstraintBound: Sendable, Equatable {
    case lessOrEqual(Double)
    case greaterOrEqual(Double)
    case equal(Double)
    /// lower ≤ activity ≤ upper.
    case range(Double, Double)

    /// The bound as a (lower, upper) pair, infinite where absent.
    public var interval: (lower: Double, upper: Double) {
        switch self {
        case .lessOrEqual(let b): return (-.infinity, b)
        case .greaterOrEqual(let b): return (b, .infinity)
        case .equal(let b): return (b, b)
        case .range(let l, let u): return (l, u)
        }
    }
}

/// A linear (or mixed-integer) program under construction.
///
/// The builder only records what it is told; everything is checked by
/// ``validate()`` (which every solver calls first), so adding variables and rows
/// never throws and a bad model is reported with the name and index of the
/// offending element instead of crashing inside a C solver.
///
/// Rows are stored in compressed sparse row form, so building a program with
/// hundreds of thousands of nonzeros is a few array appends per term.
public struct LinearProgram: Sendable {
    /// Whether the objective is minimised (default) or maximised.
    public var direction: LPDirection
    /// Added to the objective value; it does not affect the optimal point.
    public var objectiveConstant: Double = 0

    // Columns.
    private(set) var lowerBounds: [Double] = []
    private(set) var upperBounds: [Double] = []
    private(set) var objectiveCoefficients: [Double] = []
    private(set) var kinds: [LPVariableKind] = []
    private(set) var variableNames: [String?] = []

    // Rows in CSR form: the terms of row r are at rowStarts[r] ..< rowStarts[r + 1].
    private(set) var rowStarts: [Int] = [0]
    private(set) var termVariables: [Int] = []
    private(set) var termCoefficients: [Double] = []
    private(set) var rowBounds: [LPConstraintBound] = []
    private(set) var constraintNames: [String?] = []

    /// An empty program.
    public init(direction: LPDirection = .minimize) {
        self.direction = direction
    }

    /// Number of columns.
    public var variableCount: Int { lowerBounds.count }
    /// Number of rows.
    public var constraintCount: Int { rowBounds.count }
    /// True if any variable is integer or binary (the program is a MIP).
    public var hasIntegerVariables: Bool { kinds.contains { $0 != .continuous } }

    /// Adds a variable. `lower`/`upper` may be infinite: −∞/+∞ gives a free
    /// variable, equal values a fixed one.
    @discardableResult
    public mutating func addVariable(
        lower: Double = 0, upper: Double = .infinity, objective: Double = 0,
        kind: LPVariableKind = .continuous, name: String? = nil
    ) -> LPVariable {
        lowerBounds.append(lower)
        upperBounds.append(upper)
        objectiveCoefficients.append(objective)
        kinds.append(kind)
        variableNames.append(name)
        return LPVariable(index: lowerBounds.count - 1)
    }

    /// Adds a row Σ coefficient·variable within `bound`.
    ///
    /// A variable listed more than once has its coefficients summed (a sum of
    /// zero simply drops the term): solvers such as GLPK reject duplicates, and
    /// summing is what the written expression means.
    @discardableResult
    public mutating func addConstraint(
        _ terms: [(LPVariable, Double)], _ bound: LPConstraintBound, name: String? = nil
    ) -> LPConstraint {
        termVariables.reserveCapacity(termVariables.count + terms.count)
        termCoefficients.reserveCapacity(termCoefficients.count + terms.count)
        for (variable, coefficient) in terms {
            termVariables.append(variable.index)
            termCoefficients.append(coefficient)
        }
        rowStarts.append(termVariables.count)
        rowBounds.append(bound)
        constraintNames.append(name)
        return LPConstraint(index: rowBounds.count - 1)
    }

    /// Replaces a variable's objective coefficient. The handle must come from this program.
    public mutating func setObjectiveCoefficient(_ coefficient: Double, for variable: LPVariable) {
        precondition(objectiveCoefficients.indices.contains(variable.index), "\(variable) is not a variable of this program")
        objectiveCoefficients[variable.index] = coefficient
    }

    /// Replaces a variable's bounds (e.g. to exclude a bidder by fixing its variables at 0).
    public mutating func setBounds(of variable: LPVariable, lower: Double, upper: Double) {
        precondition(lowerBounds.indices.contains(variable.index), "\(variable) is not a variable of this program")
        lowerBounds[variable.index] = lower
        upperBounds[variable.index] = upper
    }

    /// Replaces a constraint's bound (e.g. a supply right-hand side).
    public mutating func setBound(of constraint: LPConstraint, _ bound: LPConstraintBound) {
        precondition(rowBounds.indices.contains(constraint.index), "\(constraint) is not a constraint of this program")
        rowBounds[constraint.index] = bound
    }

    // Read access (handles must come from this program).

    /// The variable's declared bounds.
    public func bounds(of variable: LPVariable) -> (lower: Double, upper: Double) {
        (lowerBounds[variable.index], upperBounds[variable.index])
    }

    /// The variable's objective coefficient.
    public func objectiveCoefficient(of variable: LPVariable) -> Double {
        objectiveCoefficients[variable.index]
    }

    /// The variable's kind.
    public func kind(of variable: LPVariable) -> LPVariableKind {
        kinds[variable.index]
    }

    /// The constraint's bound on its activity.
    public func bound(of constraint: LPConstraint) -> LPConstraintBound {
        rowBounds[constraint.index]
    }

    /// The terms as given (duplicates not yet merged).
    public func terms(of constraint: LPConstraint) -> [(LPVariable, Double)] {
        (rowStarts[constraint.index]..<rowStarts[constraint.index + 1]).map {
            (LPVariable(index: termVariables[$0]), termCoefficients[$0])
        }
    }

    /// The variable's name, if it was given one.
    public func name(of variable: LPVariable) -> String? {
        variableNames.indices.contains(variable.index) ? variableNames[variable.index] : nil
    }

    /// The constraint's name, if it was given one.
    public func name(of constraint: LPConstraint) -> String? {
        constraintNames.indices.contains(constraint.index) ? constraintNames[constraint.index] : nil
    }

    /// Whether x = 0 is feasible (every variable's bounds and every row's interval contain 0):
    /// then primal simplex starts from a feasible slack basis.
    public var isOriginFeasible: Bool {
        lowerBounds.allSatisfy { $0 <= 0 } && upperBounds.allSatisfy { $0 >= 0 }
            && rowBounds.allSatisfy { let (l, u) = $0.interval; return l <= 0 && u >= 0 }
    }

    /// The continuous relaxation: integer variables become continuous, binary
    /// variables continuous within their bounds intersected with [0, 1].
    public func relaxed() -> LinearProgram {
        var copy = self
        for j in kinds.indices where kinds[j] != .continuous {
            if kinds[j] == .binary {
                copy.lowerBounds[j] = max(lowerBounds[j], 0)
                copy.upperBounds[j] = min(upperBounds[j], 1)
            }
            copy.kinds[j] = .continuous
        }
        return copy
    }

    /// Checks the whole program and throws the first problem found. Solvers call
    /// this before touching a backend, so calling it yourself only fails earlier.
    public func validate() throws {
        _ = try ValidatedProgram(self)
    }

    func reference(ofVariable j: Int) -> LPReference {
        LPReference(kind: .variable, index: j, name: variableNames[j])
    }

    func reference(ofConstraint i: Int) -> LPReference {
        LPReference(kind: .constraint, index: i, name: constraintNames[i])
    }
}
