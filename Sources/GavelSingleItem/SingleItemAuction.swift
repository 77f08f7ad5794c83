import GavelCore
import GavelConfig

/// Single-item sealed-bid auctions with independent private values:
/// the textbook case against which the kernel and the statistics are checked.
///
/// n risk-neutral bidders with values iid U[0,1] and a reserve price r.
/// Symmetric equilibrium bids (Krishna, *Auction Theory*, 2nd ed., §2.2–2.5):
/// - second price: bid the value (weakly dominant);
/// - first price: β(v) = v − ∫_r^v (x/v)^(n−1) dx = (n−1)/n · v + r^n / (n·v^(n−1)) for v ≥ r.
/// Both raise the same expected revenue (revenue equivalence),
/// E[R] = 2n(1 − r^(n+1))/(n+1) − (1 − r^n), which is (n−1)/(n+1) at r = 0.
public enum SingleItemAuction {
    /// Gavel's two formats, each a ``SingleItemAuctionRule`` in ``SingleItemAuctionRules/registry``
    /// (its raw value is the scenario's mechanism name).
    public enum Format: String, CaseIterable, Sendable, Encodable, SingleItemAuctionRule {
        /// Sealed-bid first price: the winner pays its bid.
        case firstPrice = "first_price"
        /// Sealed-bid second price (Vickrey): the winner pays the highest other bid or the reserve.
        case secondPrice = "second_price"

        /// One line for `gavel list`.
        public var summary: String {
            switch self {
            case .firstPrice: return "sealed-bid first price; bidders play the symmetric equilibrium β(v)"
            case .secondPrice: return "sealed-bid second price (Vickrey); bidders bid their values"
            }
        }

        /// The raw value.
        public var name: String { rawValue }
        /// ``SingleItemAuction/bid(value:bidders:reserve:format:)``.
        public func bid(value: Double, bidders: Int, reserve: Double) -> Double? {
            SingleItemAuction.bid(value: value, bidders: bidders, reserve: reserve, format: self)
        }
        /// ``SingleItemAuction/clear(bids:reserve:format:)``.
        public func clear(bids: [Double?], reserve: Double) -> (winner: Int, price: Double)? {
            SingleItemAuction.clear(bids: bids, reserve: reserve, format: self)
        }
    }

    /// Equilibrium bid of a bidder with value `v` (no bid below the reserve).
    public static func bid(value v: Double, bidders n: Int, reserve r: Double, format: Format) -> Double? {
        guard v >= r else { return nil }
        switch format {
        case .secondPrice:
            return v
        case .firstPrice:
            let nn = Double(n)
            if v == 0 { return 0 }
            return (nn - 1) / nn * v + pow(r, nn) / (nn * pow(v, nn - 1))
        }
    }

    /// Expected revenue per auction in equilibrium (either format).
    public static func expectedRevenue(bidders n: Int, reserve r: Double) -> Double {
        let nn = Double(n)
        if r == 0 { return (nn - 1) / (nn + 1) }
        return 2 * nn * (1 - pow(r, nn + 1)) / (nn + 1) - (1 - pow(r, nn))
    }

    /// Expected welfare per auction: E[max value · 1{max ≥ r}] = n/(n+1) · (1 − r^(n+1)).
    public static func expectedWelfare(bidders n: Int, reserve r: Double) -> Double {
        let nn = Double(n)
        return nn / (nn + 1) * (1 - pow(r, nn + 1))
    }

    /// Outcome of one auction given the bids (nil = no bid): winner and price.
    /// Ties go to the lowest bidder index, so outcomes never depend on iteration order.
    public static func clear(bids: [Double?], reserve r: Double, format: Format) -> (winner: Int, price: Double)? {
        var best = -1, bestBid = -Double.infinity, second = -Double.infinity
        for (i, b) in bids.enumerated() {
            guard let b else { continue }
            if b > bestBid {
                second = bestBid; bestBid = b; best = i
            } else if b > second {
                second = b
            }
        }
        guard best >= 0 else { return nil }
        switch format {
        case .firstPrice: return (best, bestBid)
        case .secondPrice: return (best, max(second, r))
        }
    }
}

/// A sealed-bid single-item auction: the extension point of `kind: single_item_auction`.
///
/// A rule says how bidders bid in its symmetric equilibrium (values iid U[0,1], n bidders,
/// reserve r), and who wins and pays what given the bids. The market draws the same arrivals
/// and values for every rule (common random numbers), so rules compare pairwise; the audit
/// (`audit_auctions`) asks ``clear(bids:reserve:)`` what each misreport would have earned.
public protocol SingleItemAuctionRule: Sendable {
    /// The name a scenario uses (`mechanisms: [my_rule]`), snake_case.
    var name: String { get }
    /// One line for `gavel list`.
    var summary: String { get }
    /// The bid of a bidder with value `value` in the rule's symmetric equilibrium among
    /// `bidders` bidders; nil for no bid (a value below the reserve, say).
    func bid(value: Double, bidders: Int, reserve: Double) throws -> Double?
    /// The winner and the price given the bids (nil: no bid), or nil when nothing sells.
    /// Ties should go to the lowest bidder index, so outcomes never depend on iteration order.
    func clear(bids: [Double?], reserve: Double) throws -> (winner: Int, price: Double)?
}

/// The single-item family's registry: first and second price, then any rule a program registers.
public enum SingleItemAuctionRules: MechanismFamily {
    /// Built-in first, in `gavel list` order.
    public static let registry = MechanismRegistry<any SingleItemAuctionRule>(
        family: "single-item auction", builtIn: SingleItemAuction.Format.allCases, name: { $0.name }, summary: { $0.summary })
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
