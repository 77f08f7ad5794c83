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
    /// The auction format (its raw value is the scenario's mechanism name).
    public enum Format: String, ScenarioEnum, Encodable {
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

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
