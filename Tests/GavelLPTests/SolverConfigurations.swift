import GavelLP
import Testing

/// A GLPK configuration to run a test under, with the accuracy it can promise.
struct SolverConfiguration: Sendable, CustomTestStringConvertible {
    let method: GLPKSolver.Options.Method
    let presolve: Bool

    var solver: GLPKSolver { GLPKSolver(method: method, presolve: presolve) }

    /// Simplex vertices are exact up to rounding; interior point stops at ~1e-8.
    var tolerance: Double { method == .interiorPoint ? 1e-6 : 1e-9 }

    var testDescription: String { "\(method), presolve \(presolve ? "on" : "off")" }

    static let simplex: [SolverConfiguration] = [
        .init(method: .primalSimplex, presolve: false),
        .init(method: .primalSimplex, presolve: true),
        .init(method: .dualSimplex, presolve: false),
        .init(method: .dualSimplex, presolve: true),
    ]

    /// Every distinct configuration (GLPK's interior point has no presolver).
    static let all: [SolverConfiguration] = simplex + [.init(method: .interiorPoint, presolve: false)]
}

func isClose(_ a: Double, _ b: Double, _ tolerance: Double) -> Bool {
    abs(a - b) <= tolerance * max(1, abs(b))
}
