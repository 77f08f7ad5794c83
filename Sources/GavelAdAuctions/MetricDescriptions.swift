import GavelCore

// Units and meanings of each kind's summary metrics (the report's axis titles and captions).
extension AdAuctionExperiment {
    /// Welfare, revenue, clicks, ratios to the optimum and audit figures, with units.
    public static let metrics: [MetricDescription] = [
        MetricDescription("welfare", "value per query", "Advertisers' value of the clicks (expected, per query)."),
        MetricDescription("revenue", "value per query", "Payments (expected, per query)."),
        MetricDescription("clicks", "clicks per query", "Expected clicks on the ads shown."),
        MetricDescription("ads_shown", "ads", "Ads shown per query."),
        MetricDescription("welfare_ratio_mean", "", "Welfare / the MNL optimum's welfare, mean over instances."),
        MetricDescription("welfare_ratio_min", "", "Welfare / optimum, worst instance."),
        MetricDescription("max_gain_from_misreport", "value per query", "Largest gain found by the truthfulness audit (0 for a truthful mechanism)."),
    ]
}

extension CascadeRatioExperiment {
    /// The ALG/OPT distribution, monotonicity and audit figures.
    public static let metrics: [MetricDescription] = [
        MetricDescription("ratio_mean", "", "ALG / OPT under the cascade model, mean over instances."),
        MetricDescription("ratio_min", "", "ALG / OPT, worst instance."),
        MetricDescription("ratio_p01", "", "ALG / OPT, 1st percentile."),
        MetricDescription("ratio_median", "", "ALG / OPT, median."),
        MetricDescription("optimal_fraction", "", "Fraction of instances where ALG = OPT."),
    ]
}

extension AdMarketExperiment {
    /// The market's welfare, revenue, clicks and budget figures per query.
    public static let metrics: [MetricDescription] = [
        MetricDescription("welfare_per_query", "value per query", "Realised welfare per query."),
        MetricDescription("expected_welfare_per_query", "value per query", "Expected welfare per query (CTR-weighted)."),
        MetricDescription("revenue_per_query", "value per query", "Payments per query."),
        MetricDescription("clicks_per_query", "clicks per query", "Realised clicks per query."),
        MetricDescription("jain_utilities", "", "Jain's index over the advertisers' utilities."),
        MetricDescription("budgets_exhausted", "advertisers", "Advertisers whose budget ran out."),
    ]
}
