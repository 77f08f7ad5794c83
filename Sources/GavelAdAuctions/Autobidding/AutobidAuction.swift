import GavelCore
import GavelConfig

/// The auction format of an autobidding market (docs/autobidding.md).
///
/// Every format ranks bids (highest first) onto K slots with click factors β_1 ≥ … ≥ β_K
/// (the expected value of slot j to an advertiser whose slot-1 value is v is β_j·v). Bids
/// under the reserve do not take part. An outside bid (the logged market price of a real
/// exchange) competes like any other but its slot's value and payment are nobody's.
/// Ties go to the outside bid, then to the lower advertiser index (RLB's protocol).
public enum AutobidMechanism: String, ScenarioEnum, Encodable {
    /// One slot; the winner pays the highest competing bid or the reserve (truthful).
    case secondPrice = "second_price"
    /// One slot; the winner pays its bid.
    case firstPrice = "first_price"
    /// Generalised second price: slot j pays β_j times the next bid (or the reserve) per impression.
    case gsp
    /// VCG for separable click factors: slot j pays Σ_{k ≥ j} (β_k − β_{k+1})·b_(k+1) (truthful).
    case vcg
    /// The AI-content page: the MNL welfare optimum over ≤ K of the positions (Dinkelbach, certified)
    /// with VCG payments, clicks by MNL with attraction w_aj = s·α_ai·β_j (docs/autobidding.md).
    case mnlOptimum = "mnl_optimum"

    /// One line for `gavel list`.
    public var summary: String {
        switch self {
        case .secondPrice: return "one slot, pay the highest other bid or the reserve (truthful)"
        case .firstPrice: return "one slot, pay your bid"
        case .gsp: return "K slots by click factor, slot j pays β_j × next bid (not truthful)"
        case .vcg: return "K slots by click factor, externality payments (truthful)"
        case .mnlOptimum: return "MNL welfare optimum over K positions with VCG payments (truthful; no outside bid, no reserve)"
        }
    }

    /// True for the formats where bidding one's value is a dominant strategy.
    public var isTruthful: Bool { self == .secondPrice || self == .vcg || self == .mnlOptimum }

    /// Whether this format takes `slots` click factors (second and first price are one-slot formats).
    public func accepts(slots: Int) -> Bool { self == .gsp || self == .vcg || self == .mnlOptimum || slots == 1 }
}

/// One auction's clearing: who takes each slot, and what each advertiser pays (expected, per impression).
public struct AuctionClearing: Sendable {
    /// Advertiser in slot j (−1: the outside bid; −2: empty).
    public var slotHolder: [Int]
    /// Expected payment per impression, per advertiser.
    public var payment: [Double]
}

/// Clears auctions of one format and click factors, reusing its buffers (no allocation per auction).
public struct AutobidAuctioneer: Sendable {
    /// The auction format.
    public let mechanism: AutobidMechanism
    /// β_j per slot, non-increasing, in (0, 1].
    public let clickFactors: [Double]
    /// Reserve price (0 for the MNL format).
    public let reserve: Double
    /// MNL: the attraction scale s of w_aj = s·α_ai·β_j.
    public let attraction: Double
    let mnl: AdMechanism?
    /// Indices of the ranked entrants (−1 for the outside bid), reused between auctions.
    private var ranked: [Int] = []
    private var rankedBids: [Double] = []

    /// An auctioneer for `mechanism` with these slots; a one-slot format needs one click factor, the MNL format no reserve.
    public init(mechanism: AutobidMechanism, clickFactors: [Double], reserve: Double, attraction: Double = 1) {
        precondition(mechanism.accepts(slots: clickFactors.count) && !clickFactors.isEmpty)
        precondition(mechanism != .mnlOptimum || reserve == 0, "the MNL format takes no reserve")
        self.mechanism = mechanism
        self.clickFactors = clickFactors
        self.reserve = reserve
        self.attraction = attraction
        mnl = mechanism == .mnlOptimum ? try! AdMechanism(rule: .dinkelbach, payment: .vcg) : nil   // valid constant arguments
        ranked.reserveCapacity(16); rankedBids.reserveCapacity(16)
    }

    /// Clears one auction: `bids[a]` per advertiser, `outside` the outside bid (0: none).
    /// Writes the slot holders and each advertiser's payment into `result` (sized by the caller).
    public mutating func clear(bids: [Double], outside: Double, into result: inout AuctionClearing) {
        precondition(mechanism != .mnlOptimum, "the MNL format clears through clearMNL")
        let k = clickFactors.count
        for a in result.payment.indices { result.payment[a] = 0 }
        for j in 0..<k { result.slotHolder[j] = -2 }
        if k == 1 {
            // One slot: a linear scan for the top two (the common case, kept allocation-free).
            var best = -2, bestBid = -Double.infinity, second = max(reserve, 0)
            if outside > 0 && outside >= reserve { best = -1; bestBid = outside }
            for (a, b) in bids.enumerated() where b >= reserve && b > 0 {
                if b > bestBid { if best != -2 { second = max(second, bestBid) }; best = a; bestBid = b }
                else { second = max(second, b) }
            }
            result.slotHolder[0] = best
            if best >= 0 {
                result.payment[best] = clickFactors[0] * (mechanism == .firstPrice ? bestBid : second)
            }
            return
        }
        ranked.removeAll(keepingCapacity: true); rankedBids.removeAll(keepingCapacity: true)
        if outside > 0 && outside >= reserve { ranked.append(-1); rankedBids.append(outside) }
        for (a, b) in bids.enumerated() where b >= reserve && b > 0 { ranked.append(a); rankedBids.append(b) }
        // Insertion sort by bid, descending; stable, so the outside bid and lower indices win ties.
        for i in 1..<max(ranked.count, 1) {
            let (r, b) = (ranked[i], rankedBids[i])
            var j = i
            while j > 0 && rankedBids[j - 1] < b { ranked[j] = ranked[j - 1]; rankedBids[j] = rankedBids[j - 1]; j -= 1 }
            ranked[j] = r; rankedBids[j] = b
        }
        let filled = min(k, ranked.count)
        /// The bid ranked at position i (0-based), floored at the reserve; the reserve past the end.
        func priceBid(_ i: Int) -> Double { i < rankedBids.count ? max(rankedBids[i], reserve) : reserve }
        for j in 0..<filled {
            let holder = ranked[j]
            result.slotHolder[j] = holder
            guard holder >= 0 else { continue }
            switch mechanism {
            case .gsp:
                result.payment[holder] = clickFactors[j] * priceBid(j + 1)
            case .vcg:
                var pay = 0.0
                for m in j..<k {
                    let next = m + 1 < k ? clickFactors[m + 1] : 0
                    pay += (clickFactors[m] - next) * priceBid(m + 1)
                }
                result.payment[holder] = pay
            case .secondPrice, .firstPrice, .mnlOptimum:
                preconditionFailure("one-slot formats are cleared above, MNL by clearMNL")
            }
        }
    }

    /// What bidding `bid` would have got an advertiser of slot-1 value `value` against the other
    /// bids `others` (this advertiser's own bid left out) and the outside bid: (value, payment).
    /// The counterfactual bidder loses ties (a measure-zero event for continuous bids).
    public func counterfactual(bid: Double, value: Double, others: [Double], except me: Int, outside: Double) -> (value: Double, payment: Double) {
        guard bid >= reserve, bid > 0 else { return (0, 0) }
        let k = clickFactors.count
        // Rank of `bid` among the competing bids, and the competing bids just below it.
        var above = (outside > 0 && outside >= reserve && outside >= bid) ? 1 : 0
        for (a, b) in others.enumerated() where a != me && b >= reserve && b > 0 && b >= bid { above += 1 }
        guard above < k else { return (0, 0) }
        let slot = above
        switch mechanism {
        case .mnlOptimum:
            preconditionFailure("the MNL format's counterfactual is counterfactualMNL")
        case .secondPrice, .firstPrice:
            var highest = max(reserve, 0)
            if outside > 0 && outside >= reserve { highest = max(highest, outside) }
            for (a, b) in others.enumerated() where a != me && b >= reserve { highest = max(highest, b) }
            return (clickFactors[0] * value, clickFactors[0] * (mechanism == .firstPrice ? bid : highest))
        case .gsp, .vcg:
            // The competing bids below `bid`, descending (small K and n: a sort here is fine).
            var below: [Double] = []
            if outside > 0 && outside >= reserve && outside < bid { below.append(outside) }
            for (a, b) in others.enumerated() where a != me && b >= reserve && b > 0 && b < bid { below.append(b) }
            below.sort(by: >)
            func priceBid(_ i: Int) -> Double { i < below.count ? max(below[i], reserve) : reserve }
            if mechanism == .gsp { return (clickFactors[slot] * value, clickFactors[slot] * priceBid(0)) }
            var pay = 0.0
            for m in slot..<k {
                let next = m + 1 < k ? clickFactors[m + 1] : 0
                pay += (clickFactors[m] - next) * priceBid(m - slot)
            }
            return (clickFactors[slot] * value, pay)
        }
    }
}

extension AutobidAuctioneer {
    /// The MNL page of one auction. Bids are value-equivalent (κ·v_ai, like every format's); with
    /// v_ai = V_a·α_ai, the per-click bid is b_a / α_ai, the attraction of a at position j is
    /// w_aj = s·α_ai·β_j, and a shown ad's expected value is V_a·π_a (π_a its MNL click
    /// probability). Ads with α_ai = 0 are not shown.
    /// Returns, per advertiser, the expected value won (at its true V_a) and the VCG payment.
    public func clearMNL(bids: [Double], attractions alpha: [Double], perClickValues: [Double],
                         into result: inout AuctionClearing, wonValue: inout [Double]) throws {
        let n = bids.count, k = clickFactors.count
        var w = [Double](repeating: 0, count: n * k)
        var perClick = [Double](repeating: 0, count: n)
        for a in 0..<n where alpha[a] > 0 {
            perClick[a] = bids[a] / alpha[a]
            for j in 0..<k { w[a * k + j] = attraction * alpha[a] * clickFactors[j] }
        }
        let page = try PositionAuction(model: .mnl(weights: AdMatrix(rows: n, columns: k, values: w)), maxAds: k)
        let out = try mnl!.run(page, bids: perClick)
        for j in 0..<k { result.slotHolder[j] = -2 }
        for s in out.slots { result.slotHolder[s.position] = s.advertiser }
        for a in 0..<n {
            result.payment[a] = out.paymentPerImpression[a]
            wonValue[a] = perClickValues[a] * out.ctr[a]
        }
    }

    /// What bid `bid` would have got advertiser `me` on the MNL page, the others' bids fixed:
    /// (expected value at its true per-click value, payment).
    public func counterfactualMNL(bid: Double, me: Int, others: [Double], attractions alpha: [Double],
                                  perClickValues: [Double]) -> (value: Double, payment: Double) {
        var bids = others
        bids[me] = bid
        var r = AuctionClearing(slotHolder: Array(repeating: -2, count: clickFactors.count), payment: Array(repeating: 0, count: bids.count))
        var won = [Double](repeating: 0, count: bids.count)
        // The MNL optimiser's inputs are finite and non-negative here; a failure of its certificate is
        // a solver fault, reported as no gain rather than a crash of the run.
        guard (try? clearMNL(bids: bids, attractions: alpha, perClickValues: perClickValues, into: &r, wonValue: &won)) != nil else { return (0, 0) }
        return (won[me], r.payment[me])
    }
}
