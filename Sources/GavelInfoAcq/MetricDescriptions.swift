import GavelCore

// Units and meanings of each kind's summary metrics (the report's axis titles and captions).
extension InfoAcqExperiment {
    public static let metrics: [MetricDescription] = [
        MetricDescription("lp_value", "principal's utility", "Optimal IC mechanism's value (the LP)."),
        MetricDescription("simulated_utility", "principal's utility", "Principal's mean utility over simulated rounds."),
        MetricDescription("z_score", "", "(simulated − LP value) / standard error (0 when they agree within 1e-12 relative)."),
        MetricDescription("agent_rent_total", "utility units", "Agents' total rent (payments − costs)."),
        MetricDescription("jain_agents", "", "Jain's index over the agents' utilities."),
        MetricDescription("max_deviation_gain", "utility units", "Largest gain from a unilateral deviation (IC certificate: ≤ 1e-7 × scale)."),
        MetricDescription("max_gain_from_misreport", "utility units", "Misreport audit (audit_misreports): largest gain from a deviation in effort and reports (≤ 1e-9 when IC)."),
        MetricDescription("correlation_gain", "principal's utility", "Correlated optimum − max(best product mechanism's upper bound, deterministic)."),
        MetricDescription("correlation_gain_vs_uncorrelated", "principal's utility",
                          "Correlated optimum − max(best uncorrelated mechanism's upper bound, deterministic): the paper's gap (spec A.6)."),
    ]
}

extension InfoAcqOnlineExperiment {
    public static let metrics: [MetricDescription] = [
        MetricDescription("slope", "", "Fitted slope of log regret against log T (2/3 expected)."),
        MetricDescription("regret_at_max_horizon", "principal's utility", "Regret at the longest horizon."),
        MetricDescription("committed_ic_fraction", "", "Fraction of seeds whose committed mechanism is IC under the true model."),
    ]
}
