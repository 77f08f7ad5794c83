import GavelCore

/// The auction the exchange of `kind: rtb_market` runs for each bid request: the campaigns' bids
/// and the logged market price (the outside competition) in, the winning campaign and its price out.
///
/// The extension point of `rtb_market`'s exchange (issue 19), so a scenario can put the same
/// campaigns and bidders in front of another auction. Gavel's own is the second-price exchange
/// (``SecondPriceExchange``, named `market`, the name committed results carry); a program
/// registers its own in ``RTBExchanges/registry`` before running, and a scenario names it in
/// `mechanisms:`. The kind runs each exchange the same way, and `audit_auctions` audits the
/// exchange of the run (``SecondPriceExchange/maxGainFromMisreport(values:bids:outside:clear:)``),
/// so an exchange that rewards shading shows it in `max_gain_from_misreport`.
public protocol RTBExchangeAuction: Sendable {
    /// The snake_case name a scenario uses (`mechanisms: [market, my_exchange]`), also `summary.csv`'s mechanism column.
    var name: String { get }
    /// One line for `gavel list`.
    var summary: String { get }
    /// The winner (an index into `bids`) and its price for one request; nil when the outside
    /// bid keeps it. `bids` are the campaigns' bids in scenario order (whole price units in the
    /// market, already capped at each campaign's budget left and `max_bid`; real misreports in
    /// the audit), `outside` the logged market price. In the market the price is charged rounded
    /// to whole units and must lie in [0, the winner's bid] (so no budget goes negative): an
    /// exchange breaking that, or naming no campaign, fails the run. A throw fails the run.
    func clear(bids: [Double], outside: Double) throws -> (winner: Int, payment: Double)?
}

/// The second-price exchange as an ``RTBExchangeAuction``: `market`, `rtb_market`'s built-in.
public struct SecondPriceExchangeAuction: RTBExchangeAuction {
    /// `market` (the name `rtb_market`'s committed results carry).
    public var name: String { "market" }
    /// One line for `gavel list`.
    public var summary: String { "second-price exchange: campaigns' bids plus the logged price as outside competition" }
    /// The exchange.
    public init() {}
    /// ``SecondPriceExchange/secondPrice(_:outside:)``.
    public func clear(bids: [Double], outside: Double) throws -> (winner: Int, payment: Double)? {
        SecondPriceExchange.secondPrice(bids, outside: outside)
    }
}

/// The `rtb_market` exchanges: Gavel's own (`market`, second price) first, then registered ones.
public enum RTBExchanges: MechanismFamily {
    /// The family's registry; register an exchange here before running a scenario that names it.
    public static let registry = MechanismRegistry<any RTBExchangeAuction>(
        family: "RTB exchange", builtIn: [SecondPriceExchangeAuction()], name: { $0.name }, summary: { $0.summary })
}
