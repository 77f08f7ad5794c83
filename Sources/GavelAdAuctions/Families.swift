import Foundation
import GavelCore

/// Random instances: a CTR generator with advertiser and position effects and noise (issue item 6).
///
/// ρ_ij = a_i − decay·j + σ ε_ij with a_i ~ N(advertiserMean, advertiserSD), ε ~ N(0, 1).
/// MNL: w_ij = exp(ρ_ij). Cascade: p_ij = w_ij/(1 + w_ij) (the standalone CTR of spec A.2 [DER]);
/// q_ij = 1 − p_ij ("stop after a click") or U[continuationLow, continuationHigh].
/// Separable: α_i ~ U[0.2, 1], β_j = positionBase^j (w = α β under MNL, p = α β and q ≡ 1 under
/// cascade: the classic position auction). Draws come from the stream the caller passes, in a fixed
/// order (advertiser effects, then ε row by row, then q row by row).
public struct AdInstanceGenerator: Sendable, Equatable {
    public enum Family: String, Sendable, CaseIterable {
        case mnl, cascade, mnlSeparable = "mnl_separable", separable
    }
    public var family: Family
    public var advertisers: Int
    public var positions: Int
    public var maxAds: Int
    public var advertiserMean: Double = -1
    public var advertiserSD: Double = 0.5
    public var positionDecay: Double = 0.3
    public var noiseSD: Double = 0.5
    /// nil: q = 1 − p.
    public var continuation: (low: Double, high: Double)? = (0.5, 1.0)
    public var order: RenderingOrder = .chosen
    public var positionBase: Double = 0.7

    public static func == (a: Self, b: Self) -> Bool {
        a.family == b.family && a.advertisers == b.advertisers && a.positions == b.positions && a.maxAds == b.maxAds
            && a.advertiserMean == b.advertiserMean && a.advertiserSD == b.advertiserSD && a.positionDecay == b.positionDecay
            && a.noiseSD == b.noiseSD && a.continuation?.low == b.continuation?.low && a.continuation?.high == b.continuation?.high
            && a.order == b.order && a.positionBase == b.positionBase
    }

    public init(family: Family, advertisers: Int, positions: Int, maxAds: Int) {
        self.family = family
        self.advertisers = advertisers
        self.positions = positions
        self.maxAds = maxAds
    }

    public func make(using stream: inout some RandomStream) throws -> PositionAuction {
        let n = advertisers, m = positions
        switch family {
        case .separable, .mnlSeparable:
            let alpha = (0..<n).map { _ in 0.2 + 0.8 * stream.nextUnitDouble() }
            let beta = (0..<m).map { pow(positionBase, Double($0)) }
            var x = AdMatrix.filled(rows: n, columns: m, with: 0)
            for i in 0..<n { for j in 0..<m { x[i, j] = alpha[i] * beta[j] } }
            let model: ClickModel = family == .separable
                ? .cascade(ctr: x, continuation: .filled(rows: n, columns: m, with: 1), order: order)
                : .mnl(weights: x)
            return try PositionAuction(model: model, maxAds: maxAds, separable: (alpha, beta))
        case .mnl, .cascade:
            let normal = try NormalDistribution(mean: 0, standardDeviation: 1)
            let effect = (0..<n).map { _ in advertiserMean + advertiserSD * normal.sample(using: &stream) }
            var w = AdMatrix.filled(rows: n, columns: m, with: 0)
            for i in 0..<n {
                for j in 0..<m { w[i, j] = exp(effect[i] - positionDecay * Double(j) + noiseSD * normal.sample(using: &stream)) }
            }
            if family == .mnl { return try PositionAuction(model: .mnl(weights: w), maxAds: maxAds) }
            var p = w, q = w
            for i in 0..<n { for j in 0..<m { p[i, j] = w[i, j] / (1 + w[i, j]) } }
            for i in 0..<n {
                for j in 0..<m {
                    if let c = continuation { q[i, j] = c.low + (c.high - c.low) * stream.nextUnitDouble() } else { q[i, j] = 1 - p[i, j] }
                }
            }
            return try PositionAuction(model: .cascade(ctr: p, continuation: q, order: order), maxAds: maxAds)
        }
    }
}
