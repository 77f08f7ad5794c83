import Foundation
import GavelLP

/// The iterated computer-assisted bound of Huang & Zhang (HZ20), "Online Primal Dual Meets Online
/// Matching with Stochastic Rewards: Configuration LP to the Rescue" (arXiv 2002.01802), §4.2.6,
/// Eqn. (16) and Figure 2 (published Γ1 ≈ 0.5725971, Γ2 ≈ 0.5727709, Γ3 ≈ 0.5727711).
///
/// **The inequality.** Find a non-decreasing f on [0, ℓmax] (ℓmax = 2) with f(0) = 1 − Γ and
/// f(ℓmax) = 1 − 1/e such that for every 0 ≤ ℓ ≤ ℓmax (Eqn. 16)
///
///     ∫_0^ℓ e^{−θ} f(θ) dθ + e^{−ℓ}(1 − f(ℓ)) + ∫_{g(ℓ)}^ℓ ((1 − f(ℓ)) − ∫_θ^ℓ (1 − f(y)) dy) e^{−θ} dθ ≥ Γ.
///
/// Swapping the order of the double integral (as HZ20 do in the proof of Lemma 27) gives the
/// equivalent form used here, linear in f for a fixed g:
///
///     Φ_g(ℓ) = ∫_0^g e^{−θ} f + e^{−g} ∫_g^ℓ f − e^{−g} f(ℓ) + e^{−g}(2 − ℓ + g) − e^{−ℓ} ≥ Γ.
///
/// **The iteration.** f⁰ ≡ 1/2; g^k is the best response to f^{k−1}: 1 − f(ℓ) = ∫_{g(ℓ)}^ℓ (1 − f(y)) dy,
/// g(ℓ) = 0 when ∫_0^ℓ (1 − f) < 1 − f(ℓ) (for f⁰ this is g¹(ℓ) = max{0, ℓ − 1}); (f^k, Γ_k) maximise Γ
/// subject to Eqn. (16) for g^k: one LP per iteration.
///
/// **The discretisation** (HZ20 do not state theirs). Uniform grid x_i = i·h, h = ℓmax/K. f is
/// piecewise linear with node values f_0..f_K (LP variables), non-decreasing (f_i ≤ f_{i+1}),
/// f_0 + Γ = 1, f_K = 1 − 1/e. Constraint (16) is imposed at the nodes ℓ = x_1..x_K (at x_0 it reads
/// 1 − f_0 ≥ Γ, which holds with equality). Every integral is exact for piecewise-linear f (closed
/// forms of ∫ e^{−θ}·(linear) and ∫ (linear) over whole and partial cells), carried by prefix-sum
/// variables so each row has at most 9 nonzeros. g^k(x_i) solves the best-response equation exactly
/// for the piecewise-linear f^{k−1}: H(x) = ∫_0^x (1 − f) is piecewise quadratic and H(g) = H(x_i) − (1 − f(x_i))
/// is inverted in its cell by the stable root t = 2r / (a + √(a² + 2 d r / h)).
///
/// **Accuracy** (docs/matching.md, "HZ20 Theorem 2"). Γ_k(K) converges at order h² (successive differences fall
/// by ≈ 4 per halving of h): Γ_1(K) ≈ Γ_1(∞) − 0.083/K² (ℓmax = 2), and the Richardson limits
/// (K = 400, 800) are Γ1 ≈ 0.5733616, Γ2 ≈ 0.5735402, Γ3 ≈ 0.5735405. This default scheme is consistent, not
/// conservative (for that, see `slopeCap` in `init`): a node
/// value is not by construction a lower bound between nodes. Checked off the grid (tests), the
/// optimal f^1 meets Eqn. (16) between nodes to ~1e-10, so these values are above HZ20's printed ones
/// (by ≈ 7.6e-4): HZ20's values come from a coarser discretisation built to be a true lower bound.
/// LP feasibility tolerance: GLPK's default (1e-7 primal); Γ is read from the solution and also
/// recomputed from the returned f with the exact node formulas (`verifiedGammas`).
public struct HZ20IteratedBound: Sendable {
    /// Number of grid cells K.
    public let cells: Int
    /// ℓmax (HZ20: 2).
    public let maxLoad: Double
    /// Grid step h = ℓmax / K.
    public var step: Double { maxLoad / Double(cells) }
    /// Γ_1..Γ_k, the LP optima.
    public private(set) var gammas: [Double] = []
    /// min over nodes of Φ_{g^k}(x_i) (and 1 − f_0), recomputed from the LP's f^k with the exact
    /// formulas after clipping f to be non-decreasing; differs from `gammas` by the LP tolerance.
    public private(set) var verifiedGammas: [Double] = []
    /// f^1..f^k at the nodes x_0..x_K.
    public private(set) var fs: [[Double]] = []
    /// g^1..g^k at the nodes x_0..x_K.
    public private(set) var gs: [[Double]] = []
    /// The backend and method of the last LP.
    public private(set) var solver: ResolvedLPSolver?

    /// Γ_k of the last iteration.
    public var gamma: Double { gammas.last ?? .nan }

    /// How g is chosen in each iteration.
    public enum Response: Sendable, Equatable {
        /// HZ20's iteration: g^k = best response to f^{k−1}, f⁰ ≡ 1/2.
        case bestResponse
        /// g ≡ 0: Eqn. (16) without the max (HZ20's "weaker bound", Eqn. 14; with ℓmax = 1 its
        /// optimum is Γ = (1 + e^{−2})/2, attained by the f of Eqn. 15).
        case zero
    }

    /// Runs `iterations` rounds of the iteration on a grid of `cells` cells.
    ///
    /// `slopeCap` S ≠ nil selects the conservative variant: f_{i+1} − f_i ≤ S·h, f_0 ≥ 0.4 (Γ ≤ 0.6), and each
    /// node row tightened to Φ_g(x_i) ≥ Γ + M·h²/8, M = max over the adjacent cells of
    /// max(0, −e^{−x_{m+1}} + S + max((1/e + S)²·e, (0.6 + S)²/0.6)). On a cell with slope s ≤ S the max
    /// version Φ ≥ Φ_g has Φ'' ≤ −e^{−ℓ} + s + (1 − f + s)²/(1 − f) (Φ' = e^{−ℓ} − (1 − f + s)e^{−g*},
    /// g*' = (1 − f(ℓ) + s)/(1 − f(g*)), 1/e ≤ 1 − f ≤ 0.6), so Φ ≥ chord − M h²/8 ≥ Γ between the nodes:
    /// the node constraints then imply Eqn. (13) everywhere (up to floating point and LP tolerance).
    public init(cells: Int = 200, maxLoad: Double = 2, iterations: Int = 3, response: Response = .bestResponse,
                slopeCap: Double? = nil, lp choice: LPSolverChoice = .automatic) throws {
        precondition(cells >= 2 && maxLoad > 0 && iterations >= 1)
        self.cells = cells
        self.maxLoad = maxLoad
        var f = Array(repeating: 0.5, count: cells + 1)
        for _ in 0..<iterations {
            let g: [Double]
            switch response {
            case .bestResponse: g = Self.bestResponse(to: f, step: maxLoad / Double(cells))
            case .zero: g = Array(repeating: 0, count: cells + 1)
            }
            let (value, fk, resolved) = try Self.solve(g: g, cells: cells, maxLoad: maxLoad, slopeCap: slopeCap, choice: choice)
            f = fk
            gammas.append(value)
            gs.append(g)
            fs.append(fk)
            verifiedGammas.append(Self.nodeMinimum(f: fk, g: g, step: maxLoad / Double(cells)))
            solver = resolved
        }
    }

    // MARK: - Exact integrals of a piecewise-linear f

    /// ∫_0^t e^{−s} ds and ∫_0^t s e^{−s} ds.
    static func e0(_ t: Double) -> Double { -expm1(-t) }
    static func e1(_ t: Double) -> Double { -expm1(-t) - t * exp(-t) }

    /// The cell j of x (clamped to 0..K−1) and the offset t = x − x_j.
    static func cell(_ x: Double, step h: Double, cells: Int) -> (j: Int, t: Double) {
        let j = min(max(Int((x / h).rounded(.down)), 0), cells - 1)
        return (j, max(0, x - Double(j) * h))
    }

    /// Weights (on f_j, f_{j+1}) of ∫_{x_j}^{x_j+t} f and of ∫_{x_j}^{x_j+t} e^{−θ} f.
    static func partialWeights(j: Int, t: Double, step h: Double) -> (one: (Double, Double), exp: (Double, Double)) {
        let ea = exp(-Double(j) * h), a = e0(t), b = e1(t)
        return ((t - t * t / (2 * h), t * t / (2 * h)), (ea * (a - b / h), ea * b / h))
    }

    /// g(x_i) for i = 0..K: the best response to the piecewise-linear f (node values `f`).
    public static func bestResponse(to f: [Double], step h: Double) -> [Double] {
        let n = f.count - 1
        var H = Array(repeating: 0.0, count: n + 1)   // H(x_i) = ∫_0^{x_i} (1 − f)
        for m in 0..<n { H[m + 1] = H[m] + h * ((1 - f[m]) + (1 - f[m + 1])) / 2 }
        return (0...n).map { i in
            let target = H[i] - (1 - f[i])
            if target <= 0 { return 0 }
            var j = 0
            while j < n - 1 && H[j + 1] <= target { j += 1 }
            let r = target - H[j], a = 1 - f[j], d = (1 - f[j + 1]) - a
            let t = 2 * r / (a + (max(0, a * a + 2 * d * r / h)).squareRoot())
            return Double(j) * h + t
        }
    }

    /// Terms of Φ_g(x_i) − (constant) as (node, coefficient) pairs, and the constant
    /// e^{−g}(2 − x_i + g) − e^{−x_i}; `prefixE(m)`/`prefixOne(m)` name ∫_0^{x_m} e^{−θ} f and ∫_0^{x_m} f.
    static func row(i: Int, g: Double, step h: Double, cells: Int)
        -> (prefixE: Int, prefixOneAt: (plus: Int, minus: Int), nodes: [(Int, Double)], eg: Double, constant: Double) {
        let ell = Double(i) * h, eg = exp(-g)
        let (j, t) = cell(g, step: h, cells: cells)
        let w = partialWeights(j: j, t: t, step: h)
        let nodes: [(Int, Double)] = [(j, w.exp.0 - eg * w.one.0), (j + 1, w.exp.1 - eg * w.one.1), (i, -eg)]
        return (j, (i, j), nodes, eg, eg * (2 - ell + g) - exp(-ell))
    }

    /// Φ_g(x_i) for node values f, exactly (the left side of Eqn. 16 at a node).
    public static func phi(f: [Double], g: Double, node i: Int, step h: Double) -> Double {
        let n = f.count - 1
        var pe = [0.0], p1 = [0.0]
        let we = partialWeights(j: 0, t: h, step: h).exp
        for m in 0..<n {
            let s = exp(-Double(m) * h)
            pe.append(pe[m] + s * (we.0 * f[m] + we.1 * f[m + 1]))
            p1.append(p1[m] + h * (f[m] + f[m + 1]) / 2)
        }
        let r = row(i: i, g: g, step: h, cells: n)
        var v = pe[r.prefixE] + r.eg * (p1[r.prefixOneAt.plus] - p1[r.prefixOneAt.minus]) + r.constant
        for (m, c) in r.nodes { v += c * f[m] }
        return v
    }

    /// min(1 − f_0, min_i Φ_g(x_i)) after making f non-decreasing (running maximum).
    static func nodeMinimum(f raw: [Double], g: [Double], step h: Double) -> Double {
        var f = raw
        for m in 1..<f.count { f[m] = max(f[m], f[m - 1]) }
        var v = 1 - f[0]
        for i in 1..<f.count { v = min(v, phi(f: f, g: g[i], node: i, step: h)) }
        return v
    }

    /// One LP: maximise Γ subject to Eqn. (16) at the nodes for the given g(x_i).
    static func solve(g: [Double], cells n: Int, maxLoad: Double, slopeCap: Double? = nil, choice: LPSolverChoice) throws
        -> (Double, [Double], ResolvedLPSolver) {
        let h = maxLoad / Double(n)
        var lp = LinearProgram(direction: .maximize)
        let gamma = lp.addVariable(lower: -.infinity, upper: .infinity, objective: 1)
        let f = (0...n).map { _ in lp.addVariable(lower: 0, upper: 1) }
        let pe = (0...n).map { _ in lp.addVariable(lower: -.infinity, upper: .infinity) }   // ∫_0^{x_m} e^{−θ} f
        let p1 = (0...n).map { _ in lp.addVariable(lower: -.infinity, upper: .infinity) }   // ∫_0^{x_m} f
        lp.addConstraint([(pe[0], 1)], .equal(0))
        lp.addConstraint([(p1[0], 1)], .equal(0))
        let we = partialWeights(j: 0, t: h, step: h).exp
        for m in 0..<n {
            let s = exp(-Double(m) * h)
            lp.addConstraint([(pe[m + 1], 1), (pe[m], -1), (f[m], -s * we.0), (f[m + 1], -s * we.1)], .equal(0))
            lp.addConstraint([(p1[m + 1], 1), (p1[m], -1), (f[m], -h / 2), (f[m + 1], -h / 2)], .equal(0))
            lp.addConstraint([(f[m], 1), (f[m + 1], -1)], .lessOrEqual(0))
        }
        lp.addConstraint([(f[0], 1), (gamma, 1)], .equal(1))
        lp.addConstraint([(f[n], 1)], .equal(1 - exp(-1)))
        var margin = Array(repeating: 0.0, count: n + 1)
        if let S = slopeCap {
            let hm = 0.6, q = max((exp(-1) + S) * (exp(-1) + S) * exp(1), (hm + S) * (hm + S) / hm)
            let M = (0..<n).map { max(0, -exp(-Double($0 + 1) * h) + S + q) }
            for i in 1...n { margin[i] = max(M[i - 1], i < n ? M[i] : 0) * h * h / 8 }
            for m in 0..<n { lp.addConstraint([(f[m + 1], 1), (f[m], -1)], .lessOrEqual(S * h)) }
            lp.addConstraint([(f[0], 1)], .greaterOrEqual(1 - hm))
        }
        for i in 1...n {
            let r = row(i: i, g: g[i], step: h, cells: n)
            var terms: [(LPVariable, Double)] = [(pe[r.prefixE], 1), (p1[r.prefixOneAt.plus], r.eg),
                                                 (p1[r.prefixOneAt.minus], -r.eg), (gamma, -1)]
            for (m, c) in r.nodes { terms.append((f[m], c)) }
            lp.addConstraint(terms, .greaterOrEqual(-r.constant + margin[i]))
        }
        let what = "HZ20 iterated bound LP (K = \(n))"
        let (s, resolved) = try MatchingBenchmarks.solve(lp, what: what, choice: choice)
        return (s.objectiveValue!, f.map { s.value(of: $0) }, resolved)
    }
}
