import Foundation
import GavelLP

/// The iterated factor-revealing LP behind Γ = 0.611 (spec B.6; dsgsjk/stochastic-balance
/// balance.py), in the sparse form of B.6.2 with the parameter update of B.6.3.
///
/// Grid: m = load cap, n cells, δ = m/n, x_i = iδ, E_i = e^{−x_i} − e^{−x_{i+1}}.
/// Each round maximises Γ over (Γ, g_0..g_n) with rows M_i (g nondecreasing),
/// T (g_n = 1), C_l (Γ ≤ R_l(g; h_l, k_l)) and C_n (Γ ≤ Σ E_i g_i). Round 1 uses
/// h ≡ 0, k ≡ −1; later rounds recompute (h_l, k_l) from the previous g. Stops
/// when Γ gains less than 1e-5 (Γ_0 = 0).
public struct BalanceFactorLP: Sendable {
    public let cells: Int
    public let cap: Double
    public private(set) var gammaByRound: [Double] = []
    /// g_0..g_n of the last round (clipped to [0, 1], nondecreasing).
    public private(set) var g: [Double] = []

    public var gamma: Double { gammaByRound.last ?? .nan }

    /// ψ(ℓ) = 1 − g_i on cell i = ⌊ℓ/δ⌋ (left-endpoint step function), 0 for ℓ ≥ m.
    public func psi(_ load: Double) -> Double {
        if load >= cap { return 0 }
        return 1 - g[min(cells - 1, Int(load / (cap / Double(cells))))]
    }

    /// The backend and method of the last round's LP.
    public private(set) var solver: ResolvedLPSolver?

    public init(cells n: Int = 1500, cap m: Double = 20, maxRounds: Int = 10, lp choice: LPSolverChoice = .automatic) throws {
        cells = n
        cap = m
        let delta = m / Double(n)
        let x = (0...n).map { Double($0) * delta }
        let E = (0..<n).map { exp(-x[$0]) - exp(-x[$0 + 1]) }
        var h = Array(repeating: 0.0, count: n), k = Array(repeating: -1, count: n)
        var previous = 0.0
        for _ in 0..<maxRounds {
            var lp = LinearProgram(direction: .maximize)
            let gamma = lp.addVariable(lower: 0, upper: .infinity, objective: 1)
            let gv = (0...n).map { _ in lp.addVariable(lower: 0, upper: .infinity) }
            let A = (0...n).map { _ in lp.addVariable(lower: -.infinity, upper: .infinity) }
            let B = (0...n).map { _ in lp.addVariable(lower: -.infinity, upper: .infinity) }
            for i in 0..<n { lp.addConstraint([(gv[i], 1), (gv[i + 1], -1)], .lessOrEqual(0)) }
            lp.addConstraint([(gv[n], 1)], .equal(1))
            lp.addConstraint([(A[0], 1)], .equal(0))
            lp.addConstraint([(B[0], 1)], .equal(0))
            for j in 0..<n {
                lp.addConstraint([(A[j + 1], 1), (A[j], -1), (gv[j], -E[j])], .equal(0))
                lp.addConstraint([(B[j + 1], 1), (B[j], -1), (gv[j], -1)], .equal(0))
            }
            for l in 0..<n {
                let kl = k[l], hl = h[l], xl = x[l]
                if kl == -1 {
                    lp.addConstraint([(gamma, 1), (B[l], -delta), (gv[l], 1)], .lessOrEqual(2 - exp(-xl) - delta * Double(l)))
                } else if kl == l {
                    let q = E[l] - delta * exp(-xl) + (1 + xl) * exp(-xl)
                    lp.addConstraint([(gamma, 1), (A[l], -1), (gv[l], q)], .lessOrEqual(q))
                } else {
                    let eh = exp(-hl)
                    let ck = exp(-x[kl]) - eh + eh * (x[kl + 1] - hl)
                    lp.addConstraint([(gamma, 1), (A[kl], -1), (gv[kl], -ck), (B[l], -delta * eh), (B[kl + 1], delta * eh), (gv[l], (1 + hl) * eh)],
                                     .lessOrEqual(eh * (2 + 2 * hl - xl) - exp(-xl)))
                }
            }
            lp.addConstraint([(gamma, 1), (A[n], -1)], .lessOrEqual(0))
            let (s, resolved) = try MatchingBenchmarks.solve(lp, what: "balance factor LP (n = \(n))", choice: choice)
            try s.requireDualCertificate(lp, what: "balance factor LP (n = \(n))")
            solver = resolved
            let value = s.objectiveValue!
            gammaByRound.append(value)
            // Solver hygiene (B.6.3): clip to [0, 1], running maximum, snap values within 1e-9 of 1.
            var gg = gv.map { min(1, max(0, s.value(of: $0))) }
            for i in 1...n { gg[i] = max(gg[i], gg[i - 1]) }
            for i in 0...n where gg[i] >= 1 - 1e-9 { gg[i] = 1 }
            g = gg
            if value - previous < 1e-5 { break }
            previous = value
            // S(a, b) = δ Σ_{j=a}^{b−1} (1 − g_j) from prefix sums.
            var prefix = Array(repeating: 0.0, count: n + 1)
            for j in 0..<n { prefix[j + 1] = prefix[j] + delta * (1 - gg[j]) }
            func S(_ a: Int, _ b: Int) -> Double { prefix[b] - prefix[a] }
            for l in 0..<n {
                if gg[l] == 1 { h[l] = x[l]; k[l] = l; continue }
                if l == 0 { h[0] = 0; k[0] = -1; continue }
                var j = l - 1
                while j > 0 && x[j] * (1 - gg[l]) > S(j, l) { j -= 1 }   // largest j; j = 0 always qualifies
                k[l] = j
                h[l] = ((1 - gg[j]) * x[j + 1] + S(j + 1, l)) / ((1 - gg[j]) + (1 - gg[l]))
            }
        }
    }
}
