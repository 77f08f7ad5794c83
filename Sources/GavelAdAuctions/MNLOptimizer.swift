import GavelCore
import GavelLP

/// An allocation with the objective it attains (Σ c_i π_i for the coefficients it was computed for).
public struct OptimizedAllocation: Sendable, Equatable {
    /// Slots in rendering order.
    public var slots: [Slot]
    /// Σ_i c_i π_i of the allocation.
    public var objective: Double
    /// An allocation and its objective.
    public init(slots: [Slot], objective: Double) { self.slots = slots; self.objective = objective }
}

/// The three exact MNL optimisers of spec A.3 [DER]: maximise Σ_i c_i π_i(x) = N(x)/D(x),
/// N = Σ x_ij c_i w_ij, D = 1 + Σ x_ij w_ij, over matchings of at most K edges. The coefficients c
/// are bids (welfare) or virtual values (revenue); c_i ≤ 0 is never shown (it only dilutes).
public enum MNLOptimizer {
    /// Dinkelbach over max-weight matchings: λ_0 = 0; x_k = argmax Σ x w (c − λ_k) over ≤ K edges of
    /// positive weight; λ_{k+1} = W(x_k); stop when λ no longer rises (F(λ) = 0 at the root W*).
    /// Finite and exact up to rounding: each step strictly raises λ among finitely many matchings.
    public static func dinkelbach(weights w: AdMatrix, coefficients c: [Double], maxAds K: Int) -> OptimizedAllocation {
        var gain = [Double](repeating: 0, count: w.rows * w.columns)
        return dinkelbach(weights: w, coefficients: c, maxAds: K, matcher: MaxWeightMatcher(), gain: &gain, start: 0)
    }

    /// The same with caller-owned buffers (the market's hot path) and a starting λ that must be the
    /// value of a feasible allocation, `startSlots` (the market starts from `warmStart`, and VCG's
    /// W*_{−i} from x* \ i, `optimumWithout`); row `excluded` (if ≥ 0) is left out. With start
    /// slots the steps are cycle cancelling (`improving`); from nothing, or if that cannot decide,
    /// each step is a matching, in which rows with c_i ≤ λ cannot gain and are dropped (compacted),
    /// which shrinks it as λ rises.
    public static func dinkelbach(weights w: AdMatrix, coefficients c: [Double], maxAds K: Int,
                                  matcher: MaxWeightMatcher, gain: inout [Double], start: Double,
                                  startSlots: [Slot] = [], excluded: Int = -1) -> OptimizedAllocation {
        if !startSlots.isEmpty, start > 0,
           let improved = improving(startSlots, value: start, weights: w, coefficients: c, maxAds: K, matcher: matcher, excluded: excluded) {
            return improved
        }
        let n = w.rows, m = w.columns
        var lambda = max(0, start)
        var best = startSlots
        var bestValue = lambda
        // The active rows' advertisers: a stack buffer (this runs several times per market query).
        withUnsafeTemporaryAllocation(of: Int.self, capacity: n) { active in
            for _ in 0..<200 {
                var count = 0
                for i in 0..<n where c[i] > lambda && i != excluded {
                    let margin = c[i] - lambda, row = count * m, source = i * m
                    for j in 0..<m { gain[row + j] = w.values[source + j] * margin }
                    active[count] = i
                    count += 1
                }
                if count == 0 { break }
                _ = gain.withUnsafeBufferPointer { matcher.solve(gain: $0, rows: count, columns: m, maxEdges: K) }
                var numerator = 0.0, denominator = 1.0, shown = 0
                for j in 0..<m {
                    let r = matcher.row(ofColumn: j)
                    if r >= 0 { let i = active[r]; numerator += c[i] * w.values[i * m + j]; denominator += w.values[i * m + j]; shown += 1 }
                }
                let value = numerator / denominator
                if shown == 0 || !(value > lambda + 1e-15 * max(1, lambda)) { break }
                lambda = value
                bestValue = value
                best.removeAll(keepingCapacity: true)
                for j in 0..<m where matcher.row(ofColumn: j) >= 0 { best.append(Slot(active[matcher.row(ofColumn: j)], j)) }
            }
        }
        // Slots by position (the text order; MNL CTRs do not depend on the order).
        return OptimizedAllocation(slots: best, objective: bestValue)
    }

    /// W*_{−i} for VCG: Dinkelbach without row i, by cycle cancelling, from x* \ i (its W from the
    /// optimum's value `total` and denominator D: (total·D − c_i w_i)/(D − w_i)); the first cycle
    /// usually refills the freed position. (Refilling it first, greedily by `warmStart` or by the
    /// largest gain, cost as much as it saved in the market, measured.) Shared buffers; the market
    /// and `AdMechanism` (VCG with Dinkelbach) both use it.
    public static func optimumWithout(_ i: Int, optimum slots: [Slot], total: Double, denominator: Double, weights w: AdMatrix,
                                      coefficients c: [Double], maxAds K: Int, matcher: MaxWeightMatcher, gain: inout [Double]) -> Double {
        optimumWithoutAllocation(i, optimum: slots, total: total, denominator: denominator, weights: w, coefficients: c, maxAds: K,
                                 matcher: matcher, gain: &gain).objective
    }

    /// `optimumWithout` with the allocation that attains it (what a certificate checks).
    public static func optimumWithoutAllocation(_ i: Int, optimum slots: [Slot], total: Double, denominator: Double, weights w: AdMatrix,
                                                coefficients c: [Double], maxAds K: Int, matcher: MaxWeightMatcher,
                                                gain: inout [Double]) -> OptimizedAllocation {
        guard slots.contains(where: { $0.advertiser == i }) else { return OptimizedAllocation(slots: slots, objective: total) }
        // W of x* \ i summed afresh: (total·D − c_i w_i)/(D − w_i) cancels catastrophically when w_i
        // dwarfs the others (w_i = 1e12 gave a start off by 1e-4, and a wrong certificate).
        let rest = slots.filter { $0.advertiser != i }
        var numerator = 0.0, restDenominator = 1.0
        for s in rest { numerator += c[s.advertiser] * w[s.advertiser, s.position]; restDenominator += w[s.advertiser, s.position] }
        return dinkelbach(weights: w, coefficients: c, maxAds: K, matcher: matcher, gain: &gain, start: numerator / restDenominator,
                          startSlots: rest, excluded: i)
    }

    /// Dinkelbach by cycle cancelling [ours]: from the feasible `start` (W = `value`), at λ = W of
    /// the current allocation, one `MaxWeightMatcher.improve` on the gains w·(c − λ): no cycle of
    /// positive gain certifies F(λ) = 0, so λ = W*; a cycle gives an allocation of Σ g > λ, hence
    /// W > λ (N − λD = Σ g − λ), and λ rises to it. Finite as Dinkelbach is (λ strictly rises among
    /// finitely many allocations). A search costs about one augmentation of `solve`'s K, and the
    /// market's starts need one or two. Returns nil if a search is undecided. The tolerance (1e-12
    /// of the largest |gain| per label move) is far above the rounding of sums of ≤ m + 2 gains
    /// and far below the 1e-9 the tests ask.
    static func improving(_ start: [Slot], value: Double, weights w: AdMatrix, coefficients c: [Double], maxAds K: Int,
                          matcher: MaxWeightMatcher, excluded: Int) -> OptimizedAllocation? {
        let n = w.rows, m = w.columns
        var lambda = value
        // The tolerance scales with the weights that take part: the excluded row's (say 1e12) would
        // make it larger than every gain of the others, and certify anything.
        var largestWeight = 0.0
        for i in 0..<n where i != excluded { for j in 0..<m { largestWeight = max(largestWeight, w.values[i * m + j]) } }
        let certified: Bool? = withUnsafeTemporaryAllocation(of: Double.self, capacity: n) { margin in
            w.values.withUnsafeBufferPointer { wv in
                matcher.setMatching(rows: n, columns: m) { i in start.first { $0.advertiser == i }?.position ?? -1 }
                for _ in 0..<200 {
                    var largestMargin = 0.0
                    for i in 0..<n {
                        margin[i] = i == excluded ? 0 : c[i] - lambda   // the excluded row has no edges
                        largestMargin = max(largestMargin, abs(margin[i]))
                    }
                    switch matcher.improve(weights: wv.baseAddress!, rowScale: margin.baseAddress!, rows: n, columns: m, maxEdges: K,
                                           tolerance: 1e-12 * largestMargin * largestWeight) {
                    case .optimal: return true
                    case .undecided: return nil
                    case .improved: break
                    }
                    var numerator = 0.0, denominator = 1.0
                    for j in 0..<m {
                        let i = matcher.row(ofColumn: j)
                        if i >= 0 { numerator += c[i] * wv[i * m + j]; denominator += wv[i * m + j] }
                    }
                    // A cycle of positive gain raises W in exact arithmetic; equal up to rounding: stop there.
                    let rise = numerator / denominator
                    if !(rise > lambda + 1e-15 * max(1, lambda)) { lambda = rise; return false }
                    lambda = rise
                }
                return false
            }
        }
        guard certified != nil else { return nil }
        var slots: [Slot] = []
        slots.reserveCapacity(K)
        for j in 0..<m where matcher.row(ofColumn: j) >= 0 { slots.append(Slot(matcher.row(ofColumn: j), j)) }
        return OptimizedAllocation(slots: slots, objective: lambda)
    }

    /// A warm start for `dinkelbach` without a matching [ours]: from the empty page, add the
    /// (advertiser, position) pair that raises
    /// W = N/D most while one does and fewer than K are shown: O(n·m) a pair, about one
    /// augmentation's work. When the result is optimal (often: the best single ad grown), Dinkelbach
    /// needs one search (the certificate) instead of two or more. (Drop, replace and swap moves as
    /// well save a few more searches but cost more than they save in the market, measured.)
    /// Returns nil when nothing was
    /// added (or n or m exceeds 64, the bitmasks' width); else the slots by position and W summed in
    /// position order as `dinkelbach` sums it, so an optimal start gives the bits the iteration
    /// would have ended with.
    public static func warmStart(weights w: AdMatrix, coefficients c: [Double], maxAds K: Int) -> OptimizedAllocation? {
        let n = w.rows, m = w.columns
        guard n <= 64 && m <= 64 else { return nil }
        var slots: [Slot] = []
        slots.reserveCapacity(K)
        var numerator = 0.0, denominator = 1.0
        var rowsFree: UInt64 = 0, columnsFree: UInt64 = m == 64 ? ~0 : (1 << UInt64(m)) - 1
        for i in 0..<n where c[i] > 0 { rowsFree |= 1 << UInt64(i) }
        w.values.withUnsafeBufferPointer { wv in
            while slots.count < K {
                // Compared as N' > W·D' (D' ≥ 1): no division per candidate.
                var best = numerator / denominator, pick = -1
                for i in 0..<n where rowsFree & (1 << UInt64(i)) != 0 && c[i] > best {
                    for j in 0..<m where columnsFree & (1 << UInt64(j)) != 0 {
                        let dn = c[i] * wv[i * m + j], dd = wv[i * m + j]
                        if numerator + dn > best * (denominator + dd) { best = (numerator + dn) / (denominator + dd); pick = i * m + j }
                    }
                }
                guard pick >= 0 else { break }
                let i = pick / m, j = pick % m
                slots.append(Slot(i, j))
                numerator += c[i] * wv[pick]; denominator += wv[pick]
                rowsFree &= ~(1 << UInt64(i)); columnsFree &= ~(1 << UInt64(j))
            }
        }
        guard !slots.isEmpty else { return nil }
        slots.sort { $0.position < $1.position }
        numerator = 0; denominator = 1
        for s in slots { numerator += c[s.advertiser] * w[s.advertiser, s.position]; denominator += w[s.advertiser, s.position] }
        return OptimizedAllocation(slots: slots, objective: numerator / denominator)
    }

    /// The Charnes–Cooper LP (y = x·t, t = 1/D) on GLPK, spec A.3 [DER]:
    /// max Σ c_i w_ij y_ij s.t. t + Σ w y = 1; Σ_j y_ij ≤ t; Σ_i y_ij ≤ t; Σ y ≤ K t; y, t ≥ 0.
    /// The x-polytope is an integral flow polytope and the projective map keeps vertices, so the
    /// simplex vertex gives an integral x = y/t (read with threshold 1/2).
    public static func charnesCooper(weights w: AdMatrix, coefficients c: [Double], maxAds K: Int,
                                     solver: GLPKSolver = GLPKSolver(method: .primalSimplex)) throws -> OptimizedAllocation {
        let n = w.rows, m = w.columns
        var lp = LinearProgram(direction: .maximize)
        let t = lp.addVariable(lower: 0, upper: .infinity, objective: 0, name: "t")
        var y: [(Int, Int, LPVariable)] = []
        for i in 0..<n where c[i] > 0 {
            for j in 0..<m where w[i, j] > 0 {
                y.append((i, j, lp.addVariable(lower: 0, upper: .infinity, objective: c[i] * w[i, j], name: "y_\(i)_\(j)")))
            }
        }
        lp.addConstraint([(t, 1)] + y.map { ($0.2, w[$0.0, $0.1]) }, .equal(1), name: "normalisation")
        for i in 0..<n {
            let terms = y.filter { $0.0 == i }.map { ($0.2, 1.0) }
            if !terms.isEmpty { lp.addConstraint(terms + [(t, -1)], .lessOrEqual(0), name: "advertiser_\(i)") }
        }
        for j in 0..<m {
            let terms = y.filter { $0.1 == j }.map { ($0.2, 1.0) }
            if !terms.isEmpty { lp.addConstraint(terms + [(t, -1)], .lessOrEqual(0), name: "position_\(j)") }
        }
        if !y.isEmpty { lp.addConstraint(y.map { ($0.2, 1.0) } + [(t, -Double(K))], .lessOrEqual(0), name: "max_ads") }
        let solution = try solver.solve(lp)
        guard solution.status == .optimal, let value = solution.objectiveValue else {
            throw InputError("Charnes–Cooper LP: GLPK returned \(solution.status)", field: "")
        }
        let tv = solution.value(of: t)
        let slots = y.filter { solution.value(of: $0.2) > 0.5 * tv }.map { Slot($0.0, $0.1) }
        return OptimizedAllocation(slots: slots.sorted { $0.position < $1.position }, objective: value)
    }

    /// Brute force: every matching of at most K edges (advertiser by advertiser: no position or an
    /// unused one). Ties: the first in that enumeration order (advertiser 0 unshown first).
    public static func bruteForce(_ auction: PositionAuction, coefficients c: [Double]) -> OptimizedAllocation {
        var best = OptimizedAllocation(slots: [], objective: 0)
        enumerateMatchings(advertisers: auction.advertisers, positions: auction.positions, maxEdges: auction.maxAds) { slots in
            let ordered = auction.renderingOrder(slots, coefficients: c)
            let value = auction.objective(of: ordered, coefficients: c)
            if value > best.objective + 1e-15 * max(1, abs(best.objective)) { best = OptimizedAllocation(slots: ordered, objective: value) }
        }
        return best
    }

    /// The number of matchings of at most `maxEdges` edges (what `enumerateMatchings` visits),
    /// saturating at Int.max: Σ_k C(n, k)·m!/(m − k)!.
    public static func matchingCount(advertisers n: Int, positions m: Int, maxEdges K: Int) -> Int {
        var total = 0, term = 1   // term = C(n, k)·P(m, k)
        for k in 0...min(K, n, m) {
            if k > 0 {
                let (a, o1) = term.multipliedReportingOverflow(by: (n - k + 1) * (m - k + 1))
                if o1 { return .max }
                term = a / k
            }
            let (t, o2) = total.addingReportingOverflow(term)
            if o2 { return .max }
            total = t
        }
        return total
    }

    /// Calls `body` with every matching of at most `maxEdges` slots (unordered; by advertiser).
    public static func enumerateMatchings(advertisers n: Int, positions m: Int, maxEdges K: Int, _ body: ([Slot]) -> Void) {
        var used = [Bool](repeating: false, count: m)
        var current: [Slot] = []
        func visit(_ i: Int) {
            if i == n { body(current); return }
            visit(i + 1)
            guard current.count < K else { return }
            for j in 0..<m where !used[j] {
                used[j] = true; current.append(Slot(i, j))
                visit(i + 1)
                current.removeLast(); used[j] = false
            }
        }
        visit(0)
    }
}
