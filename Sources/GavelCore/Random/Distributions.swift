import Foundation

/// A probability distribution that draws values from any `RandomStream`.
///
/// Samplers only call `nextUnitDouble()`, so the number and order of draws is
/// part of each type's contract (documented per type); with `PythonRandom` the
/// continuous ones consume exactly the draws of the matching CPython function.
public protocol RandomDistribution: Sendable {
    /// What a draw returns (`Double`, `Int`, `Bool`).
    associatedtype Value
    /// One value, drawn from `stream` in the number and order of draws the type documents.
    func sample(using stream: inout some RandomStream) -> Value
}

extension InputError {
    /// A rejected distribution parameter, as `field 'NormalDistribution.standardDeviation':
    /// must be finite and ≥ 0, got -2.0`.
    public static func distributionParameter(_ distribution: String, _ parameter: String, expected expectation: String,
                                             got value: String) -> InputError {
        InputError("must be \(expectation), got \(value)", field: "\(distribution).\(parameter)")
    }

    static func checkDistribution(_ condition: Bool, _ distribution: String, _ parameter: String,
                                  _ expectation: String, _ value: some CustomStringConvertible) throws(InputError) {
        if !condition { throw distributionParameter(distribution, parameter, expected: expectation, got: value.description) }
    }
}

// MARK: - Continuous

/// Uniform on [lower, upper): `lower + (upper − lower)·u`, one draw (CPython `uniform`).
public struct UniformDistribution: RandomDistribution {
    /// The lower bound, included.
    public let lower: Double
    /// The upper bound, excluded.
    public let upper: Double

    /// - Throws: ``InputError`` unless both bounds and their difference are finite and `lower ≤ upper`.
    public init(lower: Double, upper: Double) throws(InputError) {
        try InputError.checkDistribution(lower.isFinite, "UniformDistribution", "lower", "finite", lower)
        try InputError.checkDistribution(upper.isFinite, "UniformDistribution", "upper", "finite", upper)
        try InputError.checkDistribution(lower <= upper, "UniformDistribution", "upper", "≥ lower (\(lower))", upper)
        try InputError.checkDistribution((upper - lower).isFinite, "UniformDistribution", "upper − lower",
                                    "finite", upper - lower)
        self.lower = lower
        self.upper = upper
    }

    /// One draw.
    @inlinable
    public func sample(using stream: inout some RandomStream) -> Double {
        lower + (upper - lower) * stream.nextUnitDouble()
    }
}

/// Exponential with the given rate: `−log(1 − u)/rate`, one draw (CPython `expovariate`).
public struct ExponentialDistribution: RandomDistribution {
    /// Events per unit time; the mean is 1/rate.
    public let rate: Double

    /// - Throws: ``InputError`` unless `rate` is finite and positive.
    public init(rate: Double) throws(InputError) {
        try InputError.checkDistribution(rate.isFinite && rate > 0, "ExponentialDistribution", "rate",
                                    "finite and > 0", rate)
        self.rate = rate
    }

    /// One draw.
    @inlinable
    public func sample(using stream: inout some RandomStream) -> Double {
        -log(1.0 - stream.nextUnitDouble()) / rate
    }
}

/// Normal via Kinderman–Monahan ratio of uniforms (CPython `normalvariate`):
/// two draws per attempt, about 1.37 attempts on average.
public struct NormalDistribution: RandomDistribution {
    /// μ.
    public let mean: Double
    /// σ, ≥ 0.
    public let standardDeviation: Double

    /// - Throws: ``InputError`` unless `mean` is finite and `standardDeviation` finite and ≥ 0.
    public init(mean: Double, standardDeviation: Double) throws(InputError) {
        try InputError.checkDistribution(mean.isFinite, "NormalDistribution", "mean", "finite", mean)
        try InputError.checkDistribution(standardDeviation.isFinite && standardDeviation >= 0, "NormalDistribution",
                                    "standardDeviation", "finite and ≥ 0", standardDeviation)
        self.mean = mean
        self.standardDeviation = standardDeviation
    }

    /// Two draws per attempt until one is accepted.
    @inlinable
    public func sample(using stream: inout some RandomStream) -> Double {
        mean + kindermanMonahanStandardNormal(&stream) * standardDeviation
    }
}

/// `NV_MAGICCONST` of Lib/random.py, `4·exp(−0.5)/sqrt(2.0)`, as the double CPython computes.
@usableFromInline let normalMagicConstant = 1.7155277699214135

/// The loop of CPython's `normalvariate`: `u1 = random()`, `u2 = 1 − random()`,
/// accept `z = NV_MAGICCONST·(u1 − 0.5)/u2` when `z²/4 ≤ −log(u2)`.
@inlinable
func kindermanMonahanStandardNormal(_ stream: inout some RandomStream) -> Double {
    while true {
        let u1 = stream.nextUnitDouble()
        let u2 = 1.0 - stream.nextUnitDouble()
        let z = normalMagicConstant * (u1 - 0.5) / u2
        if z * z / 4.0 <= -log(u2) { return z }
    }
}

// MARK: - Discrete

/// `true` with probability p: one draw, `u < p`.
public struct BernoulliDistribution: RandomDistribution {
    /// The probability of `true`, in [0, 1].
    public let probability: Double

    /// - Throws: ``InputError`` unless `probability` is in [0, 1].
    public init(probability: Double) throws(InputError) {
        try InputError.checkDistribution((0...1).contains(probability), "BernoulliDistribution", "probability",
                                    "in [0, 1]", probability)
        self.probability = probability
    }

    /// One draw.
    @inlinable
    public func sample(using stream: inout some RandomStream) -> Bool {
        stream.nextUnitDouble() < probability
    }
}

/// Index `i` with probability `weights[i] / sum(weights)`, in O(1) per draw
/// through Vose's alias table (built in O(n)).
///
/// Draw order per sample: first `u₁` picks the column `⌊u₁·n⌋`, then `u₂`
/// keeps the column if `u₂ < threshold[column]`, else returns its alias.
/// Zero-weight categories are never returned.
public struct CategoricalDistribution: RandomDistribution {
    /// The normalised weights.
    public let probabilities: [Double]
    @usableFromInline let threshold: [Double]
    @usableFromInline let alias: [Int]

    /// Builds the alias table from unnormalised `weights`.
    /// - Throws: ``InputError`` unless the weights are non-empty, finite, non-negative and sum to a positive finite total.
    public init(weights: [Double]) throws(InputError) {
        try InputError.checkDistribution(!weights.isEmpty, "CategoricalDistribution", "weights", "non-empty", "[]")
        for (i, w) in weights.enumerated() {
            try InputError.checkDistribution(w.isFinite && w >= 0, "CategoricalDistribution", "weights[\(i)]",
                                        "finite and ≥ 0", w)
        }
        let total = weights.reduce(0, +)
        try InputError.checkDistribution(total.isFinite && total > 0, "CategoricalDistribution", "sum of weights",
                                    "finite and > 0", total)
        probabilities = weights.map { $0 / total }
        (threshold, alias) = Self.aliasTable(probabilities)
    }

    /// Number of categories.
    public var count: Int { alias.count }

    /// Two draws: the column, then the keep-or-alias coin.
    @inlinable
    public func sample(using stream: inout some RandomStream) -> Int {
        let n = alias.count
        let column = min(Int(stream.nextUnitDouble() * Double(n)), n - 1)
        return stream.nextUnitDouble() < threshold[column] ? column : alias[column]
    }

    /// Vose (1991), "A linear algorithm for generating random numbers with a
    /// given distribution": pair each under-full column with an over-full one.
    static func aliasTable(_ probabilities: [Double]) -> ([Double], [Int]) {
        let n = probabilities.count
        var scaled = probabilities.map { $0 * Double(n) }
        var threshold = [Double](repeating: 1, count: n)
        var alias = Array(0..<n)
        var small: [Int] = [], large: [Int] = []
        for (i, p) in scaled.enumerated() {
            if p < 1 { small.append(i) } else { large.append(i) }
        }
        while let s = small.last, let l = large.last {
            small.removeLast(); large.removeLast()
            threshold[s] = scaled[s]
            alias[s] = l
            scaled[l] = (scaled[l] + scaled[s]) - 1
            if scaled[l] < 1 { small.append(l) } else { large.append(l) }
        }
        // What is left is within rounding of 1 (a full column). A zero-weight
        // category can only be left if all mass were gone, which total > 0 rules out.
        for i in small + large where probabilities[i] > 0 { threshold[i] = 1; alias[i] = i }
        return (threshold, alias)
    }
}

/// Poisson with the given mean, sampled exactly (no normal approximation).
///
/// Means below 10 use Knuth's multiplication method (about mean + 1 draws);
/// larger means use Hörmann's PTRS transformed rejection (1993, "The
/// transformed rejection method for generating Poisson random variables"),
/// two draws per attempt with acceptance above 0.9. Mean 0 returns 0 without drawing.
public struct PoissonDistribution: RandomDistribution {
    /// The mean (and variance) of the counts.
    public let mean: Double
    /// Means up to this bound keep every plausible count exact in a `Double`.
    public static let maximumMean = 0x1p52
    @usableFromInline let method: Method

    @usableFromInline
    enum Method: Sendable {
        case zero
        case multiplication(expMinusMean: Double)
        case transformedRejection(PTRS)
    }

    /// The per-mean constants of PTRS (Hörmann 1993, algorithm PTRS).
    @usableFromInline
    struct PTRS: Sendable {
        @usableFromInline let lambda, logLambda, b, a, logInverseAlpha, vr: Double

        init(mean lambda: Double) {
            let slam = lambda.squareRoot()
            self.lambda = lambda
            logLambda = log(lambda)
            b = 0.931 + 2.53 * slam
            a = -0.059 + 0.02483 * b
            logInverseAlpha = log(1.1239 + 1.1328 / (b - 3.4))
            vr = 0.9277 - 3.6224 / (b - 2)
        }
    }

    /// Picks the method for `mean` (none for 0, Knuth below 10, PTRS above).
    /// - Throws: ``InputError`` unless `mean` is finite and in [0, ``maximumMean``].
    public init(mean: Double) throws(InputError) {
        try InputError.checkDistribution(mean.isFinite && mean >= 0 && mean <= Self.maximumMean, "PoissonDistribution",
                                    "mean", "finite and in [0, 2^52]", mean)
        self.mean = mean
        if mean == 0 {
            method = .zero
        } else if mean < 10 {
            method = .multiplication(expMinusMean: exp(-mean))
        } else {
            method = .transformedRejection(PTRS(mean: mean))
        }
    }

    /// One count; the number of draws depends on the method (see the type).
    @inlinable
    public func sample(using stream: inout some RandomStream) -> Int {
        switch method {
        case .zero:
            return 0
        case let .multiplication(limit):
            // Count uniforms on (0, 1] whose running product stays above e^(−mean).
            var count = 0
            var product = 1.0 - stream.nextUnitDouble()
            while product > limit {
                count += 1
                product *= 1.0 - stream.nextUnitDouble()
            }
            return count
        case let .transformedRejection(c):
            while true {
                let u = stream.nextUnitDouble() - 0.5
                let v = stream.nextUnitDouble()
                let us = 0.5 - abs(u)
                let kReal = ((2 * c.a / us + c.b) * u + c.lambda + 0.43).rounded(.down)
                // Negative (or −∞ when us = 0) is outside the support; beyond 2^62 the
                // log test below always rejects, so skipping it keeps the result exact.
                guard kReal >= 0, kReal < 0x1p62 else { continue }
                if us >= 0.07 && v <= c.vr { return Int(kReal) }
                if us < 0.013 && v > us { continue }
                let lhs = log(v) + c.logInverseAlpha - log(c.a / (us * us) + c.b)
                let rhs = -c.lambda + kReal * c.logLambda - logFactorial(Int(kReal))
                if lhs <= rhs { return Int(kReal) }
            }
        }
    }
}

/// log(k!) for k ≥ 0: a table of exactly computed values below 18, Stirling's
/// series for log Γ(k + 1) above (truncation error below 1e-14).
@usableFromInline
func logFactorial(_ k: Int) -> Double {
    if k < smallLogFactorials.count { return smallLogFactorials[k] }
    let x = Double(k + 1)
    let r = 1 / x, r2 = r * r
    let series = r * (1.0 / 12 - r2 * (1.0 / 360 - r2 * (1.0 / 1260 - r2 * (1.0 / 1680))))
    return (x - 0.5) * log(x) - x + 0.918_938_533_204_672_8 + series  // 0.5·log(2π)
}

/// log(k!) for k < 18, where k! is still exact in a Double.
private let smallLogFactorials: [Double] = {
    var values: [Double] = [], factorial = 1.0
    for k in 0..<18 {
        if k > 0 { factorial *= Double(k) }
        values.append(log(factorial))
    }
    return values
}()
