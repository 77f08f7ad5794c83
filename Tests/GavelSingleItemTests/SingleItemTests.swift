import Foundation
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
        // Symmetric equilibrium without a reserve: b(v) = (n − 1)/n · v (Krishna §2.3) = 0.6 at n = 4, v = 0.8.
        #expect(abs(SingleItemAuction.bid(value: 0.8, bidders: 4, reserve: 0, format: .firstPrice)! - 0.6) <= 2e-16)
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
        let market = try SingleItemMarket(config: SingleItemMarket.Config(mechanisms: [format.rawValue], bidders: [n], auctions: 40_000, reserve: reserve))
        let cell = try #require(market.cells.first)
        let outcome = try market.run(cell, context: RunContext(seed: 9))
        let metrics = Dictionary(uniqueKeysWithValues: outcome.metrics)
        let z = try #require(metrics["revenue_z"])
        #expect(abs(z) < 4, "revenue \(metrics["revenue"]!) vs \(metrics["revenue_expected"]!)")
        // The closed form against Myerson's lemma, integrated numerically here: E[R] = ∫_r^1 φ(v) n v^(n−1) dv
        // with φ(v) = 2v − 1 (the winner's virtual value; the item sells when the highest value ≥ r).
        let expected = try #require(metrics["revenue_expected"])
        #expect(abs(expected - Self.myersonRevenue(n: n, reserve: reserve)) <= 1e-11, "closed form \(expected)")
        // Every auction: one open, n arrivals, one close.
        #expect(outcome.events == 40_000 * (n + 2))
    }

    /// E[R] = ∫_r^1 (2v − 1)·n·v^(n−1) dv by composite Simpson on 20,000 intervals. For n ≤ 10 the
    /// integrand's 4th derivative is below 10^5, so Simpson's error is below h⁴·10^5/180 ≈ 4e-15; the
    /// sum's rounding (20,000 terms) stays under 1e-11, the tolerance used.
    static func myersonRevenue(n: Int, reserve r: Double) -> Double {
        let m = 20_000, h = (1 - r) / Double(m)
        func f(_ v: Double) -> Double { (2 * v - 1) * Double(n) * pow(v, Double(n - 1)) }
        var total = f(r) + f(1)
        for k in 1..<m { total += (k % 2 == 1 ? 4 : 2) * f(r + Double(k) * h) }
        return total * h / 3
    }

    @Test("the closed form E[R] against Myerson's integral at n = 1 … 10 and reserves 0, 0.25, 0.5, 0.8")
    func closedFormAgainstIntegral() {
        for n in 1...10 { for r in [0, 0.25, 0.5, 0.8] {
            #expect(abs(SingleItemAuction.expectedRevenue(bidders: n, reserve: r) - Self.myersonRevenue(n: n, reserve: r)) <= 1e-11, "n = \(n), r = \(r)")
        } }
    }

    @Test func sameSeedSameOutcomeDifferentSeedDifferentOutcome() throws {
        let market = try SingleItemMarket(config: SingleItemMarket.Config(bidders: [3], auctions: 2_000))
        let cell = market.cells[0]
        let a = try market.run(cell, context: RunContext(seed: 5))
        let b = try market.run(cell, context: RunContext(seed: 5))
        let c = try market.run(cell, context: RunContext(seed: 6))
        #expect(a.metrics.map(\.1) == b.metrics.map(\.1))
        #expect(a.metrics.first!.1 != c.metrics.first!.1)
    }
}

@Suite("Misreport audit of single-item auctions (max_gain_from_misreport)")
struct SingleItemAuditTests {
    /// By hand: values (0.8, 0.3), no reserve. First price with equilibrium bids (v/2 at n = 2):
    /// bidder 0 truthful wins at 0.8 (utility 0); the best report tried is the other bid 0.15 itself,
    /// which wins the tie (`clear` keeps the first of equal bids, and bidder 0 is first), for a gain
    /// of 0.8 − 0.15 = 0.65. Second price: truthful is dominant, no report gains.
    @Test("Two bidders by hand")
    func byHand() throws {
        let values: [Double?] = [0.8, 0.3]
        let firstBids: [Double?] = [0.4, 0.15]
        let first = try SingleItemMarket.maxGainFromMisreport(values: values, bids: firstBids, reserve: 0, rule: SingleItemAuction.Format.firstPrice)
        #expect(abs(first - 0.65) < 1e-15)
        let second = try SingleItemMarket.maxGainFromMisreport(values: values, bids: values, reserve: 0, rule: SingleItemAuction.Format.secondPrice)
        #expect(second == 0)
    }

    @Test("Second price never shows a gain; first price shows one whenever a winner bids above the next bid",
          arguments: [0.0, 0.3])
    func randomAuctions(reserve: Double) throws {
        var rng = Xoshiro256StarStar(seed: 11)
        for _ in 0..<300 {
            let n = 2 + Int(rng.next() % 4)
            let values: [Double?] = (0..<n).map { _ in rng.nextUnitDouble() }
            let truthful = values.map { $0.flatMap { $0 >= reserve ? $0 : nil } }
            #expect(try SingleItemMarket.maxGainFromMisreport(values: values, bids: truthful, reserve: reserve, rule: SingleItemAuction.Format.secondPrice) <= 1e-12)
            // Truthful bids under first price: the winner (if any) pays its value, so any lower
            // winning bid gains; a gain exists iff the top bid exceeds max(second bid, reserve).
            let sorted = truthful.compactMap { $0 }.sorted(by: >)
            let gain = try SingleItemMarket.maxGainFromMisreport(values: values, bids: truthful, reserve: reserve, rule: SingleItemAuction.Format.firstPrice)
            if let top = sorted.first, top > max(sorted.dropFirst().first ?? 0, reserve) * (1 + 1e-6) + 0.05 * top {
                #expect(gain > 0)
            }
            #expect(gain >= 0)
        }
    }

    @Test("From a scenario: the metric appears only when asked, first price gains and second price does not")
    func metricColumn() throws {
        let config = try SingleItemMarket.Config(bidders: [3], auctions: 200)
        var audited = config
        audited.auditAuctions = 50
        let plain = try SingleItemMarket(config: config)
        #expect(try plain.run(plain.cells[0], context: RunContext(seed: 2)).metrics.allSatisfy { $0.0 != "max_gain_from_misreport" })
        let market = try SingleItemMarket(config: audited)
        for cell in market.cells {
            let gain = try #require(try market.run(cell, context: RunContext(seed: 2)).metrics.first { $0.0 == "max_gain_from_misreport" }?.1)
            switch cell.mechanism {
            case "first_price": #expect(gain > 0.01)
            case "second_price": #expect(gain <= 1e-9)
            default: Issue.record("unexpected mechanism \(cell.mechanism)")
            }
        }
    }
}
