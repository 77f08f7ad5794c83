import Foundation
import Testing
import GavelCore
import GavelData
@testable import GavelRTB
@testable import GavelScenario
import GavelConfig

@Suite struct ExchangeReplayTests {
    static let log = BidRequestLog(clicks: [1, 0, 1, 0, 1], prices: [10, 20, 20, 5, 0], ctrs: [0.1, 0.1, 0.1, 0.1, 0.1])

    @Test func rlbProtocolWinsTiesCapsAtBudgetAndResetsEachEpisode() {
        // Bid 20, budget 30, episodes of 2: ep1 wins 10 and 20 (tie); ep2 wins 20 (tie), then 5 > budget left 10? no: 5 ≤ 10 wins;
        // ep3 wins price 0.
        let (r, events) = ExchangeReplay(log: Self.log, episodeLength: 2, budget: 30).run(.constant(20))
        #expect(r.auctions == 5)
        #expect(r.impressions == 5)
        #expect(r.cost == 55)
        #expect(r.clicks == 3)
        #expect(events == 2)   // concurrent episodes: one step per request position of the 2-request episodes
        #expect(ExchangeReplay(log: Self.log, episodeLength: 2, budget: 30).runInLogOrder(.constant(20)).events == 5)   // one per request
        // Budget 15: ep1 wins 10 then bid capped to 5 < 20; ep2 bids 15 < 20, wins 5; ep3 wins 0.
        let (tight, _) = ExchangeReplay(log: Self.log, episodeLength: 2, budget: 15).run(.constant(20))
        #expect(tight.impressions == 3)
        #expect(tight.cost == 15)
    }

    @Test func ortbProtocolNeedsStrictlyHigherBidAndStopsAfterOverspend() {
        // bid > price: 20 beats 10, 5 and 0 but not 20; single budget 12: win 10 (spend 10 ≤ 12), lose 20, lose 20,
        // win 5 (spend 15 > 12: stop).
        let (r, _) = ExchangeReplay(log: Self.log, episodeLength: 2, budget: 0, rule: .singleBudget(12)).run(.constant(20))
        #expect(r.auctions == 4)
        #expect(r.impressions == 2)
        #expect(r.cost == 15)
    }

    @Test func arrivalTimesOrderTheReplay() {
        // Timestamps reverse the log: the budget is spent on the last rows first.
        let times: [Double] = [5, 4, 3, 2, 1]
        let replay = ExchangeReplay(log: Self.log, times: times, episodeLength: 5, budget: 25)
        let (r, _) = replay.run(.constant(30))
        // Order by time: prices 0, 5, 20 (spend 25), then 20 and 10 exceed the budget left (0).
        #expect(r.impressions == 3)
        #expect(r.cost == 25)
        #expect(r.clicks == 2)
    }

    /// The concurrent-episodes schedule (the default for deterministic bidders under the
    /// episodes rule) gives exactly the log-order result: every bidder, two budgets
    /// (c0 = 1/32, 1/16: the DP at c0 = 1/2 is too slow for a debug build), on campaign
    /// 2997's log cut to 40,500 rows (a partial last episode).
    @Test(arguments: [1.0 / 32, 1.0 / 16])
    func concurrentEpisodesEqualLogOrder(c0: Double) throws {
        let info = try Campaign2997Tests.info
        let log = try Campaign2997Tests.log.prefix(40_500)
        let b = info.budget(c0: c0, episodeLength: 1000)
        let v = RLBValueFunction(episodeLength: 1000, budget: b, maxBid: 300, prices: MarketPriceDistribution(campaign: info), averageCTR: info.averageCTR)
        let replay = ExchangeReplay(log: log, episodeLength: 1000, budget: b)
        let bidders: [BidStrategy] = [.constant(80), .mcpc(costPerClick: info.costPerClick), .linear(b0: 130, averageCTR: info.averageCTR), .ssMDP(v), .rlb(v)]
        for strategy in bidders {
            #expect(replay.usesConcurrentEpisodes(strategy))
            let concurrent = replay.runConcurrentEpisodes(strategy), sequential = replay.runInLogOrder(strategy)
            #expect(concurrent.result == sequential.result, "\(strategy.name)")
            #expect(concurrent.events == 1000)   // one step per request position, carrying every episode's request
            #expect(sequential.events == 40_500)
            #expect(sequential.result.impressions > 0)
        }
        #expect(!replay.usesConcurrentEpisodes(.random(upper: 60)))
    }

    @Test func randomBidderIsReproducibleFromItsStream() throws {
        let replay = try ExchangeReplay(log: Campaign2997Tests.log.prefix(20_000), episodeLength: 1000, budget: 3938)
        let a = replay.run(.random(upper: 60), random: Xoshiro256StarStar(seed: 3))
        let b = replay.run(.random(upper: 60), random: Xoshiro256StarStar(seed: 3))
        let c = replay.run(.random(upper: 60), random: Xoshiro256StarStar(seed: 4))
        #expect(a.result == b.result)
        #expect(a.result != c.result)
    }

    @Test func linTunedOnValidationByTheRule() throws {
        // The validation log (old LR model's pCTR) with the spec's rule: grid step 6, stop after 5 misses.
        let validation = try RLBReplayFile.readValidation(path: SharedData.path(SharedData.rtb2997 + "/validation.1000.txt"))
        // spec R7: 100,000 rows, 678 clicks, Σ price 5,896,331.
        #expect(validation.log.count == 100_000)
        #expect(validation.log.totalClicks == 678)
        #expect(validation.log.totalPrice == 5_896_331)
        let info = try Campaign2997Tests.info
        let replay = ExchangeReplay(log: validation.log, episodeLength: 1000, budget: info.budget(c0: 1.0 / 32, episodeLength: 1000))
        let outcome = ParameterTuning.tune { b0 in Double(replay.run(.linear(b0: b0, averageCTR: info.averageCTR)).result.clicks) }
        #expect(outcome.best % 6 == 0)
        #expect(outcome.tried.count >= 6)
        #expect(outcome.bestObjective == outcome.tried.map(\.objective).max())
    }
}

@Suite struct MultiCampaignMarketTests {
    static let log = BidRequestLog(clicks: [1, 1, 0], prices: [10, 10, 50], ctrs: [0.5, 0.5, 0.5])

    static func info(_ ctr: Double) -> CampaignInfo {
        CampaignInfo(impressionsTrain: 1000, clicksTrain: Int(ctr * 1000), costTrain: 50_000, priceCountsTrain: [1000] + Array(repeating: 0, count: 300))
    }

    @Test func highestBidWinsAndPaysTheSecondPrice() throws {
        let market = MultiCampaignMarket(log: Self.log, episodeLength: 3, campaigns: [
            .init(name: "a", info: Self.info(0.5), strategy: .constant(30), budget: 100, ctrScale: 1, loggedClicks: true),
            .init(name: "b", info: Self.info(0.5), strategy: .constant(20), budget: 100, ctrScale: 1, loggedClicks: true),
        ])
        let o = try market.run(seed: 1)
        // Requests 1–2: a bids 30, b 20, price 10: a wins and pays 20. Request 3: price 50 beats both.
        #expect(o.perCampaign[0].impressions == 2)
        #expect(o.perCampaign[0].cost == 40)
        #expect(o.perCampaign[0].clicks == 2)
        #expect(o.perCampaign[1].impressions == 0)
        #expect(o.outsideWins == 1)
    }

    @Test func budgetsBindAndTiesGoToTheEarlierCampaign() throws {
        let market = MultiCampaignMarket(log: Self.log, episodeLength: 3, campaigns: [
            .init(name: "a", info: Self.info(0.5), strategy: .constant(25), budget: 25, ctrScale: 1, loggedClicks: true),
            .init(name: "b", info: Self.info(0.5), strategy: .constant(25), budget: 100, ctrScale: 1, loggedClicks: true),
        ])
        let o = try market.run(seed: 1)
        // Request 1: tie at 25, a wins, pays 25 (b's bid); request 2: a's bid capped at 0, b wins paying max(10, 0) = 10.
        #expect(o.perCampaign[0].impressions == 1 && o.perCampaign[0].cost == 25)
        #expect(o.perCampaign[1].impressions == 1 && o.perCampaign[1].cost == 10)
    }
}

@Suite struct RTBScenarioTests {
    static let base = """
    schema_version: 1
    name: rtb-test
    kind: rtb_replay
    log: ${GAVEL_DATA}/rtb/rlb-dp/ipinyou-data/2997/test.theta.txt
    campaign: ${GAVEL_DATA}/rtb/rlb-dp/ipinyou-data/2997/info.json
    c0: 0.03125
    bidders: [mcpc, lin, rlb]
    lin_b0: 10
    rows: 30000

    """

    func load(_ text: String, overrides: [String] = []) throws -> Scenario {
        try Scenario.load(text: text, file: "rtb.yaml", directory: "/", overrides: overrides,
                          environment: ["GAVEL_DATA": SharedData.root])
    }

    @Test func summaryHasTheIssueColumns() throws {
        let s = try load(Self.base)
        let records = try ScenarioRunner(scenario: s).execute()
        let csv = ResultFiles.summaryCSV(records: records, mechanismColumn: RTBReplayExperiment.mechanismColumn)
        let header = csv.split(separator: "\n")[0].split(separator: ",").map(String.init)
        #expect(Array(header.prefix(12)) == ["bidder", "c0", "budget", "replications", "auctions", "impressions", "clicks", "cost", "win_rate", "cpm", "ecpc", "ctr"])
        #expect(csv.contains("\nrlb,0.03125,1969,1,30000,"))
    }

    @Test func zeroBudgetIsAClearError() throws {
        #expect { try load(Self.base, overrides: ["c0=0.00001"]) } throws: { error in
            "\(error)".contains("zero budget")
        }
    }

    @Test func missingDataFileNamesTheField() throws {
        #expect { try load(Self.base.replacingOccurrences(of: "2997/info.json", with: "2997/nosuch.json")) } throws: { error in
            let e = error as? InputError
            return e?.field == "campaign" && e?.location?.line == 5 && e?.message.contains("file not found") == true
        }
    }

    @Test func tunedParametersNeedAValidationLog() throws {
        #expect { try load(Self.base, overrides: ["lin_b0=tuned"]) } throws: { error in
            "\(error)".contains("validation")
        }
    }

    @Test func dpBiddersAreRejectedUnderTheOrtbProtocol() throws {
        #expect { try load(Self.base, overrides: ["protocol=ortb"]) } throws: { error in
            "\(error)".contains("not rlb")
        }
    }
}
