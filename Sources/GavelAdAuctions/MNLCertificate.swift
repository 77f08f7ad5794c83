import GavelCore
import GavelLP
import Synchronization

/// The certificate of one MNL optimum (issue 21): the allocation's W = N/D recomputed from its
/// slots, and an upper bound on W over every allocation from an oracle that shares no code with
/// Dinkelbach. A result is reported only when W ≥ bound − tolerance.
public struct MNLCertificate: Sendable, Equatable {
    /// The independent oracle behind a certificate's bound.
    public enum Oracle: String, Sendable {
        /// Every allocation of ≤ K ads enumerated (up to `MNLCertifier.bruteForceLimit`).
        case bruteForce = "brute_force"
        /// The LP of the Dinkelbach step at λ = W(x) (a ≤ K matching LP with a 0/1 matrix), on GLPK;
        /// the bound comes from its row duals by weak duality (`LPSolution.dualCheck`).
        case assignmentLP = "assignment_lp"
    }
    /// The certified allocation, by position.
    public var slots: [Slot]
    /// W of `slots`, recomputed from them.
    public var value: Double
    /// An upper bound on W over every allocation (without the excluded advertiser).
    public var bound: Double
    /// Which oracle gave the bound.
    public var oracle: Oracle
    /// The allocation given was beaten (by more than the repair margin) and replaced by the oracle's.
    public var repaired: Bool
    /// The largest coefficient of the advertisers that take part: the unit of the tolerance.
    public var scale: Double
    /// bound − value (≤ the tolerance).
    public var gap: Double { max(0, bound - value) }
    /// gap / scale (≤ `MNLCertifier.relativeTolerance`).
    public var relativeGap: Double { scale > 0 ? gap / scale : 0 }
}

/// Where certificates are checked. `wideRange` (the default) certifies only when the attraction
/// weights, with the outside option's 1, span more than `MNLCertifier.wideRange`: there the
/// iteration's gains w·(c − λ) lose their digits (one weight of 1e12 made λ's rounding, 1e-16 of
/// c, a gain of 1e-4 on the heavy row); `always` certifies every solve (`gavel solve aigc`).
public struct MNLCertification: Sendable {
    /// `never`, on wide weight ranges only (`wideRange`), or `always`.
    public enum When: Sendable, Equatable { case never, wideRange, always }
    /// When to certify.
    public var when: When
    /// Collects the certificates (the solve report's summary).
    public var log: MNLCertificateLog?

    /// Certification `when`, collecting certificates into `log` if given.
    public init(when: When, log: MNLCertificateLog? = nil) { self.when = when; self.log = log }
    /// The default: certify on wide weight ranges only.
    public static let wideRange = MNLCertification(when: .wideRange)

    /// The certificate of `slots` (W maximised without `excluded`), logged; throws when it fails.
    func certificate(_ slots: [Slot], weights w: AdMatrix, coefficients c: [Double], maxAds K: Int, excluded: Int = -1) throws -> MNLCertificate {
        let cert = try MNLCertifier.certify(weights: w, coefficients: c, maxAds: K, excluded: excluded, slots: slots)
        log?.append(cert)
        return cert
    }

    /// `slots`, or the certified allocation when certification applies.
    func certified(_ slots: [Slot], weights w: AdMatrix, coefficients c: [Double], maxAds K: Int) throws -> [Slot] {
        applies(to: w) ? try certificate(slots, weights: w, coefficients: c, maxAds: K).slots : slots
    }

    func applies(to w: AdMatrix) -> Bool {
        switch when {
        case .never: return false
        case .always: return true
        case .wideRange: return MNLCertifier.dynamicRange(w) > MNLCertifier.wideRange
        }
    }
}

/// The certificates of one solve, in the order they were checked.
public final class MNLCertificateLog: Sendable {
    let entries = Mutex<[MNLCertificate]>([])
    /// An empty log.
    public init() {}
    /// The certificates so far, in the order they were checked.
    public var certificates: [MNLCertificate] { entries.withLock { $0 } }
    func append(_ c: MNLCertificate) { entries.withLock { $0.append(c) } }
}

/// Certifies MNL optima against an oracle (enumeration, or the assignment LP beyond `bruteForceLimit`), within stated tolerances.
public enum MNLCertifier {
    /// Allocations up to which the oracle is enumeration; beyond, the assignment LP.
    public static let bruteForceLimit = 20_000
    /// Results agree with the oracle to this, times the largest coefficient (bid or virtual value)
    /// of the advertisers that take part (for W*_{−i}: all but i).
    public static let relativeTolerance = 1e-9
    /// An oracle's allocation better by more than this (times the largest coefficient: about 64
    /// roundings of a sum of K + 1 terms) replaces the one given, even within the tolerance.
    public static let repairMargin = 64 * Double.ulpOfOne
    /// Dynamic range beyond which `MNLCertification.wideRange` certifies.
    public static let wideRange = 1e6
    /// Improvement rounds of the LP oracle before giving up.
    static let maxRounds = 64

    /// max(1, w_max) / min(1, w_min) over the positive weights: the outside option's 1 counts.
    public static func dynamicRange(_ w: AdMatrix) -> Double {
        var low = 1.0, high = 1.0
        for x in w.values where x > 0 { low = min(low, x); high = max(high, x) }
        return high / low
    }

    /// N = Σ c w and D = 1 + Σ w of an allocation, summed with compensation (Neumaier).
    static func fraction(_ slots: [Slot], _ w: AdMatrix, _ c: [Double]) -> (numerator: Double, denominator: Double) {
        var n = CompensatedSum(), d = CompensatedSum(1)
        for s in slots {
            let x = w[s.advertiser, s.position]
            n.add(c[s.advertiser] * x)
            d.add(x)
        }
        return (n.value, d.value)
    }

    static func value(_ slots: [Slot], _ w: AdMatrix, _ c: [Double]) -> Double {
        let f = fraction(slots, w, c)
        return f.numerator / f.denominator
    }

    /// Certifies (or repairs) `slots` as a maximiser of W = Σ c w / (1 + Σ w) over allocations of
    /// ≤ K ads without advertiser `excluded`. Throws `ExperimentError` when neither the
    /// allocation nor anything the oracle finds can be certified.
    public static func certify(weights w: AdMatrix, coefficients c: [Double], maxAds K: Int, excluded: Int = -1,
                               slots given: [Slot]) throws -> MNLCertificate {
        let n = w.rows, m = w.columns
        // Rows with c ≤ 0 never raise W (dropping one raises N/D or leaves W ≤ 0 = the empty allocation's).
        let active = (0..<n).filter { $0 != excluded && c[$0] > 0 }
        let scale = active.reduce(0) { max($0, c[$1]) }
        let tolerance = relativeTolerance * max(scale, .leastNormalMagnitude), margin = repairMargin * scale
        let slots = given.sorted { $0.position < $1.position }
        guard !active.isEmpty else {
            // Nothing can raise W above the empty allocation's 0.
            let own = value(slots, w, c)
            return own >= 0 ? MNLCertificate(slots: slots, value: own, bound: 0, oracle: .bruteForce, repaired: false, scale: 0)
                : MNLCertificate(slots: [], value: 0, bound: 0, oracle: .bruteForce, repaired: true, scale: 0)
        }
        let count = MNLOptimizer.matchingCount(advertisers: active.count, positions: m, maxEdges: K)
        if count <= bruteForceLimit {
            var cert = bruteForce(w, c, K, active: active, given: slots, margin: margin)
            cert.scale = scale
            return cert
        }
        var cert = try assignmentLP(w, c, K, active: active, given: slots, tolerance: tolerance)
        cert.scale = scale
        return cert
    }

    static func bruteForce(_ w: AdMatrix, _ c: [Double], _ K: Int, active: [Int], given: [Slot], margin: Double) -> MNLCertificate {
        var best: [Slot] = [], bestValue = 0.0
        MNLOptimizer.enumerateMatchings(advertisers: active.count, positions: w.columns, maxEdges: K) { local in
            let slots = local.map { Slot(active[$0.advertiser], $0.position) }
            let v = value(slots, w, c)
            if v > bestValue { best = slots; bestValue = v }
        }
        let own = value(given, w, c)
        if own >= bestValue - margin {
            return MNLCertificate(slots: given, value: own, bound: bestValue, oracle: .bruteForce, repaired: false, scale: 0)
        }
        return MNLCertificate(slots: best.sorted { $0.position < $1.position }, value: bestValue, bound: bestValue, oracle: .bruteForce,
                              repaired: true, scale: 0)
    }

    /// Dinkelbach's own certificate, taken above the value and computed stably [ours]. For an
    /// allocation x with W = N/D and any λ, max over allocations x' of N' − λD' ≤ 0 proves W* ≤ λ.
    /// At λ' = W + tolerance, multiplied by D: every x' has Σ_{x'} g'_ij ≤ N + tolerance·D, with
    /// g'_ij = w_ij (c_i D − N − tolerance·D); c_i D − N = c_i + Σ_{k∈x} w_k (c_i − c_k) is summed in
    /// that form, so no λ rounded to a double multiplies a large weight. The left side is a
    /// ≤ K matching problem: its LP on GLPK (every column in [0, 1], every row boxed, so GLPK's row
    /// duals give a valid bound by weak duality, `LPSolution.dualCheck`), and duals built by longest
    /// paths from the LP's matching and from x (`matchingBound`), exact where GLPK's tolerances
    /// (1e-7 of the largest gain) are not; the least of the three bounds is compared.
    ///
    /// Before that, the same LP at λ = W (gains g = g' without the shift) is a Dinkelbach step in
    /// this stable form: its vertex x' is integral (a bipartite matching polytope with a cardinality
    /// row), and when W(x') > W the round repeats from x'. A certificate that fails with a better
    /// matching at λ' also repeats from it; one that fails without refuses.
    static func assignmentLP(_ w: AdMatrix, _ c: [Double], _ K: Int, active: [Int], given: [Slot], tolerance: Double) throws -> MNLCertificate {
        let m = w.columns
        var x = given, repaired = false
        rounds: for _ in 0..<maxRounds {
            let (N, D) = fraction(x, w, c)
            let W = N / D
            var margins: [(i: Int, margin: Double)] = []
            for i in active {
                var s = CompensatedSum(c[i])
                for slot in x { s.add(w[slot.advertiser, slot.position] * (c[i] - c[slot.advertiser])) }
                margins.append((i, s.value))
            }
            // The Dinkelbach step at λ = W.
            if let step = try bestMatching(w, margins.map { ($0.i, $0.margin) }, K)?.matching, step != x, value(step, w, c) > W {
                x = step; repaired = true
                continue rounds
            }
            // The certificate at λ' = W + tolerance.
            let shift = tolerance * D
            guard let above = try bestMatching(w, margins.map { ($0.i, $0.margin - shift) }, K) else {
                return MNLCertificate(slots: x, value: W, bound: W, oracle: .assignmentLP, repaired: repaired, scale: 0)
            }
            var bound = min(above.lpBound, matchingBound(above.edges, matching: x, maxAds: K, columns: m))
            if let lpMatching = above.matching { bound = min(bound, matchingBound(above.edges, matching: lpMatching, maxAds: K, columns: m)) }
            if bound <= N + shift {
                return MNLCertificate(slots: x, value: W, bound: W + tolerance, oracle: .assignmentLP, repaired: repaired, scale: 0)
            }
            if let better = above.matching, better != x, value(better, w, c) > W {
                x = better; repaired = true
                continue rounds
            }
            throw ExperimentError("cannot certify the allocation: its value \(W) may be beaten by more than the tolerance \(tolerance) "
                                      + "(bound \((bound - N) / D) above it), and the LP finds no better allocation (weights spanning \(dynamicRange(w)))")
        }
        throw ExperimentError("cannot certify the allocation after \(maxRounds) improving rounds (weights spanning \(dynamicRange(w)))")
    }

    /// The ≤ K matching LP on gains w_ij·margin_i (rows with a positive margin): its edges, its
    /// integral vertex (nil if GLPK's is not a matching), and the weak-duality bound from its row
    /// duals. Nil when no gain is positive (the maximum is 0).
    static func bestMatching(_ w: AdMatrix, _ margins: [(Int, Double)], _ K: Int) throws -> (edges: [Edge], matching: [Slot]?, lpBound: Double)? {
        let m = w.columns
        var edges: [Edge] = []
        var largest = 0.0
        for (i, margin) in margins where margin > 0 {
            for j in 0..<m where w[i, j] > 0 {
                let g = w[i, j] * margin
                edges.append(Edge(i: i, j: j, g: g)); largest = max(largest, g)
            }
        }
        guard !edges.isEmpty else { return nil }
        guard largest.isFinite else {
            throw ExperimentError("the certificate's gains overflow (a weight times a value beyond 1.8e308): rescale the values or weights")
        }
        // Gains divided by the largest's power of two (exact), so the LP sees coefficients in (0, 2).
        let unit = Double(sign: .plus, exponent: largest.exponent, significand: 1)
        var lp = LinearProgram(direction: .maximize)
        let y = edges.map { lp.addVariable(lower: 0, upper: 1, objective: $0.g / unit) }
        for (i, _) in margins {
            let terms = edges.indices.filter { edges[$0].i == i }.map { (y[$0], 1.0) }
            if !terms.isEmpty { lp.addConstraint(terms, .range(0, 1)) }
        }
        for j in 0..<m {
            let terms = edges.indices.filter { edges[$0].j == j }.map { (y[$0], 1.0) }
            if !terms.isEmpty { lp.addConstraint(terms, .range(0, 1)) }
        }
        lp.addConstraint(y.map { ($0, 1.0) }, .range(0, Double(K)))
        let solution = try GLPKSolver().solve(lp)
        // Rows and columns are boxed, so any duals give a valid bound (infeasibility 0 by construction).
        guard solution.status == .optimal, let check = try solution.dualCheck(lp), check.infeasibility == 0 else {
            throw ExperimentError("the certificate's assignment LP ended \(solution.status)")
        }
        var chosen: [Slot] = []
        for (k, e) in edges.enumerated() where solution.value(of: y[k]) > 0.5 { chosen.append(Slot(e.i, e.j)) }
        chosen.sort { $0.position < $1.position }
        let isMatching = Set(chosen.map(\.advertiser)).count == chosen.count && Set(chosen.map(\.position)).count == chosen.count && chosen.count <= K
        return (edges, isMatching ? chosen : nil, check.bound * unit)
    }

    struct Edge { var i: Int; var j: Int; var g: Double }

    /// An upper bound on Σ g over matchings of ≤ K edges from dual labels built for `matching`
    /// (written here, sharing nothing with `MaxWeightMatcher`). The dual is u_i + v_j + z ≥ g_ij,
    /// u, v, z ≥ 0, with value Σ u + Σ v + K z; with y_j = v_j + z, complementary slackness with the
    /// matching makes the least labels satisfying y_j ≥ g_ij (unmatched rows), y_j ≥ y_a + g_ij − g_ia
    /// (row i matched at a), y_j ≥ y_Z (Z holds z ≥ 0) and, at K edges, y_Z ≥ y_j (unmatched
    /// columns) a longest-path problem: Bellman–Ford, m + 3 passes. Whatever the labels reached,
    /// z = y_Z, v_j = max(0, y_j − z) and u_i = max(0, max_j g_ij − v_j − z) are feasible, so the
    /// returned value is a valid bound; it equals Σ_matching g when the matching is optimal.
    static func matchingBound(_ edges: [Edge], matching: [Slot], maxAds K: Int, columns m: Int) -> Double {
        var matchedAt: [Int: (column: Int, gain: Double)] = [:]
        var columnTaken = [Bool](repeating: false, count: m)
        for s in matching {
            if let e = edges.first(where: { $0.i == s.advertiser && $0.j == s.position }) {
                matchedAt[e.i] = (e.j, e.g); columnTaken[e.j] = true
            }
        }
        let full = matchedAt.count >= K
        let z = m
        var label = [Double](repeating: 0, count: m + 1)
        var largest = 0.0
        for e in edges {
            largest = max(largest, e.g)
            if matchedAt[e.i] == nil { label[e.j] = max(label[e.j], e.g) }
        }
        // A label rises only by more than 2^-50 of the largest gain: rounding cannot cycle.
        let step = largest * 0x1p-50
        for _ in 0..<(m + 3) {
            var changed = false
            for j in 0..<m where label[z] > label[j] + step { label[j] = label[z]; changed = true }
            for e in edges {
                guard let a = matchedAt[e.i], a.column != e.j else { continue }
                let v = label[a.column] + (e.g - a.gain)
                if v > label[e.j] + step { label[e.j] = v; changed = true }
            }
            if full { for j in 0..<m where !columnTaken[j] && label[j] > label[z] + step { label[z] = label[j]; changed = true } }
            if !changed { break }
        }
        let zValue = max(0, label[z])
        var u: [Int: Double] = [:]
        var total = CompensatedSum()
        var v = [Double](repeating: 0, count: m)
        for j in 0..<m { v[j] = max(0, label[j] - zValue); total.add(v[j]) }
        for e in edges { u[e.i] = max(u[e.i] ?? 0, e.g - v[e.j] - zValue) }
        for (_, x) in u.sorted(by: { $0.key < $1.key }) { total.add(x) }
        total.add(Double(K) * zValue)
        return total.value
    }
}

