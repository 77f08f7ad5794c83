import CGLPK
import CGLPKShim

/// Owns one `glp_prob` for the duration of one solve and routes every GLPK call
/// through the error-trapping shim.
///
/// If GLPK's error hook fires, the shim has already called `glp_free_env()`,
/// which destroys this problem together with the rest of the thread's GLPK
/// environment; the handle then forgets its pointer (so `close()` does not
/// double-free) and the call throws ``LPError/solverFailure(_:)`` carrying
/// GLPK's own message. Otherwise `close()` deletes the problem. Not thread-safe:
/// create, use and close it on one thread (GLPK's environment is thread-local).
final class GLPKProblem {
    private var pointer: OpaquePointer?
    private var trap = gavel_glp_trap()
    private(set) var columnCount: Int
    let rowCount: Int

    /// Creates the problem and loads `model` into it (the matrix in one `glp_load_matrix`).
    init(_ model: ValidatedProgram, echo: Bool) throws {
        trap.echo = echo ? 1 : 0
        columnCount = model.columnCount
        rowCount = model.rowCount
        resetMessage()
        pointer = gavel_glp_create(&trap, model.maximize ? 1 : 0, model.objectiveConstant)
        guard let p = pointer else { throw LPError.solverFailure("glp_create_prob: \(message)") }

        let integerFlags = model.isInteger.map { UInt8($0 ? 1 : 0) }
        try check(gavel_glp_add_columns(p, &trap, Int32(model.columnCount),
                                        model.columnLower, model.columnUpper,
                                        model.objective, integerFlags), "adding columns")
        try check(gavel_glp_add_rows(p, &trap, Int32(model.rowCount),
                                     model.rowLower, model.rowUpper), "adding rows")

        // glp_load_matrix takes 1-based triplets; element 0 is ignored.
        let nnz = model.nonzeroCount
        var ia = [Int32](repeating: 0, count: nnz + 1)
        var ja = [Int32](repeating: 0, count: nnz + 1)
        var ar = [Double](repeating: 0, count: nnz + 1)
        for i in 0..<model.rowCount {
            for k in model.rowStarts[i]..<model.rowStarts[i + 1] {
                ia[k + 1] = Int32(i + 1)
                ja[k + 1] = Int32(model.columns[k] + 1)
                ar[k + 1] = model.values[k]
            }
        }
        try check(gavel_glp_load_matrix(p, &trap, Int32(nnz), ia, ja, ar), "loading the matrix")
    }

    deinit { close() }

    /// Deletes the problem if it still exists. Idempotent.
    func close() {
        guard let p = pointer else { return }
        pointer = nil
        resetMessage()
        _ = gavel_glp_delete(p, &trap)
    }

    func simplex(_ parm: glp_smcp, standardBasis: Bool) throws -> Int32 {
        var parm = parm
        return try check(gavel_glp_simplex(try live(), &trap, &parm, standardBasis ? 1 : 0), "glp_simplex")
    }

    func interior(_ parm: glp_iptcp) throws -> Int32 {
        var parm = parm
        return try check(gavel_glp_interior(try live(), &trap, &parm), "glp_interior")
    }

    func intopt(_ parm: glp_iocp) throws -> Int32 {
        var parm = parm
        return try check(gavel_glp_intopt(try live(), &trap, &parm), "glp_intopt")
    }

    /// Appends columns (CSC, 0-based rows): with GLPK's basis kept, they enter nonbasic at a bound.
    func appendColumns(lower: [Double], upper: [Double], objective: [Double], starts: [Int], rows: [Int], values: [Double]) throws {
        guard !lower.isEmpty else { return }
        try check(gavel_glp_append_columns(try live(), &trap, Int32(lower.count), lower, upper, objective,
                                           starts.map { Int32($0) }, rows.map { Int32($0) }, values), "appending columns")
        columnCount += lower.count
    }

    func zeroObjective() throws {
        try check(gavel_glp_zero_objective(try live(), &trap), "clearing the objective")
    }

    /// (glp_get_status, glp_get_prim_stat, glp_get_dual_stat).
    func basicStatus() throws -> (status: Int32, primal: Int32, dual: Int32) {
        var status: Int32 = 0, primal: Int32 = 0, dual: Int32 = 0
        try check(gavel_glp_basic_status(try live(), &trap, &status, &primal, &dual), "reading the status")
        return (status, primal, dual)
    }

    func interiorStatus() throws -> Int32 {
        var status: Int32 = 0
        try check(gavel_glp_interior_status(try live(), &trap, &status), "reading the status")
        return status
    }

    func mipStatus() throws -> Int32 {
        var status: Int32 = 0
        try check(gavel_glp_mip_status(try live(), &trap, &status), "reading the status")
        return status
    }

    /// Reads the solution of the given kind; duals only if `withDuals` (never for MIP).
    func solution(_ status: LPStatus, kind: LPSolution.Kind, withDuals: Bool) throws -> LPSolution {
        var objective = 0.0
        var values = [Double](repeating: 0, count: columnCount)
        var activities = [Double](repeating: 0, count: rowCount)
        let which: Int32 = kind == .simplex ? 0 : kind == .interiorPoint ? 1 : 2
        let p = try live()
        if withDuals && kind != .mixedInteger {
            var reduced = [Double](repeating: 0, count: columnCount)
            var duals = [Double](repeating: 0, count: rowCount)
            try check(gavel_glp_read_solution(p, &trap, which, &objective, &values, &reduced,
                                              &activities, &duals), "reading the solution")
            return LPSolution(status: status, kind: kind, objectiveValue: objective, variableValues: values,
                              rowActivities: activities, rowDuals: duals, reducedCosts: reduced)
        }
        try check(gavel_glp_read_solution(p, &trap, which, &objective, &values, nil,
                                          &activities, nil), "reading the solution")
        return LPSolution(status: status, kind: kind, objectiveValue: objective, variableValues: values,
                          rowActivities: activities, rowDuals: nil, reducedCosts: nil)
    }

    /// Exercises the trap path: a deliberately invalid GLPK call on a scratch
    /// problem. Always throws ``LPError/solverFailure(_:)``.
    static func triggerTrappedErrorForTesting() throws {
        var trap = gavel_glp_trap()
        let code = gavel_glp_trigger_error_for_testing(&trap)
        let text = Self.text(of: &trap)
        if code == GAVEL_GLP_TRAPPED { throw LPError.solverFailure("GLPK error: \(text)") }
        throw LPError.solverFailure("expected a trapped GLPK error, got return code \(code)")
    }

    // MARK: - Private

    private var message: String { Self.text(of: &trap) }

    private func live() throws -> OpaquePointer {
        guard let p = pointer else { throw LPError.solverFailure("GLPK problem already released") }
        return p
    }

    private func resetMessage() {
        trap.length = 0
        trap.message.0 = 0
    }

    @discardableResult
    private func check(_ code: Int32, _ operation: String) throws -> Int32 {
        guard code == GAVEL_GLP_TRAPPED else {
            resetMessage()
            return code
        }
        pointer = nil // freed by glp_free_env in the shim
        throw LPError.solverFailure("GLPK error while \(operation): \(message)")
    }

    private static func text(of trap: inout gavel_glp_trap) -> String {
        let length = Int(trap.length)
        let raw = withUnsafeBytes(of: &trap.message) { Array($0.prefix(length)) }
        return String(decoding: raw, as: UTF8.self).trimmingWhitespace()
    }
}

extension String {
    fileprivate func trimmingWhitespace() -> String {
        var s = Substring(self)
        while let c = s.first, c.isWhitespace { s.removeFirst() }
        while let c = s.last, c.isWhitespace { s.removeLast() }
        return String(s)
    }
}
