import Foundation
import GavelCore
import GavelScenario
@testable import GavelRTB
import Testing

/// A different type conforming to `RTBExchangeAuction`, forwarding to `base` and counting clears.
struct CountedExchange: RTBExchangeAuction {
    let base: any RTBExchangeAuction
    let name: String
    let calls: CallCount
    var summary: String { "counted " + base.summary }
    func clear(bids: [Double], outside: Double) throws -> (winner: Int, payment: Double)? {
        calls.add()
        return try base.clear(bids: bids, outside: outside)
    }
}

/// First price, the test's own: the highest bid ≥ the outside bid wins (ties: the earlier campaign) and pays its bid.
struct FirstPriceExchange: RTBExchangeAuction {
    let name = "first_price_test"
    let summary = "first price (test)"
    func clear(bids: [Double], outside: Double) throws -> (winner: Int, payment: Double)? {
        RTBAuditTests.firstPrice(bids, outside: outside)
    }
}

/// An exchange that cannot clear: the kind's run must fail with its error.
struct FailingExchange: RTBExchangeAuction {
    var name = "failing_exchange"
    let summary = "throws"
    struct Failure: Error {}
    func clear(bids: [Double], outside: Double) throws -> (winner: Int, payment: Double)? { throw Failure() }
}

/// Issue 19: `rtb_market`'s second-price exchange runs through `RTBExchangeAuction`, and a
/// registered exchange is named, run and audited like it.
@Suite struct RTBExchangeRegistryTests {
    /// A registration failure fails the tests that read it, not the whole test process.
    static let counted: Result<CallCount, any Error> = Result {
        let calls = CallCount()
        try RTBExchanges.registry.register(CountedExchange(base: SecondPriceExchangeAuction(), name: "counted_market", calls: calls))
        try RTBExchanges.registry.register(FirstPriceExchange())
        try RTBExchanges.registry.register(FailingExchange())
        try RTBExchanges.registry.register(OverchargingExchange())
        return calls
    }

    static func market(_ exchanges: [String]?) -> String {
        _ = counted
        return RTBRegistryRoutingTests.market("mcpc") + (exchanges.map { "mechanisms: [\($0.joined(separator: ", "))]\n" } ?? "")
    }

    @Test("the default is [market], the built-in; gavel list shows it first and registered exchanges after")
    func defaults() throws {
        let x = try Scenario.load(text: "schema_version: 1\nname: t\nkind: rtb_market\nseed: 1\n" + Self.market(nil), file: "t.yaml", directory: "/tmp").experiment
        #expect(x.renderedCells.map(\.mechanism) == ["market"])
        #expect(RTBExchanges.registry.builtIn.map(\.name) == ["market"])
        #expect(RTBMarketExperiment.mechanisms.first?.name == "market")
        #expect(RTBMarketExperiment.mechanisms.contains { $0.name == "counted_market" && $0.isRegistered })
    }

    @Test("the second-price exchange runs through the protocol: a counting wrapper under another name gives its metrics")
    func routing() throws {
        let counted = try Self.counted.get()
        let before = counted.count
        let both = try RTBRegistryRoutingTests.metrics("rtb_market", Self.market(["market", "counted_market"]))
        #expect(both.count == 2)
        RTBRegistryRoutingTests.expectSame([both[0]], [both[1]], "market vs counted_market")
        #expect(counted.count > before)
        // Naming the exchange changes nothing: the default run is the same.
        RTBRegistryRoutingTests.expectSame(try RTBRegistryRoutingTests.metrics("rtb_market", Self.market(nil)), [both[0]], "default vs market")
    }

    @Test("audit_auctions audits the cell's exchange: first price (registered) gains, second price does not")
    func auditUsesTheCellsExchange() throws {
        let both = try RTBRegistryRoutingTests.metrics("rtb_market", Self.market(["market", "first_price_test"]))
        let gains = try both.map { try #require($0.first { $0.0 == "max_gain_from_misreport" }).1 }
        #expect(gains[0] >= 0 && gains[0] <= 1e-9, "\(gains[0])")
        #expect(gains[1] > 0, "\(gains[1])")
    }

    @Test("registering the built-in's name or an already registered one is an InputError")
    func clashes() throws {
        _ = try Self.counted.get()
        #expect(throws: InputError.self) { try RTBExchanges.registry.register(FailingExchange(name: "market")) }
        #expect(throws: InputError.self) { try RTBExchanges.registry.register(FirstPriceExchange()) }
    }

    @Test("an unknown exchange is refused at load, listing built-in and registered names")
    func unknownName() {
        #expect { _ = try RTBRegistryRoutingTests.metrics("rtb_market", Self.market(["no_such_exchange"])) } throws: {
            let d = "\($0)"
            return d.contains("no_such_exchange") && d.contains("market") && d.contains("first_price_test")
        }
    }

    @Test("a registered exchange that throws makes the run fail; one charging above the bid too")
    func failuresPropagate() throws {
        #expect(throws: FailingExchange.Failure.self) { _ = try RTBRegistryRoutingTests.metrics("rtb_market", Self.market(["failing_exchange"])) }
        #expect { _ = try RTBRegistryRoutingTests.metrics("rtb_market", Self.market(["overcharging_test"])) } throws: {
            "\($0)".contains("overcharging_test") && "\($0)".contains("outside [0, the winner's bid")
        }
    }
}

/// Second price plus 1000: a price above the winner's bid, which the market refuses.
struct OverchargingExchange: RTBExchangeAuction {
    let name = "overcharging_test"
    let summary = "charges above the bid (test)"
    func clear(bids: [Double], outside: Double) throws -> (winner: Int, payment: Double)? {
        SecondPriceExchange.secondPrice(bids, outside: outside).map { ($0.winner, $0.payment + 1000) }
    }
}
