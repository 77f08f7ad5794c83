/// Identifies a variable or constraint in an error message by index and name.
public struct LPReference: Sendable, Equatable, CustomStringConvertible {
    /// Whether the reference is to a column or a row.
    public enum Kind: Sendable, Equatable { case variable, constraint }
    /// Variable or constraint.
    public let kind: Kind
    /// 0-based index of the variable or constraint.
    public let index: Int
    /// The name given when it was added, if any.
    public let name: String?

    /// A reference to the variable or constraint `index`, named `name` if it has one.
    public init(kind: Kind, index: Int, name: String?) {
        self.kind = kind
        self.index = index
        self.name = name
    }

    /// `variable #3 "x_a"`, or `constraint #2` without a name.
    public var description: String {
        let noun = kind == .variable ? "variable" : "constraint"
        if let name { return "\(noun) #\(index) \"\(name)\"" }
        return "\(noun) #\(index)"
    }
}

/// Errors from building or solving a program.
///
/// Infeasible and unbounded programs are *not* errors: they are reported in
/// ``LPSolution/status``. These cases mean the input was malformed or the
/// backend itself failed.
public enum LPError: Error, Sendable, Equatable, CustomStringConvertible {
    /// A constraint refers to a variable index the program does not have.
    case variableIndexOutOfRange(constraint: LPReference, index: Int, variableCount: Int)
    /// A constraint coefficient is NaN or infinite (or a merged duplicate overflowed).
    case nonFiniteCoefficient(constraint: LPReference, variable: LPReference, value: Double)
    /// An objective coefficient is NaN or infinite.
    case nonFiniteObjective(variable: LPReference, value: Double)
    /// The objective constant is NaN or infinite.
    case nonFiniteObjectiveConstant(Double)
    /// Bounds of a variable or constraint are NaN, inverted, or empty at infinity.
    case invalidBounds(LPReference, lower: Double, upper: Double, reason: String)
    /// The program exceeds a backend's size limits.
    case problemTooLarge(String)
    /// A solver option is out of range.
    case invalidOption(String)
    /// The backend raised an internal error (for GLPK: its error hook fired).
    case solverFailure(String)
    /// A solution failed its own certificate (``LPSolution/requireDualCertificate(_:what:)``).
    case certificateFailed(String)
    /// The backend's library cannot be loaded (COIN-OR Clp missing at run time); the message names the package.
    case backendUnavailable(String)

    /// One line naming the element and what is wrong with it.
    public var description: String {
        switch self {
        case let .variableIndexOutOfRange(constraint, index, count):
            return "\(constraint) refers to variable index \(index), but the program has \(count) variable(s)"
        case let .nonFiniteCoefficient(constraint, variable, value):
            return "\(constraint) has non-finite coefficient \(value) for \(variable)"
        case let .nonFiniteObjective(variable, value):
            return "\(variable) has non-finite objective coefficient \(value)"
        case let .nonFiniteObjectiveConstant(value):
            return "objective constant \(value) is not finite"
        case let .invalidBounds(element, lower, upper, reason):
            return "\(element) has invalid bounds [\(lower), \(upper)]: \(reason)"
        case let .problemTooLarge(message), let .invalidOption(message):
            return message
        case let .solverFailure(message):
            return "solver failure: \(message)"
        case let .certificateFailed(message), let .backendUnavailable(message):
            return message
        }
    }

    /// NaN payloads compare equal here so tests can match whole errors.
    public static func == (a: LPError, b: LPError) -> Bool {
        func same(_ x: Double, _ y: Double) -> Bool { x == y || (x.isNaN && y.isNaN) }
        switch (a, b) {
        case let (.variableIndexOutOfRange(c1, i1, n1), .variableIndexOutOfRange(c2, i2, n2)):
            return c1 == c2 && i1 == i2 && n1 == n2
        case let (.nonFiniteCoefficient(c1, v1, x1), .nonFiniteCoefficient(c2, v2, x2)):
            return c1 == c2 && v1 == v2 && same(x1, x2)
        case let (.nonFiniteObjective(v1, x1), .nonFiniteObjective(v2, x2)):
            return v1 == v2 && same(x1, x2)
        case let (.nonFiniteObjectiveConstant(x1), .nonFiniteObjectiveConstant(x2)):
            return same(x1, x2)
        case let (.invalidBounds(e1, l1, u1, r1), .invalidBounds(e2, l2, u2, r2)):
            return e1 == e2 && same(l1, l2) && same(u1, u2) && r1 == r2
        case let (.problemTooLarge(m1), .problemTooLarge(m2)),
             let (.invalidOption(m1), .invalidOption(m2)),
             let (.solverFailure(m1), .solverFailure(m2)),
             let (.certificateFailed(m1), .certificateFailed(m2)),
             let (.backendUnavailable(m1), .backendUnavailable(m2)):
            return m1 == m2
        default:
            return false
        }
    }
}
