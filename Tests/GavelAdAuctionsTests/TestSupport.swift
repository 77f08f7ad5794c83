import Foundation
import GavelCore
@testable import GavelAdAuctions

/// Random instances for the tests, each from its own named stream (reproducible, order-independent).
enum Random {
    static func stream(_ name: String, _ k: Int) -> Xoshiro256StarStar {
        Xoshiro256StarStar(seed: 20_260_601).stream(named: "\(name)-\(k)")
    }

    /// A small MNL instance: n ≤ 5, m ≤ 4, K ≤ m; values U[0, 10].
    static func smallMNL(_ k: Int, maxAdvertisers: Int = 5, maxPositions: Int = 4) throws -> (PositionAuction, [Double]) {
        var s = stream("mnl", k)
        let n = 1 + Int(s.nextUnitDouble() * Double(maxAdvertisers))
        let m = 1 + Int(s.nextUnitDouble() * Double(maxPositions))
        let K = 1 + Int(s.nextUnitDouble() * Double(m))
        var g = AdInstanceGenerator(family: .mnl, advertisers: n, positions: m, maxAds: K)
        g.advertiserMean = -1 + 2 * s.nextUnitDouble()
        g.noiseSD = 1
        let a = try g.make(using: &s)
        let values = (0..<n).map { _ in 10 * s.nextUnitDouble() }
        return (a, values)
    }

    static func cascade(_ k: Int, n: Int, m: Int, K: Int, order: RenderingOrder = .chosen, stopAfterClick: Bool = false) throws -> (PositionAuction, [Double]) {
        var s = stream("cascade-\(order.rawValue)", k)
        var g = AdInstanceGenerator(family: .cascade, advertisers: n, positions: m, maxAds: K)
        g.order = order
        g.noiseSD = 1
        if stopAfterClick { g.continuation = nil }
        let a = try g.make(using: &s)
        return (a, (0..<n).map { _ in 10 * s.nextUnitDouble() })
    }

    static func separable(_ k: Int, n: Int, m: Int, K: Int) throws -> (PositionAuction, [Double]) {
        var s = stream("separable", k)
        let a = try AdInstanceGenerator(family: .separable, advertisers: n, positions: m, maxAds: K).make(using: &s)
        return (a, (0..<n).map { _ in 10 * s.nextUnitDouble() })
    }
}

func weights(_ a: PositionAuction) -> AdMatrix {
    if case .mnl(let w) = a.model { return w }
    return AdMatrix(rows: 0, columns: 0, values: [])
}

/// Relative-or-absolute closeness.
func close(_ x: Double, _ y: Double, _ tol: Double) -> Bool { abs(x - y) <= tol * max(1, abs(x), abs(y)) }
