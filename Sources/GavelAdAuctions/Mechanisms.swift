import GavelCore
import GavelLP

/// How a mechanism picks the shown slots from the coefficients c (bids, or virtual values of bids).
public enum AllocationRule: Sendable, Equatable {
    /// MNL: Dinkelbach over max-weight matchings (exact).
    case dinkelbach
    /// MNL: the Charnes–Cooper LP on GLPK (exact up to the LP's tolerance).
    case charnesCooper
    /// Any model: every matching of at most K ads (exact; small instances).
    case bruteForce
    /// Cascade: slot greedy in rendering order (monotone, see `CascadeRules.greedy`).
    case greedy
    /// Cascade: best-improvement local search from the greedy allocation. Not monotone: Myerson
    /// payments do not make it truthful (`CascadeRules.localSearch`).
    case localSearch
    /// Cascade: greedy's first K − L slots, then the best completion of ≤ L slots (a monotone
    /// large-neighbourhood local search, `CascadeRules.tailSearch`).
    case tailSearch(Int)
    /// Any model: the best allocation of at most L ads (maximal in range).
    case bestOfSize(Int)
    /// Maximise Σ c_i·(w_ij under MNL, p_ij under cascade) over ≤ K matchings: ignores substitution
    /// (the MNL denominator, or the cascade's continuation).
    case ignoreSubstitution
    /// The classic position auction's rule: rank by c_i α_i onto positions by β_j (needs α, β).
    case separableRanking

    /// The rule's name in instance files and results (`dinkelbach`, `lp`, …).
    public var name: String {
        switch self {
        case .dinkelbach: return "dinkelbach"
        case .charnesCooper: return "lp"
        case .bruteForce: return "brute_force"
        case .greedy: return "greedy"
        case .localSearch: return "local_search"
        case .tailSearch(let l): return "tail_search_\(l)"
        case .bestOfSize(let l): return "best_of_\(l)"
        case .ignoreSubstitution: return "ignore_substitution"
        case .separableRanking: return "separable_ranking"
        }
    }

    /// True when the rule maximises Σ c_i π_i exactly over a bid-independent set of allocations:
    /// VCG applies, and Myerson thresholds come from the upper envelope of lines (exact).
    public var maximisesLinearObjective: Bool {
        switch self {
        case .dinkelbach, .charnesCooper, .bruteForce, .bestOfSize: return true
        case .greedy, .localSearch, .tailSearch, .ignoreSubstitution, .separableRanking: return false
        }
    }

    /// The slots in rendering order. The MNL optimisers' allocations are certified first where
    /// `certification` says (`MNLCertifier`): by default when the weights span more than 10^6.
    public func allocate(_ a: PositionAuction, coefficients c: [Double], certification: MNLCertification = .wideRange) throws -> [Slot] {
        switch self {
        case .dinkelbach:
            guard case .mnl(let w) = a.model else { throw InputError("dinkelbach needs the MNL model", field: "model") }
            let slots = MNLOptimizer.dinkelbach(weights: w, coefficients: c, maxAds: a.maxAds).slots
            return try certification.certified(slots, weights: w, coefficients: c, maxAds: a.maxAds)
        case .charnesCooper:
            guard case .mnl(let w) = a.model else { throw InputError("the Charnes–Cooper LP needs the MNL model", field: "model") }
            let slots: [Slot]
            do { slots = try MNLOptimizer.charnesCooper(weights: w, coefficients: c, maxAds: a.maxAds).slots } catch let e as InputError where e.location == nil {
                let range = MNLCertifier.dynamicRange(w)
                throw ExperimentError(e.message + (range > MNLCertifier.wideRange
                    ? String(format: " (the weights span %.3g, beyond what the LP's normalisation row resolves: use mechanism: dinkelbach, which is certified)", range) : ""))
            }
            return try certification.certified(slots, weights: w, coefficients: c, maxAds: a.maxAds)
        case .bruteForce:
            let slots = MNLOptimizer.bruteForce(a, coefficients: c).slots
            guard case .mnl(let w) = a.model else { return slots }
            return try certification.certified(slots, weights: w, coefficients: c, maxAds: a.maxAds)
        case .greedy:
            guard case .cascade = a.model else { throw InputError("greedy is a cascade rule", field: "model") }
            return CascadeRules.greedy(a, coefficients: c)
        case .localSearch:
            guard case .cascade = a.model else { throw InputError("local_search is a cascade rule", field: "model") }
            return CascadeRules.localSearch(a, coefficients: c)
        case .tailSearch(let l):
            guard case .cascade = a.model else { throw InputError("\(name) is a cascade rule", field: "model") }
            return CascadeRules.tailSearch(a, coefficients: c, tail: l)
        case .bestOfSize(let l):
            return CascadeRules.bestOfSize(a, coefficients: c, limit: l).slots
        case .ignoreSubstitution:
            var gain = [Double](repeating: 0, count: a.advertisers * a.positions)
            for i in 0..<a.advertisers where c[i] > 0 {
                for j in 0..<a.positions {
                    switch a.model {
                    case .mnl(let w): gain[i * a.positions + j] = c[i] * w[i, j]
                    case .cascade(let p, _, _): gain[i * a.positions + j] = c[i] * p[i, j]
                    }
                }
            }
            let matcher = MaxWeightMatcher()
            _ = gain.withUnsafeBufferPointer { matcher.solve(gain: $0, rows: a.advertisers, columns: a.positions, maxEdges: a.maxAds) }
            let slots = (0..<a.advertisers).filter { matcher.column(ofRow: $0) >= 0 }.map { Slot($0, matcher.column(ofRow: $0)) }
            return a.renderingOrder(slots, coefficients: c)
        case .separableRanking:
            let ranked = try SeparableAuction.ranking(a, coefficients: c)
            return a.renderingOrder(ranked.slots, coefficients: c)
        }
    }
}

/// How a mechanism charges (spec A.4 [DER]: standard single-parameter theory applied to this
/// allocation space; the paper's payment section was not readable).
public enum PaymentRule: String, Sendable, CaseIterable {
    /// Clarke pivot: P_i = W*_{−i} − (W* − b_i π_i). DSIC only with an exact (in-range) maximiser.
    case vcg
    /// P_i = b_i π_i(b_i) − ∫_0^{b_i} π_i(z) dz from exact breakpoints; DSIC for any monotone rule.
    case myerson
    /// Generalised second price (separable): per click, the next-ranked b·α over one's own α.
    case gsp
    /// The classic VCG formula of the separable position auction: Σ_{l≥k} (β_l − β_{l+1}) b_{l+1} α_{l+1}.
    case vcgSeparable = "vcg_separable"
}

/// What a mechanism did on one bid vector.
public struct MechanismOutcome: Sendable {
    /// Shown slots in rendering order.
    public var slots: [Slot]
    /// π_i per advertiser.
    public var ctr: [Double]
    /// Expected payment per impression, per advertiser.
    public var paymentPerImpression: [Double]
    /// Σ_i b_i π_i (declared welfare).
    public var welfare: Double
    /// Σ_i c_i π_i, the quantity the rule maximises (virtual welfare for revenue-optimal mechanisms).
    public var objective: Double

    /// Per-click price P_i/π_i (0 when not shown).
    public var paymentPerClick: [Double] {
        zip(paymentPerImpression, ctr).map { $1 > 0 ? $0 / $1 : 0 }
    }
    /// Σ_i P_i, the expected payment per impression.
    public var revenue: Double { paymentPerImpression.reduce(0, +) }
}

/// An allocation rule with a payment rule; with `virtualValues` the rule runs on φ̄_i(b_i) instead of
/// b_i (the revenue-optimal mechanism of spec A.5: Myerson payments only).
///
/// A `reserve` r (per click) makes bids below r ineligible (coefficient 0) and charges the Myerson
/// payment of the rule so restricted: Σ_k max(z_k, r)·Δπ_k over the jumps z_k of π_i(z) without the
/// reserve, since π_i is 0 below r and jumps at r by π_i(r). For an exact welfare maximiser this is
/// VCG with a reserve (Myerson 1981; for one slot, max(r, the critical bid) per click).
public struct AdMechanism: Sendable {
    /// The allocation rule.
    public let rule: AllocationRule
    /// The payment rule.
    public let payment: PaymentRule
    /// φ̄_i per advertiser when the rule runs on virtual values (the revenue-optimal mechanism); nil: on bids.
    public let virtualValues: [VirtualValueFunction]?
    /// Per-click reserve price r (0: none).
    public let reserve: Double
    /// When the MNL optimisers' results (allocation, VCG's W*_{−i}, the allocations behind Myerson
    /// thresholds) are certified (`MNLCertifier`): by default on wide weight ranges; `gavel solve`
    /// certifies always.
    public var certification: MNLCertification = .wideRange

    /// A mechanism of `rule` and `payment`, on virtual values if given, with reserve r.
    /// - Throws: `InputError` for a combination that is not truthful or not defined (virtual values need Myerson payments).
    public init(rule: AllocationRule, payment: PaymentRule, virtualValues: [VirtualValueFunction]? = nil, reserve: Double = 0) throws {
        if virtualValues != nil && payment != .myerson {
            throw InputError("the revenue-optimal mechanism charges Myerson payments (VCG on virtual values is not truthful); expected payments: myerson", field: "payments")
        }
        guard reserve >= 0 && reserve.isFinite else {
            throw InputError("expected a per-click reserve price ≥ 0, found \(reserve)", field: "reserve")
        }
        if reserve > 0 && payment != .myerson {
            throw InputError("a reserve price is charged through Myerson payments (VCG with a reserve for exact rules); expected payments: myerson", field: "payments")
        }
        self.reserve = reserve
        if payment == .vcg && !rule.maximisesLinearObjective {
            throw InputError("VCG needs an exact maximiser; \(rule.name) is approximate: use myerson", field: "payments")
        }
        if (payment == .gsp || payment == .vcgSeparable) && rule != .separableRanking {
            throw InputError("\(payment.rawValue) prices the separable ranking rule only", field: "payments")
        }
        self.rule = rule
        self.payment = payment
        self.virtualValues = virtualValues
    }

    /// `rule+payment`, prefixed `revenue_` on virtual values.
    public var name: String {
        (virtualValues == nil ? "" : "revenue_") + rule.name + "+" + payment.rawValue
    }

    func coefficients(_ bids: [Double]) -> [Double] {
        guard let phi = virtualValues else { return reserve > 0 ? bids.map { $0 < reserve ? 0 : $0 } : bids }
        return zip(phi, bids).map { $1 < reserve ? 0 : $0($1) }
    }

    /// MNL: the power of two 2^k near the largest bid when the bids need rescaling, nil otherwise
    /// (so ordinary instances run on their own numbers, bit for bit). Needed when a product c·w, or
    /// a sum of m + 2 of them (the cycle search's paths), could overflow, and when the largest bid
    /// is below 2^−20: the optimisers' absolute thresholds (1e-15·max(1, W)) would swallow it.
    static func bidRescaling(_ a: PositionAuction, _ bids: [Double]) -> Int? {
        guard case .mnl(let w) = a.model else { return nil }
        let top = bids.reduce(0) { max($0, abs($1)) }
        guard top > 0, top.isFinite else { return nil }
        var weight = 1.0
        for x in w.values { weight = max(weight, x) }
        let exponent = top.exponent + weight.exponent + (Int.bitWidth - (a.positions + 3).leadingZeroBitCount)
        return exponent >= 1015 || top.exponent < -20 ? top.exponent : nil
    }

    /// Allocation and payments for these bids. MNL optima are certified as `certification` says.
    /// Bids whose size would overflow (or underflow) the objective's products are run divided by a
    /// power of two, which is exact, and the welfare and payments multiplied back (welfare rules
    /// only: virtual values and reserves do not scale with the bids, so those refuse instead).
    public func run(_ a: PositionAuction, bids: [Double]) throws -> MechanismOutcome {
        guard let k = Self.bidRescaling(a, bids) else { return try evaluate(a, bids: bids) }
        guard virtualValues == nil && reserve == 0 else {
            throw ExperimentError("values up to \(bids.reduce(0) { max($0, $1) }) with weights of this size overflow a double's products, "
                                      + "and the revenue objective (or a reserve) cannot be rescaled: divide the values and distributions by a power of ten")
        }
        // x·2^e, exact (scalbn; the factor itself may be out of range when the bids are subnormal).
        func scaled(_ x: Double, _ e: Int) -> Double { Double(sign: .plus, exponent: e, significand: x) }
        // Scaled, the small bids sit far below the largest: the exact rules are certified always.
        var mech = self
        if mech.certification.when == .wideRange { mech.certification.when = .always }
        var out = try mech.evaluate(a, bids: bids.map { scaled($0, -k) })
        out.paymentPerImpression = out.paymentPerImpression.map { scaled($0, k) }
        out.welfare = scaled(out.welfare, k)
        out.objective = scaled(out.objective, k)
        return out
    }

    func evaluate(_ a: PositionAuction, bids: [Double]) throws -> MechanismOutcome {
        guard bids.count == a.advertisers else {
            throw InputError("expected \(a.advertisers) bids (one per advertiser), found \(bids.count)", field: "values")
        }
        if let v = virtualValues, v.count != a.advertisers {
            throw InputError("expected \(a.advertisers) distributions (one per advertiser), found \(v.count)", field: "distributions")
        }
        let c = coefficients(bids)
        let slots = try rule.allocate(a, coefficients: c, certification: certification)
        let ctr = a.ctr(of: slots)
        var pay = [Double](repeating: 0, count: a.advertisers)
        switch payment {
        case .vcg:
            let total = a.objective(of: slots, coefficients: c)
            if rule == .dinkelbach, case .mnl(let w) = a.model {
                // W*_{−i} by Dinkelbach without row i, warm-started (`optimumWithout`), buffers shared.
                let matcher = MaxWeightMatcher()
                var gain = [Double](repeating: 0, count: a.advertisers * a.positions)
                var denominator = 1.0
                for s in slots { denominator += w[s.advertiser, s.position] }
                let certify = certification.applies(to: w)
                for s in slots {
                    let i = s.advertiser
                    let x = MNLOptimizer.optimumWithoutAllocation(i, optimum: slots, total: total, denominator: denominator, weights: w,
                                                                  coefficients: c, maxAds: a.maxAds, matcher: matcher, gain: &gain)
                    if certify {
                        // Certified: W*_{−i} is the W of the certified allocation, recomputed from its slots, and
                        // the others' part of W* is summed directly (W* − c_i π_i cancels when i dominates).
                        let without = try certification.certificate(x.slots, weights: w, coefficients: c, maxAds: a.maxAds, excluded: i).value
                        var othersPart = CompensatedSum()
                        for t in slots where t.advertiser != i { othersPart.add(c[t.advertiser] * ctr[t.advertiser]) }
                        pay[i] = without - othersPart.value
                    } else {
                        pay[i] = x.objective - (total - c[i] * ctr[i])
                    }
                }
                break
            }
            for s in slots {
                var without = c
                without[s.advertiser] = 0
                let others = a.objective(of: try rule.allocate(a, coefficients: without, certification: certification), coefficients: without)
                pay[s.advertiser] = others - (total - c[s.advertiser] * ctr[s.advertiser])
            }
        case .myerson:
            for s in slots where ctr[s.advertiser] > 0 {
                pay[s.advertiser] = try MyersonPayment.payment(self, a, bids: bids, bidder: s.advertiser)
            }
        case .gsp, .vcgSeparable:
            let ranked = try SeparableAuction.ranking(a, coefficients: bids)
            // Both price per click (as platforms running the classic auction do), then charge the actual
            // CTR of the instance's click model: under q ≡ 1 and p = α β that is the classic auction exactly.
            let perClick = payment == .gsp ? SeparableAuction.gspPerClick(ranked, bids: bids, a)
                : SeparableAuction.classicVCGPerClick(ranked, bids: bids, a)
            pay = perClick.enumerated().map { $1 * ctr[$0] }
        }
        var welfare = 0.0, objective = 0.0
        for s in slots { welfare += bids[s.advertiser] * ctr[s.advertiser]; objective += c[s.advertiser] * ctr[s.advertiser] }
        return MechanismOutcome(slots: slots, ctr: ctr, paymentPerImpression: pay, welfare: welfare, objective: objective)
    }
}

/// Myerson payments from exact breakpoints of the step function z ↦ π_i(z, b_−i) (spec A.4 [DER]).
public enum MyersonPayment {
    /// P_i = Σ_k z_k·Δπ_k over the jumps of π_i on [0, b_i] (equal to b_i π_i(b_i) − ∫_0^{b_i} π_i).
    public static func payment(_ mech: AdMechanism, _ a: PositionAuction, bids: [Double], bidder i: Int) throws -> Double {
        try jumps(mech, a, bids: bids, bidder: i).reduce(0) { $0 + (mech.reserve > 0 ? max($1.at, mech.reserve) : $1.at) * $1.size }
    }

    /// The jumps (bid at which π_i jumps, jump size) on [0, b_i].
    ///
    /// Rules that maximise Σ c π over a fixed set of allocations: for fixed x the objective is a line
    /// in t = c_i with slope π_i(x) and intercept Σ_{k≠i} c_k π_k(x); the optimum is their upper
    /// envelope, so breakpoints are found exactly by intersecting lines and checking (Eisner–Severance),
    /// 2·(breakpoints) + 1 evaluations. Bid thresholds are z = t (welfare) or φ̄_i^{-1}(t) (revenue).
    /// Other monotone rules: bisection on z between allocation changes to adjacent doubles.
    public static func jumps(_ mech: AdMechanism, _ a: PositionAuction, bids: [Double], bidder i: Int) throws -> [(at: Double, size: Double)] {
        var c = mech.coefficients(bids)
        // With a reserve, the jumps are those of π_i without i's own reserve; `payment` moves the ones below it up to it.
        if mech.rule.maximisesLinearObjective {
            let top = c[i]
            guard top > 0 else { return [] }
            func line(_ t: Double) throws -> (slope: Double, intercept: Double) {
                c[i] = t
                let slots = try mech.rule.allocate(a, coefficients: c, certification: mech.certification)
                let pi = a.ctr(of: slots)
                var rest = 0.0
                for s in slots where s.advertiser != i { rest += c[s.advertiser] * pi[s.advertiser] }
                return (pi[i], rest)
            }
            var out: [(Double, Double)] = []
            func envelope(_ lo: Double, _ la: (slope: Double, intercept: Double), _ hi: Double, _ lc: (slope: Double, intercept: Double), depth: Int) throws {
                if lc.slope - la.slope <= 1e-15 { return }
                let cross = (la.intercept - lc.intercept) / (lc.slope - la.slope)
                let t = min(max(cross, lo), hi)
                let lm = try line(t)
                let mid = t * lm.slope + lm.intercept
                let onA = t * la.slope + la.intercept
                if depth > 60 || mid <= onA + 1e-12 * max(1, abs(onA)) || lm.slope <= la.slope + 1e-15 || lm.slope >= lc.slope - 1e-15 {
                    out.append((t, lc.slope - la.slope))
                    return
                }
                try envelope(lo, la, t, lm, depth: depth + 1)
                try envelope(t, lm, hi, lc, depth: depth + 1)
            }
            let start = try line(0), end = try line(top)
            try envelope(0, start, top, end, depth: 0)
            out.sort { $0.0 < $1.0 }
            guard let phi = mech.virtualValues?[i] else { return out.map { (at: $0.0, size: $0.1) } }
            return out.map { (at: min(phi.inverse($0.0), bids[i]), size: $0.1) }
        }
        return try bisectionJumps(mech, a, bids: bids, bidder: i)
    }

    /// Myerson payment through bisection, whatever the rule (used for approximate rules; tests compare
    /// it with the envelope on exact ones).
    public static func bisectionPayment(_ mech: AdMechanism, _ a: PositionAuction, bids: [Double], bidder i: Int) throws -> Double {
        try bisectionJumps(mech, a, bids: bids, bidder: i).reduce(0) { $0 + $1.at * $1.size }
    }

    /// Jumps of π_i(z) on [0, b_i] by recursive bisection: an interval whose ends give the same π_i is
    /// constant (valid for monotone rules), otherwise it is halved down to adjacent doubles (or a
    /// width of 1e-13·max(1, z)); the jump is placed at the right end.
    static func bisectionJumps(_ mech: AdMechanism, _ a: PositionAuction, bids: [Double], bidder i: Int) throws -> [(at: Double, size: Double)] {
        try bisectionJumps(a, bids: bids, bidder: i) { try mech.rule.allocate(a, coefficients: mech.coefficients($0), certification: mech.certification) }
    }

    /// The same bisection for any rule, given as its allocation of a bid vector (a registered
    /// mechanism's `allocate`: the default payments of `PositionAuctionMechanism`).
    static func bisectionJumps(_ a: PositionAuction, bids: [Double], bidder i: Int,
                               allocate: ([Double]) throws -> [Slot]) throws -> [(at: Double, size: Double)] {
        var b = bids
        func pi(_ z: Double) throws -> Double {
            b[i] = z
            return a.ctr(of: try allocate(b))[i]
        }
        var out: [(at: Double, size: Double)] = []
        func search(_ lo: Double, _ plo: Double, _ hi: Double, _ phi: Double) throws {
            if abs(phi - plo) <= 1e-15 { return }
            let mid = 0.5 * (lo + hi)
            if mid <= lo || mid >= hi || hi - lo <= 1e-13 * max(1, hi) { out.append((at: hi, size: phi - plo)); return }
            let pm = try pi(mid)
            try search(lo, plo, mid, pm)
            try search(mid, pm, hi, phi)
        }
        let top = bids[i]
        try search(0, try pi(0), top, try pi(top))
        return out
    }
}

/// The classic separable position auction (Varian 2007; Edelman–Ostrovsky–Schwarz 2007):
/// p_ij = α_i β_j, rank by b_i α_i onto positions by β_j (largest first; ties: lower index).
public enum SeparableAuction {
    /// The ranking behind an allocation, and the factors it ranked by.
    public struct Ranking: Sendable {
        /// Advertisers by b·α, largest first (all with b > 0), and positions by β, largest first.
        public let advertisers: [Int]
        /// Positions by β, largest first.
        public let positions: [Int]
        /// The instance's separable factors.
        public let alpha: [Double], beta: [Double]
        /// The shown slots: the first min(K, m, ranked) advertisers onto the first positions.
        public var slots: [Slot]
    }

    /// Ranks by c_i α_i onto positions by β_j.
    /// - Throws: `InputError` when the instance is not separable.
    public static func ranking(_ a: PositionAuction, coefficients c: [Double]) throws -> Ranking {
        guard let s = a.separable else {
            throw InputError("the classic position auction needs a separable instance (p_ij = α_i β_j): give 'alpha' and 'beta'", field: "separable")
        }
        let advertisers = (0..<a.advertisers).filter { c[$0] > 0 && s.alpha[$0] > 0 }.sorted {
            let x = c[$0] * s.alpha[$0], y = c[$1] * s.alpha[$1]
            return x != y ? x > y : $0 < $1
        }
        let positions = (0..<a.positions).sorted { s.beta[$0] != s.beta[$1] ? s.beta[$0] > s.beta[$1] : $0 < $1 }
        let shown = min(a.maxAds, advertisers.count, positions.count)
        let slots = (0..<shown).map { Slot(advertisers[$0], positions[$0]) }
        return Ranking(advertisers: advertisers, positions: positions, alpha: s.alpha, beta: s.beta, slots: slots)
    }

    /// GSP per-click prices: b_{k+1} α_{k+1} / α_k for the k-th ranked shown ad (0 without a next).
    public static func gspPerClick(_ r: Ranking, bids: [Double], _ a: PositionAuction) -> [Double] {
        var price = [Double](repeating: 0, count: a.advertisers)
        for k in r.slots.indices {
            let i = r.advertisers[k]
            if k + 1 < r.advertisers.count {
                let next = r.advertisers[k + 1]
                price[i] = bids[next] * r.alpha[next] / r.alpha[i]
            }
        }
        return price
    }

    /// The classic VCG payments as per-click prices: P_k / (α_(k) β_(k)).
    public static func classicVCGPerClick(_ r: Ranking, bids: [Double], _ a: PositionAuction) -> [Double] {
        let perImpression = classicVCG(r, bids: bids, a)
        var price = [Double](repeating: 0, count: a.advertisers)
        for s in r.slots {
            let separableCTR = r.alpha[s.advertiser] * r.beta[s.position]
            price[s.advertiser] = separableCTR > 0 ? perImpression[s.advertiser] / separableCTR : 0
        }
        return price
    }

    /// The classic VCG per-impression payments: P_k = Σ_{l=k}^{S} (β_(l) − β_(l+1)) e_(l+1), e = b α,
    /// β_(S+1) = 0, e beyond the ranking = 0.
    public static func classicVCG(_ r: Ranking, bids: [Double], _ a: PositionAuction) -> [Double] {
        var pay = [Double](repeating: 0, count: a.advertisers)
        let shown = r.slots.count
        func beta(_ l: Int) -> Double { l < shown ? r.beta[r.positions[l]] : 0 }
        func e(_ l: Int) -> Double { l < r.advertisers.count ? bids[r.advertisers[l]] * r.alpha[r.advertisers[l]] : 0 }
        for k in 0..<shown {
            var total = 0.0
            for l in k..<shown { total += (beta(l) - beta(l + 1)) * e(l + 1) }
            pay[r.advertisers[k]] = total
        }
        return pay
    }
}
