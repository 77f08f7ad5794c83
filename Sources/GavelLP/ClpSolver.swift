import CClpShim

/// Solves continuous ``LinearProgram``s with COIN-OR Clp (Debian's `coinor-libclp-dev`, 1.17).
///
/// Each `solve` validates in Swift, loads the program into its own `Clp_Simplex` (so
/// concurrent solves on different threads share nothing), solves, copies the results
/// out and deletes the model. Clp prints nothing (log level 0). libClp is opened at
/// run time: where it is missing, `solve` throws ``LPError/backendUnavailable(_:)``
/// naming the package, and the rest of Gavel (GLPK) still works.
///
/// Statuses map as GLPK's do (``GLPKSolver``): Clp's "primal infeasible" is
/// `.infeasible`; its "dual infeasible" (infeasible *or* unbounded) is settled by a
/// second solve with a zero objective (feasible → `.unbounded`); a time or iteration
/// limit gives `.feasible` when the last point is primal feasible, else `.undefined`
/// with the reason; numerical trouble after barrier or presolve is retried once with
/// dual simplex from scratch, presolve off, then reported as `.undefined`.
/// Integer variables are rejected (``LPError/invalidOption(_:)``): Clp is an LP solver.
public struct ClpSolver: LPSolver {
    /// How Clp solves: method, presolve, time limit.
    public struct Options: Sendable, Equatable {
        /// Clp's algorithm; the raw values are the names `--lp-solver clp/METHOD` accepts.
        public enum Method: String, Sendable, Equatable, CaseIterable {
            case dualSimplex = "dual"
            case primalSimplex = "primal"
            /// Clp's barrier (its own Cholesky), then crossover to a basis: duals and a
            /// vertex come back as from simplex.
            case barrier
        }
        /// The algorithm (default dual simplex).
        public var method: Method
        /// Clp's presolve (on by default in Clp itself).
        public var presolve: Bool
        /// CPU-time limit of the solve (Clp's `maximumSeconds`); nil for none.
        public var timeLimit: Duration?

        /// Dual simplex with presolve and no time limit unless told otherwise.
        public init(method: Method = .dualSimplex, presolve: Bool = true, timeLimit: Duration? = nil) {
            self.method = method
            self.presolve = presolve
            self.timeLimit = timeLimit
        }
    }

    /// How each ``solve(_:)`` runs.
    public var options: Options

    /// A solver with `options`.
    public init(options: Options = Options()) { self.options = options }
    /// A solver using `method`, with no time limit.
    public init(method: Options.Method, presolve: Bool = true) { self.options = Options(method: method, presolve: presolve) }

    /// Whether libClp can be loaded here.
    public static var isAvailable: Bool {
        var error = gavel_clp_error()
        return gavel_clp_available(&error) != 0
    }

    /// Throws ``LPError/backendUnavailable(_:)`` (naming `coinor-libclp-dev`) when libClp cannot be loaded.
    public static func requireAvailable() throws {
        var error = gavel_clp_error()
        guard gavel_clp_available(&error) != 0 else { throw LPError.backendUnavailable(ClpModel.text(&error)) }
    }

    /// Clp's version ("1.17.6"), or nil when it is not installed.
    public static var version: String? {
        guard isAvailable, let c = gavel_clp_version() else { return nil }
        return String(cString: c)
    }

    /// Solves a continuous `program`; infeasible and unbounded come back as a ``LPSolution/status``.
    /// - Throws: ``LPError`` for a malformed program, integer variables, a non-positive time limit, a missing libClp or a Clp failure.
    public func solve(_ program: LinearProgram) throws -> LPSolution {
        if let limit = options.timeLimit, limit <= .zero {
            throw LPError.invalidOption("time limit must be positive, got \(limit)")
        }
        let model = try ValidatedProgram(program)
        try ClpModel.requireContinuous(model, program)
        let clp = try ClpModel(model)
        let first = try clp.solve(method: options.method, warm: false, presolve: options.presolve, timeLimit: options.timeLimit)
        switch first.status {
        case .optimal:
            // Clp's "optimal" is accepted only with duals that pass the weak-duality certificate:
            // after presolve (or on an unbounded program, with primal simplex or the barrier) Clp
            // can return duals off by up to 1e-3 or call an unbounded program optimal. Then it is
            // solved again from scratch without presolve, by dual simplex (primal if that was the
            // first try): on the 500-program property test, dual simplex settles every such case.
            if let check = first.dualCheck(model), check.holds(tolerance: LPSolution.dualCertificateTolerance) { return first }
            let again = try ClpModel(model)
            let fallback: Options.Method = options.method == .dualSimplex && !options.presolve ? .primalSimplex : .dualSimplex
            let second = try again.solve(method: fallback, warm: false, presolve: false, timeLimit: options.timeLimit)
            if second.status != .optimal { return second }
            if let check = second.dualCheck(model) {
                let t = LPSolution.dualCertificateTolerance
                if check.holds(tolerance: t) { return second }
                // Duals feasible and consistent, only the gap open (as GLPK leaves it on the
                // path-based program): they still certify a bound, which `certifiedBound` reports.
                if check.infeasibility <= t * check.scale, check.reducedCostMismatch <= t * check.scale, check.gap > 0 { return second }
            }
            return .withoutValues(.undefined(reason: "Clp's optimum fails the weak-duality certificate with every method tried"), kind: .simplex)
        default:
            return first
        }
    }
}

/// One loaded `Clp_Simplex` (created, solved and deleted on one thread at a time).
final class ClpModel {
    private var pointer: OpaquePointer?
    private(set) var columnCount: Int
    let rowCount: Int
    private var objective: [Double]
    private let maximize: Bool
    private let objectiveConstant: Double
    private let columnLower: [Double], columnUpper: [Double], rowLower: [Double], rowUpper: [Double]
    /// Column-major copy of the matrix (kept to rebuild the model for a retry or the feasibility test).
    private var starts: [Int32], indices: [Int32], values: [Double]
    private var addedLower: [Double] = [], addedUpper: [Double] = []
    /// Iterations of the last solve (Clp's count).
    private(set) var lastIterations = 0

    static func requireContinuous(_ model: ValidatedProgram, _ program: LinearProgram) throws {
        if let j = model.isInteger.firstIndex(of: true) {
            throw LPError.invalidOption("Clp solves linear programs only: \(program.reference(ofVariable: j)) is integer (use GLPK for mixed-integer programs)")
        }
    }

    static func text(_ error: inout gavel_clp_error) -> String {
        withUnsafeBytes(of: &error.message) { raw in
            let bytes = raw.prefix { $0 != 0 }
            return String(decoding: bytes, as: UTF8.self)
        }
    }

    init(_ model: ValidatedProgram) throws {
        guard model.columnCount < Int(Int32.max), model.nonzeroCount < Int(Int32.max), model.rowCount < Int(Int32.max) else {
            throw LPError.problemTooLarge("\(model.columnCount) variables, \(model.rowCount) constraints, \(model.nonzeroCount) nonzeros exceed Clp's 32-bit indices")
        }
        columnCount = model.columnCount
        rowCount = model.rowCount
        maximize = model.maximize
        objectiveConstant = model.objectiveConstant
        objective = model.objective
        columnLower = model.columnLower; columnUpper = model.columnUpper
        rowLower = model.rowLower; rowUpper = model.rowUpper
        // CSR → CSC.
        var count = [Int32](repeating: 0, count: columnCount + 1)
        for j in model.columns { count[j + 1] += 1 }
        for j in 0..<columnCount { count[j + 1] += count[j] }
        starts = count
        var next = count.map { Int($0) }
        indices = [Int32](repeating: 0, count: model.nonzeroCount)
        values = [Double](repeating: 0, count: model.nonzeroCount)
        for i in 0..<rowCount {
            for k in model.rowStarts[i]..<model.rowStarts[i + 1] {
                let j = model.columns[k]
                indices[next[j]] = Int32(i)
                values[next[j]] = model.values[k]
                next[j] += 1
            }
        }
        try load(objective: objective)
    }

    deinit { gavel_clp_delete(pointer) }

    private func load(objective: [Double]) throws {
        gavel_clp_delete(pointer)
        pointer = nil
        var error = gavel_clp_error()
        let lower = columnLower + addedLower, upper = columnUpper + addedUpper
        pointer = gavel_clp_create(Int32(columnCount), Int32(rowCount), starts, indices, values, lower, upper,
                                   objective, rowLower, rowUpper, maximize ? 1 : 0, &error)
        guard pointer != nil else {
            let message = Self.text(&error)
            if message.hasPrefix("Clp unavailable") { throw LPError.backendUnavailable(String(message.dropFirst("Clp unavailable: ".count))) }
            throw LPError.solverFailure(message)
        }
    }

    /// Appends columns (CSC with 0-based row indices); they start nonbasic at a bound, so the basis stays valid.
    func addColumns(lower: [Double], upper: [Double], objective newObjective: [Double], starts newStarts: [Int], rows: [Int], values newValues: [Double]) throws {
        let count = lower.count
        guard count > 0 else { return }
        var error = gavel_clp_error()
        let s32 = newStarts.map { Int32($0) }, r32 = rows.map { Int32($0) }
        guard gavel_clp_add_columns(pointer, Int32(count), lower, upper, newObjective, s32, r32, newValues, &error) == GAVEL_CLP_OK else {
            throw LPError.solverFailure(Self.text(&error))
        }
        let base = starts.last!
        for k in 0..<count { starts.append(base + Int32(newStarts[k + 1])) }
        indices += r32
        values += newValues
        objective += newObjective
        addedLower += lower; addedUpper += upper
        columnCount += count
    }

    private func run(_ method: ClpSolver.Options.Method, warm: Bool, presolve: Bool, seconds: Double) throws -> (status: Int32, secondary: Int32, infeasibilities: Int32) {
        var status: Int32 = -1, secondary: Int32 = 0, infeasibilities: Int32 = 0, iterations: Int32 = 0
        var error = gavel_clp_error()
        let code: Int32 = switch method { case .dualSimplex: 0; case .primalSimplex: 1; case .barrier: 2 }
        guard gavel_clp_solve(pointer, code, warm ? 1 : 0, presolve ? 1 : 0, seconds, &status, &secondary, &infeasibilities, &iterations, &error) == GAVEL_CLP_OK else {
            throw LPError.solverFailure(Self.text(&error))
        }
        lastIterations = Int(iterations)
        return (status, secondary, infeasibilities)
    }

    /// Solves and maps the outcome (see ``ClpSolver``). `warm` re-optimises from the current basis.
    func solve(method: ClpSolver.Options.Method, warm: Bool, presolve: Bool, timeLimit: Duration?) throws -> LPSolution {
        let start = ContinuousClock.now
        func seconds() -> Double {
            guard let timeLimit else { return 0 }
            let left = timeLimit - (ContinuousClock.now - start)
            return max(1e-3, Double(left.components.seconds) + Double(left.components.attoseconds) / 1e18)
        }
        var outcome: (status: Int32, secondary: Int32, infeasibilities: Int32)
        do {
            outcome = try run(method, warm: warm, presolve: presolve, seconds: seconds())
        } catch LPError.solverFailure(let message) where method != .dualSimplex || presolve || warm {
            // Clp failed inside (an exception, or an assertion's abort caught by the shim): once more
            // from scratch with dual simplex, no presolve; a second failure is the error.
            _ = message
            try load(objective: objective)
            outcome = try run(.dualSimplex, warm: false, presolve: false, seconds: seconds())
        }
        if ![0, 1, 2, 3].contains(outcome.status), method == .barrier || presolve || warm {
            // Numerical trouble: once more from scratch, dual simplex, no presolve.
            try load(objective: objective)
            outcome = try run(.dualSimplex, warm: false, presolve: false, seconds: seconds())
        }
        if outcome.status == 0, method == .barrier, try hasHugeValues() {
            // Clp's barrier bounds infinite columns at ~1e20 and can call an unbounded program
            // optimal there: decide it with dual simplex from scratch instead.
            try load(objective: objective)
            outcome = try run(.dualSimplex, warm: false, presolve: false, seconds: seconds())
        }
        switch outcome.status {
        case 0:
            return try read(.optimal, withDuals: true)
        case 1, 2:
            return try settleInfeasibleOrUnbounded(seconds: seconds())
        case 3:
            let limit = timeLimit.map { "time limit (\($0))" } ?? "iteration limit"
            if outcome.infeasibilities == 0 { return try read(.feasible, withDuals: false) }
            return .withoutValues(.undefined(reason: "Clp stopped at the \(limit) before a feasible point was found"), kind: .simplex)
        default:
            let what = outcome.status == 4 ? "numerical difficulties" : "status \(outcome.status)"
            return .withoutValues(.undefined(reason: "Clp stopped on \(what) (secondary status \(outcome.secondary))"), kind: .simplex)
        }
    }

    /// Clp's "primal infeasible" and "dual infeasible" are not trusted alone (its dual simplex has
    /// called unbounded programs infeasible): phase 1 of primal simplex on a zero objective, no
    /// presolve, decides feasibility; if feasible, the objective is restored and primal simplex
    /// continues from that feasible basis, ending optimal or with an unbounded ray.
    private func settleInfeasibleOrUnbounded(seconds: Double) throws -> LPSolution {
        try load(objective: [Double](repeating: 0, count: columnCount))
        let feasibility = try run(.primalSimplex, warm: false, presolve: false, seconds: seconds)
        switch feasibility.status {
        case 0: break
        case 1: return .withoutValues(.infeasible, kind: .simplex)
        case 3: return .withoutValues(.undefined(reason: "Clp reached its limit while deciding between infeasible and unbounded"), kind: .simplex)
        default: return .withoutValues(.undefined(reason: "Clp could not decide feasibility (status \(feasibility.status))"), kind: .simplex)
        }
        var error = gavel_clp_error()
        guard gavel_clp_set_objective(pointer, objective, &error) == GAVEL_CLP_OK else { throw LPError.solverFailure(Self.text(&error)) }
        let outcome = try run(.primalSimplex, warm: true, presolve: false, seconds: seconds)
        switch outcome.status {
        case 0: return try read(.optimal, withDuals: true)
        case 2: return .withoutValues(.unbounded, kind: .simplex)
        case 3: return .withoutValues(.undefined(reason: "Clp reached its limit after finding a feasible point"), kind: .simplex)
        default: return .withoutValues(.undefined(reason: "Clp stopped with status \(outcome.status) after finding a feasible point"), kind: .simplex)
        }
    }

    /// Values at Clp's stand-in for infinity (1e20 and beyond 1e15, far past any bound a program here states).
    private func hasHugeValues() throws -> Bool {
        var x = [Double](repeating: 0, count: columnCount)
        var error = gavel_clp_error()
        guard gavel_clp_read(pointer, nil, &x, nil, nil, nil, &error) == GAVEL_CLP_OK else { throw LPError.solverFailure(Self.text(&error)) }
        return x.contains { !$0.isFinite || abs($0) >= 1e15 }
    }

    private func read(_ status: LPStatus, withDuals: Bool) throws -> LPSolution {
        var value = 0.0
        var x = [Double](repeating: 0, count: columnCount), activity = [Double](repeating: 0, count: rowCount)
        var duals = [Double](repeating: 0, count: rowCount), reduced = [Double](repeating: 0, count: columnCount)
        var error = gavel_clp_error()
        guard gavel_clp_read(pointer, &value, &x, &activity, &duals, &reduced, &error) == GAVEL_CLP_OK else {
            throw LPError.solverFailure(Self.text(&error))
        }
        // Clp's objective value leaves out the constant; recompute c·x so the value is the program's.
        var objectiveValue = objectiveConstant
        for j in 0..<columnCount { objectiveValue += objective[j] * x[j] }
        return LPSolution(status: status, kind: .simplex, objectiveValue: objectiveValue, variableValues: x,
                          rowActivities: activity, rowDuals: withDuals ? duals : nil, reducedCosts: withDuals ? reduced : nil)
    }
}
