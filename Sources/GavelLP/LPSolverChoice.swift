/// Which backend and method solve an LP: the `lp: {solver, method, time_limit_s}` block of
/// matching scenarios and instance files, and `gavel solve --lp-solver`.
///
/// `auto` picks per problem shape from the measurements in docs/lp.md (``resolved(rows:columns:nonzeros:originFeasible:)``).
/// The choice is a pure function of the shape, so the same input always gets the same solver
/// (and the same bytes out); if the picked backend is Clp and libClp is missing, solving throws
/// ``LPError/backendUnavailable(_:)`` naming the package rather than silently using GLPK.
public struct LPSolverChoice: Sendable, Equatable, CustomStringConvertible {
    /// The backend to use; `auto` picks by the program's shape.
    public enum Backend: String, Sendable, Equatable, CaseIterable {
        case auto, glpk, clp
    }
    /// The method to use; `auto` picks by backend and shape.
    public enum Method: String, Sendable, Equatable, CaseIterable {
        case auto, dual, primal, barrier
    }

    /// The requested backend.
    public var backend: Backend
    /// The requested method.
    public var method: Method
    /// Per LP solve; a column generation checks it between rounds as a whole. Nil: none.
    public var timeLimit: Duration?

    /// A choice of `backend` and `method` (both `auto` by default).
    public init(backend: Backend = .auto, method: Method = .auto, timeLimit: Duration? = nil) {
        self.backend = backend
        self.method = method
        self.timeLimit = timeLimit
    }

    /// The default: backend and method chosen per shape.
    public static let automatic = LPSolverChoice()

    /// Parses a solver name; the error lists the valid ones.
    public static func backend(named name: String) throws -> Backend {
        guard let b = Backend(rawValue: name) else {
            throw LPError.invalidOption("unknown LP solver '\(name)' (expected one of: \(Backend.allCases.map(\.rawValue).joined(separator: ", ")))")
        }
        return b
    }

    /// Parses a method name; the error lists the valid ones.
    public static func method(named name: String) throws -> Method {
        guard let m = Method(rawValue: name) else {
            throw LPError.invalidOption("unknown LP method '\(name)' (expected one of: \(Method.allCases.map(\.rawValue).joined(separator: ", ")))")
        }
        return m
    }

    /// Parses `--lp-solver`: `glpk`, `clp`, `auto`, or `SOLVER/METHOD` (`clp/barrier`).
    public static func parse(_ text: String) throws -> LPSolverChoice {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        guard parts.count <= 2 else { throw LPError.invalidOption("expected SOLVER or SOLVER/METHOD, got '\(text)'") }
        return LPSolverChoice(backend: try backend(named: parts[0]), method: parts.count == 2 ? try method(named: parts[1]) : .auto)
    }

    /// `backend/method`, with the time limit when there is one.
    public var description: String {
        "\(backend.rawValue)/\(method.rawValue)" + (timeLimit.map { ", time limit \($0)" } ?? "")
    }

    /// The concrete backend and method for a program of this shape.
    ///
    /// Measured (docs/lp.md; `gavel bench lp`, `gavel bench lp-bounds`):
    /// - Backend: Clp above ``smallProgramColumns`` columns. On the 100,000-column budget LP Clp's
    ///   primal simplex takes 2.5 s against GLPK's 27 s; on tiny programs GLPK is faster per solve
    ///   (0.07 ms against Clp's 0.26 ms on 40 columns), and keeping GLPK there leaves the committed
    ///   small-instance results byte-identical.
    /// - Clp method: primal simplex on wide programs (columns ≥ rows: the budget, offline-matching
    ///   and configuration LPs, where x = 0 is feasible and Clp's dual simplex took 173 s on the
    ///   budget LP), dual simplex on tall ones (the factor-revealing LP). GLPK: dual simplex.
    /// - `originFeasible`: x = 0 is feasible. Then Clp uses primal simplex whatever the shape: on
    ///   the compact stochastic configuration LP of the z-graph (112,029 columns, 115,508 rows)
    ///   primal took 29 s, dual 145 s.
    public func resolved(rows: Int, columns: Int, nonzeros: Int, originFeasible: Bool = false) -> ResolvedLPSolver {
        let b: Backend = backend != .auto ? backend : (columns <= Self.smallProgramColumns ? .glpk : .clp)
        let m: Method
        if method != .auto {
            m = method
        } else if b == .clp {
            m = columns >= rows || originFeasible ? .primal : .dual
        } else {
            m = .dual
        }
        return ResolvedLPSolver(backend: b == .clp ? .clp : .glpk, method: m == .barrier ? .barrier : m == .primal ? .primal : .dual,
                                timeLimit: timeLimit)
    }

    /// The concrete backend and method for `program`'s shape (rows, columns, nonzeros as given, whether x = 0 is feasible).
    public func resolved(for program: LinearProgram) -> ResolvedLPSolver {
        resolved(rows: program.constraintCount, columns: program.variableCount, nonzeros: program.nonzeroCountAsGiven,
                 originFeasible: program.isOriginFeasible)
    }

    /// Columns up to which `auto` keeps GLPK.
    public static let smallProgramColumns = 200
}

/// A concrete backend and method (what produced a bound, as recorded in results).
public struct ResolvedLPSolver: Sendable, Equatable, CustomStringConvertible {
    /// A concrete backend.
    public enum Backend: String, Sendable, Equatable { case glpk, clp }
    /// A concrete method; `barrier` is GLPK's interior-point method on GLPK.
    public enum Method: String, Sendable, Equatable { case dual, primal, barrier }
    /// The backend.
    public let backend: Backend
    /// The method.
    public let method: Method
    /// Per LP solve; nil for none.
    public let timeLimit: Duration?

    /// A concrete choice.
    public init(backend: Backend, method: Method, timeLimit: Duration? = nil) {
        self.backend = backend
        self.method = method
        self.timeLimit = timeLimit
    }

    /// "clp/dual", "glpk/barrier" (GLPK's barrier is its interior-point method).
    public var description: String { "\(backend.rawValue)/\(method.rawValue)" }

    /// The solver, checking first that its library is present.
    public func solver() throws -> any LPSolver {
        switch backend {
        case .glpk:
            let m: GLPKSolver.Options.Method = switch method { case .dual: .dualSimplex; case .primal: .primalSimplex; case .barrier: .interiorPoint }
            return GLPKSolver(options: .init(method: m, presolve: false, timeLimit: timeLimit))
        case .clp:
            try ClpSolver.requireAvailable()
            let m: ClpSolver.Options.Method = switch method { case .dual: .dualSimplex; case .primal: .primalSimplex; case .barrier: .barrier }
            return ClpSolver(options: .init(method: m, presolve: false, timeLimit: timeLimit))
        }
    }
}

extension LinearProgram {
    /// Terms as added (before duplicates are merged): the size a shape-based choice looks at.
    public var nonzeroCountAsGiven: Int { termVariables.count }
}
