import GavelData

/// The market-price distribution m(δ) of RLB (Cai et al. 2017, §B.2 of
/// spec/rtb.md): training price counts with Laplace smoothing,
/// m(δ) = (count(δ) + 1) / (Σcount + bins), δ = 0 … bins−1.
public struct MarketPriceDistribution: Sendable, Equatable {
    public let probabilities: [Double]

    public init(counts: [Int], laplace: Int = 1) {
        precondition(!counts.isEmpty && counts.allSatisfy { $0 >= 0 })
        let total = counts.reduce(0, +) + counts.count * laplace
        // Integer numerator and denominator: one correctly rounded division, as Python's `/`.
        probabilities = counts.map { Double($0 + laplace) / Double(total) }
    }

    public init(campaign: CampaignInfo) { self.init(counts: campaign.priceCountsTrain) }

    public var maxPrice: Int { probabilities.count - 1 }
}

/// What a bidder maximises: v1·clicks − v0·cost (spec B.1; clicks: v1 = 1, v0 = 0;
/// profit: v1 = CPC_train as an integer, v0 = 1).
public struct RTBObjective: Sendable, Equatable {
    public let clickValue: Double
    public let costWeight: Double
    public static let clicks = RTBObjective(clickValue: 1, costWeight: 0)
    public static func profit(valuePerClick: Int) -> RTBObjective { RTBObjective(clickValue: Double(valuePerClick), costWeight: 1) }

    public func value(clicks: Int, cost: Int) -> Double { clickValue * Double(clicks) - costWeight * Double(cost) }
}
