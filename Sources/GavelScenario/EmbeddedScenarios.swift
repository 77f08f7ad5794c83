/// Scenarios built into the binary, so `gavel run` works with no file at hand.
/// `Scenarios/quickstart.yaml` is the same text (a test keeps them equal).
public enum EmbeddedScenarios {
    /// The source name the quickstart is reported under (it has no file).
    public static let quickstartName = "<embedded quickstart>"

    /// The quickstart scenario's YAML text.
    public static let quickstart = """
    # The quickstart: what `gavel run` runs with no scenario file.
    # Repeated single-item auctions, n bidders with values iid U[0,1] arriving as
    # kernel events. First price (equilibrium bids) and second price raise the
    # same expected revenue, (n-1)/(n+1) (revenue equivalence; Krishna,
    # Auction Theory, 2nd ed., ch. 2-3); summary.csv shows each mean next to the
    # closed form (revenue_expected) and its distance in standard errors (revenue_z).
    schema_version: 1
    name: quickstart
    kind: single_item_auction
    seed: 42
    replications: 10
    mechanisms: [first_price, second_price]
    bidders: [2, 3, 5, 10]
    auctions: 20000
    reserve: 0.0
    arrival_rate: 1.0
    bidding_window: 0.5

    """
}
