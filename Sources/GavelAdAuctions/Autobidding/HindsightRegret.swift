/// Regret against the best fixed bid multiplier in hindsight (docs/autobidding.md): advertiser a's
/// realised objective against the best, over a grid of multipliers m, of bidding m·v_ai in every
/// auction (capped by the budget left) while the others' bids stay as they were.
public enum HindsightRegret {
    /// What an advertiser's regret is measured in.
    public enum Objective: Sendable {
        /// Quasi-linear utility Σ (value − payment): pacing bidders and learners.
        case utility
        /// Value won, counting only multipliers that meet the return-on-spend target: value maximisers.
        case value
    }

    /// (best in hindsight, realised), both in the objective's units. Needs the episode's bids.
    /// - Throws: the format's counterfactual failure (the MNL optimiser's), as the run's `ExperimentError`.
    public static func evaluate(advertiser a: Int, _ d: AutobidEpisodeData, _ e: AutobidEpisode, format: some AutobidAuctionFormat,
                                terms: AutobidAuctionTerms, grid: [Double], objective: Objective) throws -> (best: Double, realised: Double) {
        precondition(!e.bids.isEmpty, "the episode was run without keepBids")
        let realised = objective == .utility ? e.valueWon[a] - e.spend[a] : e.valueWon[a]
        var auction = AutobidAuctionInput(terms: terms, bids: Array(repeating: 0, count: d.advertisers),
                                          values: Array(repeating: 0, count: d.advertisers), perClickValues: d.perClickValues)
        var best = -Double.infinity
        for m in grid {
            var spend = 0.0, value = 0.0
            for i in 0..<d.auctions {
                auction.index = i
                auction.outside = d.outside[i]
                for b in 0..<d.advertisers { auction.bids[b] = e.bids[b][i]; auction.values[b] = d.values[b][i] }
                let bid = min(m * d.values[a][i], d.budgets[a] - spend)
                let (v, p): (Double, Double)
                do { (v, p) = try format.counterfactual(bid: max(bid, 0), advertiser: a, in: auction) }
                catch { throw AutobidMarket.failure(format, auction: i, "counterfactual (hindsight regret)", error) }
                spend += p; value += v
            }
            switch objective {
            case .utility: best = max(best, value - spend)
            case .value:
                if let g = d.roiTargets[a], spend > value / g * (1 + 1e-9) { continue }
                best = max(best, value)
            }
        }
        return (best, realised)
    }
}
