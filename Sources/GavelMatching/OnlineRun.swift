import Foundation
import GavelCore

/// What one run of an online algorithm produced.
public struct MatchingRunResult: Sendable, Equatable {
    /// Σ w_u over successful u (for water-filling: Σ w_u·ℓ_u).
    public var value: Double
    /// Number of successful offline vertices.
    public var successes: Int
    /// Σ_u ℓ_u: the probabilities of all tries (MP12 Lemma 2: E[successes] = E[Σ ℓ]).
    public var totalLoad: Double
    /// Σ_u w_u ℓ_u (E[value] = E[this], the weighted form of the same identity).
    public var weightedLoad: Double
    /// Arrivals matched (tried) at all.
    public var matched: Int
    /// Kernel events handled.
    public var events: Int
}

/// Where a try's success coin comes from (success iff U < p_uv).
public enum SuccessCoins: Sendable {
    /// The next uniform of the stream "outcomes", one per try, in the order of tries.
    /// Two algorithms that try different edges then see shifted coins.
    case sequential
    /// A uniform of its own for every edge, pre-drawn in effect: the (e+1)-th output of
    /// SplitMix64 seeded from the stream "outcomes", computed when edge e is tried. Every
    /// algorithm that tries edge e sees the same coin (common random numbers); each edge
    /// is tried at most once per run, so the coins stay independent within a run.
    case perEdge
}

/// Runs an online algorithm over an instance: a plain loop over the arrivals in order (the
/// workload is a sequence: nothing happens between two arrivals, so the kernel would only chain
/// arrival t + 1 from arrival t). Outcomes come from the workload stream "outcomes"
/// (`SuccessCoins`), per-run draws of Ranking/perturbed greedy from the mechanism's stream "ranks".
/// `events` counts one per arrival.
public enum OnlineMatchingRun {
    /// One seed for both roles, coins in sequence.
    public static func run(_ algorithm: MatchingAlgorithm, on instance: MatchingInstance, seed: UInt64) -> MatchingRunResult {
        run(algorithm, on: instance, workloadSeed: seed, mechanismSeed: seed, coins: .sequential)
    }

    public static func run(_ algorithm: MatchingAlgorithm, on instance: MatchingInstance, workloadSeed: UInt64, mechanismSeed: UInt64,
                           coins: SuccessCoins) -> MatchingRunResult {
        var ranks = Xoshiro256StarStar(seed: mechanismSeed).stream(named: "ranks")
        var outcomes = Xoshiro256StarStar(seed: workloadSeed).stream(named: "outcomes")
        let coinBase: UInt64 = { var copy = outcomes; return copy.next() }()   // leaves `outcomes` untouched for .sequential
        var rule = PriorityRule(algorithm, weights: instance.weights)
        rule.draw(using: &ranks)
        if algorithm.isFractional { return waterFilling(instance) }
        var available = Array(repeating: true, count: instance.offlineCount)
        var load = Array(repeating: 0.0, count: instance.offlineCount)
        var result = MatchingRunResult(value: 0, successes: 0, totalLoad: 0, weightedLoad: 0, matched: 0, events: 0)
        let n = instance.arrivalCount
        for t in 0..<n {
            guard let e = rule.choose(instance, arrival: t, available: available, load: load) else { continue }
            let u = Int(instance.edgeOffline[e]), p = instance.edgeProbability[e]
            load[u] += p
            result.totalLoad += p
            result.weightedLoad += instance.weights[u] * p
            result.matched += 1
            let coin: Double
            switch coins {
            case .sequential: coin = outcomes.nextUnitDouble()
            case .perEdge: coin = Double(SplitMix64.mix(coinBase &+ UInt64(e) &* 0x9E37_79B9_7F4A_7C15) >> 11) * 0x1.0p-53
            }
            if coin < p {
                available[u] = false
                result.successes += 1
                result.value += instance.weights[u]
            }
        }
        result.events = n   // one event per arrival, as the figures of events per second count them
        return result
    }

    /// Fractional water-filling: arrival t pours one unit of mass; neighbour u's
    /// load rises by p_ut per unit of mass; mass always goes to the neighbours of
    /// lowest load, which rise together, and no load exceeds 1. Deterministic.
    /// Value Σ w_u ℓ_u (the fractional matching's weight). Ties need no rule: equal
    /// loads rise together.
    public static func waterFilling(_ instance: MatchingInstance) -> MatchingRunResult {
        var load = Array(repeating: 0.0, count: instance.offlineCount)
        var matched = 0
        // Each neighbour's load is read once into `nbrs` (random reads of `load` are
        // what a large instance pays for), sorted there, and written back once.
        var nbrs: [(u: Int, p: Double, load: Double)] = []   // reused: no allocation per arrival
        load.withUnsafeMutableBufferPointer { load in
            for t in 0..<instance.arrivalCount {
                nbrs.removeAll(keepingCapacity: true)
                for e in instance.edgeStart[t]..<instance.edgeStart[t + 1] {
                    let u = Int(instance.edgeOffline[e]), p = instance.edgeProbability[e], l = load[u]
                    guard p > 0, l < 1 else { continue }
                    // Insertion sort by (load, u): degrees are small.
                    var j = nbrs.count
                    nbrs.append((u, p, l))
                    while j > 0, nbrs[j - 1].load > l || (nbrs[j - 1].load == l && nbrs[j - 1].u > u) {
                        nbrs[j] = nbrs[j - 1]; j -= 1
                    }
                    nbrs[j] = (u, p, l)
                }
                guard !nbrs.isEmpty else { continue }
                matched += 1
                var mass = 1.0
                var k = 1   // nbrs[0..<k] share the current level
                var level = nbrs[0].load
                var rate = 1 / nbrs[0].p   // mass per unit of level: Σ_{j<k} 1/p_j, summed in j order
                while mass > 0 {
                    let next = k < nbrs.count ? min(1, nbrs[k].load) : 1
                    let need = (next - level) * rate
                    if need >= mass { level += mass / rate; mass = 0 } else { mass -= need; level = next }
                    if level >= 1 { level = 1; break }
                    if k < nbrs.count && level >= nbrs[k].load { rate += 1 / nbrs[k].p; k += 1 }
                }
                for j in 0..<k { load[nbrs[j].u] = max(nbrs[j].load, level) }
            }
        }
        let total = load.reduce(0, +)
        let weighted = zip(load, instance.weights).reduce(0) { $0 + $1.0 * $1.1 }
        return MatchingRunResult(value: weighted, successes: 0, totalLoad: total, weightedLoad: weighted, matched: matched, events: instance.arrivalCount)
    }
}

/// Monte Carlo estimate of an algorithm's expected value: `runs` independent
/// runs, run r's workload seeded by derivedSeed(workloadSeed, "run-r") and its
/// own draws by derivedSeed(mechanismSeed, "run-r"), mean ± 95% CI.
public struct MonteCarloEstimate: Sendable {
    public var value = RunningStatistics()
    public var successes = RunningStatistics()
    public var totalLoad = RunningStatistics()
    /// successes − totalLoad per run (MP12 Lemma 2: mean 0).
    public var identityGap = RunningStatistics()
    public var events = 0

    public static func estimate(_ algorithm: MatchingAlgorithm, on instance: MatchingInstance, runs: Int, seed: UInt64) -> MonteCarloEstimate {
        estimate(algorithm, on: instance, runs: runs, workloadSeed: seed, mechanismSeed: seed, coins: .sequential)
    }

    public static func estimate(_ algorithm: MatchingAlgorithm, on instance: MatchingInstance, runs: Int,
                                workloadSeed: UInt64, mechanismSeed: UInt64, coins: SuccessCoins) -> MonteCarloEstimate {
        var out = MonteCarloEstimate()
        for r in 0..<runs {
            let res = OnlineMatchingRun.run(algorithm, on: instance, workloadSeed: Xoshiro256StarStar.derivedSeed(workloadSeed, "run-\(r)"),
                                            mechanismSeed: Xoshiro256StarStar.derivedSeed(mechanismSeed, "run-\(r)"), coins: coins)
            out.value.add(res.value)
            out.successes.add(Double(res.successes))
            out.totalLoad.add(res.totalLoad)
            out.identityGap.add(Double(res.successes) - res.totalLoad)
            out.events += res.events
            if algorithm.isFractional { break }   // deterministic: one run is the value
        }
        return out
    }
}
