import Foundation
import GavelData
import GavelCore
import GavelConfig

/// The ad-market instance built from ../shared/data/rtb (docs/matching.md):
/// campaigns are offline vertices, logged impressions of campaign 2997's test
/// log are arrivals, and the logged predicted CTR is the success probability.
///
/// Only campaign 2997 ships an impression log with pCTR, so the other
/// campaigns reuse its impressions: campaign c's click probability on
/// impression t is pCTR_t · CTR_c / CTR_2997 (capped at 1), where CTR_c is c's
/// training click-through rate from info.json. Impression t is an edge of
/// campaign c when its logged market price is at most c's average training
/// price per impression (the campaign could afford it at its usual rate).
/// Weights: 1 (clicks), or the campaign's training cost per click divided by
/// the largest such value (`valueWeighted`).
public enum AdMarketInstance {
    public static let campaigns = ["1458", "2259", "2261", "2821", "2997", "3358", "3386", "3427", "3476"]

    /// - Parameters:
    ///   - folder: `rtb/rlb-dp/ipinyou-data` under the data directory.
    ///   - impressions: how many leading rows of 2997's test.theta.txt become arrivals.
    ///   - probabilityScale: multiplies every p (≥ 1 makes the clicks less rare); the result is capped at 1.
    public static func build(folder: String, impressions: Int, probabilityScale: Double = 1, valueWeighted: Bool = false) throws -> MatchingInstance {
        let infos = try campaigns.map { try CampaignInfo.read(path: "\(folder)/\($0)/info.json") }
        let log = try RLBReplayFile.readTheta(path: "\(folder)/2997/test.theta.txt")
        guard impressions >= 1, impressions <= log.count else {
            throw InputError(file: "\(folder)/2997/test.theta.txt", field: "impressions", "asked for \(impressions) impressions; the log has \(log.count)")
        }
        let base = infos[campaigns.firstIndex(of: "2997")!].averageCTR
        let cpc = infos.map(\.costPerClick)
        let maxCPC = cpc.max()!
        let weights = valueWeighted ? cpc.map { $0 / maxCPC } : Array(repeating: 1.0, count: campaigns.count)
        var arrivals: [[(u: Int, p: Double)]] = []
        arrivals.reserveCapacity(impressions)
        for t in 0..<impressions {
            let price = Double(log.prices[t])
            arrivals.append(infos.enumerated().compactMap { c, info in
                price <= info.costPerImpression ? (c, min(1, log.ctrs[t] * probabilityScale * info.averageCTR / base)) : nil
            })
        }
        return try MatchingInstance(weights: weights, arrivals: arrivals, offlineIDs: campaigns.map { "camp\($0)" })
    }
}
