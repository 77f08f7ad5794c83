import Foundation
import GavelCore

/// A bidder's value distribution F_i for the revenue-optimal mechanism (spec A.5 [DER]: Myerson 1981
/// applied to this allocation space; the paper's own regularity/ironing assumptions were not readable).
public indirect enum ValueDistribution: Sendable, Equatable {
    /// Uniform on [lower, upper] (regular: φ(v) = 2v − upper).
    case uniform(lower: Double, upper: Double)
    /// Exponential with the given rate on [0, ∞) (regular: φ(v) = v − 1/rate).
    case exponential(rate: Double)
    /// exp(N(mu, sigma²)).
    case lognormal(mu: Double, sigma: Double)
    /// A finite mixture (weights normalised); two separated uniforms give an irregular F.
    case mixture([Component])

    /// One part of a mixture.
    public struct Component: Sendable, Equatable {
        /// Its weight (normalised over the mixture).
        public let weight: Double
        /// The part's distribution.
        public let distribution: ValueDistribution
        /// A part of weight `weight`.
        public init(weight: Double, distribution: ValueDistribution) { self.weight = weight; self.distribution = distribution }
    }

    /// Names accepted in instance files and scenarios.
    public static let names = ["uniform", "exponential", "lognormal", "mixture"]

    /// Checks the parameters; `field` names the place in the file for the error.
    public func validated(field: String) throws -> ValueDistribution {
        switch self {
        case .uniform(let a, let b):
            guard a.isFinite, b.isFinite, a >= 0, a < b else { throw InputError("uniform: expected [lower, upper] with 0 ≤ lower < upper, found [\(a), \(b)]", field: field) }
        case .exponential(let r):
            guard r.isFinite, r > 0 else { throw InputError("exponential: expected a rate > 0, found \(r)", field: field) }
        case .lognormal(let mu, let s):
            guard mu.isFinite, s.isFinite, s > 0 else { throw InputError("lognormal: expected [mu, sigma] with sigma > 0, found [\(mu), \(s)]", field: field) }
        case .mixture(let parts):
            guard !parts.isEmpty else { throw InputError("mixture: expected at least one component", field: field) }
            for (k, p) in parts.enumerated() {
                guard p.weight.isFinite, p.weight > 0 else { throw InputError("expected a weight > 0, found \(p.weight)", field: "\(field).mixture[\(k)].weight") }
                _ = try p.distribution.validated(field: "\(field).mixture[\(k)]")
            }
        }
        return self
    }

    /// [lower, upper] of the support (upper +∞ for exponential and lognormal).
    public var support: (lower: Double, upper: Double) {
        switch self {
        case .uniform(let a, let b): return (a, b)
        case .exponential, .lognormal: return (0, .infinity)
        case .mixture(let parts):
            let s = parts.map(\.distribution.support)
            return (s.map(\.lower).min() ?? 0, s.map(\.upper).max() ?? 0)
        }
    }

    /// F(v).
    public func cdf(_ v: Double) -> Double {
        switch self {
        case .uniform(let a, let b): return v <= a ? 0 : v >= b ? 1 : (v - a) / (b - a)
        case .exponential(let r): return v <= 0 ? 0 : -expm1(-r * v)
        case .lognormal(let mu, let s): return v <= 0 ? 0 : 0.5 * erfc(-(log(v) - mu) / (s * 2.0.squareRoot()))
        case .mixture(let parts):
            let total = parts.reduce(0) { $0 + $1.weight }
            return parts.reduce(0) { $0 + $1.weight * $1.distribution.cdf(v) } / total
        }
    }

    /// The density f(v).
    public func pdf(_ v: Double) -> Double {
        switch self {
        case .uniform(let a, let b): return v < a || v > b ? 0 : 1 / (b - a)
        case .exponential(let r): return v < 0 ? 0 : r * exp(-r * v)
        case .lognormal(let mu, let s):
            guard v > 0 else { return 0 }
            let z = (log(v) - mu) / s
            return exp(-0.5 * z * z) / (v * s * (2 * Double.pi).squareRoot())
        case .mixture(let parts):
            let total = parts.reduce(0) { $0 + $1.weight }
            return parts.reduce(0) { $0 + $1.weight * $1.distribution.pdf(v) } / total
        }
    }

    /// Myerson's virtual value φ(v) = v − (1 − F(v))/f(v) (closed forms where they exist). Below the
    /// support: −∞ (never shown); at and above a finite upper end: v.
    public func virtualValue(_ v: Double) -> Double {
        let (lo, hi) = support
        if v < lo { return -.infinity }
        if v >= hi { return v }
        switch self {
        case .uniform(_, let b): return 2 * v - b
        case .exponential(let r): return v - 1 / r
        default:
            let f = pdf(v)
            return f > 0 ? v - (1 - cdf(v)) / f : -.infinity
        }
    }

    /// F^{-1}(q) by bisection on the cdf (closed forms for uniform and exponential).
    public func quantile(_ q: Double) -> Double {
        switch self {
        case .uniform(let a, let b): return a + q * (b - a)
        case .exponential(let r): return -log1p(-q) / r
        default:
            let (lo, hi0) = support
            var hi = hi0.isFinite ? hi0 : max(1, lo)
            while !hi0.isFinite && cdf(hi) < q && hi < 1e300 { hi *= 2 }
            var a = lo, b = hi
            for _ in 0..<200 {
                let mid = 0.5 * (a + b)
                if mid <= a || mid >= b { break }
                if cdf(mid) < q { a = mid } else { b = mid }
            }
            return b
        }
    }

    /// One draw, from the named stream the caller passes, by GavelCore's samplers (the one home
    /// of each transform); a mixture's component is picked by one uniform draw first.
    /// Parameters were validated (`validated(field:)`), so the samplers' initialisers do not fail.
    public func sample(using stream: inout some RandomStream) -> Double {
        switch self {
        case .uniform(let a, let b):
            guard let uniform = try? UniformDistribution(lower: a, upper: b) else { return .nan }
            return uniform.sample(using: &stream)
        case .exponential(let r):
            guard let exponential = try? ExponentialDistribution(rate: r) else { return .nan }
            return exponential.sample(using: &stream)
        case .lognormal(let mu, let s):
            guard let normal = try? NormalDistribution(mean: mu, standardDeviation: s) else { return .nan }
            return exp(normal.sample(using: &stream))
        case .mixture(let parts):
            let total = parts.reduce(0) { $0 + $1.weight }
            var u = stream.nextUnitDouble() * total
            for p in parts { if u < p.weight { return p.distribution.sample(using: &stream) }; u -= p.weight }
            return parts[parts.count - 1].distribution.sample(using: &stream)
        }
    }

    /// A short name with the parameters, e.g. `uniform[0.0,10.0]`.
    public var label: String {
        switch self {
        case .uniform(let a, let b): return "uniform[\(a),\(b)]"
        case .exponential(let r): return "exponential(\(r))"
        case .lognormal(let mu, let s): return "lognormal(\(mu),\(s))"
        case .mixture(let parts): return "mixture(" + parts.map { "\($0.weight)*\($0.distribution.label)" }.joined(separator: ",") + ")"
        }
    }
}

/// The (ironed) virtual value φ̄ of one distribution: nondecreasing by construction.
///
/// Regular F (φ nondecreasing on a 4,096-point quantile grid): φ̄ = φ, exact. Otherwise Myerson's
/// ironing: H(q) = ∫_0^q φ(F^{-1}(r)) dr, which in closed form is H(q) = lo − F^{-1}(q)(1 − q)
/// [DER: d/dv of −v(1 − F(v)) is v f − (1 − F)]; φ̄ is the slope of H's lower convex hull. The hull is
/// taken on the grid, so ironed intervals end at grid points (within 1/4096 in quantile of the
/// true tangent points); outside them φ̄ = φ exactly, clamped between the neighbouring intervals'
/// constants so that φ̄ stays nondecreasing.
public struct VirtualValueFunction: Sendable {
    /// F.
    public let distribution: ValueDistribution
    /// Ironed intervals [lower, upper] in value space with their constant.
    public let ironed: [(lower: Double, upper: Double, value: Double)]
    /// Grid values v_k = F^{-1}(k/grid) and the running maximum of φ̄ over v_0..v_k: a floor that
    /// keeps φ̄ nondecreasing across gaps in the support (where f = 0 and the formula gives −∞).
    let gridValues: [Double]
    let gridFloor: [Double]

    /// φ̄ of `distribution`, ironed on a grid of `grid` quantiles (default 4096).
    public init(_ distribution: ValueDistribution, grid: Int = 4096) {
        self.distribution = distribution
        (ironed, gridValues) = Self.iron(distribution, grid: grid)
        var floors: [Double] = []
        var running = -Double.infinity
        let base = VirtualValueFunction.base(distribution, ironed)
        for v in gridValues { running = max(running, base(v)); floors.append(running) }
        gridFloor = floors
    }

    static func iron(_ distribution: ValueDistribution, grid: Int) -> ([(lower: Double, upper: Double, value: Double)], [Double]) {
        let (lo, hi) = distribution.support
        let top = hi.isFinite ? hi : distribution.quantile(1 - 1e-9)
        let q = (0...grid).map { Double($0) / Double(grid) }
        let v = q.enumerated().map { k, qk in k == grid ? top : distribution.quantile(qk) }
        let phi = v.dropLast().map { distribution.virtualValue($0) }
        var regular = true
        for k in 1..<phi.count where phi[k] < phi[k - 1] - 1e-12 * max(1, abs(phi[k - 1])) { regular = false; break }
        guard !regular else { return ([], Array(v.dropLast())) }
        let h = zip(q, v).map { qk, vk in lo - vk * (1 - qk) }
        // Lower convex hull (Andrew's monotone chain) over the grid points.
        var hull: [Int] = []
        for k in 0...grid {
            while hull.count >= 2 {
                let a = hull[hull.count - 2], b = hull[hull.count - 1]
                let cross = (q[b] - q[a]) * (h[k] - h[a]) - (h[b] - h[a]) * (q[k] - q[a])
                if cross <= 0 { hull.removeLast() } else { break }
            }
            hull.append(k)
        }
        var intervals: [(Double, Double, Double)] = []
        for (a, b) in zip(hull, hull.dropFirst()) where b - a > 1 {
            intervals.append((v[a], v[b], (h[b] - h[a]) / (q[b] - q[a])))
        }
        return (intervals.map { (lower: $0.0, upper: $0.1, value: $0.2) }, Array(v.dropLast()))
    }

    /// φ with the ironed intervals flattened and clamped between their constants.
    static func base(_ distribution: ValueDistribution, _ ironed: [(lower: Double, upper: Double, value: Double)]) -> (Double) -> Double {
        { v in
            let raw = distribution.virtualValue(v)
            guard !ironed.isEmpty, raw > -.infinity else { return raw }
            var floor = -Double.infinity
            for iv in ironed {
                if v < iv.lower { return min(max(raw, floor), iv.value) }
                if v <= iv.upper { return iv.value }
                floor = iv.value
            }
            return max(raw, floor)
        }
    }

    /// φ̄(v).
    public func callAsFunction(_ v: Double) -> Double {
        let b = Self.base(distribution, ironed)(v)
        // The floor of the last grid point ≤ v (binary search); none below v_0.
        var lo = 0, hi = gridValues.count
        while lo < hi { let mid = (lo + hi) / 2; if gridValues[mid] <= v { lo = mid + 1 } else { hi = mid } }
        return lo == 0 ? b : max(b, gridFloor[lo - 1])
    }

    /// The reserve price φ̄^{-1}(0): the lowest value whose virtual value is ≥ 0.
    public var reserve: Double { inverse(0) }

    /// inf{v : φ̄(v) ≥ t} by bisection on the nondecreasing φ̄ (to adjacent doubles).
    public func inverse(_ t: Double) -> Double {
        let (lo, hi0) = distribution.support
        if self(lo) >= t { return lo }
        var hi = hi0.isFinite ? max(hi0, t) : max(1, lo)
        while self(hi) < t && hi < 1e300 { hi *= 2 }
        var a = lo, b = hi
        while true {
            let mid = 0.5 * (a + b)
            if mid <= a || mid >= b { return b }
            if self(mid) >= t { b = mid } else { a = mid }
        }
    }
}
