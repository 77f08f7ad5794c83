import Foundation
import GavelCore
import GavelScenario
@testable import GavelAdAuctions
import Testing

/// A different type conforming to `AutobidAuctionFormat`, forwarding every call to `base` and
/// counting clearings and counterfactuals: if `kind: autobidding` runs the wrapper and gets the
/// built-in's numbers, the built-in runs through the public protocol.
struct CountedAutobidFormat: AutobidAuctionFormat {
    var base: any AutobidAuctionFormat
    let name: String
    let calls: CallCount
    var summary: String { "counted " + base.summary }
    var isTruthful: Bool { base.isTruthful }
    func accepts(slots: Int) -> Bool { base.accepts(slots: slots) }
    var takesOutsideBidAndReserve: Bool { base.takesOutsideBidAndReserve }
    var hasSeparableClicks: Bool { base.hasSeparableClicks }
    mutating func clear(_ auction: AutobidAuctionInput, into result: inout AuctionClearing) throws {
        calls.add()
        try base.clear(auction, into: &result)
    }
    func counterfactual(bid: Double, advertiser: Int, in auction: AutobidAuctionInput) throws -> (value: Double, payment: Double) {
        calls.add()
        return try base.counterfactual(bid: bid, advertiser: advertiser, in: auction)
    }
}

/// Second price whose clearing, or only whose counterfactual, fails: the run must fail with it.
struct FailingAutobidFormat: AutobidAuctionFormat {
    let name: String
    let clearingFails: Bool
    var summary: String { "fails" }
    var isTruthful: Bool { true }
    func accepts(slots: Int) -> Bool { slots == 1 }
    func clear(_ auction: AutobidAuctionInput, into result: inout AuctionClearing) throws {
        if clearingFails { throw ExperimentError("\(name): no clearing") }
        var base = SeparableSlotFormat.secondPrice
        base.clear(auction, into: &result)
    }
    func counterfactual(bid: Double, advertiser: Int, in auction: AutobidAuctionInput) throws -> (value: Double, payment: Double) {
        throw ExperimentError("\(name): no counterfactual")
    }
}

@Suite struct AutobidFormatRoutingTests {
    /// Each built-in registered once as `counted_<name>` (registries are per process), and the failing formats.
    /// A registration failure fails the tests that read it, not the whole test process.
    static let counted: Result<[String: CallCount], any Error> = Result {
        var out: [String: CallCount] = [:]
        for format in AutobidFormats.registry.builtIn {
            let calls = CallCount()
            try AutobidFormats.registry.register(CountedAutobidFormat(base: format, name: "counted_" + format.name, calls: calls))
            out[format.name] = calls
        }
        try AutobidFormats.registry.register(FailingAutobidFormat(name: "failing_clearing", clearingFails: true))
        try AutobidFormats.registry.register(FailingAutobidFormat(name: "failing_counterfactual", clearingFails: false))
        return out
    }

    /// A small market for `format`: two slots where it takes them, an outside bid and a reserve
    /// where it takes them; every metric on (LP, regret, audit); Hedge asks for counterfactuals.
    static func body(_ name: String, _ format: any AutobidAuctionFormat, regret: Bool = true,
                     population: String = "[{type: hedge, count: 2}, {type: value_maximiser}]") -> String {
        let slots = format.accepts(slots: 2) ? "[1, 0.6]" : "[1]"
        let extra = format.takesOutsideBidAndReserve ? ", outside_mean: 0.3, reserve: 0.05" : ""
        return "mechanisms: [\(name)]\nmarket: {advertisers: 3, auctions: 80, budget_ratio: 0.5, roi: 1, slots: \(slots)\(extra)}\n"
            + "liquid_welfare_lp: true\nregret: \(regret)\naudit: true\ncontrol_interval: 10\n"
            + "populations: [{name: mixed, bidders: \(population)}, {name: pacing, bidders: [{type: pid_pacing}]}]\n"
    }

    static func metrics(_ body: String) throws -> [[(String, Double)]] {
        let experiment = try Scenario.load(text: "schema_version: 1\nname: t\nkind: autobidding\nseed: 1\n" + body, file: "t.yaml", directory: "/tmp").experiment
        return try experiment.renderedCells.indices.map {
            try experiment.run(cellAt: $0, context: RunContext(workloadSeed: 11, mechanismSeed: 12, replicate: 0)).metrics
        }
    }

    @Test("every built-in autobidding format runs through the protocol: a counting wrapper registered under another name gives its metrics")
    func builtInsRouteThroughTheProtocol() throws {
        #expect(AutobidFormats.registry.builtIn.map(\.name) == ["second_price", "first_price", "gsp", "vcg", "mnl_optimum"])
        for format in AutobidFormats.registry.builtIn {
            let calls = try #require(try Self.counted.get()[format.name])
            let plain = try Self.metrics(Self.body(format.name, format))
            let before = calls.count
            let wrapped = try Self.metrics(Self.body("counted_" + format.name, format))
            #expect(calls.count > before, "\(format.name): the wrapper was never called")
            #expect(plain.map { $0.map(\.0) } == wrapped.map { $0.map(\.0) }, "\(format.name)")
            for (p, w) in zip(plain.joined(), wrapped.joined()) {
                #expect(p.1 == w.1 || (p.1.isNaN && w.1.isNaN), "\(format.name) \(p.0): \(p.1) vs \(w.1)")
            }
        }
    }

    @Test("registering a built-in's name, a registered one or a non-snake_case one is an InputError; gavel list shows registered ones")
    func clashesAreInputErrors() throws {
        _ = try Self.counted.get()
        for name in ["vcg", "counted_gsp", "Not-Snake"] {
            #expect(throws: InputError.self, "\(name)") {
                try AutobidFormats.registry.register(FailingAutobidFormat(name: name, clearingFails: true))
            }
        }
        #expect(AutobiddingExperiment.mechanisms.prefix(5).map(\.name) == ["second_price", "first_price", "gsp", "vcg", "mnl_optimum"])
        #expect(AutobiddingExperiment.mechanisms.contains { $0.name == "counted_vcg" && $0.isRegistered })
    }

    @Test("a registered format that throws makes the run throw: in its clearing, in a learner's counterfactual, in hindsight regret")
    func failuresPropagate() throws {
        _ = try Self.counted.get()
        let clearing = Self.body("failing_clearing", SeparableSlotFormat.secondPrice)
        #expect(throws: ExperimentError.self) { _ = try Self.metrics(clearing) }
        // Hedge asks for counterfactuals: the failure must reach the run, not be taken as "no gain".
        let learner = Self.body("failing_counterfactual", SeparableSlotFormat.secondPrice, regret: false)
        #expect(throws: ExperimentError.self) { _ = try Self.metrics(learner) }
        // Bidders that never ask; hindsight regret does.
        let regret = Self.body("failing_counterfactual", SeparableSlotFormat.secondPrice, population: "[{type: truthful}]")
        #expect(throws: ExperimentError.self) { _ = try Self.metrics(regret) }
        let neither = Self.body("failing_counterfactual", SeparableSlotFormat.secondPrice, regret: false, population: "[{type: truthful}]")
            .replacingOccurrences(of: "{type: pid_pacing}", with: "{type: truthful}")
        #expect(try Self.metrics(neither).count == 2)
    }

    @Test("a format that does not take the market's slots is refused at the mechanisms line, and by the market itself")
    func slotsAreChecked() throws {
        _ = try Self.counted.get()
        let text = Self.body("counted_second_price", SeparableSlotFormat.gsp)
        #expect(throws: (any Error).self) { _ = try Self.metrics(text) }
        var bidders: [any Autobidder] = [TruthfulBidder()]
        let data = AutobidEpisodeData(values: [[1]], outside: [0], budgets: [.infinity], roiTargets: [nil])
        #expect(throws: InputError.self) {
            _ = try AutobidMarket.run(data, bidders: &bidders, format: SeparableSlotFormat.firstPrice,
                                      terms: AutobidAuctionTerms(clickFactors: [1, 0.5]), controlInterval: 1, bidderSeed: 1)
        }
    }
}
