import Foundation
import GavelCore
@testable import GavelAdAuctions
import Testing

@Suite("Revenue: virtual values, ironing, reserves, the revenue-optimal MNL mechanism")
struct RevenueTests {
    @Test("closed forms: uniform φ = 2v − b (reserve b/2), exponential φ = v − 1/λ (reserve 1/λ); no ironing for regular F")
    func closedForms() {
        let u = VirtualValueFunction(.uniform(lower: 0, upper: 10))
        #expect(u.ironed.isEmpty)
        #expect(u(7) == 4)
        #expect(close(u.reserve, 5, 1e-15))
        let e = VirtualValueFunction(.exponential(rate: 0.5))
        #expect(e.ironed.isEmpty)
        #expect(close(e(3), 1, 1e-15))
        #expect(close(e.reserve, 2, 1e-15))
        // Lognormal: the generic φ = v − (1 − F)/f against the distribution's own cdf/pdf.
        let ln = ValueDistribution.lognormal(mu: 1, sigma: 0.5)
        let l = VirtualValueFunction(ln)
        #expect(l.ironed.isEmpty)
        #expect(close(l(3), 3 - (1 - ln.cdf(3)) / ln.pdf(3), 1e-12))
        #expect(close(l(l.reserve), 0, 1e-9))
        #expect(close(ln.cdf(ln.quantile(0.3)), 0.3, 1e-12))
    }

    @Test("an irregular mixture is ironed: φ̄ nondecreasing with a flat interval, φ̄ = φ outside it")
    func ironing() {
        let d = ValueDistribution.mixture([.init(weight: 0.5, distribution: .uniform(lower: 0, upper: 2)),
                                           .init(weight: 0.5, distribution: .uniform(lower: 0, upper: 10))])
        // φ is not monotone: f = 0.3 on [0, 2], 0.05 above; φ(2⁻) = 2 − 0.4/0.3 ≈ 0.67, φ(2⁺) = 2 − 0.4/0.05 = −6.
        #expect(d.virtualValue(1.999) > d.virtualValue(2.001) + 6)
        let phi = VirtualValueFunction(d)
        #expect(!phi.ironed.isEmpty)
        var last = -Double.infinity
        for k in 0...1000 {
            let v = Double(k) / 100
            #expect(phi(v) >= last - 1e-12, "φ̄ fell at \(v)")
            last = phi(v)
        }
        let iv = phi.ironed[0]
        #expect(phi((iv.lower + iv.upper) / 2) == iv.value)
        #expect(phi(9.5) == max(d.virtualValue(9.5), iv.value))
        #expect(phi.reserve > 0 && phi.reserve < 10)
    }

    @Test("a gap in the support (a regular two-bump mixture) gets a flat φ̄ across it, not −∞")
    func gap() {
        let d = ValueDistribution.mixture([.init(weight: 0.5, distribution: .uniform(lower: 0, upper: 2)),
                                           .init(weight: 0.5, distribution: .uniform(lower: 8, upper: 10))])
        let phi = VirtualValueFunction(d)
        #expect(phi.ironed.isEmpty)
        #expect(close(phi(5), 0, 1e-2))       // φ(2) = 2 − 0.5/0.25 = 0, carried across (2, 8)
        #expect(phi(8.5) == d.virtualValue(8.5))
    }

    @Test("single advertiser, K = 1, U[0, 10]: shown iff b ≥ 5, and then pays the reserve 5 per click")
    func singleBidderReserve() throws {
        let a = try PositionAuction(model: .mnl(weights: AdMatrix([[1.5]])), maxAds: 1)
        let mech = try AdMechanism(rule: .dinkelbach, payment: .myerson, virtualValues: [VirtualValueFunction(.uniform(lower: 0, upper: 10))])
        let high = try mech.run(a, bids: [8])
        #expect(high.slots == [Slot(0, 0)])
        #expect(close(high.paymentPerClick[0], 5, 1e-12))
        #expect(try mech.run(a, bids: [4.9]).slots.isEmpty)
    }

    @Test("revenue-optimal mechanism: IR, revenue ≤ welfare, nobody below the reserve is shown, no misreport gains > 1e-9")
    func revenueOptimal() throws {
        let dists: [ValueDistribution] = [.uniform(lower: 0, upper: 10), .exponential(rate: 0.2), .lognormal(mu: 1.5, sigma: 0.5),
                                          .mixture([.init(weight: 0.6, distribution: .uniform(lower: 0, upper: 2)), .init(weight: 0.4, distribution: .uniform(lower: 8, upper: 10))]),
                                          .uniform(lower: 2, upper: 6)]
        let phi = dists.map { VirtualValueFunction($0) }
        let auditor = TruthfulnessAuditor(factors: (0...15).map { Double($0) / 5 })
        var worst = 0.0
        for k in 0..<60 {
            var (a, _) = try Random.smallMNL(k, maxAdvertisers: 5, maxPositions: 3)
            a = try PositionAuction(model: a.model, maxAds: a.maxAds)
            let n = a.advertisers
            var s = Random.stream("values", k)
            let v = (0..<n).map { dists[$0].sample(using: &s) }
            let mech = try AdMechanism(rule: .dinkelbach, payment: .myerson, virtualValues: Array(phi.prefix(n)))
            let out = try mech.run(a, bids: v)
            #expect(out.revenue <= out.welfare + 1e-12)
            for i in 0..<n {
                #expect(out.paymentPerClick[i] <= v[i] + 1e-9, "IR")
                if out.ctr[i] > 0 {
                    #expect(v[i] >= phi[i].reserve - 1e-12)
                    #expect(out.paymentPerClick[i] >= phi[i].reserve - 1e-9, "per-click price below the reserve")
                }
            }
            if k < 12 { worst = max(worst, try auditor.audit(mech, on: a, values: v).gain) }
        }
        #expect(worst <= 1e-9)
    }

    /// Myerson's lemma: E[Σ payments] = E[Σ φ_i(v_i) π_i]. Monte Carlo, 4 standard errors.
    @Test("expected revenue equals expected virtual welfare (Myerson's lemma) and beats VCG's, Monte Carlo")
    func myersonLemma() throws {
        let a = try PositionAuction(model: .mnl(weights: AdMatrix([[1, 0.6], [0.8, 0.5], [1.2, 0.4]])), maxAds: 2)
        let dist = ValueDistribution.uniform(lower: 0, upper: 10)
        let phi = Array(repeating: VirtualValueFunction(dist), count: 3)
        let optimal = try AdMechanism(rule: .dinkelbach, payment: .myerson, virtualValues: phi)
        let vcg = try AdMechanism(rule: .dinkelbach, payment: .vcg)
        var gap = RunningStatistics(), advantage = RunningStatistics()
        var s = Xoshiro256StarStar(seed: 7).stream(named: "values")
        for _ in 0..<4000 {
            let v = (0..<3).map { _ in dist.sample(using: &s) }
            let x = try optimal.run(a, bids: v)
            gap.add(x.revenue - x.objective)
            advantage.add(x.revenue - (try vcg.run(a, bids: v)).revenue)
        }
        #expect(abs(gap.mean) <= 4 * gap.standardError, "E[revenue − virtual welfare] = \(gap.mean) ± \(gap.standardError)")
        #expect(advantage.mean > 4 * advantage.standardError)
    }
}
