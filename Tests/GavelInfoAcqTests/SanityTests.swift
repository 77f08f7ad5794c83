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
