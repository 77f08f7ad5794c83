import GavelCore

/// A position auction's mechanism: an allocation rule (which ads are shown, in which slots) with
/// its payment rule. This is the extension point of `aigc_auction`, `aigc_cascade` and
/// `aigc_market` (issue 19): Gavel's own mechanisms conform to it, and a program can register its
/// own (``AIGCAuctionFamily/registry`` and the other kinds' registries) before running, after
/// which a scenario names it like a built-in one.
///
/// Only ``allocate(_:bids:)`` is required: ``run(_:bids:)`` then charges Myerson payments, found
/// by bisection on the rule's own allocations (truthful when the rule is monotone), so a new rule
/// is one method. A mechanism with its own payments (GSP, VCG) implements ``run(_:bids:)`` too.
/// Both may throw: an `InputError` for an auction the rule cannot handle (a cascade rule on an
/// MNL instance), an `ExperimentError` for a failed solve; the kind's run fails with it.
public protocol PositionAuctionMechanism: Sendable {
    /// The name scenarios use (`dinkelbach`, `greedy`, `my_rule`): snake_case, unique in its kind.
    var name: String { get }
    /// One line for `gavel list`.
    var summary: String { get }
    /// The shown slots, in rendering order, for per-click bids `bids` (one per advertiser).
    func allocate(_ auction: PositionAuction, bids: [Double]) throws -> [Slot]
    /// Allocation, click probabilities and expected payments per impression for `bids`.
    func run(_ auction: PositionAuction, bids: [Double]) throws -> MechanismOutcome
    /// The mechanism as it runs under a scenario's terms (the values' prior, the reserve). The kinds
    /// call it once per run, before any auction, so per-run work (ironing virtual values) is done
    /// once; by default the mechanism ignores the terms.
    func adapted(to terms: AuctionTerms) throws -> any PositionAuctionMechanism
}

/// What a scenario fixes around its auctions, beyond one auction's bids: the prior the values are
/// drawn from (a revenue-optimal mechanism's virtual values come from it) and the per-click reserve.
public struct AuctionTerms: Sendable {
    /// The distribution of the advertisers' per-click values.
    public var prior: ValueDistribution
    /// The per-click reserve price (0: none).
    public var reserve: Double

    /// Terms of `prior` with reserve `reserve`.
    public init(prior: ValueDistribution, reserve: Double = 0) {
        self.prior = prior
        self.reserve = reserve
    }
}

extension PositionAuctionMechanism {
    /// Myerson payments of ``allocate(_:bids:)``: P_i = Σ z_k·Δπ_k over the jumps of z ↦ π_i(z, b_−i)
    /// on [0, b_i], found by bisection (`MyersonPayment.bisectionJumps`); DSIC for any monotone rule.
    /// Welfare and objective are Σ b_i π_i.
    public func run(_ auction: PositionAuction, bids: [Double]) throws -> MechanismOutcome {
        guard bids.count == auction.advertisers else {
            throw InputError("expected \(auction.advertisers) bids (one per advertiser), found \(bids.count)", field: "values")
        }
        let slots = try allocate(auction, bids: bids)
        let ctr = auction.ctr(of: slots)
        var pay = [Double](repeating: 0, count: auction.advertisers)
        for s in slots where ctr[s.advertiser] > 0 {
            pay[s.advertiser] = try MyersonPayment.bisectionJumps(auction, bids: bids, bidder: s.advertiser) { try allocate(auction, bids: $0) }
                .reduce(0) { $0 + $1.at * $1.size }
        }
        let welfare = auction.objective(of: slots, coefficients: bids)
        return MechanismOutcome(slots: slots, ctr: ctr, paymentPerImpression: pay, welfare: welfare, objective: welfare)
    }

    /// The mechanism itself: it does not depend on the prior or the reserve.
    public func adapted(to terms: AuctionTerms) throws -> any PositionAuctionMechanism { self }
}

/// `AdMechanism` is a position-auction mechanism under its `rule+payment` name, so the auditor and
/// the checks take it like any registered one.
extension AdMechanism: PositionAuctionMechanism {
    /// The rule and payment (`dinkelbach` with `vcg`, on virtual values or not, with the reserve).
    public var summary: String {
        "\(rule.name) allocation, \(payment.rawValue) payments" + (virtualValues == nil ? "" : " on virtual values")
            + (reserve > 0 ? ", reserve \(reserve)" : "")
    }

    /// The rule's allocation on the mechanism's coefficients (bids, or virtual values, with the reserve).
    public func allocate(_ auction: PositionAuction, bids: [Double]) throws -> [Slot] {
        try rule.allocate(auction, coefficients: coefficients(bids), certification: certification)
    }
}
