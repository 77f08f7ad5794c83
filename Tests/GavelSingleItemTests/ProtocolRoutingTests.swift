import Synchronization
import Testing
import GavelCore
@testable import GavelSingleItem

/// Forwards to a built-in rule and counts `clear` calls: a different type from the built-in enum.
final class CountedRule: SingleItemAuctionRule {
    let base: any SingleItemAuctionRule
    let calls = Atomic<Int>(0)
    init(_ base: any SingleItemAuctionRule) { self.base = base }
    var name: String { "counted_" + base.name }
    var summary: String { "counts " + base.name }
    func bid(value: Double, bidders: Int, reserve: Double) throws -> Double? { try base.bid(value: value, bidders: bidders, reserve: reserve) }
    func clear(bids: [Double?], reserve: Double) throws -> (winner: Int, price: Double)? {
        calls.add(1, ordering: .relaxed)
        return try base.clear(bids: bids, reserve: reserve)
    }
}

@Suite("Single item: every rule runs through SingleItemAuctionRule")
struct SingleItemProtocolRoutingTests {
    static let counted: Result<[CountedRule], any Error> = Result {
        let wrappers = SingleItemAuctionRules.registry.builtIn.map(CountedRule.init)
        for w in wrappers { try SingleItemAuctionRules.registry.register(w) }
        return wrappers
    }

    @Test("each built-in and its counting wrapper give identical metrics (audit included), and the wrapper is called",
          arguments: SingleItemAuction.Format.allCases)
    func builtInsRunThroughTheProtocol(_ format: SingleItemAuction.Format) throws {
        let wrapper = try #require(try Self.counted.get().first { $0.base.name == format.rawValue })
        let market = try SingleItemMarket(config: SingleItemMarket.Config(mechanisms: [format.rawValue, wrapper.name], bidders: [3],
                                                                          auctions: 500, reserve: 0.1, auditAuctions: 20))
        let context = RunContext(workloadSeed: 8, mechanismSeed: 9, replicate: 0)
        let plain = try market.run(market.cells[0], context: context).metrics
        let counted = try market.run(market.cells[1], context: context).metrics
        #expect(plain.map(\.0) == counted.map(\.0))
        #expect(plain.map(\.1) == counted.map(\.1))
        // 500 auctions, plus the audit's misreports in 20 of them.
        #expect(wrapper.calls.load(ordering: .relaxed) > 500)
    }

    @Test("a clash with a built-in rule is an error naming it")
    func clash() {
        #expect { try SingleItemAuctionRules.registry.register(SingleItemAuction.Format.firstPrice) } throws: {
            "\($0)".contains("Gavel has a built-in single-item auction of that name")
        }
    }
}
