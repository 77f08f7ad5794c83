import GavelCore

/// Empirical DSIC check for any mechanism (issue item 7): on each instance, each bidder's true value
/// v_i, it tries every misreport on a grid (multiples of v_i, and just above and below every other
/// bid, where thresholds sit) and records the largest utility gain over truthful bidding.
/// Utility per impression: v_i π_i(b) − P_i(b).
public struct TruthfulnessAuditor: Sendable {
    /// Misreports as multiples of the true value.
    public var factors: [Double]
    /// Also try each other bid (and ×(1 ± 1e-6) around it): the places where allocations change.
    public var nearOtherBids: Bool

    /// An auditor trying `factors` × v_i (default 0, 0.05, …, 3) and, if `nearOtherBids`, the bids around the others'.
    public init(factors: [Double] = MisreportAudit.defaultFactors, nearOtherBids: Bool = true) {
        self.factors = factors
        self.nearOtherBids = nearOtherBids
    }

    /// The most profitable misreport found.
    public struct Finding: Sendable {
        /// Largest gain found (0 when truthful bidding was best on the grid).
        public var gain: Double
        /// The bidder who gains.
        public var bidder: Int
        /// Its true value v_i.
        public var truthfulBid: Double
        /// The misreport that gains.
        public var misreport: Double
        /// Number of (bidder, misreport) pairs tried.
        public var tried: Int
    }

    /// The largest gain over all bidders of one instance; `values` are the true values (also the
    /// truthful bids). Any position-auction mechanism, a registered one included, through its `run`.
    /// The search is `MisreportAudit`'s, shared with the other families.
    public func audit(_ mechanism: some PositionAuctionMechanism, on a: PositionAuction, values: [Double]) throws -> Finding {
        let truthful = try mechanism.run(a, bids: values)
        var best = Finding(gain: 0, bidder: -1, truthfulBid: 0, misreport: 0, tried: 0)
        for i in 0..<a.advertisers {
            let others = nearOtherBids ? (0..<a.advertisers).filter { $0 != i }.map { values[$0] } : []
            let reports = MisreportAudit.candidates(truth: values[i], factors: factors, others: others)
            let found = try MisreportAudit.maxGain(truth: values[i], misreports: reports) { r in
                if r == values[i] { return values[i] * truthful.ctr[i] - truthful.paymentPerImpression[i] }
                var bids = values
                bids[i] = r
                let out = try mechanism.run(a, bids: bids)
                return values[i] * out.ctr[i] - out.paymentPerImpression[i]
            }
            best.tried += found.tried
            if found.gain > best.gain, let r = found.misreport {
                best.gain = found.gain; best.bidder = i; best.truthfulBid = values[i]; best.misreport = r
            }
        }
        return best
    }
}
