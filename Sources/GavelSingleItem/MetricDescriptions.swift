import GavelCore

// Units and meanings of each kind's summary metrics (the report's axis titles and captions).
extension SingleItemMarket {
    /// Revenue and welfare per auction next to their closed forms, with z-scores.
    public static let metrics: [MetricDescription] = [
        MetricDescription("revenue", "value units per auction", "Seller's revenue per auction, mean over the auctions of a run."),
        MetricDescription("revenue_expected", "value units per auction", "Closed-form expected revenue (spec: single-item auctions)."),
        MetricDescription("revenue_z", "", "(revenue − expected) / its Monte Carlo standard error: about N(0, 1) when the simulation agrees with the closed form."),
        MetricDescription("welfare", "value units per auction", "Winner's value per auction."),
        MetricDescription("welfare_expected", "value units per auction", "Closed-form expected welfare."),
        MetricDescription("sold_fraction", "", "Fraction of auctions with a sale (a reserve can leave the item unsold)."),
        MetricDescription("jain_bidders", "", "Jain's index over the bidders' utilities (1: equal)."),
    ]
}
