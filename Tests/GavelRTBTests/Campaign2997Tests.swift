import Testing
import GavelCore
import GavelData
@testable import GavelRTB

/// Campaign 2997, full test log (156,063 auctions), T = 1000, c0 = 1/32, B = 1969:
/// the authors' README table (han-cai/rlb-dp @1eeb9e4, `bid-performance/ipinyou_N=1000_c0=0.03125_obj=clk_clkvp=1.txt`;
/// spec/rtb.md §B.6(a), R1–R2). Integer counts, so asserted exactly.
/// Why a shared data file could not be read (Sendable, unlike `any Error`).
struct SharedInputError: Error, Sendable, CustomStringConvertible { let description: String }

@Suite struct Campaign2997Tests {
    /// Read once; a missing or bad file fails each test that needs it, not the whole test process.
    static let infoRead = Result { try CampaignInfo.read(path: SharedData.path(SharedData.rtb2997 + "/info.json")) }
        .mapError { SharedInputError(description: "\($0)") }
    static let logRead = Result { try RLBReplayFile.readTheta(path: SharedData.path(SharedData.rtb2997 + "/test.theta.txt")) }
        .mapError { SharedInputError(description: "\($0)") }
    static var info: CampaignInfo { get throws { try infoRead.get() } }
    static var log: BidRequestLog { get throws { try logRead.get() } }

    @Test func dataChecksums() throws {
        let log = try Self.log, info = try Self.info
        // spec R7: 156,063 rows, 530 clicks, Σ price 8,617,148 = cost_test.
        #expect(log.count == 156_063)
        #expect(log.totalClicks == 530)
        #expect(log.totalPrice == 8_617_148)
        #expect(log.totalPrice == info.costTest)
        #expect(info.budget(c0: 1.0 / 32, episodeLength: 1000) == 1969)
    }

    @Test(arguments: [
        ("ss_mdp", 80, 40395, 306637),
        ("mcpc", 48, 14752, 307751),
        ("lin", 71, 32208, 203610),
        ("rlb", 78, 39680, 304375),
    ])
    func authorsTable(bidder: String, clicks: Int, impressions: Int, cost: Int) throws {
        let info = try Self.info, log = try Self.log
        let b = info.budget(c0: 1.0 / 32, episodeLength: 1000)
        let prices = MarketPriceDistribution(campaign: info)
        let strategy: BidStrategy
        switch bidder {
        case "mcpc": strategy = .mcpc(costPerClick: info.costPerClick)
        case "lin": strategy = .linear(b0: 10, averageCTR: info.averageCTR)
        default:
            let v = RLBValueFunction(episodeLength: 1000, budget: b, maxBid: 300, prices: prices, averageCTR: info.averageCTR)
            strategy = bidder == "rlb" ? .rlb(v) : .ssMDP(v)
        }
        let (r, _) = ExchangeReplay(log: log, episodeLength: 1000, budget: b).run(strategy)
        #expect(r.auctions == 156_063)
        #expect(r.clicks == clicks)
        #expect(r.impressions == impressions)
        #expect(r.cost == cost)
    }
}

