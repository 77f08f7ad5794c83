import Foundation
import GavelCore
import GavelScenario
import Synchronization
@testable import GavelRTB
import Testing

/// Calls made through a wrapper.
final class CallCount: Sendable {
    private let value = Atomic<Int>(0)
    func add() { value.add(1, ordering: .relaxed) }
    var count: Int { value.load(ordering: .relaxed) }
}

/// A different type conforming to `RTBBidder`, forwarding to `base` and counting the strategies it
/// makes: if a kind runs it and gets the built-in's numbers, the built-in runs through the protocol.
struct CountedBidder: RTBBidder {
    let base: any RTBBidder
    let name: String
    let calls: CallCount
    var summary: String { "counted " + base.summary }
    var takesParameter: Bool { base.takesParameter }
    func strategy(for setup: RTBBidderSetup) throws -> BidStrategy {
        calls.add()
        return try base.strategy(for: setup)
    }
}

/// A registered bidder that cannot be set up: the kind's run must fail with its error.
struct FailingBidder: RTBBidder {
    let name: String
    let summary = "throws when set up"
    func strategy(for setup: RTBBidderSetup) throws -> BidStrategy { throw ExperimentError("\(name): no strategy") }
}

@Suite struct RTBRegistryRoutingTests {
    static let data = SharedData.path(SharedData.rtb2997)

    /// Every built-in registered once as `counted_<name>`, plus a failing bidder (registries are per process).
    /// A registration failure fails the tests that read it, not the whole test process.
    static let counted: Result<[String: CallCount], any Error> = Result {
        var out: [String: CallCount] = [:]
        for b in RTBBidderFamily.registry.builtIn {
            let calls = CallCount()
            try RTBBidderFamily.registry.register(CountedBidder(base: b, name: "counted_" + b.name, calls: calls))
            out[b.name] = calls
        }
        try RTBBidderFamily.registry.register(FailingBidder(name: "failing_bidder"))
        return out
    }

    static func metrics(_ kind: String, _ body: String) throws -> [[(String, Double)]] {
        let experiment = try Scenario.load(text: "schema_version: 1\nname: t\nkind: \(kind)\nseed: 1\n" + body, file: "t.yaml", directory: "/tmp").experiment
        return try experiment.renderedCells.indices.map {
            try experiment.run(cellAt: $0, context: RunContext(workloadSeed: 3, mechanismSeed: 4, replicate: 0)).metrics
        }
    }

    /// rtb_replay on 3,000 rows of 2997's log in episodes of 300; parameters tuned on the validation log
    /// (a registered bidder taking a parameter is tuned too, so the wrapper sees the built-in's choice).
    static func replay(_ bidder: String) -> String {
        "log: \(data)/test.theta.txt\ncampaign: \(data)/info.json\nvalidation: \(data)/validation.1000.txt\n"
            + "rows: 3000\nepisode_length: 300\nlarge_scale_anchor: 100\nc0: [0.0625]\nbidders: [\(bidder)]\n"
    }

    /// rtb_market: the bidder's campaign against an mcpc campaign on 3,000 rows, audited.
    static func market(_ bidder: String) -> String {
        "log: \(data)/test.theta.txt\nlog_campaign: \(data)/info.json\nrows: 3000\nepisode_length: 300\naudit_auctions: 50\ncampaigns:\n"
            + "  - {name: a, campaign: \(data)/info.json, bidder: \(bidder), c0: 0.0625, parameter: 60}\n"
            + "  - {name: b, campaign: \(data)/info.json, bidder: mcpc, c0: 0.0625}\n"
    }

    static func expectSame(_ plain: [[(String, Double)]], _ wrapped: [[(String, Double)]], _ note: String) {
        #expect(plain.map { $0.map(\.0) } == wrapped.map { $0.map(\.0) }, "\(note)")
        for (p, w) in zip(plain.joined(), wrapped.joined()) {
            #expect(p.1 == w.1 || (p.1.isNaN && w.1.isNaN), "\(note) \(p.0): \(p.1) vs \(w.1)")
        }
    }

    @Test("every built-in bidder runs through the protocol: a counting wrapper under another name gives its metrics (rtb_replay, rtb_market)")
    func builtInsRouteThroughTheProtocol() throws {
        for b in RTBBidderFamily.registry.builtIn {
            let calls = try #require(try Self.counted.get()[b.name])
            Self.expectSame(try Self.metrics("rtb_replay", Self.replay(b.name)), try Self.metrics("rtb_replay", Self.replay("counted_" + b.name)), "rtb_replay \(b.name)")
            let before = calls.count
            #expect(before > 0, "rtb_replay \(b.name): the wrapper was never called")
            // rtb_market does not configure the large-scale anchor: those built-ins are refused there.
            guard !RTBBidderFamily.largeScale(b) else { continue }
            Self.expectSame(try Self.metrics("rtb_market", Self.market(b.name)), try Self.metrics("rtb_market", Self.market("counted_" + b.name)), "rtb_market \(b.name)")
            #expect(calls.count > before, "rtb_market \(b.name): the wrapper was never called")
        }
    }

    @Test("registering a built-in's name or an already registered one is an InputError; gavel list shows registered bidders")
    func clashesAreInputErrors() throws {
        _ = try Self.counted.get()
        #expect(throws: InputError.self) { try RTBBidderFamily.registry.register(FailingBidder(name: "rlb")) }
        #expect(throws: InputError.self) { try RTBBidderFamily.registry.register(FailingBidder(name: "counted_rlb")) }
        #expect(RTBReplayExperiment.mechanisms.prefix(8).map(\.name) == ["const", "rand", "mcpc", "lin", "ss_mdp", "rlb", "rlb_map_d", "rlb_map_a"])
        #expect(RTBReplayExperiment.mechanisms.contains { $0.name == "counted_rlb" && $0.isRegistered })
    }

    @Test("a registered bidder that throws makes the kind fail: rtb_replay's run, rtb_market's setup (its strategies are made at load)")
    func failuresPropagate() throws {
        _ = try Self.counted.get()
        #expect(throws: ExperimentError.self) { _ = try Self.metrics("rtb_replay", Self.replay("failing_bidder")) }
        #expect { _ = try Self.metrics("rtb_market", Self.market("failing_bidder")) } throws: { "\($0)".contains("failing_bidder: no strategy") }
    }
}

/// The truthfulness audit of the RTB exchange (`audit_auctions`, metric `max_gain_from_misreport`).
@Suite struct RTBAuditTests {
    /// First price, the test's own: the highest bid ≥ the outside bid wins and pays its bid.
    static func firstPrice(_ bids: [Double], outside: Double) -> (winner: Int, payment: Double)? {
        guard let top = bids.indices.max(by: { bids[$0] < bids[$1] || (bids[$0] == bids[$1] && $0 > $1) }), bids[top] >= outside else { return nil }
        return (top, bids[top])
    }

    @Test("hand-computed: second price charges the best other bid or the outside bid, and no report pays; first price rewards shading by v − 3(1 + 1e-6)")
    func handComputed() {
        #expect(SecondPriceExchange.secondPrice([4, 3], outside: 2)! == (0, 3))
        #expect(SecondPriceExchange.secondPrice([4, 4], outside: 2)! == (0, 4))   // ties: the earlier campaign
        #expect(SecondPriceExchange.secondPrice([4, 3], outside: 4)! == (0, 4))   // ties with the outside win
        #expect(SecondPriceExchange.secondPrice([1, 3], outside: 4) == nil)
        // Values 10 and 3 bidding 4 and 3 against an outside 2. Second price: truth is optimal.
        #expect(SecondPriceExchange.maxGainFromMisreport(values: [10, 3], bids: [4, 3], outside: 2) == 0)
        // First price: campaign 0 pays its value when truthful (utility 0); the best report tried is the
        // other bid itself, 3, which ties and wins (the earlier campaign), leaving 10 − 3 = 7.
        let gain = SecondPriceExchange.maxGainFromMisreport(values: [10, 3], bids: [4, 3], outside: 2, clear: Self.firstPrice)
        #expect(gain == 7, "\(gain)")
    }

    /// A brute-force oracle: on random small auctions, the best utility over a fine grid of reports
    /// under the test's own second-price rule never beats the truth, and the audit agrees (≤ 1e-9).
    @Test func bruteForceGridAgrees() {
        var s = Xoshiro256StarStar(seed: 19)
        for _ in 0..<200 {
            let n = 1 + s.nextInt(below: 4)
            let values = (0..<n).map { _ in 100 * s.nextUnitDouble() }
            let bids = (0..<n).map { _ in Double(s.nextInt(below: 100)) }
            let outside = Double(s.nextInt(below: 100))
            for c in 0..<n {
                func utility(_ r: Double) -> Double {
                    var b = bids; b[c] = r
                    let others = b.indices.filter { $0 != c }.map { b[$0] }
                    let top = others.max() ?? -1
                    // c wins when r ≥ outside and beats every other bid (ties with earlier campaigns lose).
                    let wins = r >= outside && others.indices.allSatisfy { k in let i = k < c ? k : k + 1; return i < c ? r > b[i] : r >= b[i] }
                    return wins ? values[c] - max(outside, top) : 0
                }
                let truth = utility(values[c])
                for k in 0...400 { #expect(utility(Double(k) / 2) <= truth + 1e-9) }
            }
            #expect(SecondPriceExchange.maxGainFromMisreport(values: values, bids: bids, outside: outside) <= 1e-9)
        }
    }

    @Test("Scenarios/audit-rtb.yaml: the second-price exchange shows no gain, and auditing changes no other metric")
    func scenario() throws {
        let path = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Scenarios/audit-rtb.yaml").path
        let text = try String(contentsOfFile: path, encoding: .utf8).replacingOccurrences(of: "${GAVEL_DATA}", with: SharedData.root)
        let body = String(text[text.range(of: "\nlog:")!.upperBound...])
        let audited = try RTBRegistryRoutingTests.metrics("rtb_market", "log:" + body)
        let plain = try RTBRegistryRoutingTests.metrics("rtb_market", "log:" + body.replacingOccurrences(of: "audit_auctions: 500", with: "audit_auctions: 0"))
        let gain = try #require(audited[0].first { $0.0 == "max_gain_from_misreport" }).1
        #expect(gain <= 1e-9 && gain >= 0)
        #expect(Array(audited[0].dropLast()).map(\.1) == plain[0].map(\.1))
    }
}
