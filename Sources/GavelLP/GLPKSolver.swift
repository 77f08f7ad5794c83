import CGLPK
import CGLPKShim

/// Solves ``LinearProgram``s with GLPK (5.0).
///
/// Each `solve` validates in Swift, creates one `glp_prob`, loads it (matrix in
/// one `glp_load_matrix` call), solves, copies the results out and deletes the
/// problem, all on the calling thread. GLPK is used only through the trapping
/// shim, so a GLPK-internal error becomes ``LPError/solverFailure(_:)`` instead
/// of `abort()`, and nothing is printed unless ``Options/messageLevel`` asks.
///
/// Threads: GLPK keeps its environment in thread-local storage when built with
/// TLS (Debian's GLPK 5 is; the shim checks `glp_config("TLS")` at run
/// time); then concurrent solves on different
/// threads are independent. If a build lacks TLS, solves are serialised by a
/// process-wide lock in the shim. GavelLP assumes it is the only GLPK user in
/// the process: after a trapped error `glp_free_env()` frees every problem of
/// the thread's environment, which is only safe because each solve owns the
/// single live problem.
///
/// Infeasible vs unbounded: GLPK's presolver (and the interior-point method)
/// can only say "no primal feasible" or "no dual feasible" solution; the latter
/// means infeasible *or* unbounded. In that case the program is re-solved with
/// primal simplex, presolver off, from the all-slack basis, whose phase 1
/// decides feasibility; the status is exact unless GLPK itself gives up
/// (then `.undefined` with the reason).
public struct GLPKSolver: LPSolver {
    /// How GLPK solves: method, presolve, limits, output.
    public struct Options: Sendable, Equatable {
        /// GLPK's algorithm for the LP (or a MIP's relaxations).
        public enum Method: Sendable, Equatable {
            /// Primal simplex (GLPK's `GLP_PRIMAL`).
            case primalSimplex
            /// Dual simplex, falling back to primal if it fails (GLPK's `GLP_DUALP`),
            /// with the long-step ("flip") ratio test: with many boxed columns the
            /// default (Harris) ratio test is orders of magnitude slower (minutes instead
            /// of under a second on the 100k-column test LP).
            case dualSimplex
            /// GLPK's primal-dual interior point method; no presolver, no time
            /// limit, and for MIPs the relaxation is still solved by dual simplex
            /// because branch-and-bound needs a basis. Programs without rows or
            /// columns go to simplex. Slow on programs with a dense row (its
            /// normal equations become dense): prefer simplex there.
            case interiorPoint
        }

        /// How much GLPK prints to the terminal.
        public enum MessageLevel: Sendable, Equatable {
            /// Nothing is printed (GLPK's terminal output is captured and dropped).
            case off
            case errorsOnly
            case normal
            case all
        }

        /// The algorithm (default dual simplex).
        public var method: Method
        /// GLPK's LP presolver (and the MIP presolver for integer programs).
        public var presolve: Bool
        /// Wall-clock limit for the whole solve; nil for none. On expiry the
        /// status is `.feasible` if a feasible point is known, else `.undefined`.
        public var timeLimit: Duration?
        /// GLPK's terminal output (default off).
        public var messageLevel: MessageLevel
        /// Branch-and-bound stops once the relative gap is at most this; the
        /// status is then `.feasible` unless the gap closed completely.
        public var mipRelativeGap: Double

        /// Dual simplex, no presolve, no time limit, silent, exact MIP gap unless told otherwise.
        public init(
            method: Method = .dualSimplex, presolve: Bool = false, timeLimit: Duration? = nil,
            messageLevel: MessageLevel = .off, mipRelativeGap: Double = 0
        ) {
            self.method = method
            self.presolve = presolve
            self.timeLimit = timeLimit
            self.messageLevel = messageLevel
            self.mipRelativeGap = mipRelativeGap
        }
    }

    /// How each ``solve(_:)`` runs.
    public var options: Options

    /// A solver with `options`.
    public init(options: Options = Options()) {
        self.options = options
    }

    /// A solver using `method`, with the other options at their defaults.
    public init(method: Options.Method, presolve: Bool = false) {
        self.options = Options(method: method, presolve: presolve)
    }

    /// GLPK's hard limits (M_MAX, N_MAX, NNZ_MAX in its sources); exceeding them is an xerror.
    static let maxRows = 100_000_000
    static let maxColumns = 100_000_000
    static let maxNonzeros = 500_000_000

    /// Solves `program` (branch-and-bound when it has integer variables); infeasible and unbounded come back as a ``LPSolution/status``.
    /// - Throws: ``LPError`` for a malformed program, a bad option, a program past GLPK's size limits or a GLPK failure.
    public func solve(_ program: LinearProgram) throws -> LPSolution {
        try checkOptions()
        let model = try ValidatedProgram(program)
        try Self.checkLimits(model)
        let kind: LPSolution.Kind = model.hasIntegerColumns ? .mixedInteger
            : options.method == .interiorPoint ? .interiorPoint : .simplex
        if model.emptyIntegerDomain != nil {
            return .withoutValues(.infeasible, kind: kind)
        }

        gavel_glp_enter()
        defer { gavel_glp_leave() }
        let problem = try GLPKProblem(model, echo: options.messageLevel != .off)
        defer { problem.close() }
        let run = GLPKRun(problem: problem, options: options, deadline: deadline())
        return model.hasIntegerColumns ? try run.solveMIP() : try run.solveLP()
    }

    /// Runs a deliberately invalid GLPK call through the trap (tests use this to
    /// check that a GLPK error becomes a thrown ``LPError/solverFailure(_:)``).
    static func triggerTrappedErrorForTesting() throws {
        gavel_glp_enter()
        defer { gavel_glp_leave() }
        try GLPKProblem.triggerTrappedErrorForTesting()
    }

    private func checkOptions() throws {
        if let limit = options.timeLimit, limit <= .zero {
            throw LPError.invalidOption("time limit must be positive, got \(limit)")
        }
        let gap = options.mipRelativeGap
        guard gap.isFinite && gap >= 0 else {
            throw LPError.invalidOption("MIP relative gap must be finite and non-negative, got \(gap)")
        }
    }

    private static func checkLimits(_ model: ValidatedProgram) throws {
        if model.columnCount > maxColumns {
            throw LPError.problemTooLarge("\(model.columnCount) variables exceed GLPK's limit of \(maxColumns)")
        }
        if model.rowCount > maxRows {
            throw LPError.problemTooLarge("\(model.rowCount) constraints exceed GLPK's limit of \(maxRows)")
        }
        if model.nonzeroCount > maxNonzeros {
            throw LPError.problemTooLarge("\(model.nonzeroCount) nonzeros exceed GLPK's limit of \(maxNonzeros)")
        }
    }

    private func deadline() -> ContinuousClock.Instant? {
        options.timeLimit.map { ContinuousClock.now + $0 }
    }
}
