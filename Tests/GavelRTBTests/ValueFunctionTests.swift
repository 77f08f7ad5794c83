import Testing
import GavelCore
import GavelData
@testable import GavelRTB

@Suite struct ValueFunctionTests {
    static var info: CampaignInfo { get throws { try Campaign2997Tests.info } }

    /// The AVX2 kernel against the authors' loops, row by row, bit for bit: each row
    /// recomputed from the table's previous row by `referenceRow` must equal the table's row.
    @Test(arguments: [(60, 900), (40, 2000)])
    func kernelEqualsReferenceBitForBit(rows: Int, budget: Int) throws {
        let info = try Self.info
        let prices = MarketPriceDistribution(campaign: info)
        let v = RLBValueFunction(episodeLength: rows, budget: budget, maxBid: 300, prices: prices, averageCTR: info.averageCTR)
        let theta = info.averageCTR
        var vInc = 0.0
        for d in 0...300 { vInc += prices.probabilities[d] * (theta - 0 * Double(d)) }
        var vMax = 0.0
        var mismatches = 0
        for n in 1..<rows {
            let prev = (0...budget).map { v.value(n: n - 1, budget: $0) }
            var bids = [Int](repeating: 0, count: budget + 1)
            prev.withUnsafeBufferPointer { p in
                RLBValueFunction.authorsBids(prev: p.baseAddress!, into: &bids, budget: budget, maxBid: 300, v1theta: theta, v0: 0, gamma: 1)
            }
            vMax = vMax + vInc
            let reference = RLBValueFunction.referenceRow(prev: prev, bids: bids, m: prices.probabilities, v1theta: theta, v0: 0, gamma: 1, vMax: vMax)
            for b in 0...budget where reference[b].bitPattern != v.value(n: n, budget: b).bitPattern { mismatches += 1 }
        }
        #expect(mismatches == 0)
        #expect(v.value(n: rows - 1, budget: budget) > 0)
    }

    /// With the profit objective (v0 = 1) and γ < 1 the general (unspecialised) kernel path runs.
    @Test func generalObjectiveEqualsReference() throws {
        let info = try Self.info
        let prices = MarketPriceDistribution(campaign: info)
        let objective = RTBObjective.profit(valuePerClick: Int(info.costPerClick))
        let v = RLBValueFunction(episodeLength: 20, budget: 800, maxBid: 300, prices: prices, averageCTR: info.averageCTR,
                                 objective: objective, discount: 0.999)
        let v1theta = objective.clickValue * info.averageCTR
        let aMax = min(Int(v1theta / 1), 300)
        var vInc = 0.0
        for d in 0...aMax { vInc += prices.probabilities[d] * (v1theta - 1 * Double(d)) }
        var vMax = 0.0
        for n in 1..<20 {
            let prev = (0...800).map { v.value(n: n - 1, budget: $0) }
            var bids = [Int](repeating: 0, count: 801)
            prev.withUnsafeBufferPointer { p in
                RLBValueFunction.authorsBids(prev: p.baseAddress!, into: &bids, budget: 800, maxBid: 300, v1theta: v1theta, v0: 1, gamma: 0.999)
            }
            vMax = 0.999 * vMax + vInc
            let reference = RLBValueFunction.referenceRow(prev: prev, bids: bids, m: prices.probabilities, v1theta: v1theta, v0: 1, gamma: 0.999, vMax: vMax)
            #expect((0...800).allSatisfy { reference[$0].bitPattern == v.value(n: n, budget: $0).bitPattern }, "row \(n)")
        }
    }

    /// Bisection (used when a row is non-decreasing) against the authors' scan.
    @Test func bisectionEqualsScan() throws {
        let info = try Self.info
        let prices = MarketPriceDistribution(campaign: info)
        let v = RLBValueFunction(episodeLength: 200, budget: 3000, maxBid: 300, prices: prices, averageCTR: info.averageCTR)
        var rng = Xoshiro256StarStar(seed: 11)
        var differ = 0
        var nonTrivial = 0
        for _ in 0..<20_000 {
            let n = 1 + rng.nextInt(below: 200), b = rng.nextInt(below: 3001)
            let theta = rng.nextUnitDouble() * 0.02
            let fast = v.bid(auctionsLeft: n, budget: b, ctr: theta)
            if fast != v.bidByScan(auctionsLeft: n, budget: b, ctr: theta) { differ += 1 }
            if fast > 0 && fast < min(b, 300) { nonTrivial += 1 }
        }
        #expect(differ == 0)
        #expect(nonTrivial > 1000)   // the bisection itself was exercised, not only the two ends

        // The batched bisections of the concurrent-episodes replay give the same bids, for
        // batch sizes below, at and above the group of 32, budgets 0 included.
        for size in [1, 31, 32, 33, 157] {
            for _ in 0..<20 {
                let n = 1 + rng.nextInt(below: 200)
                let budgets = (0..<size).map { _ in rng.nextInt(below: 3001) }
                let thetas = (0..<(size * 3)).map { _ in rng.nextUnitDouble() * 0.02 }   // read with stride 3
                var out = [Int](repeating: -1, count: size)
                budgets.withUnsafeBufferPointer { bp in thetas.withUnsafeBufferPointer { tp in out.withUnsafeMutableBufferPointer { op in
                    v.bids(auctionsLeft: n, budgets: bp.baseAddress!, ctrs: tp.baseAddress!, ctrStride: 3, count: size, into: op.baseAddress!)
                } } }
                #expect(out == (0..<size).map { v.bid(auctionsLeft: n, budget: budgets[$0], ctr: thetas[3 * $0]) })
            }
        }
    }

    @Test func marketPriceDistributionIsLaplaceSmoothed() {
        let m = MarketPriceDistribution(counts: [3, 0, 1])
        #expect(m.probabilities == [4.0 / 7.0, 1.0 / 7.0, 2.0 / 7.0])
    }

    /// Long episodes: with T equal to the anchor, both mappings bid exactly as RLB.
    @Test func largeScaleMappingsReduceToRLBInsideTheAnchor() throws {
        let info = try Self.info
        for mapping in LargeScaleRLB.Mapping.allCases {
            let large = LargeScaleRLB(episodeLength: 300, c0: 1.0 / 32, campaign: info, mapping: mapping, anchorLength: 300)
            var rng = Xoshiro256StarStar(seed: 5)
            for _ in 0..<2000 {
                let n = 1 + rng.nextInt(below: 300), b = rng.nextInt(below: large.anchorBudget + 1)
                let theta = rng.nextUnitDouble() * 0.02
                #expect(large.bid(auctionsLeft: n, budget: b, ctr: theta) == large.anchor.bid(auctionsLeft: n, budget: b, ctr: theta))
            }
        }
    }

    @Test func largeScaleBidsAreValidForLongEpisodes() throws {
        let info = try Self.info
        let large = LargeScaleRLB(episodeLength: 100_000, c0: 1.0 / 32, campaign: info, mapping: .mapD, anchorLength: 200)
        #expect(large.budget == info.budget(c0: 1.0 / 32, episodeLength: 100_000))
        #expect(large.memoryBytes == 200 / 8 * 8 * (large.anchorBudget + 1) * 8)
        for (n, b) in [(100_000, large.budget), (50_000, 1000), (150, 10), (1, 5)] {
            let a = large.bid(auctionsLeft: n, budget: b, ctr: 0.01)
            #expect(a >= 0 && a <= min(b, 300))
        }
    }
}

@Suite struct ParameterTuningTests {
    @Test func findsThePeakAndStopsAfterFiveMisses() {
        var calls: [Int] = []
        let outcome = ParameterTuning.tune { p in calls.append(p); return -Double(abs(p - 50)) + 100 }
        #expect(outcome.best == 48)
        #expect(calls == [6, 12, 18, 24, 30, 36, 42, 48, 54, 60, 66, 72, 78])
    }

    @Test func tiesGoToTheLaterParameterAndTheGridExtendsPastTheMaximum() {
        // Constant objective: every p ties, so the best is the last; at the maximum the search continues upward
        // while it does not get worse, and here it never does until the objective drops at 48.
        let outcome = ParameterTuning.tune(maximum: 30) { p in p <= 42 ? 1 : 0 }
        #expect(outcome.best == 42)
        #expect(outcome.tried.map(\.parameter) == [6, 12, 18, 24, 30, 36, 42, 48])
    }
}
