import GavelCore

/// The non-adaptive state of Mehta, Waggoner and Zadimoghaddam (SODA 2015, "Online stochastic
/// matching with unequal probabilities"), and the choices it induces, computed from the
/// instance alone.
///
/// Both of MWZ15's analysed algorithms keep w_i(t), the probability that offline vertex i has
/// succeeded before time t, over edge realisations, and order an arrival j's neighbours by
/// decreasing (1 − w_i)·p_ij: the probability that i succeeds exactly on j ("greedy at the
/// margin", §2.1). The w_i are updated from probabilities, never from outcomes, so a run's
/// choices are a function of the instance: they are computed once per run (the algorithm's
/// "draws", no randomness used) and the run only decides adaptively among them.
///
/// Ties: the lowest offline index (edges are scanned in index order; only a strictly larger
/// score replaces the best). Neighbours of score 0 (w_i = 1: i has surely succeeded) are never
/// chosen. MWZ15 is unweighted: vertex weights do not enter the scores (as for `mp12_exponential`);
/// the value of a run still counts them.
public enum MWZ15Plan {
    /// The first and second choices of every arrival (edge indices, −1 for none) and each
    /// vertex's final w_i.
    public struct Choices: Sendable, Equatable {
        /// first[t], second[t]: arrival t's best and second-best edges by (1 − w_i(t))·p_it.
        public var first: [Int]
        public var second: [Int]
        /// w_i(end): the probability that i succeeds over the run. For both algorithms it is
        /// exact (MWZ15 §2.1 and §6), so E[successes] = Σ w_i and E[value] = Σ r_i·w_i.
        public var successProbability: [Double]

        /// Σ r_i·w_i: the algorithm's expected value, from the non-adaptive state alone.
        public func expectedValue(weights: [Double]) -> Double {
            zip(weights, successProbability).reduce(0) { $0 + $1.0 * $1.1 }
        }
    }

    /// Algorithm 2.1 (NonAdaptive): arrival j goes to its first choice, whether or not it has
    /// already succeeded, and w_1 ← w_1 + (1 − w_1)·p_1j. Only `first` is used.
    public static func nonAdaptive(_ instance: MatchingInstance) -> Choices {
        var w = Array(repeating: 0.0, count: instance.offlineCount)
        var first = Array(repeating: -1, count: instance.arrivalCount)
        for t in 0..<instance.arrivalCount {
            let (e1, _) = bestTwo(instance, t, w)
            first[t] = e1
            guard e1 >= 0 else { continue }
            let u = Int(instance.edgeOffline[e1])
            w[u] += (1 - w[u]) * instance.edgeProbability[e1]
        }
        return Choices(first: first, second: Array(repeating: -1, count: instance.arrivalCount), successProbability: w)
    }

    /// Algorithm 2.4 (SemiAdaptive) with §6's constant-time updates. For arrival j with first
    /// choice 1 and second choice 2:
    /// - w_1 ← w_1 + (1 − w_1)·p_1j and wB_1 ← wB_1 + (1 − wB_1)·p_1j, where
    ///   wB_i = Pr[FirstSucc(i)] (a first-choice edge to i has been realised);
    /// - wG_12 ← p_2j·wB_1 + (1 − p_2j)·wG_12 (old wB_1: FirstSucc(1) at time t_j), where wG_i'i
    ///   is the probability that i "would have succeeded from a second choice whose first was i'";
    /// - 1 − w_2 ← (1 − w_2)·(1 − wG_12(new)) / (1 − wG_12(old)), from Eq. (6.7):
    ///   1 − w_i = (1 − wB_i)·Π_{i'} (1 − wG_i'i). When wG_12(old) = 1, 1 − w_2 is already 0.
    /// The pairs (i', i) are kept in a dictionary keyed by i'·|U| + i; only values are read.
    public static func semiAdaptive(_ instance: MatchingInstance) -> Choices {
        let m = instance.offlineCount
        var w = Array(repeating: 0.0, count: m)
        var wB = Array(repeating: 0.0, count: m)
        var wG: [Int: Double] = [:]
        var first = Array(repeating: -1, count: instance.arrivalCount)
        var second = Array(repeating: -1, count: instance.arrivalCount)
        for t in 0..<instance.arrivalCount {
            let (e1, e2) = bestTwo(instance, t, w)
            first[t] = e1; second[t] = e2
            guard e1 >= 0 else { continue }
            let u1 = Int(instance.edgeOffline[e1]), p1 = instance.edgeProbability[e1]
            if e2 >= 0 {
                let u2 = Int(instance.edgeOffline[e2]), p2 = instance.edgeProbability[e2]
                let key = u1 * m + u2
                let oldG = wG[key] ?? 0
                let newG = p2 * wB[u1] + (1 - p2) * oldG
                wG[key] = newG
                if oldG < 1 { w[u2] = 1 - (1 - w[u2]) * ((1 - newG) / (1 - oldG)) }
            }
            w[u1] += (1 - w[u1]) * p1
            wB[u1] += (1 - wB[u1]) * p1
        }
        return Choices(first: first, second: second, successProbability: w)
    }

    /// Arrival t's best and second-best edges by (1 − w_u)·p_ut > 0, lowest index first on ties.
    static func bestTwo(_ instance: MatchingInstance, _ t: Int, _ w: [Double]) -> (Int, Int) {
        var e1 = -1, e2 = -1
        var s1 = 0.0, s2 = 0.0
        for e in instance.edgeStart[t]..<instance.edgeStart[t + 1] {
            let s = (1 - w[Int(instance.edgeOffline[e])]) * instance.edgeProbability[e]
            if s > s1 { e2 = e1; s2 = s1; e1 = e; s1 = s } else if s > s2 { e2 = e; s2 = s }
        }
        return (e1, e2)
    }

    /// The choices as a run's draws: first[t] (NonAdaptive) or first[t], second[t] interleaved (SemiAdaptive).
    static func draws(_ choices: Choices, withSecond: Bool) -> [Double] {
        guard withSecond else { return choices.first.map(Double.init) }
        var out: [Double] = []
        out.reserveCapacity(2 * choices.first.count)
        for t in choices.first.indices { out.append(Double(choices.first[t])); out.append(Double(choices.second[t])) }
        return out
    }

    /// NonAdaptive's decision: its first choice if still available, else nothing (trying a
    /// vertex that has already succeeded cannot change the outcome).
    static func chooseNonAdaptive(_ state: OnlineMatchingState) -> MatchingChoice {
        let e1 = Int(state.draws[state.arrival])
        guard e1 >= 0, state.available[state.offline(e1)] else { return .skip }
        return .tryEdge(e1)
    }

    /// SemiAdaptive's adaptive choice (Alg. 2.4):
    /// - 1 available: try 1 (a success sets FirstSucc(1): 1 is then matched by its first choice);
    /// - 1 matched but FirstSucc(1) false (1 was taken by a second choice): simulate j → 1;
    ///   a success sets FirstSucc(1);
    /// - FirstSucc(1): try 2 if it is available.
    /// FirstSucc(1) = 1 was matched by an arrival whose first choice is 1, or a simulated try succeeded.
    static func chooseSemiAdaptive(_ state: OnlineMatchingState) -> MatchingChoice {
        let t = state.arrival, draws = state.draws
        let e1 = Int(draws[2 * t])
        guard e1 >= 0 else { return .skip }
        let u1 = state.offline(e1)
        if state.available[u1] { return .tryEdge(e1) }
        let by = Int(state.matchedBy[u1])
        let firstSucc = state.simulatedSuccess[u1] || (by >= 0 && Int(draws[2 * by]) >= 0 && state.offline(Int(draws[2 * by])) == u1)
        guard firstSucc else { return .simulateTry(e1) }
        let e2 = Int(draws[2 * t + 1])
        guard e2 >= 0, state.available[state.offline(e2)] else { return .skip }
        return .tryEdge(e2)
    }
}
