import GavelCore
import Foundation

/// An algorithm's exact expected value, successes and load.
public struct ExactValue: Sendable, Equatable {
    public var value: Double
    public var successes: Double
    public var totalLoad: Double
}

/// Exact evaluation of an online algorithm: depth-first over the outcome tree (each try, and
/// each simulated try, branches into success with p and failure with 1 − p), averaged over every equally likely
/// value of the algorithm's draws (``OnlineMatchingAlgorithm/forEachExactDraw(for:_:)``; for
/// Ranking, all |U|! permutations). A fractional algorithm does not branch: its one run is its value.
public enum ExactEvaluation {
    /// Outcome-tree nodes one evaluation may visit (over all draws) before giving up.
    public static let nodeLimit = 4_000_000

    /// The algorithm's exact expected value, successes and load on `instance`.
    /// - Throws: ``ExperimentError/beyondLimit(_:)`` past ``nodeLimit`` or when the algorithm's
    ///   draws cannot be enumerated; whatever the algorithm throws.
    public static func evaluate(_ algorithm: some OnlineMatchingAlgorithm, on instance: MatchingInstance) throws -> ExactValue {
        if algorithm.isFractional {
            let r = try OnlineMatchingRun.run(algorithm, on: instance, seed: 0)
            return ExactValue(value: r.value, successes: r.totalLoad, totalLoad: r.totalLoad)
        }
        var budget = nodeLimit
        var sum = ExactValue(value: 0, successes: 0, totalLoad: 0)
        var count = 0
        try algorithm.forEachExactDraw(for: instance) { draws in
            let v = try tree(algorithm, OnlineMatchingState(instance: instance, draws: draws), budget: &budget)
            sum.value += v.value; sum.successes += v.successes; sum.totalLoad += v.totalLoad
            count += 1
        }
        guard count > 1 else { return sum }
        let c = Double(count)
        return ExactValue(value: sum.value / c, successes: sum.successes / c, totalLoad: sum.totalLoad / c)
    }

    static func tree(_ algorithm: some OnlineMatchingAlgorithm, _ start: OnlineMatchingState, budget: inout Int) throws -> ExactValue {
        var state = start
        return try node(algorithm, from: 0, &state, budget: &budget)
    }

    /// The expected value from arrival `t` on, given `state` (restored before returning).
    /// A recursive function over inout state, not a closure capturing it: captured variables
    /// are boxed and access-checked at run time, which made every node several times slower.
    private static func node(_ algorithm: some OnlineMatchingAlgorithm, from t: Int, _ state: inout OnlineMatchingState,
                             budget: inout Int) throws -> ExactValue {
        budget -= 1
        let instance = state.instance
        if budget < 0 {
            throw ExperimentError.beyondLimit("exact evaluation visits more than \(nodeLimit) outcome nodes on this instance (\(instance.offlineCount) offline, \(instance.arrivalCount) arrivals): too large, use Monte Carlo")
        }
        // Arrivals with no eligible neighbour do not branch.
        var t = t
        var chosen: Int?
        var simulated = false
        while t < instance.arrivalCount {
            state.arrival = t
            switch try algorithm.choose(state) {
            case .skip: t += 1; continue
            case .tryEdge(let e): try state.checkTry(e, by: algorithm); chosen = e
            case .simulateTry(let e):
                try state.checkSimulatedTry(e, by: algorithm)
                // A simulated success changes nothing but the flag: branch only when it is news.
                if state.simulatedSuccess[state.offline(e)] { t += 1; continue }
                chosen = e; simulated = true
            case .raiseLoads: throw state.notFractional(algorithm)   // fractional algorithms never reach the tree
            }
            break
        }
        guard let e = chosen else { return ExactValue(value: 0, successes: 0, totalLoad: 0) }
        let u = Int(instance.edgeOffline[e]), p = instance.edgeProbability[e]
        if simulated {
            // Coin p sets simulatedSuccess[u]; no value, no load.
            let fail = p < 1 ? try node(algorithm, from: t + 1, &state, budget: &budget) : ExactValue(value: 0, successes: 0, totalLoad: 0)
            state.simulatedSuccess[u] = true
            let win = try node(algorithm, from: t + 1, &state, budget: &budget)
            state.simulatedSuccess[u] = false
            return ExactValue(value: (1 - p) * fail.value + p * win.value, successes: (1 - p) * fail.successes + p * win.successes,
                              totalLoad: (1 - p) * fail.totalLoad + p * win.totalLoad)
        }
        let oldLoad = state.loads[u], oldLast = state.lastTried
        state.loads[u] = oldLoad + p
        state.lastTried = u
        let fail = p < 1 ? try node(algorithm, from: t + 1, &state, budget: &budget) : ExactValue(value: 0, successes: 0, totalLoad: 0)
        var result = ExactValue(value: (1 - p) * fail.value, successes: (1 - p) * fail.successes, totalLoad: p + (1 - p) * fail.totalLoad)
        state.available[u] = false
        state.matchedBy[u] = Int32(t)
        let win = try node(algorithm, from: t + 1, &state, budget: &budget)
        state.available[u] = true
        state.matchedBy[u] = -1
        result.value += p * (instance.weights[u] + win.value)
        result.successes += p * (1 + win.successes)
        result.totalLoad += p * win.totalLoad
        state.loads[u] = oldLoad
        state.lastTried = oldLast
        return result
    }
}
