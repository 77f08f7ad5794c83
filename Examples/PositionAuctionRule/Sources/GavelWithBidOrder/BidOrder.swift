import Gavel

/// A position-auction rule of our own: show the K highest bids, the highest in the first
/// position, the next in the second, and so on (ties to the lowest advertiser index).
///
/// It ignores the click model's substitution (an ad's clicks depend on the others shown under
/// MNL), so it is not welfare-optimal; it only shows the extension point. Only the allocation
/// is written: Gavel charges Myerson payments for it, found by bisection on this rule, which
/// is truthful exactly when the rule is monotone (a higher bid never lowers one's own click
/// probability). The auditor (`audit_instances`) checks that on every audited auction.
struct BidOrder: PositionAuctionMechanism {
    let name = "bid_order"
    let summary = "the K highest bids in positions 1..K, Myerson payments (an example rule registered from outside Gavel)"

    func allocate(_ auction: PositionAuction, bids: [Double]) throws -> [Slot] {
        // Positive bids only, highest first; equal bids keep index order (stable sort).
        let ranked = bids.indices.filter { bids[$0] > 0 }.sorted { bids[$0] > bids[$1] || (bids[$0] == bids[$1] && $0 < $1) }
        let shown = min(auction.maxAds, auction.positions)
        return ranked.prefix(shown).enumerated().map { Slot($0.element, $0.offset) }
    }
}
