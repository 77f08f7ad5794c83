import Foundation
import Testing
import GavelCore

/// Statistical checks use fixed seeds, so they are deterministic; each bound is
/// one a correct sampler meets with probability ≥ 1 − 1e-4 (4σ) or 1 − 1e-6
/// (chi-square), so a failure means a wrong sampler, not bad luck.
@Suite("Distributions")
struct DistributionTests {
    static let n = 100_000

    // MARK: Moments

    @Test("Uniform: mean, variance and support")
    func uniform() throws {
        let d = try UniformDistribution(lower: 2, upper: 5)
        var rng = Xoshiro256StarStar(seed: 11)
        let xs = (0..<Self.n).map { _ in d.sample(using: &rng) }
        #expect(xs.allSatisfy { (2.0..<5.0).contains($0) })
        expectMoments(xs, mean: 3.5, variance: 0.75, kurtosis: 1.8)
    }

    @Test("Exponential: mean, variance and support")
    func exponential() throws {
        let d = try ExponentialDistribution(rate: 2)
        var rng = Xoshiro256StarStar(seed: 12)
        let xs = (0..<Self.n).map { _ in d.sample(using: &rng) }
        #expect(xs.allSatisfy { $0 >= 0 && $0.isFinite })
        expectMoments(xs, mean: 0.5, variance: 0.25, kurtosis: 9)
    }

    @Test("Normal: mean, variance, and the share within one sd")
    func normal() throws {
        let d = try NormalDistribution(mean: -1, standardDeviation: 3)
        var rng = Xoshiro256StarStar(seed: 13)
        let xs = (0..<Self.n).map { _ in d.sample(using: &rng) }
        expectMoments(xs, mean: -1, variance: 9, kurtosis: 3)
        // P(|Z| < 1) = 0.682689…; the count is binomial.
        let p = 0.6826894921370859
        let inside = Double(xs.filter { abs($0 + 1) < 3 }.count)
        #expect(abs(inside - Double(Self.n) * p) <= 4 * (Double(Self.n) * p * (1 - p)).squareRoot())
    }

    @Test("Normal with standardDeviation 0 always returns the mean")
    func degenerateNormal() throws {
        let d = try NormalDistribution(mean: 4.25, standardDeviation: 0)
        var rng = Xoshiro256StarStar(seed: 14)
        #expect((0..<100).allSatisfy { _ in d.sample(using: &rng) == 4.25 })
    }

    @Test("Bernoulli: frequency, and p = 0 / p = 1 are certain")
    func bernoulli() throws {
        var rng = Xoshiro256StarStar(seed: 15)
        let d = try BernoulliDistribution(probability: 0.3)
        let hits = Double((0..<Self.n).filter { _ in d.sample(using: &rng) }.count)
        #expect(abs(hits - 0.3 * Double(Self.n)) <= 4 * (Double(Self.n) * 0.3 * 0.7).squareRoot())
        let never = try BernoulliDistribution(probability: 0), always = try BernoulliDistribution(probability: 1)
        #expect((0..<1000).allSatisfy { _ in !never.sample(using: &rng) && always.sample(using: &rng) })
    }

    // MARK: Categorical

    @Test("Categorical: per-category 4σ, chi-square, zero weights never drawn")
    func categoricalFrequencies() throws {
        let weights = [1, 0, 3, 6, 0.5]
        let d = try CategoricalDistribution(weights: weights)
        var rng = Xoshiro256StarStar(seed: 16)
        var counts = [Int](repeating: 0, count: weights.count)
        let n = 1_000_000
        for _ in 0..<n { counts[d.sample(using: &rng)] += 1 }
        #expect(counts[1] == 0)
        let total = weights.reduce(0, +)
        for (i, w) in weights.enumerated() {
            let p = w / total
            #expect(abs(d.probabilities[i] - p) < 1e-15)
            let sd = (Double(n) * p * (1 - p)).squareRoot()
            #expect(abs(Double(counts[i]) - Double(n) * p) <= 4 * sd, "category \(i)")
        }
        let positive = weights.indices.filter { weights[$0] > 0 }
        expectChiSquare(observed: positive.map { counts[$0] },
                        expected: positive.map { Double(n) * weights[$0] / total })
    }

    @Test("Categorical over 1000 uneven weights passes chi-square")
    func categoricalMany() throws {
        var weightSource = Xoshiro256StarStar(seed: 17)
        let weights = (0..<1000).map { i in i % 10 == 0 ? 0 : -log(1 - weightSource.nextUnitDouble()) }
        let d = try CategoricalDistribution(weights: weights)
        var rng = Xoshiro256StarStar(seed: 18)
        var counts = [Int](repeating: 0, count: weights.count)
        let n = 500_000
        for _ in 0..<n { counts[d.sample(using: &rng)] += 1 }
        #expect(stride(from: 0, to: 1000, by: 10).allSatisfy { counts[$0] == 0 })
        let total = weights.reduce(0, +)
        // Pool categories into bins of expected count ≥ 5, then chi-square.
        var observed: [Int] = [], expected: [Double] = []
        var o = 0, e = 0.0
        for i in weights.indices where weights[i] > 0 {
            o += counts[i]; e += Double(n) * weights[i] / total
            if e >= 5 { observed.append(o); expected.append(e); o = 0; e = 0 }
        }
        observed[observed.count - 1] += o; expected[expected.count - 1] += e
        expectChiSquare(observed: observed, expected: expected)
    }

    @Test("Categorical draw order: first draw picks the column, second the coin")
    func categoricalDrawOrder() throws {
        // weights [1, 3] → columns: 0 keeps itself with probability 0.5 else aliases 1; 1 is full.
        let d = try CategoricalDistribution(weights: [1, 3])
        var script = ScriptedStream([0.2, 0.4, 0.2, 0.6, 0.7, 0.999])
        #expect(d.sample(using: &script) == 0)
        #expect(d.sample(using: &script) == 1)
        #expect(d.sample(using: &script) == 1)
        #expect(script.position == 6)
        let single = try CategoricalDistribution(weights: [2.5])
        var rng = Xoshiro256StarStar(seed: 19)
        #expect((0..<100).allSatisfy { _ in single.sample(using: &rng) == 0 })
    }

    @Test("Draws per sample are as documented")
    func drawCounts() throws {
        var counter = CountingStream(base: Xoshiro256StarStar(seed: 20))
        _ = try UniformDistribution(lower: 0, upper: 1).sample(using: &counter)
        #expect(counter.draws == 1)
        _ = try ExponentialDistribution(rate: 1).sample(using: &counter)
        #expect(counter.draws == 2)
        _ = try BernoulliDistribution(probability: 0.5).sample(using: &counter)
        #expect(counter.draws == 3)
        _ = try CategoricalDistribution(weights: [1, 2, 3]).sample(using: &counter)
        #expect(counter.draws == 5)
        _ = try PoissonDistribution(mean: 0).sample(using: &counter)
        #expect(counter.draws == 5)
        _ = try NormalDistribution(mean: 0, standardDeviation: 1).sample(using: &counter)
        #expect(counter.draws >= 7 && counter.draws % 2 == 1)
    }

    // MARK: Poisson

    @Test("Poisson: mean, variance and chi-square against the pmf",
          arguments: [0.5, 3, 9.5, 10, 50, 1000])
    func poisson(mean: Double) throws {
        let d = try PoissonDistribution(mean: mean)
        var rng = Xoshiro256StarStar(seed: 21 &+ UInt64(mean * 10))
        let n = 200_000
        let ks = (0..<n).map { _ in d.sample(using: &rng) }
        #expect(ks.allSatisfy { $0 >= 0 })
        expectMoments(ks.map(Double.init), mean: mean, variance: mean, kurtosis: 3 + 1 / mean)

        // pmf by the recurrence log p(k) = log p(k−1) + log λ − log k, independent of the sampler.
        let kMax = Int(mean + 12 * mean.squareRoot() + 30)
        var pmf = [exp(-mean)], logP = -mean
        for k in 1...kMax { logP += log(mean) - log(Double(k)); pmf.append(exp(logP)) }
        let dense = pmf.indices.filter { Double(n) * pmf[$0] >= 5 }
        let low = dense.first!, high = dense.last!
        var counts = [Int](repeating: 0, count: high - low + 1)
        for k in ks { counts[min(max(k, low), high) - low] += 1 }
        var expected = (low...high).map { Double(n) * pmf[$0] }
        expected[0] = Double(n) * pmf[0...low].reduce(0, +)
        expected[expected.count - 1] = Double(n) - expected.dropLast().reduce(0, +)
        expectChiSquare(observed: counts, expected: expected)
    }

    @Test("Poisson with mean 0 returns 0 without drawing")
    func poissonZero() throws {
        let d = try PoissonDistribution(mean: 0)
        var rng = Xoshiro256StarStar(seed: 22)
        var untouched = rng
        #expect((0..<100).allSatisfy { _ in d.sample(using: &rng) == 0 })
        #expect(rng.next() == untouched.next())
    }

    // MARK: Agreement with CPython

    @Test("Sampled from PythonRandom, the distributions equal CPython's functions bit for bit",
          arguments: try RandomFixtures.python().distributions)
    func matchesCPython(_ fixture: RandomFixtures.DistributionCase) throws {
        var rng = PythonRandom(seed: Int(fixture.seed)!)
        let args = fixture.args.map { Double($0)! }
        let sampler: (inout PythonRandom) -> Double
        switch fixture.op {
        case "expovariate":
            let d = try ExponentialDistribution(rate: args[0])
            sampler = { d.sample(using: &$0) }
        case "normalvariate":
            let d = try NormalDistribution(mean: args[0], standardDeviation: args[1])
            sampler = { d.sample(using: &$0) }
        case "uniform":
            let d = try UniformDistribution(lower: args[0], upper: args[1])
            sampler = { d.sample(using: &$0) }
        default:
            Issue.record("unknown fixture op \(fixture.op)")
            return
        }
        let got = fixture.out.indices.map { _ in sampler(&rng) }
        #expect(bitPatterns(got) == bitPatterns(fixture.out))
    }

    // MARK: Validation

    @Test("Invalid parameters throw an InputError naming the parameter")
    func validation() {
        let huge = Double.greatestFiniteMagnitude
        expectRejected("lower") { _ = try UniformDistribution(lower: .nan, upper: 1) }
        expectRejected("upper") { _ = try UniformDistribution(lower: 0, upper: .infinity) }
        expectRejected("upper") { _ = try UniformDistribution(lower: 1, upper: 0) }
        expectRejected("upper − lower") { _ = try UniformDistribution(lower: -huge, upper: huge) }
        for rate in [0, -1, .infinity, .nan] {
            expectRejected("rate") { _ = try ExponentialDistribution(rate: rate) }
        }
        expectRejected("mean") { _ = try NormalDistribution(mean: .infinity, standardDeviation: 1) }
        for sd in [-1, .infinity, .nan] {
            expectRejected("standardDeviation") { _ = try NormalDistribution(mean: 0, standardDeviation: sd) }
        }
        for p in [-0.1, 1.1, .nan] {
            expectRejected("probability") { _ = try BernoulliDistribution(probability: p) }
        }
        expectRejected("weights") { _ = try CategoricalDistribution(weights: []) }
        expectRejected("weights[1]") { _ = try CategoricalDistribution(weights: [1, -1]) }
        expectRejected("weights[2]") { _ = try CategoricalDistribution(weights: [1, 2, .nan]) }
        expectRejected("weights[0]") { _ = try CategoricalDistribution(weights: [.infinity]) }
        expectRejected("sum of weights") { _ = try CategoricalDistribution(weights: [0, 0]) }
        expectRejected("sum of weights") { _ = try CategoricalDistribution(weights: [huge, huge]) }
        for mean in [-1, .infinity, .nan, 1e17] {
            expectRejected("mean") { _ = try PoissonDistribution(mean: mean) }
        }
    }

    @Test("Boundary parameters are accepted")
    func boundaries() throws {
        _ = try UniformDistribution(lower: 3, upper: 3)
        _ = try BernoulliDistribution(probability: 0)
        _ = try BernoulliDistribution(probability: 1)
        _ = try NormalDistribution(mean: 0, standardDeviation: 0)
        _ = try PoissonDistribution(mean: 0)
        _ = try PoissonDistribution(mean: PoissonDistribution.maximumMean)
        _ = try CategoricalDistribution(weights: [0, 1])
        #expect(throws: Never.self) { try ExponentialDistribution(rate: .leastNonzeroMagnitude) }
    }

    @Test("Error messages name the parameter and the expectation")
    func errorMessage() {
        #expect(throws: InputError.distributionParameter("NormalDistribution", "standardDeviation",
                                                         expected: "finite and ≥ 0", got: "-2.0")) {
            try NormalDistribution(mean: 0, standardDeviation: -2)
        }
        let error = InputError.distributionParameter("ExponentialDistribution", "rate", expected: "finite and > 0", got: "0.0")
        #expect(error.description == "field 'ExponentialDistribution.rate': must be finite and > 0, got 0.0")
    }
}

// MARK: - Helpers

/// Sample mean within 4σ/√n of the true mean; sample variance within 4 standard
/// errors of the true variance, Var(s²) = σ⁴(κ/n − (n−3)/(n(n−1))) for kurtosis κ.
private func expectMoments(_ xs: [Double], mean: Double, variance: Double, kurtosis: Double,
                           sourceLocation: Testing.SourceLocation = #_sourceLocation) {
    let n = Double(xs.count)
    let sampleMean = xs.reduce(0, +) / n
    let sampleVariance = xs.reduce(0) { $0 + ($1 - sampleMean) * ($1 - sampleMean) } / (n - 1)
    #expect(abs(sampleMean - mean) <= 4 * (variance / n).squareRoot(),
            "mean \(sampleMean) vs \(mean)", sourceLocation: sourceLocation)
    let varianceSE = variance * (kurtosis / n - (n - 3) / (n * (n - 1))).squareRoot()
    #expect(abs(sampleVariance - variance) <= 4 * varianceSE,
            "variance \(sampleVariance) vs \(variance)", sourceLocation: sourceLocation)
}

/// Pearson's statistic below the upper 1e-6 quantile of χ²(bins − 1), by the
/// Wilson–Hilferty approximation (z = 4.753 for a 1e-6 upper tail).
private func expectChiSquare(observed: [Int], expected: [Double],
                             sourceLocation: Testing.SourceLocation = #_sourceLocation) {
    let statistic = zip(observed, expected).reduce(0) { $0 + (Double($1.0) - $1.1) * (Double($1.0) - $1.1) / $1.1 }
    let df = Double(observed.count - 1)
    let h = 2 / (9 * df)
    let critical = df * pow(1 - h + 4.753_424 * h.squareRoot(), 3)
    #expect(statistic <= critical, "χ² = \(statistic), df = \(df), critical \(critical)",
            sourceLocation: sourceLocation)
}

private func expectRejected(_ parameter: String, _ body: () throws -> Void,
                            sourceLocation: Testing.SourceLocation = #_sourceLocation) {
    do {
        try body()
        Issue.record("expected \(parameter) to be rejected", sourceLocation: sourceLocation)
    } catch let error as InputError {
        #expect(error.field.hasSuffix("Distribution.\(parameter)") || error.field.hasSuffix("Exponential.\(parameter)"),
                "\(error)", sourceLocation: sourceLocation)
        #expect(error.message.hasPrefix("must be "), sourceLocation: sourceLocation)
    } catch {
        Issue.record("expected an InputError, got \(error)", sourceLocation: sourceLocation)
    }
}

/// Returns fixed unit doubles in order, to pin down a sampler's draw order.
private struct ScriptedStream: RandomStream {
    let values: [Double]
    var position = 0
    init(_ values: [Double]) { self.values = values }
    mutating func nextUnitDouble() -> Double {
        defer { position += 1 }
        return values[position]
    }
    mutating func next() -> UInt64 { UInt64(nextUnitDouble() * 0x1p53) << 11 }
}

/// Counts `nextUnitDouble()` calls made on a wrapped stream.
private struct CountingStream<Base: RandomStream>: RandomStream {
    var base: Base
    var draws = 0
    mutating func nextUnitDouble() -> Double { draws += 1; return base.nextUnitDouble() }
    mutating func next() -> UInt64 { base.next() }
}
