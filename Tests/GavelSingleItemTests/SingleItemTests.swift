import Testing
import GavelCore
@testable import GavelSingleItem

@Suite struct SingleItemAuctionTests {
    @Test func closedFormsAtZeroAndOptimalReserve() {
        #expect(SingleItemAuction.expectedRevenue(bidders: 2, reserve: 0) == 1.0 / 3.0)
        // Myerson's optimal reserve 1/2 for two U[0,1] bidders raises 5/12 (Krishna §2.5).
        #expect(abs(SingleItemAuction.expectedRevenue(bidders: 2, reserve: 0.5) - 5.0 / 12.0) < 1e-15)
        #expect(abs(SingleItemAuction.expectedWelfare(bidders: 3, reserve: 0) - 0.75) < 1e-15)
    }

    @Test func equilibriumBidsAndClearing() {
        #expect(SingleItemAuction.bid(value: 0.8, bidders: 4, reserve: 0, format: .firstPrice) == 0.6000000000000001 || SingleItemAuction.bid(value: 0.8, bidders: 4, reserve: 0, format: .firstPrice) == 0.6)
        #expect(SingleItemAuction.bid(value: 0.3, bidders: 4, reserve: 0.5, format: .secondPrice) == nil)
        // At v = r the first-price bid is r itself.
        #expect(abs(SingleItemAuction.bid(value: 0.5, bidders: 3, reserve: 0.5, format: .firstPrice)! - 0.5) < 1e-15)
        let sp = SingleItemAuction.clear(bids: [0.2, nil, 0.9, 0.7], reserve: 0, format: .secondPrice)
        #expect(sp?.winner == 2 && sp?.price == 0.7)
        let fp = SingleItemAuction.clear(bids: [0.2, 0.9, 0.9], reserve: 0, format: .firstPrice)
        #expect(fp?.winner == 1 && fp?.price == 0.9)  // tie to the lowest index
        #expect(SingleItemAuction.clear(bids: [0.6], reserve: 0.5, format: .secondPrice)?.price == 0.5)
        #expect(SingleItemAuction.clear(bids: [nil, nil], reserve: 0.5, format: .secondPrice) == nil)
    }

    /// Average revenue over many auctions against the closed form, within 4 standard
    /// errors (the run's own sample standard error): revenue equivalence,
    /// E[R] = (n−1)/(n+1) at r = 0 and 2n(1−r^(n+1))/(n+1) − (1−r^n) with reserve r.
    @Test(arguments: [
        (SingleItemAuction.Format.firstPrice, 2, 0.0), (.secondPrice, 2, 0.0),
        (.firstPrice, 5, 0.0), (.secondPrice, 5, 0.0),
        (.firstPrice, 10, 0.0), (.secondPrice, 10, 0.0),
        (.firstPrice, 3, 0.5), (.secondPrice, 3, 0.5),
    ])
    func revenueMatchesClosedFormWithinFourSigma(format: SingleItemAuction.Format, n: Int, reserve: Double) throws {
        let market = try SingleItemMarket(config: .init(mechanisms: [format], bidders: [n], auctions: 40_000, reserve: reserve))
        let cell = try #require(market.cells.first)
        let outcome = try market.run(cell, context: RunContext(seed: 9))
        let metrics = Dictionary(uniqueKeysWithValues: outcome.metrics)
        let z = try #require(metrics["revenue_z"])
        #expect(abs(z) < 4, "revenue \(metrics["revenue"]!) vs \(metrics["revenue_expected"]!)")
        #expect(metrics["revenue_expected"] == SingleItemAuction.expectedRevenue(bidders: n, reserve: reserve))
        // Every auction: one open, n arrivals, one close.
        #expect(outcome.events == 40_000 * (n + 2))
    }

    @Test func sameSeedSameOutcomeDifferentSeedDifferentOutcome() throws {
        let market = try SingleItemMarket(config: .init(bidders: [3], auctions: 2_000))
        let cell = market.cells[0]
        let a = try market.run(cell, context: RunContext(seed: 5))
        let b = try market.run(cell, context: RunContext(seed: 5))
        let c = try market.run(cell, context: RunContext(seed: 6))
        #expect(a.metrics.map(\.1) == b.metrics.map(\.1))
        #expect(a.metrics.first!.1 != c.metrics.first!.1)
    }
}
