import GavelCore

/// Gavel's four formats on separable slots (second_price, first_price, gsp, vcg), as
/// ``AutobidAuctionFormat``s: bids are ranked (highest first) onto K slots with click factors
/// β_1 ≥ … ≥ β_K, and each slot's holder pays what the format's pricing rule says. Bids under
/// the reserve do not take part. An outside bid competes like any other but its slot's value
/// and payment are nobody's. Ties go to the outside bid, then to the lower advertiser index
/// (RLB's protocol); a counterfactual bid loses them.
public struct SeparableSlotFormat: AutobidAuctionFormat {
    /// What the holder of a slot pays per impression.
    enum Pricing: Sendable {
        /// The highest competing bid or the reserve (one slot).
        case highestOther
        /// Its own bid (one slot).
        case ownBid
        /// β_j × the next bid or the reserve (GSP).
        case nextBid
        /// Σ_{k ≥ j} (β_k − β_{k+1})·b_(k+1): its externality (VCG for separable click factors).
        case externality
    }

    /// One slot; the winner pays the highest competing bid or the reserve (truthful).
    public static let secondPrice = SeparableSlotFormat("second_price", "one slot, pay the highest other bid or the reserve (truthful)",
                                                        pricing: .highestOther, oneSlot: true, isTruthful: true)
    /// One slot; the winner pays its bid.
    public static let firstPrice = SeparableSlotFormat("first_price", "one slot, pay your bid", pricing: .ownBid, oneSlot: true, isTruthful: false)
    /// Generalised second price: slot j pays β_j times the next bid (or the reserve) per impression.
    public static let gsp = SeparableSlotFormat("gsp", "K slots by click factor, slot j pays β_j × next bid (not truthful)",
                                                pricing: .nextBid, oneSlot: false, isTruthful: false)
    /// VCG for separable click factors: slot j pays Σ_{k ≥ j} (β_k − β_{k+1})·b_(k+1) (truthful).
    public static let vcg = SeparableSlotFormat("vcg", "K slots by click factor, externality payments (truthful)",
                                                pricing: .externality, oneSlot: false, isTruthful: true)

    /// The scenario name (`second_price`, `first_price`, `gsp`, `vcg`).
    public let name: String
    /// One line for `gavel list`.
    public let summary: String
    /// True for second price and VCG.
    public let isTruthful: Bool
    let pricing: Pricing
    let oneSlot: Bool
    /// The ranked entrants (−1: the outside bid) and their bids, reused between auctions.
    private var ranked: [Int] = [], rankedBids: [Double] = []

    init(_ name: String, _ summary: String, pricing: Pricing, oneSlot: Bool, isTruthful: Bool) {
        self.name = name; self.summary = summary; self.pricing = pricing; self.oneSlot = oneSlot; self.isTruthful = isTruthful
        ranked.reserveCapacity(16); rankedBids.reserveCapacity(16)
    }

    /// One slot for second and first price, any number for GSP and VCG.
    public func accepts(slots: Int) -> Bool { slots >= 1 && (!oneSlot || slots == 1) }

    /// Slot j's payment for a holder that bid `bid`; `below(i)` is the i-th highest entrant
    /// under it, floored at the reserve (the reserve past the last).
    func price(slot j: Int, bid: Double, clickFactors beta: [Double], below: (Int) -> Double) -> Double {
        switch pricing {
        case .highestOther, .nextBid: return beta[j] * below(0)
        case .ownBid: return beta[j] * bid
        case .externality:
            var pay = 0.0
            for m in j..<beta.count {
                let next = m + 1 < beta.count ? beta[m + 1] : 0
                pay += (beta[m] - next) * below(m - j)
            }
            return pay
        }
    }

    /// Ranks the entrants and charges each slot by the pricing rule (one slot: a linear scan
    /// for the top two, the common case, kept allocation-free).
    public mutating func clear(_ auction: AutobidAuctionInput, into result: inout AuctionClearing) {
        let beta = auction.terms.clickFactors, reserve = auction.terms.reserve, outside = auction.outside
        let k = beta.count
        result.reset()
        if k == 1 {
            var best = -2, bestBid = -Double.infinity, second = max(reserve, 0)
            if outside > 0 && outside >= reserve { best = -1; bestBid = outside }
            for (a, b) in auction.bids.enumerated() where b >= reserve && b > 0 {
                if b > bestBid { if best != -2 { second = max(second, bestBid) }; best = a; bestBid = b }
                else { second = max(second, b) }
            }
            assign(slot: 0, to: best, bid: bestBid, auction, &result) { _ in second }
            return
        }
        ranked.removeAll(keepingCapacity: true); rankedBids.removeAll(keepingCapacity: true)
        if outside > 0 && outside >= reserve { ranked.append(-1); rankedBids.append(outside) }
        for (a, b) in auction.bids.enumerated() where b >= reserve && b > 0 { ranked.append(a); rankedBids.append(b) }
        // Insertion sort by bid, descending; stable, so the outside bid and lower indices win ties.
        for i in 1..<max(ranked.count, 1) {
            let (r, b) = (ranked[i], rankedBids[i])
            var j = i
            while j > 0 && rankedBids[j - 1] < b { ranked[j] = ranked[j - 1]; rankedBids[j] = rankedBids[j - 1]; j -= 1 }
            ranked[j] = r; rankedBids[j] = b
        }
        for j in 0..<min(k, ranked.count) {
            assign(slot: j, to: ranked[j], bid: rankedBids[j], auction, &result) { i in
                j + 1 + i < rankedBids.count ? max(rankedBids[j + 1 + i], reserve) : reserve
            }
        }
    }

    /// Gives slot `j` to `holder` (−1: the outside bid, −2: nobody) with its payment and value.
    private func assign(slot j: Int, to holder: Int, bid: Double, _ auction: AutobidAuctionInput, _ result: inout AuctionClearing,
                        below: (Int) -> Double) {
        let beta = auction.terms.clickFactors
        result.slotHolder[j] = holder
        if holder == -1 { result.outsideValue = beta[j] * auction.outside }
        guard holder >= 0 else { return }
        result.payment[holder] = price(slot: j, bid: bid, clickFactors: beta, below: below)
        result.valueWon[holder] = beta[j] * auction.values[holder]
    }

    /// The slot `bid` ranks into against the others and its price. One slot: the highest
    /// competing bid by a scan; several: the competing bids under it, sorted (small K and n).
    public func counterfactual(bid: Double, advertiser me: Int, in auction: AutobidAuctionInput) -> (value: Double, payment: Double) {
        let beta = auction.terms.clickFactors, reserve = auction.terms.reserve, outside = auction.outside
        guard bid >= reserve, bid > 0 else { return (0, 0) }
        let k = beta.count
        // Rank of `bid` among the competing bids.
        var above = (outside > 0 && outside >= reserve && outside >= bid) ? 1 : 0
        for (a, b) in auction.bids.enumerated() where a != me && b >= reserve && b > 0 && b >= bid { above += 1 }
        guard above < k else { return (0, 0) }
        let slot = above, value = beta[slot] * auction.values[me]
        if k == 1 {
            // Every competing entrant is under `bid` here, so the highest is the next bid.
            var highest = max(reserve, 0)
            if outside > 0 && outside >= reserve { highest = max(highest, outside) }
            for (a, b) in auction.bids.enumerated() where a != me && b >= reserve { highest = max(highest, b) }
            return (value, price(slot: 0, bid: bid, clickFactors: beta) { _ in highest })
        }
        var below: [Double] = []
        if outside > 0 && outside >= reserve && outside < bid { below.append(outside) }
        for (a, b) in auction.bids.enumerated() where a != me && b >= reserve && b > 0 && b < bid { below.append(b) }
        below.sort(by: >)
        return (value, price(slot: slot, bid: bid, clickFactors: beta) { i in i < below.count ? max(below[i], reserve) : reserve })
    }
}
