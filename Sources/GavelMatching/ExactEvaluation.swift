import GavelCore
import Foundation

/// An algorithm's exact expected value, successes and load.
public struct ExactValue: Sendable, Equatable {
    public var value: Double
    public var successes: Double
    public var totalLoad: Double
}

/// Exact evaluation of an online algorithm: depth-first over the outcome tree
/// (each try branches into success with p and failure with 1 − p), and for
/// Ranking the average over all |U|! permutations.
public enum ExactEvaluation {
    /// Outcome-tree nodes one evaluation may visit (over all permutations) before giving up.
    public static let nodeLimit = 4_000_000
    /// Ranking: permutations are enumerated up to this many offline vertices (9! = 362,880).
    public static let rankingOfflineLimit = 9

    public static func evaluate(_ algorithm: MatchingAlgorithm, on instance: MatchingInstance) throws -> ExactValue {
        switch algorithm {
        case .guPerturbed:
            throw ExperimentError.beyondLimit("gu_perturbed draws continuous y_u: no exact evaluation (use Monte Carlo)")
        case .waterFilling:
            let r = OnlineMatchingRun.waterFilling(instance)
            return ExactValue(value: r.value, successes: r.totalLoad, totalLoad: r.totalLoad)
        case .ranking:
            let n = instance.offlineCount
            guard n <= rankingOfflineLimit else {
                throw ExperimentError.beyondLimit("exact Ranking enumerates |U|! permutations; |U| = \(n) exceeds the limit \(rankingOfflineLimit) (use Monte Carlo)")
            }
            var budget = nodeLimit
            var sum = ExactValue(value: 0, successes: 0, totalLoad: 0)
            var count = 0
            var rule = PriorityRule(.ranking, weights: instance.weights)
            try forEachPermutation(n) { order in
                rule.setRanking(order)
                let v = try tree(rule, instance, budget: &budget)
                sum.value += v.value; sum.successes += v.successes; sum.totalLoad += v.totalLoad
                count += 1
            }
            let c = Double(count)
            return ExactValue(value: sum.value / c, successes: sum.successes / c, totalLoad: sum.totalLoad / c)
        default:
            var budget = nodeLimit
            return try tree(PriorityRule(algorithm, weights: instance.weights), instance, budget: &budget)
        }
    }

    /// Heap's algorithm, deterministic order.
    static func forEachPermutation(_ n: Int, _ body: ([Int]) throws -> Void) rethrows {
        var a = Array(0..<n)
        var c = Array(repeating: 0, count: n)
        try body(a)
        var i = 0
        while i < n {
            if c[i] < i {
                if i % 2 == 0 { a.swapAt(0, i) } else { a.swapAt(c[i], i) }
                try body(a)
                c[i] += 1
                i = 0
            } else {
                c[i] = 0
                i += 1
            }
        }
    }

    static func tree(_ rule: PriorityRule, _ instance: MatchingInstance, budget: inout Int) throws -> ExactValue {
        var available = Array(repeating: true, count: instance.offlineCount)
        var load = Array(repeating: 0.0, count: instance.offlineCount)
        func go(_ t: Int) throws -> ExactValue {
            budget -= 1
            if budget < 0 {
                throw ExperimentError.beyondLimit("exact evaluation visits more than \(nodeLimit) outcome nodes on this instance (\(instance.offlineCount) offline, \(instance.arrivalCount) arrivals): too large, use Monte Carlo")
            }
            var t = t
            // Arrivals with no eligible neighbour do not branch.
            while t < instance.arrivalCount, rule.choose(instance, arrival: t, available: available, load: load) == nil { t += 1 }
            guard t < instance.arrivalCount else { return ExactValue(value: 0, successes: 0, totalLoad: 0) }
            let e = rule.choose(instance, arrival: t, available: available, load: load)!
            let u = Int(instance.edgeOffline[e]), p = instance.edgeProbability[e]
            let oldLoad = load[u]
            load[u] = oldLoad + p
            let fail = p < 1 ? try go(t + 1) : ExactValue(value: 0, successes: 0, totalLoad: 0)
            var result = ExactValue(value: (1 - p) * fail.value, successes: (1 - p) * fail.successes, totalLoad: p + (1 - p) * fail.totalLoad)
            if p > 0 {
                available[u] = false
                let win = try go(t + 1)
                available[u] = true
                result.value += p * (instance.weights[u] + win.value)
                result.successes += p * (1 + win.successes)
                result.totalLoad += p * win.totalLoad
            }
            load[u] = oldLoad
            return result
        }
        return try go(0)
    }
}
