@testable import GavelInfoAcq
import GavelLP
import Testing

/// Single-agent sanity values of spec infoacq.md A.3 [C]: uniform prior, u = 1[d = θ], cost 0.1.
/// LP tolerance 1e-6. The exact values are worked out in docs/infoacq.md ("Sanity values").
@Suite("Single-agent sanity values (spec A.3)")
struct SanityTests {
    typealias F = InfoAcqFamilies
    static func agent(_ accuracy: Double) -> [F.AgentSpec] {
        [F.AgentSpec("a1", [F.ActionSpec("shirk", cost: 0, 0.5), F.ActionSpec("work", cost: 0.1, accuracy)])]
    }
    static func oneSided(cap: Double) throws -> InfoAcqInstance {
        try F.oneSided(agents: [F.AgentSpec("a1", [F.ActionSpec("shirk", cost: 0, 0), F.ActionSpec("work", cost: 0.1, 0.5)])], cap: cap)
    }

    @Test("perfect signal: 0.8 = 1 − 2c; noisy flip 0.2: 8/15 = 0.8 − 4/15; one-sided: forced 0.45, optimum 0.5", arguments: [0.4, 1.0, 10.0])
    func values(cap: Double) throws {
        let perfect = try F.independentNoisy(agents: Self.agent(1), cap: cap)
        let noisy = try F.independentNoisy(agents: Self.agent(0.8), cap: cap)
        let oneSided = try Self.oneSided(cap: cap)
        let vp = try #require(try InfoAcqLP.solve(perfect).value)
        let vn = try #require(try InfoAcqLP.solve(noisy).value)
        let vo = try #require(try InfoAcqLP.solve(oneSided).value)
        let forced = try #require(try InfoAcqLP.solve(oneSided, options: .init(fixedRecommendation: [0, 1])).value)
        #expect(abs(vp - 0.8) <= 1e-6)
        #expect(abs(vn - 8.0 / 15.0) <= 1e-6)
        #expect(abs(vo - 0.5) <= 1e-6)
        #expect(abs(forced - 0.45) <= 1e-6)
    }
}

/// Which cap reproduces the spec's numbers: the smallest scoring rule that makes work IC pays
/// P on a correct report, P = c/(P(correct | work) − P(correct | shirk)): perfect 0.1/0.5 = 0.2,
/// noisy 0.1/0.3 = 1/3; one-sided needs P0 = P1 = 2c/p = 0.4. Below its threshold an
/// instance cannot hire and falls to the no-information value 0.5.
@Suite("Sanity values and the payment cap")
struct SanityCapTests {
    typealias F = InfoAcqFamilies

    @Test("each value holds from its threshold cap up and is lost just below it",
          arguments: [("perfect", 0.2, 0.8), ("noisy", 1.0 / 3.0, 8.0 / 15.0), ("one_sided_forced", 0.4, 0.45)])
    func threshold(name: String, cap: Double, value: Double) throws {
        func solve(_ B: Double) throws -> Double? {
            switch name {
            case "perfect": return try InfoAcqLP.solve(try F.independentNoisy(agents: SanityTests.agent(1), cap: B)).value
            case "noisy": return try InfoAcqLP.solve(try F.independentNoisy(agents: SanityTests.agent(0.8), cap: B)).value
            default: return try InfoAcqLP.solve(try SanityTests.oneSided(cap: B), options: .init(fixedRecommendation: [0, 1])).value
            }
        }
        #expect(abs(try #require(try solve(cap)) - value) <= 1e-6)
        // Just below: the optimum falls back to not hiring (0.5), and forcing work is infeasible.
        let below = try solve(cap - 0.01)
        if name == "one_sided_forced" { #expect(below == nil) } else { #expect(abs(try #require(below) - 0.5) <= 1e-6) }
    }

    @Test("the LP value equals the recovered mechanism's exact expected utility; the mechanism is IC")
    func recovered() throws {
        let x = try F.independentNoisy(agents: SanityTests.agent(0.8), cap: 1)
        let r = try InfoAcqLP.solve(x)
        let m = try #require(r.mechanism)
        #expect(abs(InfoAcqEvaluation.utilities(x, m).principal - (r.value ?? .nan)) <= 1e-9)
        #expect(InfoAcqCertificate.check(x, m).maxGain <= 1e-9)
        #expect(m.recommendation == [0, 1])
    }
}
