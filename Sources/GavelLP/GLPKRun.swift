import CGLPK
import CGLPKShim

/// One solve's decision logic: which GLPK routine to call and how to read its
/// return code and statuses.
struct GLPKRun {
    let problem: GLPKProblem
    let options: GLPKSolver.Options
    let deadline: ContinuousClock.Instant?

    private var messageLevel: Int32 {
        switch options.messageLevel {
        case .off: return GLP_MSG_OFF
        case .errorsOnly: return GLP_MSG_ERR
        case .normal: return GLP_MSG_ON
        case .all: return GLP_MSG_ALL
        }
    }

    /// Milliseconds left for GLPK's `tm_lim` (`Int32.max` means effectively none).
    private func remainingMilliseconds() -> Int32 {
        guard let deadline else { return Int32.max }
        let left = ContinuousClock.now.duration(to: deadline)
        let ms = Double(left.components.seconds) * 1000 + Double(left.components.attoseconds) / 1e15
        return Int32(min(max(ms, 1), Double(Int32.max)))
    }

    // MARK: LP

    func solveLP() throws -> LPSolution {
        if options.method == .interiorPoint, problem.rowCount > 0, problem.columnCount > 0 {
            return try solveInterior()
        }
        let status = try simplex(method: simplexMethod, presolve: options.presolve, standardBasis: false)
        return try basicSolution(status ?? classify())
    }

    private var simplexMethod: Int32 {
        options.method == .primalSimplex ? GLP_PRIMAL : GLP_DUALP
    }

    /// Runs glp_simplex and maps the outcome; nil means "no dual feasible
    /// solution, primal status unknown" (infeasible or unbounded; see ``classify()``).
    private func simplex(method: Int32, presolve: Bool, standardBasis: Bool) throws -> LPStatus? {
        var parm = glp_smcp()
        glp_init_smcp(&parm)
        parm.msg_lev = messageLevel
        parm.meth = method
        if method == GLP_DUALP { parm.r_test = GLP_RT_FLIP }
        parm.presolve = presolve ? GLP_ON : GLP_OFF
        parm.tm_lim = remainingMilliseconds()
        let code = try problem.simplex(parm, standardBasis: standardBasis)
        switch code {
        case 0:
            let (status, _, dual) = try problem.basicStatus()
            switch status {
            case GLP_OPT: return .optimal
            case GLP_UNBND: return .unbounded      // primal feasible, dual infeasible
            case GLP_NOFEAS: return .infeasible    // primal proven infeasible
            case GLP_FEAS: return .feasible
            default:
                if dual == GLP_NOFEAS { return nil }
                return .undefined(reason: "glp_simplex finished with basic solution status \(Self.statusName(status))")
            }
        case GLP_ENOPFS:
            return .infeasible // presolver: no primal feasible solution
        case GLP_ENODFS:
            return nil         // presolver: no dual feasible solution
        case GLP_ETMLIM, GLP_EITLIM:
            let (_, primal, _) = try problem.basicStatus()
            return primal == GLP_FEAS ? .feasible : .undefined(reason: "\(Self.codeName(code)) before a feasible point was found")
        default:
            return .undefined(reason: "glp_simplex returned \(Self.codeName(code))")
        }
    }

    /// Decides infeasible vs unbounded with primal simplex from the all-slack
    /// basis (phase 1 settles feasibility, phase 2 finds the unbounded ray).
    private func classify() throws -> LPStatus {
        try simplex(method: GLP_PRIMAL, presolve: false, standardBasis: true)
            ?? .undefined(reason: "GLPK could not decide between infeasible and unbounded")
    }

    private func basicSolution(_ status: LPStatus) throws -> LPSolution {
        guard status.hasValues else { return .withoutValues(status, kind: .simplex) }
        return try problem.solution(status, kind: .simplex, withDuals: status == .optimal)
    }

    private func solveInterior() throws -> LPSolution {
        var parm = glp_iptcp()
        glp_init_iptcp(&parm)
        parm.msg_lev = messageLevel
        let code = try problem.interior(parm)
        switch code {
        case 0:
            let status = try problem.interiorStatus()
            switch status {
            case GLP_OPT:
                return try problem.solution(.optimal, kind: .interiorPoint, withDuals: true)
            case GLP_NOFEAS:
                return try basicSolution(classify())
            default:
                return .withoutValues(.undefined(reason: "glp_interior finished with status \(Self.statusName(status))"),
                                      kind: .interiorPoint)
            }
        case GLP_ENOFEAS:
            // "No primal/dual feasible solution": infeasible or unbounded, let simplex tell.
            return try basicSolution(classify())
        default:
            return .withoutValues(.undefined(reason: "glp_interior returned \(Self.codeName(code))"), kind: .interiorPoint)
        }
    }

    // MARK: MIP

    func solveMIP() throws -> LPSolution {
        if options.presolve {
            let code = try intopt(presolve: true)
            switch code {
            case GLP_ENOPFS:
                return .withoutValues(.infeasible, kind: .mixedInteger)
            case GLP_ENODFS:
                return .withoutValues(try unboundedRelaxationStatus(), kind: .mixedInteger)
            default:
                return try mipSolution(code)
            }
        }
        // Without the MIP presolver, glp_intopt needs an optimal basis of the relaxation.
        let relaxation = try simplex(method: simplexMethod, presolve: false, standardBasis: false) ?? classify()
        switch relaxation {
        case .optimal:
            return try mipSolution(try intopt(presolve: false))
        case .infeasible:
            return .withoutValues(.infeasible, kind: .mixedInteger)
        case .unbounded:
            return .withoutValues(try unboundedRelaxationStatus(), kind: .mixedInteger)
        case .feasible, .undefined:
            let reason = relaxation == .feasible ? "LP relaxation was not solved to optimality" : "LP relaxation: \(relaxation)"
            return .withoutValues(.undefined(reason: reason), kind: .mixedInteger)
        }
    }

    private func intopt(presolve: Bool) throws -> Int32 {
        var parm = glp_iocp()
        glp_init_iocp(&parm)
        parm.msg_lev = messageLevel
        parm.presolve = presolve ? GLP_ON : GLP_OFF
        parm.tm_lim = remainingMilliseconds()
        parm.mip_gap = options.mipRelativeGap
        return try problem.intopt(parm)
    }

    private func mipSolution(_ code: Int32) throws -> LPSolution {
        switch code {
        case 0, GLP_EMIPGAP, GLP_ETMLIM, GLP_ESTOP:
            let status = try problem.mipStatus()
            switch status {
            case GLP_OPT where code == 0:
                return try problem.solution(.optimal, kind: .mixedInteger, withDuals: false)
            case GLP_OPT, GLP_FEAS:
                return try problem.solution(.feasible, kind: .mixedInteger, withDuals: false)
            case GLP_NOFEAS:
                return .withoutValues(.infeasible, kind: .mixedInteger)
            default:
                let reason = code == 0 ? "glp_intopt finished with status \(Self.statusName(status))"
                    : "glp_intopt returned \(Self.codeName(code)) without an integer feasible point"
                return .withoutValues(.undefined(reason: reason), kind: .mixedInteger)
            }
        default:
            return .withoutValues(.undefined(reason: "glp_intopt returned \(Self.codeName(code))"), kind: .mixedInteger)
        }
    }

    /// The relaxation has no dual feasible solution, so the MIP is infeasible or
    /// unbounded. With rational data a feasible MIP with an unbounded relaxation
    /// is itself unbounded (Meyer), so it suffices to test integer feasibility:
    /// drop the objective and solve again.
    private func unboundedRelaxationStatus() throws -> LPStatus {
        try problem.zeroObjective()
        guard let relaxation = try simplex(method: GLP_PRIMAL, presolve: false, standardBasis: true) else {
            return .undefined(reason: "GLPK could not decide between infeasible and unbounded")
        }
        switch relaxation {
        case .optimal:
            let code = try intopt(presolve: false)
            guard code == 0 || code == GLP_EMIPGAP || code == GLP_ETMLIM || code == GLP_ESTOP else {
                return .undefined(reason: "glp_intopt returned \(Self.codeName(code)) while testing integer feasibility")
            }
            switch try problem.mipStatus() {
            case GLP_OPT, GLP_FEAS: return .unbounded
            case GLP_NOFEAS: return .infeasible
            default: return .undefined(reason: "integer feasibility undecided (\(Self.codeName(code)))")
            }
        case .infeasible:
            return .infeasible
        default:
            return .undefined(reason: "feasibility check of the relaxation ended \(relaxation)")
        }
    }

    // MARK: Names for reasons

    static func codeName(_ code: Int32) -> String {
        switch code {
        case GLP_EBADB: return "GLP_EBADB (invalid basis)"
        case GLP_ESING: return "GLP_ESING (singular matrix)"
        case GLP_ECOND: return "GLP_ECOND (ill-conditioned matrix)"
        case GLP_EBOUND: return "GLP_EBOUND (invalid bounds)"
        case GLP_EFAIL: return "GLP_EFAIL (solver failed)"
        case GLP_EOBJLL: return "GLP_EOBJLL (objective lower limit reached)"
        case GLP_EOBJUL: return "GLP_EOBJUL (objective upper limit reached)"
        case GLP_EITLIM: return "GLP_EITLIM (iteration limit exceeded)"
        case GLP_ETMLIM: return "GLP_ETMLIM (time limit exceeded)"
        case GLP_ENOPFS: return "GLP_ENOPFS (no primal feasible solution)"
        case GLP_ENODFS: return "GLP_ENODFS (no dual feasible solution)"
        case GLP_EROOT: return "GLP_EROOT (root LP optimum not provided)"
        case GLP_ESTOP: return "GLP_ESTOP (search terminated)"
        case GLP_EMIPGAP: return "GLP_EMIPGAP (relative MIP gap reached)"
        case GLP_ENOFEAS: return "GLP_ENOFEAS (no primal/dual feasible solution)"
        case GLP_ENOCVG: return "GLP_ENOCVG (no convergence)"
        case GLP_EINSTAB: return "GLP_EINSTAB (numerical instability)"
        default: return "code \(code)"
        }
    }

    static func statusName(_ status: Int32) -> String {
        switch status {
        case GLP_UNDEF: return "GLP_UNDEF"
        case GLP_FEAS: return "GLP_FEAS"
        case GLP_INFEAS: return "GLP_INFEAS"
        case GLP_NOFEAS: return "GLP_NOFEAS"
        case GLP_OPT: return "GLP_OPT"
        case GLP_UNBND: return "GLP_UNBND"
        default: return "status \(status)"
        }
    }
}
