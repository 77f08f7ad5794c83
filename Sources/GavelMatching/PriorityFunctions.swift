import Foundation

/// Closed forms and quadratures behind the published ratios (spec B.2, B.4).
public enum MatchingAnalytic {
    /// MP12 Thm 1: Stochastic Balance vs StdLP with equal p, η(p) = ½(1 + (1−p)^{2/p}).
    public static func eta(_ p: Double) -> Double { 0.5 * (1 + pow(1 - p, 2 / p)) }
    /// MP12 Thm 3: Ranking vs StdLP with equal p, κ(p) = (1 − 1/e) − (1 − 2/e)(1 − p)^{1/p}.
    public static func kappa(_ p: Double) -> Double { (1 - 1 / M_E) - (1 - 2 / M_E) * pow(1 - p, 1 / p) }
    /// MP12 Thm 4: the G_3 upper bound for any online algorithm, 1 − 11/(18e) − 5/(6e²) − 5/(6e³).
    public static let mp12G3Bound = 1 - 11 / (18 * M_E) - 5 / (6 * M_E * M_E) - 5 / (6 * pow(M_E, 3))
    /// MP12 §5: on G_2, Stochastic Balance's expected size tends to 2(1 − 3/(4e) − 3/(4e²)) against OPT = 2,
    /// so its ratio tends to 1 − 3/(4e) − 3/(4e²) = 0.6225890… (the division is ours, spec B.7).
    public static let mp12G2Limit = 1 - 3 / (4 * M_E) - 3 / (4 * M_E * M_E)
    /// The exact expected size of MP12's Stochastic Balance on G_k (`InstanceFamily.mp12G(k:m:)`, p = 1/m), with
    /// MP12's round-robin assignment: each arrival goes to the first unsuccessful neighbour after the last vertex
    /// tried (cyclic in index order). Every try succeeds with p whatever the history, so the state is just
    /// (unsuccessful set, last vertex tried): a forward pass over the k·m arrivals with 2^k·(k + 1) states, summing
    /// p·P(state) for every try. O(k²·m·2^k) time; k ≤ 16. On G_k this rule and least-load SB with lowest-index ties
    /// have had the same exact value at every size compared (tests), so this extends exact values to m = 10^4.
    public static func mp12GRoundRobinValue(k: Int, m: Int) -> Double {
        precondition(k >= 1 && k <= 16 && m >= 1, "mp12GRoundRobinValue needs 1 ≤ k ≤ 16 and m ≥ 1")
        let p = 1 / Double(m), states = 1 << k, lasts = k + 1   // last = k means "none yet"
        var dist = Array(repeating: 0.0, count: states * lasts)
        dist[(states - 1) * lasts + k] = 1
        var next = dist
        var expected = 0.0
        for i in 0..<k {
            for _ in 0..<m {
                for j in next.indices { next[j] = 0 }
                for mask in 0..<states {
                    for last in 0..<lasts {
                        let pr = dist[mask * lasts + last]
                        guard pr > 0 else { continue }
                        // First unsuccessful vertex in i..<k after `last`, else the first one (cyclic).
                        var u = -1
                        if last < k { for v in max(i, last + 1)..<k where mask >> v & 1 == 1 { u = v; break } }
                        if u < 0 { for v in i..<k where mask >> v & 1 == 1 { u = v; break } }
                        if u < 0 { next[mask * lasts + last] += pr; continue }
                        expected += pr * p
                        next[(mask & ~(1 << u)) * lasts + u] += pr * p
                        next[mask * lasts + u] += pr * (1 - p)
                    }
                }
                swap(&dist, &next)
            }
        }
        return expected
    }

    /// MP12 §6: no non-adaptive algorithm beats S_n/n on the hard distribution (`InstanceFamily.mp12Hard`)
    /// as p → 0, S_n = Σ_{i=1}^{n} (1 − exp(−Σ_{j=0}^{i−1} 1/(n − j))): the i-th vertex of the random order
    /// collects load 1/(n − j) from each earlier group j when every group spreads evenly. 0.585170 at
    /// n = 2 (MP12), 1 − 1/e at n = 1, tends to 1/2. Inner sums accumulated in j order.
    public static func mp12HardBound(n: Int) -> Double {
        precondition(n >= 1, "mp12HardBound needs n ≥ 1")
        var load = 0.0, total = 0.0
        for i in 1...n {
            load += 1 / Double(n - (i - 1))
            total += 1 - exp(-load)
        }
        return total / Double(n)
    }

    /// Stochastic Balance / StdLP on MP12's z-graph in the fluid limit (n, m → ∞), for 0 < α ≤ 1 [DER, ours]:
    /// (α + (1 − 1/e)·e^{−α}) / (1 + α). At V1 batch t·n the unsuccessful U2 vertices share load L(t)
    /// and fraction ρ(t); SB loads U1^i up to min(θ, L) (θ ~ Exp(1) its threshold) and pours the rest of
    /// the batch's unit mass, e^{−L}, evenly into U2: L' = e^{−L}/ρ, ρ' = −e^{−L} (the spec's ODE), solved
    /// by ρ = e^{−L}, L = t. So U1 gains ∫_0^α (1 − e^{−t}) dt and U2 ends with 1 − e^{−α}·e^{−1}
    /// (each survivor then gets its own unit batch). Minimum 0.588252 at α = 0.428668 (`zGraphFluidMinimum`).
    public static func zGraphFluidRatio(_ alpha: Double) -> Double {
        precondition(alpha > 0 && alpha <= 1, "the z-graph fluid formula needs 0 < alpha ≤ 1")
        return (alpha + (1 - 1 / M_E) * exp(-alpha)) / (1 + alpha)
    }

    /// The same fluid ratio by integrating the spec's ODE (ρ' = −e^{−L}, L' = e^{−L}/ρ, ρ(0) = 1, L(0) = 0)
    /// with classical Runge–Kutta on `steps` steps, U1's gain ∫(1 − e^{−L}) dt carried as a third
    /// component. It does not use ρ = e^{−L}: the tests compare it with the closed form.
    public static func zGraphFluidRatioODE(_ alpha: Double, steps: Int = 10_000) -> Double {
        precondition(alpha > 0 && alpha <= 1 && steps >= 1, "the z-graph ODE needs 0 < alpha ≤ 1 and steps ≥ 1")
        func f(_ y: (Double, Double, Double)) -> (Double, Double, Double) {
            let out = exp(-y.1)
            return (-out, out / y.0, 1 - out)
        }
        var y = (1.0, 0.0, 0.0)   // (ρ, L, U1 gain per n)
        let h = alpha / Double(steps)
        for _ in 0..<steps {
            let k1 = f(y)
            let k2 = f((y.0 + h / 2 * k1.0, y.1 + h / 2 * k1.1, y.2 + h / 2 * k1.2))
            let k3 = f((y.0 + h / 2 * k2.0, y.1 + h / 2 * k2.1, y.2 + h / 2 * k2.2))
            let k4 = f((y.0 + h * k3.0, y.1 + h * k3.1, y.2 + h * k3.2))
            y.0 += h / 6 * (k1.0 + 2 * k2.0 + 2 * k3.0 + k4.0)
            y.1 += h / 6 * (k1.1 + 2 * k2.1 + 2 * k3.1 + k4.1)
            y.2 += h / 6 * (k1.2 + 2 * k2.2 + 2 * k3.2 + k4.2)
        }
        return (y.2 + 1 - y.0 / M_E) / (1 + alpha)
    }

    /// The α minimising `zGraphFluidRatio` (root of (1 − 1/e)·e^{−α}·(2 + α) = 1, by bisection on
    /// [0.1, 1] to 1e-12) and the minimum ratio.
    public static var zGraphFluidMinimum: (alpha: Double, ratio: Double) {
        var lo = 0.1, hi = 1.0
        while hi - lo > 1e-12 {
            let mid = (lo + hi) / 2
            if (1 - 1 / M_E) * exp(-mid) * (2 + mid) > 1 { lo = mid } else { hi = mid }
        }
        return (lo, zGraphFluidRatio(lo))
    }

    /// e^z·E1(z) for z ≥ 1 by the continued fraction of E1 (modified Lentz,
    /// Numerical Recipes `expint`), relative error < 1e-15.
    public static func scaledE1(_ z: Double) -> Double {
        precondition(z >= 1, "scaledE1 needs z ≥ 1")
        var b = z + 1, c = 1 / 1e-300, d = 1 / b, h = d
        for i in 1...10_000 {
            let an = -Double(i * i)
            b += 2
            d = 1 / (an * d + b)
            c = b + an / c
            let del = c * d
            h *= del
            if abs(del - 1) < 1e-16 { break }
        }
        return h
    }

    /// Goyal–Udwani's g(x) = e^{x+1}·E1(x+1) (GU Alg. 2, Thm 2); g(0) ≈ 0.596347.
    public static func goyalUdwaniG(_ x: Double) -> Double { scaledE1(x + 1) }

    /// Huang–Zhang's f on [0, ∞) (HZ20 eq. (5)) as a table with linear interpolation:
    /// f(x) = (1/h(x))(1 − 1/e + ∫_x^1 (1 − e^{−y}) g(y) h(y) dy) on [0, 1], f = 1 − 1/e beyond,
    /// g(x) = 1/(2 − x − e^{−x}), h(x) = exp(∫_x^1 g). Integrals by the trapezoid rule on
    /// `cells` cells (error O(cells⁻²); 10^5 cells give Γ to ~1e-11).
    public struct HuangZhangF: Sendable {
        public let values: [Double]   // f at x_i = i / cells
        public init(cells: Int = 100_000) {
            let n = cells
            let dx = 1 / Double(n)
            func g(_ x: Double) -> Double { 1 / (2 - x - exp(-x)) }
            var G = Array(repeating: 0.0, count: n + 1)         // ∫_x^1 g
            for i in stride(from: n - 1, through: 0, by: -1) {
                G[i] = G[i + 1] + 0.5 * dx * (g(Double(i) * dx) + g(Double(i + 1) * dx))
            }
            func integrand(_ i: Int) -> Double { let y = Double(i) * dx; return (1 - exp(-y)) * g(y) * exp(G[i]) }
            var f = Array(repeating: 0.0, count: n + 1)
            var I = 0.0
            f[n] = 1 - 1 / M_E
            for i in stride(from: n - 1, through: 0, by: -1) {
                I += 0.5 * dx * (integrand(i) + integrand(i + 1))
                f[i] = (1 - 1 / M_E + I) / exp(G[i])
            }
            values = f
        }
        public func callAsFunction(_ x: Double) -> Double {
            if x >= 1 { return 1 - 1 / M_E }
            let pos = max(0, x) * Double(values.count - 1)
            let i = Int(pos)
            return values[i] + (values[i + 1] - values[i]) * (pos - Double(i))
        }
        /// Γ = 1 − f(0) ≈ 0.57610 (HZ20 Thm 1).
        public var gamma: Double { 1 - values[0] }
    }

    /// ψ(ℓ) of the 0.611 rule read from the dsgsjk LP (n = 1500, m = 20), spec B.2 table;
    /// linear interpolation between the points, 0 beyond ℓ = 20.
    public static let psiTable: [(Double, Double)] = [
        (0, 0.6115), (0.1, 0.5720), (0.25, 0.5228), (0.5, 0.4495), (0.75, 0.3914), (1, 0.3397), (1.5, 0.2610),
        (2, 0.2019), (2.5, 0.1580), (3, 0.1258), (4, 0.0812), (5, 0.0539), (6, 0.0366), (8, 0.0179),
        (10, 0.0092), (15, 0.0020), (20, 0),
    ]

    public static func psi(_ load: Double) -> Double {
        if load <= 0 { return psiTable[0].1 }
        if load >= 20 { return 0 }
        var k = 1
        while psiTable[k].0 < load { k += 1 }
        let (x0, y0) = psiTable[k - 1], (x1, y1) = psiTable[k]
        return y0 + (y1 - y0) * (load - x0) / (x1 - x0)
    }
}
