import CGLPK
import CGLPKShim

/// A column to append to an ``LPColumnModel``: bounds, objective and its entries in existing rows.
public struct LPColumn: Sendable {
    /// Lower bound (default 0).
    public var lower: Double
    /// Upper bound (default +∞).
    public var upper: Double
    /// Objective coefficient.
    public var objective: Double
    /// Coefficients in existing rows.
    public var entries: [(LPConstraint, Double)]

    /// A continuous column in [lower, upper] with `objective` and `entries`.
    public init(lower: Double = 0, upper: Double = .infinity, objective: Double, entries: [(LPConstraint, Double)]) {
        self.lower = lower
        self.upper = upper
        self.objective = objective
        self.entries = entries
    }
}

/// A continuous LP that grows by columns between solves (column generation).
///
/// Warm (`warm: true`), the program stays loaded in its backend: GLPK keeps its `glp_prob`
/// and appends columns with `glp_add_cols`/`glp_set_mat_col`; Clp keeps its `Clp_Simplex` and
/// calls `Clp_addColumns`. New columns enter nonbasic at their lower bound, so the previous
/// optimal basis stays primal feasible and the re-solve is primal simplex from it (few pivots).
/// Cold (`warm: false`), every ``solve()`` builds the whole program and solves it from scratch
/// with the chosen method: the same results, for timing the difference.
/// Not thread-safe: create, grow and solve it on one thread.
public final class LPColumnModel {
    /// The backend and method of every solve.
    public let solver: ResolvedLPSolver
    /// Whether the program stays loaded between solves (see the type).
    public let warm: Bool
    private var base: LinearProgram
    private var added: [LPColumn] = []
    private var pending: [LPColumn] = []
    private var glpk: GLPKProblem?
    private var clp: ClpModel?
    /// Solves so far (the first is from scratch, later ones warm when `warm`).
    public private(set) var solveCount = 0

    /// `program` must be continuous; its rows are fixed, columns may be added later.
    public init(_ program: LinearProgram, solver: ResolvedLPSolver, warm: Bool = true) throws {
        if program.hasIntegerVariables { throw LPError.invalidOption("column generation needs a continuous program") }
        self.base = program
        self.solver = solver
        self.warm = warm
        if solver.backend == .clp { try ClpSolver.requireAvailable() }
    }

    /// Columns so far, queued ones included.
    public var variableCount: Int { base.variableCount + added.count + pending.count }

    /// Queues a column; it is part of the program from the next ``solve()`` on.
    @discardableResult
    public func addColumn(_ column: LPColumn) -> LPVariable {
        pending.append(column)
        return LPVariable(index: variableCount - 1)
    }

    /// The whole current program (base plus every added column), e.g. for ``LPSolution/requireDualCertificate(_:what:)``.
    public func program() -> LinearProgram {
        base.appendingColumns(added + pending)
    }

    /// Solves the current program (base plus every column added so far), warm from the last basis when ``warm``.
    /// - Throws: ``LPError`` as ``LPSolver/solve(_:)`` does.
    public func solve() throws -> LPSolution {
        defer { solveCount += 1 }
        if !warm {
            added += pending
            pending = []
            return try solver.solver().solve(program())
        }
        let timeLimit = solver.timeLimit
        switch solver.backend {
        case .clp:
            if let clp {
                let columns = pending
                try Self.csc(columns) { lower, upper, objective, starts, rows, values in
                    try clp.addColumns(lower: lower, upper: upper, objective: objective, starts: starts, rows: rows, values: values)
                }
                added += pending
                pending = []
                return try clp.solve(method: .primalSimplex, warm: true, presolve: false, timeLimit: timeLimit)
            }
            added += pending
            pending = []
            let model = try ValidatedProgram(program())
            let fresh = try ClpModel(model)
            clp = fresh
            let method: ClpSolver.Options.Method = switch solver.method { case .dual: .dualSimplex; case .primal: .primalSimplex; case .barrier: .barrier }
            // No presolve on the first solve either: the basis of the full model is what later solves start from.
            return try fresh.solve(method: method, warm: false, presolve: false, timeLimit: timeLimit)
        case .glpk:
            gavel_glp_enter()
            defer { gavel_glp_leave() }
            if let glpk {
                let columns = pending
                try Self.csc(columns) { lower, upper, objective, starts, rows, values in
                    try glpk.appendColumns(lower: lower, upper: upper, objective: objective, starts: starts, rows: rows, values: values)
                }
                added += pending
                pending = []
                let options = GLPKSolver.Options(method: .primalSimplex, presolve: false, timeLimit: timeLimit)
                return try GLPKRun(problem: glpk, options: options, deadline: timeLimit.map { ContinuousClock.now + $0 }).solveLP()
            }
            added += pending
            pending = []
            let model = try ValidatedProgram(program())
            let problem = try GLPKProblem(model, echo: false)
            glpk = problem
            let method: GLPKSolver.Options.Method = switch solver.method { case .dual: .dualSimplex; case .primal: .primalSimplex; case .barrier: .interiorPoint }
            let options = GLPKSolver.Options(method: method, presolve: false, timeLimit: timeLimit)
            return try GLPKRun(problem: problem, options: options, deadline: timeLimit.map { ContinuousClock.now + $0 }).solveLP()
        }
    }

    /// Checks the columns and hands them over in column-major form with 0-based rows.
    private static func csc(_ columns: [LPColumn], _ body: ([Double], [Double], [Double], [Int], [Int], [Double]) throws -> Void) throws {
        var lower: [Double] = [], upper: [Double] = [], objective: [Double] = [], starts = [0], rows: [Int] = [], values: [Double] = []
        for c in columns {
            guard c.objective.isFinite, !c.lower.isNaN, !c.upper.isNaN, c.lower <= c.upper, c.lower < .infinity, c.upper > -.infinity else {
                throw LPError.invalidOption("added column has invalid bounds [\(c.lower), \(c.upper)] or objective \(c.objective)")
            }
            lower.append(c.lower); upper.append(c.upper); objective.append(c.objective)
            var merged: [Int: Double] = [:], order: [Int] = []
            for (row, a) in c.entries {
                guard a.isFinite else { throw LPError.invalidOption("added column has non-finite coefficient \(a) in \(row)") }
                if merged[row.index] == nil { order.append(row.index) }
                merged[row.index, default: 0] += a
            }
            for r in order where merged[r]! != 0 { rows.append(r); values.append(merged[r]!) }
            starts.append(rows.count)
        }
        try body(lower, upper, objective, starts, rows, values)
    }
}

extension LinearProgram {
    /// This program with `columns` appended (their entries go into the existing rows).
    func appendingColumns(_ columns: [LPColumn]) -> LinearProgram {
        guard !columns.isEmpty else { return self }
        var copy = LinearProgram(direction: direction)
        copy.objectiveConstant = objectiveConstant
        for j in 0..<variableCount {
            copy.addVariable(lower: lowerBounds[j], upper: upperBounds[j], objective: objectiveCoefficients[j], kind: kinds[j], name: variableNames[j])
        }
        var extra = Array(repeating: [(LPVariable, Double)](), count: constraintCount)
        for c in columns {
            let v = copy.addVariable(lower: c.lower, upper: c.upper, objective: c.objective)
            for (row, a) in c.entries where row.index >= 0 && row.index < constraintCount { extra[row.index].append((v, a)) }
        }
        for i in 0..<constraintCount {
            let own = (rowStarts[i]..<rowStarts[i + 1]).map { (LPVariable(index: termVariables[$0]), termCoefficients[$0]) }
            copy.addConstraint(own + extra[i], rowBounds[i], name: constraintNames[i])
        }
        return copy
    }
}
