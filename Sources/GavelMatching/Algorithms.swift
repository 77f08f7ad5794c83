import Foundation
import GavelCore
import GavelConfig

/// The online algorithms (spec B.2). Every integral rule is "opportunistic": on
/// arrival v it picks, among unsuccessful neighbours u with p_uv > 0, the one
/// with the largest priority, and matches v whenever such a u exists.
///
/// Tie-break (all rules): the lowest offline index wins (edges are scanned in
/// offline-index order and only a strictly larger priority replaces the best).
public enum MatchingAlgorithm: String, ScenarioEnum, Encodable {
    /// argmax w_u·p_uv (MP12, GU).
    case greedy
    /// KVV Ranking: one uniform permutation of U per run (stream "ranks"); highest rank wins, p ignored (MP12 §4).
    case ranking
    /// Stochastic Balance: least load ℓ_u (= fewest failed attempts × p for equal p) (MP12, HZ20 Alg. 1).
    case stochasticBalance = "stochastic_balance"
    /// MP12's rule for unequal probabilities (MWZ15's FullyAdaptive): argmax p_uv·e^{−ℓ_u}, ℓ_u = Σ of
    /// u's tried probabilities. Unweighted as in MP12: weights do not enter the priority.
    case mp12Exponential = "mp12_exponential"
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
        case .stochasticBalance: return "least load (MP12 Stochastic Balance; equal p)"
        case .mp12Exponential: return "argmax p·e^{−load}, MP12's rule for unequal p (MWZ15 FullyAdaptive; weights ignored)"
        case .huangZhang: return "argmax w·p·(1 − f(load)), HZ20 Alg. 2 (0.576)"
        case .guAdaptive: return "argmax w·p·e^{ℓ+1}E1(ℓ+1), GU Alg. 2 (0.596)"
        case .guAdaptive588: return "GU Alg. 2 with g = 0.588/(0.575ℓ+1)"
        case .guAdaptive581: return "GU Alg. 2 with g = 0.581·e^{−0.535ℓ}"
        case .guPerturbed: return "argmax w·p·(1 − e^{y−1}), y ~ U[0,1] per offline vertex (GU Alg. 1)"
        case .psiBalance: return "argmax w·p·ψ(load), ψ tabulated from the dsgsjk LP (paper B, 0.611) [REC]"
        case .waterFilling: return "fractional water-filling (deterministic; value = Σ w·load)"
        }
    }

    public var isFractional: Bool { self == .waterFilling }
}

/// The priority of one algorithm with its per-run draws (ranks or perturbations).
/// `priority(u, p, load)` is what the rule maximises; see `MatchingAlgorithm` for formulas.
public struct PriorityRule: Sendable {
    public let algorithm: MatchingAlgorithm
    let weights: [Double]
    /// Ranking: rank[u] (larger wins); perturbed greedy: 1 − e^{y_u − 1}.
    var perVertex: [Double]
    let table: PriorityTable?

    public init(_ algorithm: MatchingAlgorithm, weights: [Double]) {
        self.algorithm = algorithm
        self.weights = weights
        perVertex = []
        switch algorithm {
        case .huangZhang: table = PriorityTables.huangZhang
        case .guAdaptive: table = PriorityTables.goyalUdwani
        case .psiBalance: table = PriorityTables.psi
        default: table = nil
        }
    }

    /// Draws the per-run randomness from `random` (stream "ranks"): a uniform
    /// permutation (Fisher–Yates, from the last position down) for Ranking, y_u ~ U[0,1) for GU Alg. 1.
    public mutating func draw(using random: inout Xoshiro256StarStar) {
        let n = weights.count
        switch algorithm {
        case .ranking:
            var order = Array(0..<n)
            if n > 1 { for i in stride(from: n - 1, to: 0, by: -1) { order.swapAt(i, random.nextInt(below: i + 1)) } }
            perVertex = Array(repeating: 0, count: n)
            for (rank, u) in order.enumerated() { perVertex[u] = Double(n - rank) }
        case .guPerturbed:
            perVertex = (0..<n).map { _ in 1 - exp(random.nextUnitDouble() - 1) }
        default: break
        }
    }

    /// Sets Ranking's order explicitly: `order[0]` is the highest-ranked vertex (for exact enumeration).
    public mutating func setRanking(_ order: [Int]) {
        perVertex = Array(repeating: 0, count: weights.count)
        for (rank, u) in order.enumerated() { perVertex[u] = Double(order.count - rank) }
    }

    @inline(__always)
    public func priority(_ u: Int, _ p: Double, _ load: Double) -> Double {
        switch algorithm {
        case .greedy: return weights[u] * p
        case .ranking: return perVertex[u]
        case .stochasticBalance, .waterFilling: return -load
        case .mp12Exponential: return p * exp(-load)
        case .huangZhang, .guAdaptive, .psiBalance: return weights[u] * p * table!(load)
        case .guAdaptive588: return weights[u] * p * 0.588 / (0.575 * load + 1)
        case .guAdaptive581: return weights[u] * p * 0.581 * exp(-0.535 * load)
        case .guPerturbed: return weights[u] * p * perVertex[u]
        }
    }

    /// The edge (index into the instance's edge arrays) the rule picks for arrival t, or nil.
    @inline(__always)
    public func choose(_ instance: MatchingInstance, arrival t: Int, available: [Bool], load: [Double]) -> Int? {
        var best = -1
        var bestScore = -Double.infinity
        for e in instance.edgeStart[t]..<instance.edgeStart[t + 1] {
            let u = Int(instance.edgeOffline[e]), p = instance.edgeProbability[e]
            guard available[u], p > 0 else { continue }
            let s = priority(u, p, load[u])
            if s > bestScore { bestScore = s; best = e }
        }
        return best >= 0 ? best : nil
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
