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
    /// The next uniform of the stream "outcomes", one per try (or simulated try), in order.
    /// Two algorithms that try different edges then see shifted coins.
    case sequential
    /// A uniform of its own for every edge, pre-drawn in effect: the (e+1)-th output of
    /// SplitMix64 seeded from the stream "outcomes", computed when edge e is tried. Every
    /// algorithm that tries edge e sees the same coin (common random numbers); each edge
    /// is tried (or simulated) at most once per run, since an arrival makes one decision, so the
    /// coins stay independent within a run.
    case perEdge

    /// Edge e's success coin: the next uniform of `outcomes` (`.sequential`) or e's own (`.perEdge`,
    /// from `base`). A method over inout state, not a closure capturing the stream (captured
    /// variables are boxed and access-checked at run time).
    @inline(__always)
    func coin(_ e: Int, _ outcomes: inout Xoshiro256StarStar, base: UInt64) -> Double {
        switch self {
        case .sequential: return outcomes.nextUnitDouble()
        case .perEdge: return Double(SplitMix64.mix(base &+ UInt64(e) &* 0x9E37_79B9_7F4A_7C15) >> 11) * 0x1.0p-53
        }
    }
}

/// Runs an online algorithm over an instance: a plain loop over the arrivals in order (the
/// workload is a sequence: nothing happens between two arrivals, so the kernel would only chain
/// arrival t + 1 from arrival t). Outcomes come from the workload stream "outcomes"
/// (`SuccessCoins`), the algorithm's own draws from the mechanism's stream "ranks".
/// `events` counts one per arrival.
///
/// The loop checks every decision (``OnlineMatchingAlgorithm/choose(_:)``): an edge that is not
/// the arrival's, a matched vertex (an available one for a simulated try), a zero probability, or a fractional step that lowers a load,
/// lifts one above 1 or pours more than one unit of mass stops the run with an ``ExperimentError``.
public enum OnlineMatchingRun {
    /// One seed for both roles, coins in sequence.
    public static func run(_ algorithm: some OnlineMatchingAlgorithm, on instance: MatchingInstance, seed: UInt64) throws -> MatchingRunResult {
        try run(algorithm, on: instance, workloadSeed: seed, mechanismSeed: seed, coins: .sequential)
    }

    /// `draws`: the algorithm's draws when already made (an algorithm whose draws depend only on the
    /// instance, ``OnlineMatchingAlgorithm/drawsDependOnlyOnInstance``); else made here from "ranks".
    public static func run(_ algorithm: some OnlineMatchingAlgorithm, on instance: MatchingInstance, workloadSeed: UInt64, mechanismSeed: UInt64,
                           coins: SuccessCoins, draws: [Double]? = nil) throws -> MatchingRunResult {
        var ranks = Xoshiro256StarStar(seed: mechanismSeed).stream(named: "ranks")
        var outcomes = Xoshiro256StarStar(seed: workloadSeed).stream(named: "outcomes")
        let coinBase: UInt64 = { var copy = outcomes; return copy.next() }()   // leaves `outcomes` untouched for .sequential
        var state = OnlineMatchingState(instance: instance, draws: draws ?? algorithm.draws(for: instance, using: &ranks))
        var result = MatchingRunResult(value: 0, successes: 0, totalLoad: 0, weightedLoad: 0, matched: 0, events: 0)
        let n = instance.arrivalCount
        for t in 0..<n {
            state.arrival = t
            switch try algorithm.choose(state) {
            case .skip:
                continue
            case .raiseLoads(let levels):
                guard !levels.isEmpty else { continue }
                try state.raise(levels, by: algorithm)
                result.matched += 1
            case .tryEdge(let e):
                try state.checkTry(e, by: algorithm)
                let u = Int(instance.edgeOffline[e]), p = instance.edgeProbability[e]
                state.loads[u] += p
                state.lastTried = u
                result.totalLoad += p
                result.weightedLoad += instance.weights[u] * p
                result.matched += 1
                if coins.coin(e, &outcomes, base: coinBase) < p {
                    state.available[u] = false
                    state.matchedBy[u] = Int32(t)
                    result.successes += 1
                    result.value += instance.weights[u]
                }
            case .simulateTry(let e):
                try state.checkSimulatedTry(e, by: algorithm)
                if coins.coin(e, &outcomes, base: coinBase) < instance.edgeProbability[e] { state.simulatedSuccess[Int(instance.edgeOffline[e])] = true }
            }
        }
        if algorithm.isFractional {
            // The fractional matching's weight: Σ w_u ℓ_u, summed in vertex order.
            let total = state.loads.reduce(0, +)
            let weighted = zip(state.loads, instance.weights).reduce(0) { $0 + $1.0 * $1.1 }
            result = MatchingRunResult(value: weighted, successes: 0, totalLoad: total, weightedLoad: weighted, matched: result.matched, events: 0)
        }
        result.events = n   // one event per arrival, as the figures of events per second count them
        return result
    }
}

extension OnlineMatchingState {
    /// Checks that edge `e` is one the algorithm may try now.
    func checkTry(_ e: Int, by algorithm: some OnlineMatchingAlgorithm) throws {
        guard edges.contains(e) else {
            throw ExperimentError("matching algorithm '\(algorithm.name)' chose edge \(e) at arrival \(instance.arrivalID(arrival)), whose edges are \(edges.lowerBound)..<\(edges.upperBound)")
        }
        let u = offline(e)
        guard available[u], probability(e) > 0 else {
            throw ExperimentError("matching algorithm '\(algorithm.name)' tried \(instance.offlineIDs[u]) at arrival \(instance.arrivalID(arrival)), which is "
                                  + (available[u] ? "an edge of probability 0" : "already matched"))
        }
    }

    /// Checks that edge `e` is one the algorithm may simulate now: the arrival's, to a matched vertex, p > 0.
    func checkSimulatedTry(_ e: Int, by algorithm: some OnlineMatchingAlgorithm) throws {
        guard edges.contains(e) else {
            throw ExperimentError("matching algorithm '\(algorithm.name)' simulated edge \(e) at arrival \(instance.arrivalID(arrival)), whose edges are \(edges.lowerBound)..<\(edges.upperBound)")
        }
        let u = offline(e)
        guard !available[u], probability(e) > 0 else {
            throw ExperimentError("matching algorithm '\(algorithm.name)' simulated a try on \(instance.offlineIDs[u]) at arrival \(instance.arrivalID(arrival)), which is "
                                  + (available[u] ? "still available (try the edge instead)" : "an edge of probability 0"))
        }
    }

    /// The error for an integral algorithm that answered `.raiseLoads` at the current arrival.
    func notFractional(_ algorithm: some OnlineMatchingAlgorithm) -> ExperimentError {
        ExperimentError("matching algorithm '\(algorithm.name)' raised loads at arrival \(instance.arrivalID(arrival)) but is not fractional (isFractional is false)")
    }

    /// Applies a fractional step after checking it: neighbours only, levels rise and stay ≤ 1,
    /// and at most one unit of mass (Σ (new − old)/p ≤ 1, with 1e-9 for rounding).
    mutating func raise(_ levels: [LoadLevel], by algorithm: some OnlineMatchingAlgorithm) throws {
        guard algorithm.isFractional else { throw notFractional(algorithm) }
        var mass = 0.0
        for level in levels {
            guard let e = edges.first(where: { offline($0) == level.offline }), probability(e) > 0 else {
                throw ExperimentError("matching algorithm '\(algorithm.name)' raised vertex \(level.offline) at arrival \(instance.arrivalID(arrival)), which is not a neighbour with p > 0")
            }
            let old = loads[level.offline]
            guard level.load >= old, level.load <= 1 else {
                throw ExperimentError("matching algorithm '\(algorithm.name)' set \(instance.offlineIDs[level.offline])'s load from \(old) to \(level.load) at arrival \(instance.arrivalID(arrival)): loads only rise, up to 1")
            }
            mass += (level.load - old) / probability(e)
        }
        guard mass <= 1 + 1e-9 else {
            throw ExperimentError("matching algorithm '\(algorithm.name)' poured \(mass) units of mass at arrival \(instance.arrivalID(arrival)): at most 1")
        }
        for level in levels { loads[level.offline] = level.load }
    }
}

/// Fractional water-filling (Kalyanasundaram–Pruhs): arrival t pours one unit of mass;
/// neighbour u's load rises by p_ut per unit of mass; mass always goes to the neighbours of
/// lowest load, which rise together, and no load exceeds 1. Deterministic. Ties need no
/// rule: equal loads rise together.
enum WaterFilling {
    /// The levels the arrival in `state` pours to (`.skip` when every neighbour is full).
    static func pour(_ state: OnlineMatchingState) -> MatchingChoice {
        // Neighbours with room, sorted by (load, u) by insertion: degrees are small.
        var nbrs: [(u: Int, p: Double, load: Double)] = []
        for e in state.edges {
            let u = state.offline(e), p = state.probability(e), l = state.loads[u]
            guard p > 0, l < 1 else { continue }
            var j = nbrs.count
            nbrs.append((u, p, l))
            while j > 0, nbrs[j - 1].load > l || (nbrs[j - 1].load == l && nbrs[j - 1].u > u) {
                nbrs[j] = nbrs[j - 1]; j -= 1
            }
            nbrs[j] = (u, p, l)
        }
        guard !nbrs.isEmpty else { return .skip }
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
        return .raiseLoads((0..<k).map { LoadLevel(offline: nbrs[$0].u, load: max(nbrs[$0].load, level)) })
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

    public static func estimate(_ algorithm: some OnlineMatchingAlgorithm, on instance: MatchingInstance, runs: Int, seed: UInt64) throws -> MonteCarloEstimate {
        try estimate(algorithm, on: instance, runs: runs, workloadSeed: seed, mechanismSeed: seed, coins: .sequential)
    }

    public static func estimate(_ algorithm: some OnlineMatchingAlgorithm, on instance: MatchingInstance, runs: Int,
                                workloadSeed: UInt64, mechanismSeed: UInt64, coins: SuccessCoins) throws -> MonteCarloEstimate {
        var out = MonteCarloEstimate()
        // Draws that depend only on the instance are made once (the stream is not read: any seed gives them).
        let shared: [Double]? = algorithm.drawsDependOnlyOnInstance ? {
            var unused = Xoshiro256StarStar(seed: mechanismSeed)
            return algorithm.draws(for: instance, using: &unused)
        }() : nil
        for r in 0..<runs {
            let res = try OnlineMatchingRun.run(algorithm, on: instance, workloadSeed: Xoshiro256StarStar.derivedSeed(workloadSeed, "run-\(r)"),
                                            mechanismSeed: Xoshiro256StarStar.derivedSeed(mechanismSeed, "run-\(r)"), coins: coins, draws: shared)
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
