/// Mean and variance of a stream, by Welford's update; mergeable by Chan, Golub
/// and LeVeque's pairwise formula, so shards can be summarised separately.
///
/// Floating-point addition is not associative: merging the same values in a
/// different grouping can change the last bits. Result files therefore fold
/// runs in plan order; `merge` is for live progress and streaming summaries.
public struct RunningStatistics: Sendable, Equatable {
    /// Observations added.
    public private(set) var count: Int = 0
    /// Mean of the observations; 0 when there are none.
    public private(set) var mean: Double = 0
    /// Sum of squared deviations from the mean.
    public private(set) var m2: Double = 0

    /// Statistics of no observations.
    public init() {}
    /// Statistics of `values`, added in order.
    public init<S: Sequence>(_ values: S) where S.Element == Double {
        for v in values { add(v) }
    }

    /// Adds one observation (Welford's update).
    public mutating func add(_ x: Double) {
        count += 1
        let delta = x - mean
        mean += delta / Double(count)
        m2 += delta * (x - mean)
    }

    /// Folds in another summary (Chan, Golub and LeVeque's pairwise formula); the last bits may depend on grouping.
    public mutating func merge(_ other: RunningStatistics) {
        if other.count == 0 { return }
        if count == 0 { self = other; return }
        let n = Double(count + other.count)
        let delta = other.mean - mean
        mean += delta * Double(other.count) / n
        m2 += other.m2 + delta * delta * Double(count) * Double(other.count) / n
        count += other.count
    }

    /// Sample variance (n − 1 denominator); NaN below two observations.
    public var variance: Double { count > 1 ? m2 / Double(count - 1) : .nan }
    /// Sample standard deviation; NaN below two observations.
    public var standardDeviation: Double { variance.squareRoot() }
    /// Standard error of the mean, s/√n; NaN below two observations.
    public var standardError: Double { (variance / Double(count)).squareRoot() }

    /// Half-width of the two-sided 95% confidence interval for the mean, from
    /// Student's t with n − 1 degrees of freedom; NaN below two observations.
    public var confidenceHalfWidth95: Double {
        count > 1 ? StudentT.quantile975(degreesOfFreedom: count - 1) * standardError : .nan
    }
}

/// The 0.975 quantile of Student's t distribution.
public enum StudentT {
    /// t_{0.975, ν} for ν = 1…30 (standard tables, 6 significant digits).
    static let table: [Double] = [
        12.7062, 4.30265, 3.18245, 2.77645, 2.57058, 2.44691, 2.36462, 2.30600, 2.26216, 2.22814,
        2.20099, 2.17881, 2.16037, 2.14479, 2.13145, 2.11991, 2.10982, 2.10092, 2.09302, 2.08596,
        2.07961, 2.07387, 2.06866, 2.06390, 2.05954, 2.05553, 2.05183, 2.04841, 2.04523, 2.04227,
    ]

    /// Exact to the table's 6 digits for ν ≤ 30; beyond, the Cornish–Fisher
    /// expansion in 1/ν around z = 1.959964 (error below 1e-5 for ν > 30).
    public static func quantile975(degreesOfFreedom nu: Int) -> Double {
        precondition(nu >= 1)
        if nu <= table.count { return table[nu - 1] }
        let z = 1.959963984540054
        let v = Double(nu)
        let z3 = z * z * z, z5 = z3 * z * z, z7 = z5 * z * z
        return z + (z3 + z) / (4 * v) + (5 * z5 + 16 * z3 + 3 * z) / (96 * v * v)
            + (3 * z7 + 19 * z5 + 17 * z3 - 15 * z) / (384 * v * v * v)
    }
}
