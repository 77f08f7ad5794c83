import GavelCore

/// An autobidding market's auction format: the extension point of `kind: autobidding` (issue 19).
/// Gavel's own formats (second_price, first_price, gsp, vcg, mnl_optimum) conform to it, and a
/// program registers its own in ``AutobidFormats/registry`` before running, after which a
/// scenario names it like a built-in one (`mechanisms: [vcg, my_format]`).
///
/// The market (``AutobidMarket``) asks the format to clear every auction once, then lets each
/// bidder ask ``counterfactual(bid:advertiser:in:)`` what other bids would have got it (Hedge
/// asks once per grid multiplier; hindsight regret once per multiplier and auction). Both may
/// throw: the run then fails with an `ExperimentError` naming the auction.
public protocol AutobidAuctionFormat: Sendable {
    /// The name scenarios use (`gsp`, `my_format`): snake_case, unique in the registry.
    var name: String { get }
    /// One line for `gavel list`.
    var summary: String { get }
    /// Whether bidding one's value is a dominant strategy (without budgets): what the
    /// truthful-format guarantees (ABM's 1/2 of liquid welfare) assume.
    var isTruthful: Bool { get }
    /// Whether the format runs on `slots` click factors (the one-slot formats take exactly one);
    /// the scenario is rejected at its `mechanisms:` line otherwise.
    func accepts(slots: Int) -> Bool
    /// Whether the format can take an outside bid and a reserve. The MNL page has neither: its
    /// scenarios must use the synthetic workload without `outside_mean` and `reserve`. Default: yes.
    var takesOutsideBidAndReserve: Bool { get }
    /// Whether slot j's expected clicks are β_j whoever else is shown (separable click factors):
    /// the liquid-welfare LP's model. When not (the MNL page), `liquid_welfare_opt` is NaN rather
    /// than the optimum of another model. Default: yes.
    var hasSeparableClicks: Bool { get }
    /// Clears one auction into `result`: every slot's holder, every advertiser's expected
    /// payment and value won, the outside bid's value (start from ``AuctionClearing/reset()``).
    /// `mutating` so that a format keeps its scratch buffers between auctions: the market holds
    /// one copy per episode and clears about a million auctions a second through it.
    mutating func clear(_ auction: AutobidAuctionInput, into result: inout AuctionClearing) throws
    /// What bid `bid` would have got `advertiser` in `auction`, the other bids (and the outside
    /// bid) fixed: its expected value won (at its true value) and payment. A counterfactual bid
    /// loses ties.
    func counterfactual(bid: Double, advertiser: Int, in auction: AutobidAuctionInput) throws -> (value: Double, payment: Double)
}

extension AutobidAuctionFormat {
    /// Yes: most formats rank bids against an outside bid and a reserve.
    public var takesOutsideBidAndReserve: Bool { true }
    /// Yes: click factors β_j per slot.
    public var hasSeparableClicks: Bool { true }
}

/// What a market fixes around its auctions: the slots' click factors, the reserve, and the MNL
/// page's attraction scale. Every auction of a run has the same terms.
public struct AutobidAuctionTerms: Sendable {
    /// β_j per slot, non-increasing, in (0, 1]: slot j is worth β_j·v to an advertiser of slot-1 value v.
    public var clickFactors: [Double]
    /// The reserve price (bids under it do not take part; 0: none).
    public var reserve: Double
    /// The MNL page's attraction scale s of w_aj = s·α_ai·β_j (only the MNL format reads it).
    public var attraction: Double

    /// Terms of `clickFactors` slots with reserve `reserve` and MNL attraction scale `attraction`.
    public init(clickFactors: [Double], reserve: Double = 0, attraction: Double = 1) {
        self.clickFactors = clickFactors; self.reserve = reserve; self.attraction = attraction
    }
}

/// One auction as a format sees it: the bids, the advertisers' values (a format's bookkeeping of
/// the value won, not something to price on) and the outside bid. The market keeps one and
/// overwrites it auction after auction, so building it allocates nothing.
public struct AutobidAuctionInput: Sendable {
    /// The market's terms.
    public let terms: AutobidAuctionTerms
    /// V_a, value per click (conversion), with v_ai = V_a·α_ai: the MNL page needs α apart from V.
    public let perClickValues: [Double]
    /// The auction's position in the episode (for messages).
    public var index: Int
    /// bids[a]: advertiser a's bid, value-equivalent (κ·v_ai), capped by the budget left, ≥ 0.
    public var bids: [Double]
    /// values[a] = v_ai: what slot 1 is worth to advertiser a in this auction.
    public var values: [Double]
    /// The outside bid (a real exchange's logged market price; 0: none). Its slot's value and
    /// payment are nobody's.
    public var outside: Double

    /// An auction with these bids and values; `perClickValues` default to the values (α = 1).
    public init(terms: AutobidAuctionTerms, bids: [Double], values: [Double], outside: Double = 0,
                perClickValues: [Double]? = nil, index: Int = 0) {
        precondition(bids.count == values.count && (perClickValues?.count ?? values.count) == values.count)
        self.terms = terms; self.bids = bids; self.values = values; self.outside = outside
        self.perClickValues = perClickValues ?? values; self.index = index
    }

    /// The number of advertisers.
    public var advertisers: Int { bids.count }
    /// α_ai = v_ai / V_a, advertiser a's relevance to this auction (the MNL page's attraction factor).
    public func attraction(of a: Int) -> Double { values[a] / perClickValues[a] }
}

/// One auction's clearing: who takes each slot, and what each advertiser pays and gets (expected,
/// per impression). The market owns one and hands it to every auction, so a format writes into
/// buffers that already exist.
public struct AuctionClearing: Sendable {
    /// Advertiser in slot j (−1: the outside bid; −2: empty).
    public var slotHolder: [Int]
    /// Expected payment per impression, per advertiser.
    public var payment: [Double]
    /// Expected value won, per advertiser, at its true value (β_j·v_ai for slot j).
    public var valueWon: [Double]
    /// The outside bid's value from its slot (β_j × the outside bid; 0 without one).
    public var outsideValue = 0.0

    /// A clearing of `slots` empty slots for `advertisers` advertisers.
    public init(slots: Int, advertisers: Int) {
        slotHolder = Array(repeating: -2, count: slots)
        payment = Array(repeating: 0, count: advertisers)
        valueWon = Array(repeating: 0, count: advertisers)
    }

    /// Every slot empty, every payment and value 0 (in place: the buffers are kept).
    public mutating func reset() {
        for j in slotHolder.indices { slotHolder[j] = -2 }
        for a in payment.indices { payment[a] = 0; valueWon[a] = 0 }
        outsideValue = 0
    }
}

/// The autobidding formats: Gavel's own, in `gavel list` order, then registered ones.
/// A scenario's `mechanisms:` names resolve here.
public enum AutobidFormats: MechanismFamily {
    /// Built-in first, in `gavel list` order.
    public static let registry = MechanismRegistry<any AutobidAuctionFormat>(family: "autobidding format", builtIn: [
        SeparableSlotFormat.secondPrice, SeparableSlotFormat.firstPrice, SeparableSlotFormat.gsp, SeparableSlotFormat.vcg,
        MNLOptimumFormat(),
    ], name: { $0.name }, summary: { $0.summary })
}
