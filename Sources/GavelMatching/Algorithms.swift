import Foundation
import GavelCore
import GavelConfig

/// Gavel's online algorithms (spec B.2), each an ``OnlineMatchingAlgorithm`` in the family's registry. Every integral rule
/// but MWZ15's is "opportunistic": on arrival v it picks, among unsuccessful neighbours u with p_uv > 0, the one
/// with the largest priority, and matches v whenever such a u exists. `non_adaptive` and `semi_adaptive`
/// (MWZ15) may leave v unmatched by design: they only ever consider one or two planned choices.
///
/// Tie-break (all rules): the lowest offline index wins (edges are scanned in
/// offline-index order and only a strictly larger priority replaces the best).
public enum MatchingAlgorithm: String, CaseIterable, Sendable, Encodable {
    /// argmax w_u·p_uv (MP12, GU).
    case greedy
    /// KVV Ranking: one uniform permutation of U per run (stream "ranks"); highest rank wins, p ignored (MP12 §4).
    case ranking
    /// Stochastic Balance: least load ℓ_u (= fewest failed attempts × p for equal p) (MP12, HZ20 Alg. 1).
    case stochasticBalance = "stochastic_balance"
    /// Stochastic Balance with MP12's round-robin ties: least load; among equal loads, the first vertex after the
    /// last one tried, cyclically in index order (MP12 on G_k: "assigns vertices in V in round-robin fashion").
    case stochasticBalanceRoundRobin = "stochastic_balance_round_robin"
    /// MP12's rule for unequal probabilities (MWZ15's FullyAdaptive): argmax p_uv·e^{−ℓ_u}, ℓ_u = Σ of
    /// u's tried probabilities. Unweighted as in MP12: weights do not enter the priority.
    case mp12Exponential = "mp12_exponential"
    /// MWZ15 Alg. 2.1 (NonAdaptive, 1/2-competitive): arrival j goes to its neighbour of largest
    /// (1 − w_i)·p_ij, w_i the non-adaptive success probability (``MWZ15Plan``); skipped when that
    /// neighbour has already succeeded. Unweighted as in MWZ15.
    case nonAdaptive = "non_adaptive"
    /// MWZ15 Alg. 2.4 (SemiAdaptive, 0.534 vs StdLP for vanishing p): first and second choices by
    /// (1 − w_i)·p_ij, adaptive between them, non-adaptive updates (§6) (``MWZ15Plan``). Unweighted.
    case semiAdaptive = "semi_adaptive"
    /// HZ20 Alg. 2: argmax w_u·p_uv·(1 − f(ℓ_u)).
    case huangZhang = "huang_zhang"
    /// GU Alg. 2: argmax p_uv·w_u·g(ℓ_u), g(x) = e^{x+1}E1(x+1) (0.596).
    case guAdaptive = "gu_adaptive"
    /// GU Cor. 2: g = 0.588/(0.575x + 1).
    case guAdaptive588 = "gu_adaptive_588"
    /// GU Cor. 3: g = 0.581·e^{−0.535x}.
    case guAdaptive581 = "gu_adaptive_581"
    /// GU Alg. 1: y_u ~ U[0,1] once per run (stream "ranks"); argmax p_uv·w_u·(1 − e^{y_u − 1}).
    case guPerturbed = "gu_perturbed"
    /// Paper B's Stochastic Balance for unequal p [REC]: argmax w_u·p_uv·ψ(ℓ_u), ψ tabulated (spec B.2).
    case psiBalance = "psi_balance"
    /// Fractional water-filling (Kalyanasundaram–Pruhs): each arrival spreads one unit
    /// of mass over its neighbours, always raising the lowest loads; loads capped at 1.
    case waterFilling = "water_filling"

    public var summary: String {
        switch self {
        case .greedy: return "argmax w·p (MP12, GU)"
        case .ranking: return "KVV Ranking: random permutation of offline vertices once per run"
        case .stochasticBalance: return "least load (MP12 Stochastic Balance; equal p), lowest index on ties"
        case .stochasticBalanceRoundRobin: return "least load, ties round-robin after the last vertex tried (MP12's SB on G_k)"
        case .mp12Exponential: return "argmax p·e^{−load}, MP12's rule for unequal p (MWZ15 FullyAdaptive; weights ignored)"
        case .nonAdaptive: return "argmax (1 − w)·p, w the non-adaptive success probability; MWZ15 Alg. 2.1 (1/2; weights ignored)"
        case .semiAdaptive: return "first/second choice by (1 − w)·p with MWZ15 §6 updates; MWZ15 Alg. 2.4 (0.534; weights ignored)"
        case .huangZhang: return "argmax w·p·(1 − f(load)), HZ20 Alg. 2 (0.576)"
        case .guAdaptive: return "argmax w·p·e^{ℓ+1}E1(ℓ+1), GU Alg. 2 (0.596)"
        case .guAdaptive588: return "GU Alg. 2 with g = 0.588/(0.575ℓ+1)"
        case .guAdaptive581: return "GU Alg. 2 with g = 0.581·e^{−0.535ℓ}"
        case .guPerturbed: return "argmax w·p·(1 − e^{y−1}), y ~ U[0,1] per offline vertex (GU Alg. 1)"
        case .psiBalance: return "argmax w·p·ψ(load), ψ tabulated from the dsgsjk LP (paper B, 0.611) [REC]"
        case .waterFilling: return "fractional water-filling (deterministic; value = Σ w·load)"
        }
    }

    /// Water-filling is the one fractional rule.
    public var isFractional: Bool { self == .waterFilling }
}

extension MatchingAlgorithm: OnlineMatchingAlgorithm {
    /// The scenario name (the raw value).
    public var name: String { rawValue }

    /// Ranking: rank[u] (larger wins) from one uniform permutation (Fisher–Yates, from the last
    /// position down); perturbed greedy: 1 − e^{y_u − 1}, y_u ~ U[0,1). MWZ15's algorithms: their
    /// choices, computed from the instance (``MWZ15Plan``), using no randomness. Others draw nothing.
    public func draws(for instance: MatchingInstance, using random: inout Xoshiro256StarStar) -> [Double] {
        let n = instance.offlineCount
        switch self {
        case .ranking:
            var order = Array(0..<n)
            if n > 1 { for i in stride(from: n - 1, to: 0, by: -1) { order.swapAt(i, random.nextInt(below: i + 1)) } }
            return Self.ranks(order)
        case .guPerturbed:
            return (0..<n).map { _ in 1 - exp(random.nextUnitDouble() - 1) }
        case .nonAdaptive, .semiAdaptive:
            return mwz15Draws(instance)
        default:
            return []
        }
    }

    /// MWZ15's plans read no randomness: Monte Carlo computes them once.
    public var drawsDependOnlyOnInstance: Bool { self == .nonAdaptive || self == .semiAdaptive }

    /// rank[u] for a permutation whose first vertex is ranked highest.
    static func ranks(_ order: [Int]) -> [Double] {
        var rank = Array(repeating: 0.0, count: order.count)
        for (position, u) in order.enumerated() { rank[u] = Double(order.count - position) }
        return rank
    }

    /// Offline vertices up to which exact Ranking enumerates every permutation (9! = 362,880).
    public static let rankingOfflineLimit = 9

    /// Ranking: all |U|! permutations (Heap's algorithm, a fixed order), up to
    /// ``rankingOfflineLimit`` vertices; perturbed greedy's y_u are continuous: no exact evaluation.
    /// MWZ15's algorithms: their one deterministic plan.
    public func forEachExactDraw(for instance: MatchingInstance, _ body: ([Double]) throws -> Void) throws {
        switch self {
        case .guPerturbed:
            throw ExperimentError.beyondLimit("gu_perturbed draws continuous y_u: no exact evaluation (use Monte Carlo)")
        case .ranking:
            let n = instance.offlineCount
            guard n <= Self.rankingOfflineLimit else {
                throw ExperimentError.beyondLimit("exact Ranking enumerates |U|! permutations; |U| = \(n) exceeds the limit \(Self.rankingOfflineLimit) (use Monte Carlo)")
            }
            try Self.forEachPermutation(n) { try body(Self.ranks($0)) }
        case .nonAdaptive, .semiAdaptive:
            try body(mwz15Draws(instance))
        default:
            try body([])
        }
    }

    /// MWZ15's choices as draws (NonAdaptive: first[t]; SemiAdaptive: first[t], second[t]).
    func mwz15Draws(_ instance: MatchingInstance) -> [Double] {
        self == .semiAdaptive ? MWZ15Plan.draws(MWZ15Plan.semiAdaptive(instance), withSecond: true)
                              : MWZ15Plan.draws(MWZ15Plan.nonAdaptive(instance), withSecond: false)
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

    /// Integral rules: the eligible edge (unmatched u, p > 0) of largest priority (formulas on
    /// the cases), the lowest offline index on ties (edges are in offline-index order and only a
    /// strictly larger priority replaces the best). Water-filling: the levels ``WaterFilling`` pours to.
    /// One specialised loop per rule: the switch and any table are hoisted out of the edge loop.
    public func choose(_ state: OnlineMatchingState) -> MatchingChoice {
        let w = state.instance.weights, draws = state.draws
        switch self {
        case .greedy: return Self.best(state) { u, p, _ in w[u] * p }
        case .ranking: return Self.best(state) { u, _, _ in draws[u] }
        case .stochasticBalance: return Self.best(state) { _, _, load in -load }
        case .stochasticBalanceRoundRobin: return Self.leastLoadRoundRobin(state)
        case .mp12Exponential: return Self.best(state) { _, p, load in p * exp(-load) }
        case .nonAdaptive: return MWZ15Plan.chooseNonAdaptive(state)
        case .semiAdaptive: return MWZ15Plan.chooseSemiAdaptive(state)
        case .huangZhang:
            let table = PriorityTables.huangZhang
            return Self.best(state) { u, p, load in w[u] * p * table(load) }
        case .guAdaptive:
            let table = PriorityTables.goyalUdwani
            return Self.best(state) { u, p, load in w[u] * p * table(load) }
        case .psiBalance:
            let table = PriorityTables.psi
            return Self.best(state) { u, p, load in w[u] * p * table(load) }
        case .guAdaptive588: return Self.best(state) { u, p, load in w[u] * p * 0.588 / (0.575 * load + 1) }
        case .guAdaptive581: return Self.best(state) { u, p, load in w[u] * p * 0.581 * exp(-0.535 * load) }
        case .guPerturbed: return Self.best(state) { u, p, _ in w[u] * p * draws[u] }
        case .waterFilling: return WaterFilling.pour(state)
        }
    }

    /// The eligible edge of least load; on equal loads the vertex that comes first cyclically after
    /// `state.lastTried` (index order; from 0 before any try).
    static func leastLoadRoundRobin(_ state: OnlineMatchingState) -> MatchingChoice {
        let n = state.instance.offlineCount, after = state.lastTried
        var best = -1, bestLoad = Double.infinity, bestDistance = Int.max
        for e in state.edges {
            let u = state.offline(e)
            guard state.available[u], state.probability(e) > 0 else { continue }
            let load = state.loads[u], distance = (u - after - 1 + n) % n
            if load < bestLoad || (load == bestLoad && distance < bestDistance) { best = e; bestLoad = load; bestDistance = distance }
        }
        return best >= 0 ? .tryEdge(best) : .skip
    }

    /// The eligible edge of largest `priority(u, p, load)`, first on ties.
    @inline(__always)
    static func best(_ state: OnlineMatchingState, _ priority: (Int, Double, Double) -> Double) -> MatchingChoice {
        let offline = state.instance.edgeOffline, probability = state.instance.edgeProbability
        let available = state.available, loads = state.loads
        var best = -1
        var bestScore = -Double.infinity
        for e in state.edges {
            let u = Int(offline[e]), p = probability[e]
            guard available[u], p > 0 else { continue }
            let s = priority(u, p, loads[u])
            if s > bestScore { bestScore = s; best = e }
        }
        return best >= 0 ? .tryEdge(best) : .skip
    }
}

/// A priority function tabulated on [0, maxLoad] with linear interpolation
/// (exact formula beyond the table), so the inner loop never integrates.
struct PriorityTable: Sendable {
    let step: Double
    let values: [Double]
    let beyond: @Sendable (Double) -> Double

    init(maxLoad: Double, points: Int, _ f: @escaping @Sendable (Double) -> Double) {
        step = maxLoad / Double(points)
        values = (0...points).map { f(Double($0) * maxLoad / Double(points)) }
        beyond = f
    }

    @inline(__always)
    func callAsFunction(_ x: Double) -> Double {
        let pos = x / step
        let i = Int(pos)
        guard i < values.count - 1 else { return beyond(x) }
        return values[i] + (values[i + 1] - values[i]) * (pos - Double(i))
    }
}

enum PriorityTables {
    static let huangZhangF = MatchingAnalytic.HuangZhangF()
    /// 1 − f(ℓ): f is piecewise smooth on [0,1] and constant beyond; 10^5 table points give error < 1e-10.
    static let huangZhang = PriorityTable(maxLoad: 1, points: 100_000) { 1 - huangZhangF($0) }
    /// g(ℓ) = e^{ℓ+1}E1(ℓ+1) on [0, 64], step 1/1024 (interpolation error < 1e-8).
    static let goyalUdwani = PriorityTable(maxLoad: 64, points: 65_536) { MatchingAnalytic.goyalUdwaniG($0) }
    /// ψ is already piecewise linear: the table reproduces it exactly at the knots.
    static let psi = PriorityTable(maxLoad: 20, points: 20_000) { MatchingAnalytic.psi($0) }
}
