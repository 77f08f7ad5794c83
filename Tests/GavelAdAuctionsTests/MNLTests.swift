import Foundation
import GavelCore
@testable import GavelAdAuctions
import Testing

@Suite("MNL: exact optimisers, invariants, payments")
struct MNLTests {
    /// Spec A.6, worked example A2 (docs/derivations.md §6): v = (10, 1), w ≡ 1, K = 2. Both ads: 11/3; ad0 alone: 5.
    @Test("worked example A2: W* = 5 shows ad0 alone (both shown would give 11/3)")
    func exampleA2() throws {
        let a = try PositionAuction(model: .mnl(weights: AdMatrix([[1, 1], [1, 1]])), maxAds: 2)
        let v = [10.0, 1.0]
        #expect(close(a.objective(of: [Slot(0, 0), Slot(1, 1)], coefficients: v), 11.0 / 3, 1e-12))
        let d = MNLOptimizer.dinkelbach(weights: weights(a), coefficients: v, maxAds: 2)
        let lp = try MNLOptimizer.charnesCooper(weights: weights(a), coefficients: v, maxAds: 2)
        let bf = MNLOptimizer.bruteForce(a, coefficients: v)
        #expect(d.objective == 5)
        #expect(close(lp.objective, 5, 1e-9))
        #expect(bf.objective == 5)
        #expect(d.slots.map(\.advertiser) == [0])
        #expect(lp.slots.map(\.advertiser) == [0])
        // Payment: ad0's threshold steps (1/3 from z = 1/2, 1/2 from z = 2) give 1/2·1/3 + 2·1/6 = 1/2.
        let vcg = try AdMechanism(rule: .dinkelbach, payment: .vcg).run(a, bids: v)
        let my = try AdMechanism(rule: .dinkelbach, payment: .myerson).run(a, bids: v)
        #expect(close(vcg.paymentPerImpression[0], 0.5, 1e-12))
        #expect(close(my.paymentPerImpression[0], 0.5, 1e-12))
        let jumps = try MyersonPayment.jumps(AdMechanism(rule: .dinkelbach, payment: .myerson), a, bids: v, bidder: 0)
        #expect(jumps.count == 2)
        #expect(close(jumps[0].at, 0.5, 1e-12) && close(jumps[0].size, 1.0 / 3, 1e-12))
        #expect(close(jumps[1].at, 2, 1e-12) && close(jumps[1].size, 1.0 / 6, 1e-12))
    }

    @Test("Dinkelbach, brute force (1e-9) and the Charnes–Cooper LP on GLPK (1e-6) agree on 1,000 random instances; every shown ad has v ≥ W*")
    func thousandInstances() throws {
        var shownChecked = 0, multiAd = 0, fewerThanK = 0
        for k in 0..<1000 {
            let (a, v) = try Random.smallMNL(k)
            let d = MNLOptimizer.dinkelbach(weights: weights(a), coefficients: v, maxAds: a.maxAds)
            let bf = MNLOptimizer.bruteForce(a, coefficients: v)
            let lp = try MNLOptimizer.charnesCooper(weights: weights(a), coefficients: v, maxAds: a.maxAds)
            #expect(close(d.objective, bf.objective, 1e-9), "instance \(k): dinkelbach \(d.objective) vs brute force \(bf.objective)")
            #expect(close(lp.objective, bf.objective, 1e-6), "instance \(k): LP \(lp.objective) vs brute force \(bf.objective)")
            // The allocations read back attain the value (the LP's x = y/t is integral).
            #expect(close(a.objective(of: d.slots, coefficients: v), d.objective, 1e-12))
            #expect(close(a.objective(of: lp.slots, coefficients: v), bf.objective, 1e-6), "instance \(k): LP allocation")
            #expect(d.slots.count <= a.maxAds)
            for s in d.slots {
                #expect(v[s.advertiser] >= d.objective - 1e-12, "instance \(k): shown ad \(s.advertiser) has v = \(v[s.advertiser]) < W* = \(d.objective)")
                shownChecked += 1
            }
            if d.slots.count > 1 { multiAd += 1 }
            if d.slots.count < min(a.maxAds, a.advertisers) { fewerThanK += 1 }
        }
        // The family exercises both regimes (several ads, and fewer than K because of substitution).
        #expect(multiAd > 100)
        #expect(fewerThanK > 100)
        #expect(shownChecked > 1000)
    }

    /// The market's and VCG's warm start (`MNLOptimizer.warmStart`): a valid allocation whose value is
    /// its W (so a feasible lower bound), and Dinkelbach from it (as the market runs it, also without
    /// each shown ad via `optimumWithout`) reaches the brute-force optimum (1e-9, as above).
    @Test("warm starts are feasible lower bounds and Dinkelbach from them is exact, with and without each shown ad (1,000 instances)")
    func warmStarts() throws {
        var warmOptimal = 0
        for k in 0..<1000 {
            let (a, v) = try Random.smallMNL(k)
            let w = weights(a), bf = MNLOptimizer.bruteForce(a, coefficients: v)
            let start = MNLOptimizer.warmStart(weights: w, coefficients: v, maxAds: a.maxAds)
            if let s = start {
                #expect(s.slots.count <= a.maxAds && Set(s.slots.map(\.advertiser)).count == s.slots.count && Set(s.slots.map(\.position)).count == s.slots.count)
                #expect(close(a.objective(of: s.slots, coefficients: v), s.objective, 1e-12))
                #expect(s.objective <= bf.objective + 1e-12)
                if close(s.objective, bf.objective, 1e-12) { warmOptimal += 1 }
            }
            let matcher = MaxWeightMatcher()
            var gain = [Double](repeating: 0, count: a.advertisers * a.positions)
            let d = MNLOptimizer.dinkelbach(weights: w, coefficients: v, maxAds: a.maxAds, matcher: matcher, gain: &gain,
                                            start: start?.objective ?? 0, startSlots: start?.slots ?? [])
            #expect(close(d.objective, bf.objective, 1e-9), "instance \(k)")
            var denominator = 1.0
            for s in d.slots { denominator += w[s.advertiser, s.position] }
            for s in d.slots {
                var without = v
                without[s.advertiser] = 0
                let others = MNLOptimizer.optimumWithout(s.advertiser, optimum: d.slots, total: d.objective, denominator: denominator, weights: w,
                                                         coefficients: v, maxAds: a.maxAds, matcher: matcher, gain: &gain)
                #expect(close(others, MNLOptimizer.bruteForce(a, coefficients: without).objective, 1e-9), "instance \(k) without \(s.advertiser)")
            }
        }
        // Greedy growth is often, not always, optimal (Dinkelbach's certificate is still needed).
        #expect(warmOptimal > 300 && warmOptimal < 1000)
    }

    @Test("Dinkelbach against the LP on larger instances (15 × 8, K = 4 and 50 × 20, K = 5)")
    func largerInstances() throws {
        for k in 0..<10 {
            var s = Random.stream("large", k)
            let (n, m, K) = k < 8 ? (15, 8, 4) : (50, 20, 5)
            var g = AdInstanceGenerator(family: .mnl, advertisers: n, positions: m, maxAds: K)
            g.noiseSD = 1
            let a = try g.make(using: &s)
            let v = (0..<n).map { _ in 10 * s.nextUnitDouble() }
            let d = MNLOptimizer.dinkelbach(weights: weights(a), coefficients: v, maxAds: K)
            let lp = try MNLOptimizer.charnesCooper(weights: weights(a), coefficients: v, maxAds: K)
            #expect(close(d.objective, lp.objective, 1e-6), "instance \(k)")
        }
    }

    @Test("permuting the rendering order leaves MNL CTRs unchanged")
    func orderInvariance() throws {
        for k in 0..<50 {
            let (a, v) = try Random.smallMNL(k)
            let d = MNLOptimizer.dinkelbach(weights: weights(a), coefficients: v, maxAds: a.maxAds)
            // Equal up to the order of the denominator's sum (a few ulps).
            for (x, y) in zip(a.ctr(of: d.slots), a.ctr(of: d.slots.reversed())) { #expect(close(x, y, 1e-15)) }
        }
    }

    @Test("VCG = Myerson (1e-9) for the exact optimisers; IR; revenue ≤ welfare; π_i nondecreasing in b_i")
    func paymentsAndMonotonicity() throws {
        let vcg = try AdMechanism(rule: .dinkelbach, payment: .vcg)
        let myersonEnvelope = try AdMechanism(rule: .dinkelbach, payment: .myerson)
        let bruteVCG = try AdMechanism(rule: .bruteForce, payment: .vcg)
        var positivePayments = 0
        for k in 0..<300 {
            let (a, v) = try Random.smallMNL(k)
            let x = try vcg.run(a, bids: v), y = try myersonEnvelope.run(a, bids: v), z = try bruteVCG.run(a, bids: v)
            for i in 0..<a.advertisers {
                #expect(abs(x.paymentPerImpression[i] - y.paymentPerImpression[i]) <= 1e-9, "instance \(k) bidder \(i): VCG \(x.paymentPerImpression[i]) vs Myerson \(y.paymentPerImpression[i])")
                #expect(abs(x.paymentPerImpression[i] - z.paymentPerImpression[i]) <= 1e-9)
                #expect(x.paymentPerClick[i] <= v[i] + 1e-9, "IR")
                #expect(x.paymentPerImpression[i] >= -1e-12)
                if x.paymentPerImpression[i] > 1e-9 { positivePayments += 1 }
            }
            #expect(x.revenue <= x.welfare + 1e-12)
            // Monotonicity of π_i on a grid of bids.
            for i in 0..<a.advertisers {
                var last = -1.0
                for step in 0...40 {
                    var b = v
                    b[i] = Double(step) * 0.3
                    let pi = a.ctr(of: try AllocationRule.dinkelbach.allocate(a, coefficients: b))[i]
                    #expect(pi >= last - 1e-15, "instance \(k) bidder \(i): π fell at bid \(b[i])")
                    last = pi
                }
            }
        }
        #expect(positivePayments > 200)
    }

    @Test("Myerson by bisection (generic rules) matches the exact envelope to 1e-9")
    func bisectionMatchesEnvelope() throws {
        // The same rule (Dinkelbach) through both threshold methods.
        for k in 0..<40 {
            let (a, v) = try Random.smallMNL(k)
            let mech = try AdMechanism(rule: .dinkelbach, payment: .myerson)
            for i in 0..<a.advertisers where v[i] > 0 {
                let exact = try MyersonPayment.payment(mech, a, bids: v, bidder: i)
                let bisected = try MyersonPayment.bisectionPayment(mech, a, bids: v, bidder: i)
                #expect(abs(exact - bisected) <= 1e-9, "instance \(k) bidder \(i): \(exact) vs \(bisected)")
            }
        }
    }

    @Test("ignoring substitution costs welfare: never better than the optimum, strictly worse on some instances")
    func ignoreSubstitution() throws {
        var worse = 0
        for k in 0..<200 {
            let (a, v) = try Random.smallMNL(k)
            let opt = MNLOptimizer.dinkelbach(weights: weights(a), coefficients: v, maxAds: a.maxAds).objective
            let naive = a.objective(of: try AllocationRule.ignoreSubstitution.allocate(a, coefficients: v), coefficients: v)
            #expect(naive <= opt + 1e-12)
            if naive < opt - 1e-9 { worse += 1 }
        }
        #expect(worse > 20)
    }
}

@Suite("Truthfulness auditor on MNL mechanisms")
struct MNLAuditTests {
    @Test("no misreport gains more than 1e-9 under Dinkelbach + VCG and + Myerson; GSP on separable MNL instances is manipulable")
    func audit() throws {
        let auditor = TruthfulnessAuditor(factors: (0...30).map { Double($0) / 10 })
        let vcg = try AdMechanism(rule: .dinkelbach, payment: .vcg), my = try AdMechanism(rule: .dinkelbach, payment: .myerson)
        var worst = 0.0
        for k in 0..<15 {
            let (a, v) = try Random.smallMNL(k)
            worst = max(worst, try auditor.audit(vcg, on: a, values: v).gain, try auditor.audit(my, on: a, values: v).gain)
        }
        #expect(worst <= 1e-9)
        let gsp = try AdMechanism(rule: .separableRanking, payment: .gsp)
        var gspGain = 0.0
        for k in 0..<15 {
            var s = Random.stream("mnl-separable", k)
            let a = try AdInstanceGenerator(family: .mnlSeparable, advertisers: 4, positions: 3, maxAds: 3).make(using: &s)
            let v = (0..<4).map { _ in 10 * s.nextUnitDouble() }
            gspGain = max(gspGain, try auditor.audit(gsp, on: a, values: v).gain)
        }
        #expect(gspGain > 0.01)
    }
}
