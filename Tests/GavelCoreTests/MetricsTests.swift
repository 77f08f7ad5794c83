import Testing
@testable import GavelCore

@Suite struct JainIndexTests {
    @Test func equalSharesGiveOneAndMonopolyGivesOneOverN() {
        #expect(JainIndex.compute([2, 2, 2, 2]) == 1)
        #expect(JainIndex.compute([5, 0, 0, 0]) == 0.25)
    }

    @Test func domainDecidesWhetherUnservedCount() {
        // Jain over winners only is what makes the MOHAF paper's 1.000 (spec/mohaf.md).
        let amounts: [Double] = [1, 1, 0, 0]
        #expect(JainIndex.compute(amounts, domain: .perEntity) == 0.5)
        #expect(JainIndex.compute(amounts, domain: .servedOnly) == 1)
    }

    @Test func knownValueAndEdgeCases() {
        // (1+2+3)^2 / (3 * 14) = 36/42
        #expect(abs(JainIndex.compute([1, 2, 3]) - 36.0 / 42.0) < 1e-15)
        #expect(JainIndex.compute([0, 0]) == 1)
        #expect(JainIndex.compute([Double]()).isNaN)
        #expect(JainIndex.compute([1, -1]).isNaN)
    }

    @Test func ledgerCountsUnservedEntitiesAsZero() {
        var ledger = MarketLedger(entityCount: 4)
        ledger.record(entity: 0, value: 3, payment: 1)
        ledger.record(entity: 1, value: 5, payment: 3)
        #expect(ledger.welfare == 8)
        #expect(ledger.revenue == 4)
        #expect(ledger.utilityByEntity == [2, 2, 0, 0])
        #expect(ledger.jainOverUtilities() == 0.5)
        #expect(ledger.jainOverUtilities(domain: .servedOnly) == 1)
    }
}

@Suite struct RunningStatisticsTests {
    @Test func meanVarianceAndConfidenceInterval() {
        let s = RunningStatistics([2, 4, 4, 4, 5, 5, 7, 9])
        #expect(s.count == 8)
        #expect(s.mean == 5)
        #expect(abs(s.variance - 32.0 / 7.0) < 1e-12)
        // t_{0.975,7} = 2.36462
        #expect(abs(s.confidenceHalfWidth95 - 2.36462 * (32.0 / 7.0 / 8.0).squareRoot()) < 1e-12)
        #expect(RunningStatistics([1]).variance.isNaN)
    }

    @Test func mergeEqualsSequentialAccumulation() {
        var rng = Xoshiro256StarStar(seed: 3)
        let values = (0..<1000).map { _ in rng.nextUnitDouble() * 100 }
        let whole = RunningStatistics(values)
        var left = RunningStatistics(values[..<337])
        left.merge(RunningStatistics(values[337...]))
        #expect(left.count == whole.count)
        #expect(abs(left.mean - whole.mean) < 1e-12)
        #expect(abs(left.variance - whole.variance) < 1e-9)
        var empty = RunningStatistics()
        empty.merge(whole)
        #expect(empty == whole)
    }

    @Test(arguments: [(1, 12.7062), (10, 2.22814), (30, 2.04227), (60, 2.000298), (120, 1.979930), (1000, 1.962339)])
    func studentTQuantile(df: Int, expected: Double) {
        // Table values; beyond ν = 30 the Cornish–Fisher series is within 1e-5.
        #expect(abs(StudentT.quantile975(degreesOfFreedom: df) - expected) < 2e-5)
    }
}
