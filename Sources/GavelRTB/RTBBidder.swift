import GavelCore
import GavelData

/// A real-time bidder of `rtb_replay` and `rtb_market`: the extension point of the RTB family
/// (issue 19). Gavel's own bidders (const, rand, mcpc, lin, ss_mdp, rlb, rlb_map_d, rlb_map_a)
/// conform to it; a program registers its own in ``RTBBidderFamily/registry`` before running,
/// after which a scenario names it like a built-in one (`bidders: [rlb, my_bidder]`).
///
/// A bidder is a recipe: for one campaign and budget (``RTBBidderSetup``) it returns the
/// ``BidStrategy`` the exchange asks for a bid per request. Per-campaign work (RLB's value
/// function) happens there, once per run; a new bidder usually returns `.custom(...)`, a
/// function of the request's pCTR θ, the auctions and the budget left.
public protocol RTBBidder: Sendable {
    /// The name scenarios use (`rlb`, `my_bidder`): snake_case, unique in the registry.
    var name: String { get }
    /// One line for `gavel list`.
    var summary: String { get }
    /// Whether the bidder takes one integer parameter (`setup.parameter`: const's bid, rand's
    /// bound, lin's b0). `rtb_replay` then tunes it on the validation log (or takes the scenario's
    /// value, built-ins only); `rtb_market` takes the campaign's `parameter`. Default: no.
    var takesParameter: Bool { get }
    /// The strategy for one campaign; an `InputError` when the setup does not suit the bidder.
    func strategy(for setup: RTBBidderSetup) throws -> BidStrategy
}

extension RTBBidder {
    /// No parameter.
    public var takesParameter: Bool { false }
}

/// What a bidder is set up for: the campaign, its budget and the exchange's terms.
public struct RTBBidderSetup: Sendable {
    /// The campaign's training statistics (average CTR, cost per click, market prices).
    public var campaign: CampaignInfo
    /// Requests per episode T.
    public var episodeLength: Int
    /// Budget per episode B (integer price units).
    public var budget: Int
    /// The budget ratio c0 the budget came from (B = int(CPM_train · c0 · T)).
    public var c0: Double
    /// The exchange's bid cap.
    public var maxBid: Int
    /// What the bidder maximises (clicks, or profit at the training cost per click).
    public var objective: RTBObjective
    /// The anchor episode length of the large-scale RLB mappings.
    public var anchorLength: Int
    /// The integer parameter of a bidder that ``RTBBidder/takesParameter`` (nil otherwise).
    public var parameter: Int?

    /// A setup given field by field.
    public init(campaign: CampaignInfo, episodeLength: Int, budget: Int, c0: Double, maxBid: Int,
                objective: RTBObjective = .clicks, anchorLength: Int = 1000, parameter: Int? = nil) {
        self.campaign = campaign; self.episodeLength = episodeLength; self.budget = budget; self.c0 = c0
        self.maxBid = maxBid; self.objective = objective; self.anchorLength = anchorLength; self.parameter = parameter
    }

    /// The parameter, or an `InputError` naming the bidder that needs one.
    public func requiredParameter(_ bidder: String) throws -> Int {
        guard let parameter else { throw InputError("\(bidder) needs an integer parameter (const: the bid, rand: the upper bound, lin: b0)", field: "parameter") }
        return parameter
    }
}

/// One of Gavel's own bidders (spec/rtb.md §B.4) as an ``RTBBidder``.
public struct StandardRTBBidder: RTBBidder {
    public let name: String
    public let summary: String
    public let takesParameter: Bool
    /// Whether the bidder plans over RLB's episodes (the DP bidders): the `ortb` protocol (one
    /// episode over the whole log) does not run them.
    public let plansEpisodes: Bool
    /// Whether it needs the large-scale anchor (`rlb_map_d`, `rlb_map_a`), which `rtb_market` does not configure.
    public let largeScale: Bool
    private let make: @Sendable (RTBBidderSetup) throws -> BidStrategy

    init(_ name: String, _ summary: String, takesParameter: Bool = false, plansEpisodes: Bool = false, largeScale: Bool = false,
         make: @escaping @Sendable (RTBBidderSetup) throws -> BidStrategy) {
        self.name = name; self.summary = summary; self.takesParameter = takesParameter
        self.plansEpisodes = plansEpisodes; self.largeScale = largeScale; self.make = make
    }

    public func strategy(for setup: RTBBidderSetup) throws -> BidStrategy { try make(setup) }

    /// RLB's value function for the setup (ss_mdp and rlb).
    static func valueFunction(_ s: RTBBidderSetup) -> RLBValueFunction {
        RLBValueFunction(episodeLength: s.episodeLength, budget: s.budget, maxBid: s.maxBid, prices: MarketPriceDistribution(campaign: s.campaign),
                         averageCTR: s.campaign.averageCTR, objective: s.objective)
    }
}

/// The RTB bidders: Gavel's own, in `gavel list` order, then registered ones.
public enum RTBBidderFamily: MechanismFamily {
    /// Built-in first, in `gavel list` order.
    public static let registry = MechanismRegistry<any RTBBidder>(family: "RTB bidder", builtIn: [
        StandardRTBBidder("const", "constant bid (tuned on the validation log, or given)", takesParameter: true) {
            .constant(try $0.requiredParameter("const"))
        },
        StandardRTBBidder("rand", "uniform integer bid in [0, upper) (upper tuned, or given)", takesParameter: true) {
            .random(upper: max(try $0.requiredParameter("rand"), 1))
        },
        StandardRTBBidder("mcpc", "int(θ(x) · CPC_train)") { .mcpc(costPerClick: $0.campaign.costPerClick) },
        StandardRTBBidder("lin", "int(θ(x) · b0 / θ_avg), b0 tuned on the validation log, the authors' value, or given", takesParameter: true) {
            .linear(b0: try $0.requiredParameter("lin"), averageCTR: $0.campaign.averageCTR)
        },
        StandardRTBBidder("ss_mdp", "RLB's DP bid with θ_avg for every request", plansEpisodes: true) { .ssMDP(StandardRTBBidder.valueFunction($0)) },
        StandardRTBBidder("rlb", "RLB: dynamic programming over (auctions left, budget left), Cai et al. WSDM 2017", plansEpisodes: true) {
            .rlb(StandardRTBBidder.valueFunction($0))
        },
        StandardRTBBidder("rlb_map_d", "RLB for long episodes: D(t,b) ≈ D(T0, b·T0/t)", plansEpisodes: true, largeScale: true) {
            .rlbLargeScale(LargeScaleRLB(episodeLength: $0.episodeLength, c0: $0.c0, campaign: $0.campaign, mapping: .mapD,
                                         anchorLength: $0.anchorLength, maxBid: $0.maxBid))
        },
        StandardRTBBidder("rlb_map_a", "RLB for long episodes: a(t,b) ≈ a(T0, b·T0/t)", plansEpisodes: true, largeScale: true) {
            .rlbLargeScale(LargeScaleRLB(episodeLength: $0.episodeLength, c0: $0.c0, campaign: $0.campaign, mapping: .mapA,
                                         anchorLength: $0.anchorLength, maxBid: $0.maxBid))
        },
    ], name: { $0.name }, summary: { $0.summary })

    /// Whether `bidder` is a built-in that plans over RLB's episodes.
    static func plansEpisodes(_ bidder: any RTBBidder) -> Bool { (bidder as? StandardRTBBidder)?.plansEpisodes ?? false }
    /// Whether `bidder` is a built-in large-scale RLB mapping.
    static func largeScale(_ bidder: any RTBBidder) -> Bool { (bidder as? StandardRTBBidder)?.largeScale ?? false }
}
