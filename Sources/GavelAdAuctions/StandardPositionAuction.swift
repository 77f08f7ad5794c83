import GavelCore

/// One of Gavel's own position auctions as a ``PositionAuctionMechanism``: a named pairing of an
/// `AllocationRule` with a `PaymentRule` (an `AdMechanism`), chosen by the instance's click model
/// where the two models need different rules (`aigc_market`'s `welfare` is Dinkelbach with VCG
/// under MNL and the slot greedy with Myerson under cascade: exact cascade search is exponential).
///
/// The built-ins of every AI-content kind are values of this type in their kind's registry, so
/// they run through the same protocol a registered mechanism does.
public struct StandardPositionAuction: PositionAuctionMechanism {
    /// How the mechanism runs on one click model.
    public struct Recipe: Sendable {
        /// The allocation rule.
        public var rule: AllocationRule
        /// The payment rule.
        public var payment: PaymentRule
        /// Whether the rule runs on the prior's ironed virtual values (revenue-optimal; Myerson payments).
        public var onVirtualValues = false
        /// Dinkelbach + VCG by warm-started cycle cancelling (`MNLOptimizer.optimumWithout`) instead of
        /// `AdMechanism`'s VCG: the market's per-query fast path. MNL, no reserve only.
        public var warmStartedVCG = false

        /// `rule` with `payment`, on bids unless `onVirtualValues`.
        public init(_ rule: AllocationRule, _ payment: PaymentRule, onVirtualValues: Bool = false, warmStartedVCG: Bool = false) {
            self.rule = rule; self.payment = payment; self.onVirtualValues = onVirtualValues; self.warmStartedVCG = warmStartedVCG
        }
    }

    public let name: String
    public let summary: String
    /// The recipe on MNL instances.
    public let mnl: Recipe
    /// The recipe on cascade instances.
    public let cascade: Recipe
    /// Whether the mechanism prices the classic separable auction (`gsp`, `vcg_separable`): it
    /// runs on separable families only.
    public let separableOnly: Bool
    /// φ̄ of the prior (set by `adapted(to:)` for a recipe on virtual values).
    private var virtualValue: VirtualValueFunction?
    private var reserve = 0.0

    /// A mechanism running `mnl` on MNL instances and `cascade` (default: the same) on cascade ones.
    public init(_ name: String, _ summary: String, mnl: Recipe, cascade: Recipe? = nil, separableOnly: Bool = false) {
        self.name = name; self.summary = summary
        self.mnl = mnl; self.cascade = cascade ?? mnl
        self.separableOnly = separableOnly
    }

    /// With the prior's virtual values (when a recipe needs them) and the reserve.
    public func adapted(to terms: AuctionTerms) throws -> any PositionAuctionMechanism {
        var out = self
        out.reserve = terms.reserve
        if mnl.onVirtualValues || cascade.onVirtualValues { out.virtualValue = VirtualValueFunction(terms.prior) }
        return out
    }

    func recipe(_ a: PositionAuction) -> Recipe {
        if case .mnl = a.model { return mnl }
        return cascade
    }

    /// The `AdMechanism` this mechanism is on `a`.
    func mechanism(_ a: PositionAuction) throws -> AdMechanism {
        let r = recipe(a)
        var phi: [VirtualValueFunction]? = nil
        if r.onVirtualValues {
            guard let v = virtualValue else {
                throw InputError("\(name) runs on the values' virtual values: adapt it to the scenario's terms first (adapted(to:))")
            }
            phi = Array(repeating: v, count: a.advertisers)
        }
        return try AdMechanism(rule: r.rule, payment: r.payment, virtualValues: phi, reserve: reserve)
    }

    /// The recipe's allocation on the instance's model.
    public func allocate(_ auction: PositionAuction, bids: [Double]) throws -> [Slot] {
        try mechanism(auction).allocate(auction, bids: bids)
    }

    /// The recipe's allocation and payments (the warm-started VCG where the recipe asks and applies).
    public func run(_ auction: PositionAuction, bids: [Double]) throws -> MechanismOutcome {
        if recipe(auction).warmStartedVCG && reserve == 0, case .mnl(let w) = auction.model {
            return Self.warmStartedVCG(auction, weights: w, bids: bids)
        }
        return try mechanism(auction).run(auction, bids: bids)
    }

    /// Dinkelbach from the best single ad grown greedily (`warmStart`: a feasible value, often
    /// optimal, and then one matching certifies it), and VCG payments max(0, W*_{−i} − (W* − b_i π_i))
    /// by cycle cancelling from the optimum. Not certified: the market's fast path.
    static func warmStartedVCG(_ a: PositionAuction, weights: AdMatrix, bids: [Double]) -> MechanismOutcome {
        let k = a.maxAds
        let matcher = MaxWeightMatcher()
        var gain = [Double](repeating: 0, count: a.advertisers * a.positions)
        let start = MNLOptimizer.warmStart(weights: weights, coefficients: bids, maxAds: k)
        let best = MNLOptimizer.dinkelbach(weights: weights, coefficients: bids, maxAds: k, matcher: matcher, gain: &gain,
                                           start: start?.objective ?? 0, startSlots: start?.slots ?? [])
        let slots = best.slots
        let ctr = a.ctr(of: slots)
        var denominator = 1.0
        for s in slots { denominator += weights[s.advertiser, s.position] }
        var pay = [Double](repeating: 0, count: a.advertisers)
        for s in slots {
            let i = s.advertiser
            let others = MNLOptimizer.optimumWithout(i, optimum: slots, total: best.objective, denominator: denominator, weights: weights,
                                                     coefficients: bids, maxAds: k, matcher: matcher, gain: &gain)
            pay[i] = max(0, others - (best.objective - bids[i] * ctr[i]))
        }
        return MechanismOutcome(slots: slots, ctr: ctr, paymentPerImpression: pay, welfare: best.objective, objective: best.objective)
    }
}

/// `aigc_auction`'s mechanisms: MNL optimisers with VCG or Myerson payments, the classic
/// separable baselines, and the revenue-optimal mechanism; open to registered ones.
public enum AIGCAuctionFamily: MechanismFamily {
    /// Built-in first, in `gavel list` order.
    public static let registry = MechanismRegistry<any PositionAuctionMechanism>(
        family: "aigc_auction mechanism", builtIn: [
            StandardPositionAuction("dinkelbach", "welfare optimum by Dinkelbach over max-weight matchings, VCG payments", mnl: .init(.dinkelbach, .vcg)),
            StandardPositionAuction("lp", "welfare optimum by the Charnes–Cooper LP on GLPK, VCG payments", mnl: .init(.charnesCooper, .vcg)),
            StandardPositionAuction("brute_force", "welfare optimum by enumeration, VCG payments (small instances)", mnl: .init(.bruteForce, .vcg)),
            StandardPositionAuction("dinkelbach_myerson", "Dinkelbach, Myerson payments from the exact envelope", mnl: .init(.dinkelbach, .myerson)),
            StandardPositionAuction("ignore_substitution", "max Σ b·w ignoring the MNL denominator, Myerson payments", mnl: .init(.ignoreSubstitution, .myerson)),
            StandardPositionAuction("gsp", "classic separable ranking (b·α onto β), GSP prices (separable families)",
                                    mnl: .init(.separableRanking, .gsp), separableOnly: true),
            StandardPositionAuction("vcg_separable", "classic separable ranking, the classic VCG formula (separable families)",
                                    mnl: .init(.separableRanking, .vcgSeparable), separableOnly: true),
            StandardPositionAuction("revenue_optimal", "Dinkelbach on ironed virtual values of 'values', Myerson payments",
                                    mnl: .init(.dinkelbach, .myerson, onVirtualValues: true)),
        ], name: { $0.name }, summary: { $0.summary })
}

/// `aigc_cascade`'s allocation rules (Myerson payments); open to registered ones.
public enum AIGCCascadeFamily: MechanismFamily {
    /// Built-in first, in `gavel list` order.
    public static let registry = MechanismRegistry<any PositionAuctionMechanism>(
        family: "aigc_cascade algorithm", builtIn: [
            StandardPositionAuction("greedy", "slot greedy in rendering order (KM08 index), monotone, Myerson", mnl: .init(.greedy, .myerson)),
            StandardPositionAuction("local_search", "best-improvement local search from greedy; not monotone (Myerson payments not truthful)",
                                    mnl: .init(.localSearch, .myerson)),
            StandardPositionAuction("tail_search_2", "greedy's first K − 2 slots + the best completion of ≤ 2 (monotone local search), Myerson",
                                    mnl: .init(.tailSearch(2), .myerson)),
            StandardPositionAuction("best_of_1", "best single ad (maximal in range), monotone", mnl: .init(.bestOfSize(1), .myerson)),
            StandardPositionAuction("best_of_2", "best allocation of at most 2 ads (maximal in range), monotone", mnl: .init(.bestOfSize(2), .myerson)),
            StandardPositionAuction("ignore_substitution", "max Σ b·p ignoring continuation, rendered in index order", mnl: .init(.ignoreSubstitution, .myerson)),
        ], name: { $0.name }, summary: { $0.summary })
}

/// `aigc_market`'s per-query mechanisms (with the market's reserve; virtual values of its
/// `values`); open to registered ones.
public enum AIGCMarketFamily: MechanismFamily {
    /// Welfare: the MNL optimum (Dinkelbach) with VCG (Myerson's with a reserve: VCG with a
    /// reserve); cascade: the monotone slot greedy with Myerson (exact cascade search is exponential).
    public static let welfare = StandardPositionAuction(
        "welfare", "MNL: Dinkelbach + VCG (exact); cascade: index-order greedy + Myerson",
        mnl: .init(.dinkelbach, .myerson, warmStartedVCG: true), cascade: .init(.greedy, .myerson))
    /// Maximise Σ b w (no denominator) / Σ b p, Myerson payments (bisection).
    public static let ignoreSubstitution = StandardPositionAuction(
        "ignore_substitution", "max Σ b·w (MNL) or Σ b·p (cascade) ignoring substitution, Myerson payments",
        mnl: .init(.ignoreSubstitution, .myerson))
    /// Revenue-optimal MNL (Dinkelbach on φ̄ of the `values` distribution), Myerson payments.
    public static let revenueOptimal = StandardPositionAuction(
        "revenue_optimal", "Dinkelbach on ironed virtual values of the value distribution, Myerson payments (reserves)",
        mnl: .init(.dinkelbach, .myerson, onVirtualValues: true), cascade: .init(.greedy, .myerson, onVirtualValues: true))
    /// Built-in first, in `gavel list` order.
    public static let registry = MechanismRegistry<any PositionAuctionMechanism>(
        family: "aigc_market mechanism", builtIn: [welfare, ignoreSubstitution, revenueOptimal], name: { $0.name }, summary: { $0.summary })
}
