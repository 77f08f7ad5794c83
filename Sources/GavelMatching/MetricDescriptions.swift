import GavelCore

// Units and meanings of each kind's summary metrics (the report's axis titles and captions).
extension MatchingExperiment {
    public static let metrics: [MetricDescription] = [
        MetricDescription("value", "expected matches (weighted)", "The online algorithm's expected value (exact on small instances, else Monte Carlo)."),
        MetricDescription("ratio_budget_lp", "", "Algorithm value / the budget LP bound (StdLP)."),
        MetricDescription("ratio_config_lp", "", "Algorithm value / the configuration LP bound."),
        MetricDescription("ratio_stochastic_config_lp", "", "Algorithm value / the stochastic configuration LP bound."),
        MetricDescription("ratio_offline_matching", "", "Algorithm value / the offline matching LP bound."),
        MetricDescription("ratio_clairvoyant", "", "Algorithm value / the clairvoyant optimum (DP)."),
        MetricDescription("ratio_fully_offline", "", "Algorithm value / the fully offline optimum."),
        MetricDescription("mp12_hard_bound", "", "On mp12_hard instances: S_n/n, the best ratio to StdLP a non-adaptive algorithm can reach as p → 0 (MP12 §6)."),
        MetricDescription("budget_lp", "expected matches (weighted)", "Budget LP upper bound."),
    ]
}
