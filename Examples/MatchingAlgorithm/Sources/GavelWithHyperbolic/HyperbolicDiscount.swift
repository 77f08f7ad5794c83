import Gavel

/// An online matching algorithm of our own: on each arrival, try the unmatched neighbour with
/// the largest w_u·p_uv / (1 + ℓ_u), where ℓ_u is the probability already tried on u.
///
/// A hyperbolic discount of the load, between greedy (no discount) and Stochastic Balance
/// (least load first); it is here to show the extension point, not for a guarantee.
/// Deterministic (no draws), so Gavel evaluates it exactly on small instances.
struct HyperbolicDiscount: OnlineMatchingAlgorithm {
    let name = "hyperbolic_discount"
    let summary = "argmax w·p/(1 + load) (an example algorithm registered from outside Gavel)"

    func choose(_ state: OnlineMatchingState) -> MatchingChoice {
        var best: Int?
        var bestScore = -Double.infinity
        for e in state.edges {
            let u = state.offline(e), p = state.probability(e)
            guard state.available[u], p > 0 else { continue }
            let score = state.weight(u) * p / (1 + state.loads[u])
            // Strictly larger only: ties go to the lowest offline index, as Gavel's own rules do.
            if score > bestScore { bestScore = score; best = e }
        }
        return best.map(MatchingChoice.tryEdge) ?? .skip
    }
}
