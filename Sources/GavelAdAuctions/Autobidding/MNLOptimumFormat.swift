import GavelCore

/// The AI-content page as an autobidding format (`mnl_optimum`; docs/autobidding.md): the MNL
/// welfare optimum over at most K of the positions (Dinkelbach, certified) with VCG payments.
///
/// Bids are value-equivalent (κ·v_ai, like every format's); with v_ai = V_a·α_ai the per-click
/// bid is b_a / α_ai, the attraction of a at position j is w_aj = s·α_ai·β_j, and a shown ad's
/// expected value is V_a·π_a (π_a its MNL click probability). Ads with α_ai = 0 are not shown.
/// The page has no outside bid and no reserve, and its clicks are not separable.
public struct MNLOptimumFormat: AutobidAuctionFormat {
    /// `mnl_optimum`.
    public let name = "mnl_optimum"
    /// One line for `gavel list`.
    public let summary = "MNL welfare optimum over K positions with VCG payments (truthful; no outside bid, no reserve)"
    /// True: VCG on the welfare optimum.
    public let isTruthful = true
    /// Dinkelbach with VCG payments (valid constant arguments: cannot fail).
    let mechanism = try! AdMechanism(rule: .dinkelbach, payment: .vcg)

    /// The format (it keeps no state between auctions: each page is solved afresh).
    public init() {}

    /// Any number of positions.
    public func accepts(slots: Int) -> Bool { slots >= 1 }
    /// No: the AI-content page has neither.
    public var takesOutsideBidAndReserve: Bool { false }
    /// No: an ad's clicks depend on every ad shown (the MNL denominator).
    public var hasSeparableClicks: Bool { false }

    /// Solves the page for the auction's bids; an optimiser failure (its certificate) is an
    /// `ExperimentError` of the run.
    public mutating func clear(_ auction: AutobidAuctionInput, into result: inout AuctionClearing) throws {
        try page(auction, into: &result)
    }

    /// The page with advertiser `me` bidding `bid` instead, the others' bids fixed: its value
    /// won (at its true per-click value) and payment. A failure of the optimiser propagates.
    public func counterfactual(bid: Double, advertiser me: Int, in auction: AutobidAuctionInput) throws -> (value: Double, payment: Double) {
        var changed = auction
        changed.bids[me] = bid
        var r = AuctionClearing(slots: auction.terms.clickFactors.count, advertisers: auction.advertisers)
        try page(changed, into: &r)
        return (r.valueWon[me], r.payment[me])
    }

    /// The optimal page and its VCG payments for `auction`'s bids.
    func page(_ auction: AutobidAuctionInput, into result: inout AuctionClearing) throws {
        let n = auction.advertisers, beta = auction.terms.clickFactors, k = beta.count, s = auction.terms.attraction
        var w = [Double](repeating: 0, count: n * k)
        var perClick = [Double](repeating: 0, count: n)
        for a in 0..<n {
            let alpha = auction.attraction(of: a)
            guard alpha > 0 else { continue }
            perClick[a] = auction.bids[a] / alpha
            for j in 0..<k { w[a * k + j] = s * alpha * beta[j] }
        }
        let page = try PositionAuction(model: .mnl(weights: AdMatrix(rows: n, columns: k, values: w)), maxAds: k)
        let out = try mechanism.run(page, bids: perClick)
        result.reset()
        for slot in out.slots { result.slotHolder[slot.position] = slot.advertiser }
        for a in 0..<n {
            result.payment[a] = out.paymentPerImpression[a]
            result.valueWon[a] = auction.perClickValues[a] * out.ctr[a]
        }
    }
}
