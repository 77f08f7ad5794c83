import Foundation

/// The MNL welfare optimum and VCG payments in exact arithmetic (issue 21's independent oracle):
/// every allocation of ≤ K ads is enumerated here (no library code), and W = Σ c w / (1 + Σ w)
/// is compared as an exact fraction of dyadic numbers, so ties and 1e-16 differences are decided
/// exactly. Exponential in size: small instances only.
enum ExactMNL {
    typealias Allocation = [(advertiser: Int, position: Int)]

    /// W of an allocation, exactly.
    static func value(_ x: Allocation, weights w: [[Double]], coefficients c: [Double]) -> ExactFraction {
        var n = Dyadic.zero, d = Dyadic.one
        for s in x {
            let ws = Dyadic(w[s.advertiser][s.position])
            n = n + Dyadic(c[s.advertiser]) * ws
            d = d + ws
        }
        return ExactFraction(num: n, den: d)
    }

    /// Every allocation of ≤ K ads among the advertisers other than `excluded`.
    static func allocations(advertisers n: Int, positions m: Int, maxAds K: Int, excluded: Int = -1) -> [Allocation] {
        var out: [Allocation] = [], current: Allocation = [], used = [Bool](repeating: false, count: m)
        func visit(_ i: Int) {
            if i == n { out.append(current); return }
            visit(i + 1)
            guard i != excluded, current.count < K else { return }
            for j in 0..<m where !used[j] {
                used[j] = true; current.append((i, j))
                visit(i + 1)
                current.removeLast(); used[j] = false
            }
        }
        visit(0)
        return out
    }

    /// The exact maximum of W (without `excluded`) and one allocation attaining it.
    static func optimum(weights w: [[Double]], coefficients c: [Double], maxAds K: Int, excluded: Int = -1) -> (allocation: Allocation, value: ExactFraction) {
        var best: Allocation = [], bestValue = ExactFraction(num: .zero, den: .one)
        for x in allocations(advertisers: w.count, positions: w[0].count, maxAds: K, excluded: excluded) {
            let v = value(x, weights: w, coefficients: c)
            if ExactFraction.compare(v, bestValue) > 0 { best = x; bestValue = v }
        }
        return (best, bestValue)
    }

    /// VCG (Clarke) payments for the allocation `x`: P_i = W*_{−i} − Σ_{k ∈ x, k ≠ i} c_k w_k / D(x),
    /// each difference taken exactly and rounded once.
    static func vcg(weights w: [[Double]], coefficients c: [Double], maxAds K: Int, allocation x: Allocation) -> [Double] {
        var pay = [Double](repeating: 0, count: w.count)
        for s in x {
            let i = s.advertiser
            let without = optimum(weights: w, coefficients: c, maxAds: K, excluded: i).value
            let full = value(x, weights: w, coefficients: c)
            let own = ExactFraction(num: Dyadic(c[i]) * Dyadic(w[i][s.position]), den: full.den)
            let othersPart = ExactFraction(num: full.num - own.num, den: full.den)
            pay[i] = (without - othersPart).approximate
        }
        return pay
    }
}
