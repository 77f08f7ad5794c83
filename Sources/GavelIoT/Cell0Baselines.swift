import GavelCore

/// Vickrey as in notebook cell 0 / `mohaf/auction_mechanisms.py` (`VickreyAuction`): requests in
/// order; each request's bids are its compatible resources (type and C_j ≥ d_i, no budget test) at
/// price min(cost_j·d_i, B_i), sorted by price descending (stable). The *highest* price wins; if
/// that resource is already taken the request gets nothing (no fall-back to the next bid). The
/// winner pays the second price in that order (its own when it is alone), for amount d_i, with the
/// label 0.6 + 0.3·reliability_j. Efficiency divides by N. No random draws.
public enum VickreyAsRun {
    /// Runs the package's Vickrey auction.
    public static func run(_ inst: IoTInstance) -> IoTAllocationResult {
        var used = [Bool](repeating: false, count: inst.resources.count)
        var out: [IoTAllocation] = []
        var bids = 0
        var prices: [(resource: Int, price: Double)] = []
        for i in inst.requests.indices {
            let q = inst.requests[i]
            prices.removeAll(keepingCapacity: true)
            for j in inst.resources.indices where inst.compatible(request: i, resource: j) {
                prices.append((j, min(inst.resources[j].costPerUnit * q.amount, q.budget)))
            }
            bids += prices.count
            guard !prices.isEmpty else { continue }
            // sorted(..., reverse=True) is stable: the first highest price wins, and the second
            // entry of the order is the next-highest price (equal to the winner's on a tie).
            var winner = 0
            for k in prices.indices.dropFirst() where prices[k].price > prices[winner].price { winner = k }
            var second = -1
            for k in prices.indices where k != winner && (second < 0 || prices[k].price > prices[second].price) { second = k }
            let j = prices[winner].resource
            guard !used[j] else { continue }
            used[j] = true
            out.append(IoTAllocation(request: i, resource: j, price: second < 0 ? prices[winner].price : prices[second].price,
                                     amount: q.amount, utility: 0.6 + 0.3 * inst.resources[j].reliability))
        }
        return IoTAllocationResult(allocations: out, maxPossibleUtility: Double(inst.requests.count), bids: bids)
    }
}

/// The "Hungarian Algorithm" baseline of notebook cell 0 / `mohaf/auction_mechanisms.py`
/// (`HungarianAlgorithm`): the cost matrix has a row per request and a column per resource, entry
/// cost_j·d_i for a compatible, affordable pair (type, C_j ≥ d_i, cost_j·d_i ≤ B_i) and +∞ otherwise;
/// `scipy.optimize.linear_sum_assignment` minimises it. Each assigned pair pays its entry, for
/// amount d_i, with the fixed label 0.7; efficiency divides by N. With no finite entry the result is
/// empty with efficiency denominator 0, as in the authors' code.
///
/// scipy assigns *every* row of the smaller side: when no complete assignment of the smaller side
/// avoids the +∞ entries it raises `ValueError: cost matrix is infeasible`, which the notebook
/// caught and printed for 4 of its 5 synthetic scenarios. Here that is ``Outcome/infeasible``.
public enum HungarianAsRun {
    /// The assignment, or scipy's failure.
    public enum Outcome: Sendable {
        /// The allocations, by request index (scipy's row order).
        case assigned(IoTAllocationResult)
        /// scipy raised "cost matrix is infeasible"; `finiteEntries` is the number of finite entries (bids).
        case infeasible(finiteEntries: Int)
    }

    /// scipy's message.
    public static let infeasibleMessage = "cost matrix is infeasible"

    /// Builds the authors' cost matrix and solves it as scipy does.
    public static func run(_ inst: IoTInstance) -> Outcome {
        let n = inst.requests.count, m = inst.resources.count
        var cost = [Double](repeating: .infinity, count: n * m)
        var finite = 0
        for i in 0..<n {
            let q = inst.requests[i]
            for j in 0..<m where inst.compatible(request: i, resource: j) {
                let c = inst.resources[j].costPerUnit * q.amount
                if c <= q.budget { cost[i * m + j] = c; finite += 1 }
            }
        }
        if finite == 0 {
            return .assigned(IoTAllocationResult(allocations: [], maxPossibleUtility: 0, bids: 0))
        }
        guard let pairs = RectangularLSAP.solve(rows: n, columns: m, cost: cost) else { return .infeasible(finiteEntries: finite) }
        let allocations = pairs.map { p in
            IoTAllocation(request: p.row, resource: p.column, price: cost[p.row * m + p.column], amount: inst.requests[p.row].amount, utility: 0.7)
        }
        return .assigned(IoTAllocationResult(allocations: allocations, maxPossibleUtility: Double(n), bids: finite))
    }
}

/// `scipy.optimize.linear_sum_assignment` (minimisation): the shortest augmenting path algorithm
/// for rectangular matrices of scipy's `rectangular_lsap.cpp` (P. M. Larsen, after D. F. Crouse,
/// "On implementing 2D rectangular assignment algorithms", IEEE TAES 52(4), 2016, pp. 1685–1686),
/// step for step, so that ties resolve as in scipy: the unscanned columns are kept in a list filled
/// in reverse order and compacted by moving the last into the gap, and among equally short paths a
/// free column (a new sink) is preferred. A tall matrix is transposed; the pairs come back sorted
/// by row. +∞ entries are allowed; nil when no assignment of every row of the smaller side avoids
/// them (scipy's "cost matrix is infeasible").
public enum RectangularLSAP {
    /// The optimal (row, column) pairs in row order, or nil when infeasible. `cost` is row-major
    /// `rows × columns`, finite or +∞ (no NaN, no −∞).
    public static func solve(rows nr0: Int, columns nc0: Int, cost cost0: [Double]) -> [(row: Int, column: Int)]? {
        precondition(cost0.count == nr0 * nc0 && !cost0.contains { $0.isNaN || $0 == -.infinity }, "invalid cost matrix")
        if nr0 == 0 || nc0 == 0 { return [] }
        let transpose = nc0 < nr0
        var nr = nr0, nc = nc0
        var cost = cost0
        if transpose {
            for i in 0..<nr0 { for j in 0..<nc0 { cost[j * nr0 + i] = cost0[i * nc0 + j] } }
            swap(&nr, &nc)
        }
        var u = [Double](repeating: 0, count: nr), v = [Double](repeating: 0, count: nc)
        var shortest = [Double](repeating: .infinity, count: nc)
        var path = [Int](repeating: -1, count: nc)
        var col4row = [Int](repeating: -1, count: nr), row4col = [Int](repeating: -1, count: nc)
        var sr = [Bool](repeating: false, count: nr), sc = [Bool](repeating: false, count: nc)
        var remaining = [Int](repeating: 0, count: nc)
        for curRow in 0..<nr {
            // augmenting_path
            var minVal = 0.0
            var numRemaining = nc
            for it in 0..<nc { remaining[it] = nc - it - 1 }
            for k in 0..<nr { sr[k] = false }
            for k in 0..<nc { sc[k] = false; shortest[k] = .infinity }
            var sink = -1
            var i = curRow
            while sink == -1 {
                var index = -1
                var lowest = Double.infinity
                sr[i] = true
                for it in 0..<numRemaining {
                    let j = remaining[it]
                    let r = minVal + cost[i * nc + j] - u[i] - v[j]
                    if r < shortest[j] { path[j] = i; shortest[j] = r }
                    if shortest[j] < lowest || (shortest[j] == lowest && row4col[j] == -1) {
                        lowest = shortest[j]; index = it
                    }
                }
                minVal = lowest
                if minVal == .infinity { return nil }
                let j = remaining[index]
                if row4col[j] == -1 { sink = j } else { i = row4col[j] }
                sc[j] = true
                numRemaining -= 1
                remaining[index] = remaining[numRemaining]
            }
            // update the dual variables
            u[curRow] += minVal
            for k in 0..<nr where sr[k] && k != curRow { u[k] += minVal - shortest[col4row[k]] }
            for j in 0..<nc where sc[j] { v[j] -= minVal - shortest[j] }
            // augment the previous solution
            var j = sink
            while true {
                let k = path[j]
                row4col[j] = k
                swap(&col4row[k], &j)
                if k == curRow { break }
            }
        }
        if transpose {
            // argsort of col4row: the original rows in increasing order.
            return col4row.indices.sorted { col4row[$0] < col4row[$1] }.map { (row: col4row[$0], column: $0) }
        }
        return (0..<nr).map { (row: $0, column: col4row[$0]) }
    }
}
