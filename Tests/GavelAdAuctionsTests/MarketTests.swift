import Foundation
import GavelCore
@testable import GavelAdAuctions
import GavelScenario
import Testing

@Suite("The kernel market")
struct MarketTests {
    @Test("MNL market: realised welfare matches expected welfare (4 σ), revenue ≤ welfare, clicks ≤ 1 per query, deterministic per seed")
    func mnlMarket() throws {
        let market = AdMarket(advertisers: 6, positions: 4, maxAds: 3, queries: 5_000)
        let a = try market.run(AIGCMarketFamily.welfare, seed: 3), b = try market.run(AIGCMarketFamily.welfare, seed: 3)
        #expect(a.metrics.map(\.1) == b.metrics.map(\.1))
        let x = Dictionary(uniqueKeysWithValues: a.metrics)
        let welfare = x["welfare_per_query"] ?? .nan, expected = x["expected_welfare_per_query"] ?? .nan
        // At most one click per query, worth v ≤ 10: X ∈ [0, 10] so Var X ≤ E[X²] ≤ 10·E[X].
        #expect(abs(welfare - expected) <= 4 * (10 * expected / 5_000).squareRoot())
        #expect((x["revenue_per_query"] ?? .nan) <= welfare)
        #expect((x["clicks_per_query"] ?? .nan) <= 1)
        #expect(a.events == 5_000)
    }

    @Test("substitution-blind allocation earns less expected welfare than the optimum on the same queries")
    func substitutionCost() throws {
        // Same seed: the same queries (CTR noise is drawn in the same order), so the comparison is per query.
        var market = AdMarket(advertisers: 8, positions: 5, maxAds: 5, queries: 100)
        market.advertiserMean = 0.5
        let opt = Dictionary(uniqueKeysWithValues: try market.run(AIGCMarketFamily.welfare, seed: 9).metrics)
        let naive = Dictionary(uniqueKeysWithValues: try market.run(AIGCMarketFamily.ignoreSubstitution, seed: 9).metrics)
        #expect((naive["expected_welfare_per_query"] ?? .nan) < (opt["expected_welfare_per_query"] ?? .nan))
    }

    @Test("budgets: pacing spreads spend (fewer budgets run dry than without pacing)")
    func budgetsAndPacing() throws {
        var market = AdMarket(advertisers: 5, positions: 3, maxAds: 2, queries: 20_000)
        market.budget = 300
        let unpaced = Dictionary(uniqueKeysWithValues: try market.run(AIGCMarketFamily.welfare, seed: 5).metrics)
        market.pacing = .multiplicative
        let paced = Dictionary(uniqueKeysWithValues: try market.run(AIGCMarketFamily.welfare, seed: 5).metrics)
        #expect((unpaced["budgets_exhausted"] ?? 0) >= 1)
        #expect((paced["budgets_exhausted"] ?? 0) <= (unpaced["budgets_exhausted"] ?? 0))
        // Spend is capped: each advertiser pays at most its budget plus one price (≤ 10) in total.
        #expect((unpaced["revenue_per_query"] ?? .nan) * 20_000 <= 5 * (300 + 10))
    }

    @Test("cascade market runs with the monotone greedy and Myerson payments")
    func cascadeMarket() throws {
        var market = AdMarket(advertisers: 5, positions: 3, maxAds: 3, queries: 500)
        market.model = .cascade
        let x = Dictionary(uniqueKeysWithValues: try market.run(AIGCMarketFamily.welfare, seed: 1).metrics)
        // Unpaced bids are the values and per-click prices are IR, so each click pays at most its value.
        #expect((x["revenue_per_query"] ?? .nan) <= (x["welfare_per_query"] ?? .nan) + 1e-12)
        #expect((x["clicks_per_query"] ?? 0) > 0)
    }

    @Test("the three kinds are registered and the committed scenarios validate")
    func scenarios() throws {
        for kind in ["aigc_auction", "aigc_cascade", "aigc_market"] { #expect(ExperimentRegistry.entry(for: kind) != nil) }
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        for name in ["aigc-mnl", "aigc-cascade", "aigc-market"] {
            let s = try Scenario.load(path: root.appendingPathComponent("Scenarios/\(name).yaml").path)
            #expect(!s.experiment.cells.isEmpty)
        }
    }
}
