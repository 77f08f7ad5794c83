/// A backend that solves ``LinearProgram``s.
///
/// Implementations must validate through ``LinearProgram/validate()`` (or the
/// same checks) before calling native code, report infeasible/unbounded
/// programs via ``LPSolution/status``, and throw ``LPError`` only for bad input
/// or backend failure. `solve` is synchronous so that a native solver's
/// thread-local state stays on one thread for the whole call.
public protocol LPSolver: Sendable {
    /// Validates and solves `program`; infeasible and unbounded are statuses, not errors.
    /// - Throws: ``LPError`` for a malformed program or a backend failure.
    func solve(_ program: LinearProgram) throws -> LPSolution
}
