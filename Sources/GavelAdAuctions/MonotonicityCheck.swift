/// Empirical single-parameter monotonicity (the condition under which Myerson payments are DSIC):
/// for each bidder i, with the other bids fixed, π_i must not fall as b_i walks up a grid.
/// Shared by `aigc_cascade` (its monotonicity_violations/checks columns) and the tests.
public struct MonotonicityCheck: Sendable {
    /// Own bids tried, ascending.
    public var grid: [Double]
    /// A fall of π_i by more than this counts (π is a product of probabilities: rounding is ~1e-16).
    public var tolerance: Double

    /// A check on `grid` (default 0, 0.3, …, 12) with `tolerance`.
    public init(grid: [Double] = (0...40).map { Double($0) * 0.3 }, tolerance: Double = 1e-12) {
        self.grid = grid
        self.tolerance = tolerance
    }

    /// What one check found.
    public struct Count: Sendable {
        /// Grid points evaluated (bidders × grid).
        public var checks = 0
        /// Grid steps at which π_i fell by more than the tolerance.
        public var violations = 0
        /// The first violation: bidder and the bid at which π_i fell.
        public var witness: (bidder: Int, bid: Double)?
    }

    /// Walks every bidder's grid on one instance, the others bidding `bids`.
    public func check(_ rule: AllocationRule, on a: PositionAuction, bids: [Double]) throws -> Count {
        try check(on: a, bids: bids) { try rule.allocate(a, coefficients: $0) }
    }

    /// Walks every bidder's grid on one instance under a mechanism's allocation rule.
    public func check(_ mechanism: some PositionAuctionMechanism, on a: PositionAuction, bids: [Double]) throws -> Count {
        try check(on: a, bids: bids) { try mechanism.allocate(a, bids: $0) }
    }

    func check(on a: PositionAuction, bids: [Double], allocate: ([Double]) throws -> [Slot]) throws -> Count {
        var count = Count()
        for i in 0..<a.advertisers {
            var last = 0.0
            for z in grid {
                var b = bids
                b[i] = z
                let pi = a.ctr(of: try allocate(b))[i]
                count.checks += 1
                if pi < last - tolerance {
                    count.violations += 1
                    if count.witness == nil { count.witness = (i, z) }
                }
                last = pi
            }
        }
        return count
    }
}
