import GavelCore

// Units and meanings of each kind's summary metrics (the report's axis titles and captions).
extension RTBReplayExperiment {
    public static let metrics: [MetricDescription] = [
        MetricDescription("impressions", "impressions", "Auctions won in the episode replay."),
        MetricDescription("clicks", "clicks", "Clicks on the impressions won (the log's click labels)."),
        MetricDescription("cost", "CNY fen × 1000", "Second prices paid (the log's market prices, CPM units)."),
        MetricDescription("win_rate", "", "Impressions won / auctions."),
        MetricDescription("cpm", "CNY fen", "Cost per thousand impressions."),
        MetricDescription("ecpc", "CNY fen", "Effective cost per click."),
        MetricDescription("ctr", "", "Clicks per impression."),
        MetricDescription("objective", "clicks", "The bidder's objective (clicks in the RLB paper's setting)."),
    ]
}

extension RTBMarketExperiment {
    public static let metrics: [MetricDescription] = [
        MetricDescription("clicks_total", "clicks", "Clicks over all campaigns."),
        MetricDescription("cost_total", "CNY fen × 1000", "Spend over all campaigns."),
        MetricDescription("jain_clicks", "", "Jain's index over the campaigns' clicks."),
        MetricDescription("jain_impressions", "", "Jain's index over the campaigns' impressions."),
        MetricDescription("outside_wins", "auctions", "Auctions won by the logged outside competition."),
        MetricDescription("max_gain_from_misreport", "CNY fen × 1000", "Largest one-auction utility gain a campaign gets by reporting other than its value θ·CPC (audit_auctions; 0 under the second-price exchange)."),
    ]
}
