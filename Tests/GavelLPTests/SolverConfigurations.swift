import GavelLP
import Testing

/// A backend configuration to run a test under, with the accuracy it can promise.
/// LP tests take ``all`` (GLPK and Clp); MIP tests take ``glpk`` (Clp has no branch and bound).
struct SolverConfiguration: Sendable, CustomTestStringConvertible {
    enum Backend: Sendable {
        case glpk(GLPKSolver.Options.Method)
        case clp(ClpSolver.Options.Method)
    }
    let backend: Backend
    let presolve: Bool

    var solver: any LPSolver {
        switch backend {
        case .glpk(let method): return GLPKSolver(method: method, presolve: presolve)
        case .clp(let method): return ClpSolver(method: method, presolve: presolve)
        }
    }

    /// Simplex vertices (and Clp's barrier after crossover) are exact up to rounding;
    /// GLPK's interior point stops at ~1e-8.
    var tolerance: Double {
        if case .glpk(.interiorPoint) = backend { return 1e-6 }
        return 1e-9
    }

    var testDescription: String {
        switch backend {
        case .glpk(let method): return "GLPK \(method), presolve \(presolve ? "on" : "off")"
        case .clp(let method): return "Clp \(method.rawValue), presolve \(presolve ? "on" : "off")"
        }
    }

    static let simplex: [SolverConfiguration] = [
        .init(backend: .glpk(.primalSimplex), presolve: false),
        .init(backend: .glpk(.primalSimplex), presolve: true),
        .init(backend: .glpk(.dualSimplex), presolve: false),
        .init(backend: .glpk(.dualSimplex), presolve: true),
        .init(backend: .clp(.dualSimplex), presolve: false),
        .init(backend: .clp(.dualSimplex), presolve: true),
        .init(backend: .clp(.primalSimplex), presolve: false),
        .init(backend: .clp(.primalSimplex), presolve: true),
    ]

    /// Every distinct GLPK configuration (its interior point has no presolver).
    static let glpk: [SolverConfiguration] = simplex.filter { if case .glpk = $0.backend { true } else { false } }
        + [.init(backend: .glpk(.interiorPoint), presolve: false)]

    /// Every configuration of both backends.
    static let all: [SolverConfiguration] = glpk + simplex.filter { if case .clp = $0.backend { true } else { false } } + [
        .init(backend: .clp(.barrier), presolve: false),
        .init(backend: .clp(.barrier), presolve: true),
    ]
}

func isClose(_ a: Double, _ b: Double, _ tolerance: Double) -> Bool {
    abs(a - b) <= tolerance * max(1, abs(b))
}
