@testable import GavelInfoAcq
import Foundation
import Testing

@Suite("Online principal: explore-then-commit")
struct OnlineTests {
    static func learner() throws -> InfoAcqOnlineLearner {
        let agents = ["a1", "a2"].map { InfoAcqFamilies.AgentSpec($0, [.init("shirk", cost: 0, 0.5), .init("work", cost: 0.02, 0.9)]) }
        let x = try InfoAcqFamilies.independentNoisy(agents: agents, cap: 1)
        return try InfoAcqOnlineLearner(x, config: .init(exploreScale: 4, marginScale: 0.5, exploreCap: 1))
    }

    /// Reduced range for speed (the committed scenario infoacq-online uses 10^3…10^6):
    /// T = 10^3, 10^3.5, …, 10^5, 6 seeds each.
    @Test("regret grows like T^{2/3}: log-log slope in [0.55, 0.8]")
    func slope() throws {
        let l = try Self.learner()
        let horizons = [1000, 3162, 10000, 31623, 100000]
        let curve = try InfoAcqRegretCurve.measure(l, horizons: horizons, seeds: 6, seed: 17)
        #expect(curve.fit.slope >= 0.55 && curve.fit.slope <= 0.8, "slope \(curve.fit.slope) ± \(curve.fit.halfWidth95)")
        #expect(curve.fit.halfWidth95 < 0.1)
        #expect(curve.fit.count == 30)
        // Regret is sublinear: per-round regret falls.
        #expect(curve.points.last!.regret.mean / 100000 < curve.points.first!.regret.mean / 1000)
    }

    @Test("one run: the committed mechanism is IC under the true q, the relaxed LP is optimistic, regret adds up")
    func oneRun() throws {
        let l = try Self.learner()
        let o = try l.run(horizon: 100_000, seed: 3)
        #expect(o.committedIC)
        #expect(o.relaxedEstimate >= o.committedEstimate - 1e-12)
        #expect(o.committedValue <= o.optimum + 1e-9)
        #expect(o.exploreRounds == l.exploreRounds(horizon: 100_000) && o.exploreRounds % 4 == 0)
        let recomputed = Double(o.exploreRounds) * o.optimum - o.exploreUtility + Double(100_000 - o.exploreRounds) * (o.optimum - o.committedValue)
        #expect(abs(recomputed - o.regret) <= 1e-6 * o.regret)
        // Safe exploration payments make each profile obedient under the true q.
        for a in 0..<l.instance.profileCount {
            #expect(InfoAcqCertificate.check(try l.instance.replacingCap(1), l.safe[a]).maxGain <= 1e-9)
        }
    }

    @Test("least squares: exact line gives its slope and a zero-width interval")
    func leastSquares() {
        let xs = [1.0, 2, 3, 4], ys = xs.map { 0.5 + 2 * $0 }
        let f = InfoAcqRegretCurve.leastSquares(xs, ys)
        #expect(abs(f.slope - 2) < 1e-12 && abs(f.intercept - 0.5) < 1e-12 && f.halfWidth95 < 1e-9)
    }
}
