import GavelCore

// Units and meanings of each kind's summary metrics (the report's axis titles and captions).
extension IoTAuctionExperiment {
    /// The paper's metrics, the honest ones and the live market's, with units.
    public static let metrics: [MetricDescription] = [
        MetricDescription("allocation_efficiency", "", "MOHAF paper's allocation efficiency (spec mohaf.md §5)."),
        MetricDescription("revenue", "price units", "Payments collected."),
        MetricDescription("satisfaction_rate", "", "Fraction of requests served."),
        MetricDescription("resource_utilization", "", "Fraction of resource capacity allocated."),
        MetricDescription("jain_per_allocation", "", "Jain's index over the allocations' utilities."),
        MetricDescription("welfare", "utility units", "Sum of the served requests' valuations."),
        MetricDescription("jain_per_requester", "", "Jain's index over requesters' served utility."),
        MetricDescription("jain_per_request", "", "Jain's index over requests' served utility (0 for unserved)."),
        MetricDescription("ratio_to_optimum", "", "Objective / the MIP optimum of the same instance."),
        MetricDescription("served_fraction", "", "Live market: requests served / submitted."),
        MetricDescription("mean_utilization", "", "Live market: mean utilisation over rounds."),
        MetricDescription("price_min", "price units", "Live market: lowest posted price."),
        MetricDescription("price_max", "price units", "Live market: highest posted price."),
        MetricDescription("infeasible", "", "Hungarian baseline: 1 when scipy's linear_sum_assignment would raise 'cost matrix is infeasible' (the run's other metrics are then NaN), else 0."),
        MetricDescription("max_gain_from_misreport", "price units", "Largest gain a requester gets by misreporting a budget or demand (audit_requests; 0: none pays)."),
    ]
}
