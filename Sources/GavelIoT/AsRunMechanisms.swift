import GavelCore
import GavelConfig

/// The four weights of MOHAF's utility, eq. (2): U = α·u_cost + β·u_qos + γ·u_en + δ·u_fair.
public struct MOHAFWeights: Sendable, Equatable, Decodable {
    /// α, the weight of u_cost.
    public var cost: Double
    /// β, the weight of u_qos.
    public var qos: Double
    /// γ, the weight of u_en.
    public var energy: Double
    /// δ, the weight of u_fair.
    public var fairness: Double

    /// Weights α, β, γ, δ (not normalised here).
    public init(cost: Double, qos: Double, energy: Double, fairness: Double) {
        self.cost = cost; self.qos = qos; self.energy = energy; self.fairness = fairness
    }

    /// `MOHAFAuction()` defaults, which produced Table 1 (spec §1, last bullet).
    public static let asRun = MOHAFWeights(cost: 0.3, qos: 0.3, energy: 0.2, fairness: 0.2)
    /// The weights the paper states, eq. (22) and §4.4.
    public static let paper = MOHAFWeights(cost: 0.4, qos: 0.3, energy: 0.1, fairness: 0.2)

    enum CodingKeys: String, CodingKey, CaseIterable { case cost, qos, energy, fairness }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let valid: (Double) -> Bool = { $0 >= 0 && $0.isFinite }
        cost = try c.decode(Double.self, forKey: .cost, expecting: "a finite number ≥ 0", valid)
        qos = try c.decode(Double.self, forKey: .qos, expecting: "a finite number ≥ 0", valid)
        energy = try c.decode(Double.self, forKey: .energy, expecting: "a finite number ≥ 0", valid)
        fairness = try c.decode(Double.self, forKey: .fairness, expecting: "a finite number ≥ 0", valid)
    }

    var sum: Double { cost + qos + energy + fairness }
}

/// Which version of the authors' MOHAF code to replay.
public enum MOHAFCodeVersion: Sendable, Equatable {
    /// Notebook cell 4, which produced Table 1 (spec §2.2).
    case notebookCell4
    /// The `mohaf/` package = notebook cell 0, which produced Table 2 (spec §4).
    case package
}

/// MOHAF exactly as the authors' code ran it: score every type- and
/// capacity-compatible pair, sort by U descending (stable), and accept greedily
/// with each resource and each request used at most once. No clustering, no
/// F(S), no price iteration (spec §2.2, §4).
///
/// Every floating-point expression is evaluated in the order the spec gives, so
/// that U_ij, prices and hence the sort order are the same doubles as in CPython.
public struct MOHAFAsRun: Sendable {
    /// α, β, γ, δ of U.
    public var weights: MOHAFWeights
    /// Which version of the authors' code to replay.
    public var version: MOHAFCodeVersion
    /// η and τ of cell 4's price (spec §2.2); util_j is always 0 there.
    public var learningRate = 0.01
    /// τ of cell 4's price.
    public var targetUtilization = 0.8

    /// MOHAF as run with `weights` (default ``MOHAFWeights/asRun``) and the code of `version`.
    public init(weights: MOHAFWeights = .asRun, version: MOHAFCodeVersion = .notebookCell4) {
        self.weights = weights
        self.version = version
    }

    /// The bids: feasible pairs in generation order (request-major), with U and price.
    public struct Bids: Sendable {
        /// Per bid: the request's index.
        public var request: [Int32] = []
        /// Per bid: the resource's index.
        public var resource: [Int32] = []
        /// Per bid: U_ij.
        public var utility: [Double] = []
        /// Per bid: the price.
        public var price: [Double] = []
        /// Per bid: the amount allocated if accepted.
        public var amount: [Double] = []
        /// Number of bids.
        public var count: Int { request.count }
    }

    /// U_ij and π_ij of one pair, or nil when the pair is not compatible or over budget.
    /// Works on the flat copy of the instance: reading `IoTResource` values (which
    /// hold strings) in the N·M loop would cost reference counting on every pair.
    @inline(__always)
    func score(_ f: FlatInstance, request i: Int, resource j: Int) -> (u: Double, price: Double, amount: Double)? {
        let d = f.amount[i], budget = f.budget[i], capacity = f.capacity[j], cost = f.cost[j]
        if f.resourceType[j] != f.requestType[i] || capacity < d { return nil }
        let (a, b, g, dl) = (weights.cost, weights.qos, weights.energy, weights.fairness)
        let dx = f.rx[j] - f.qx[i], dy = f.ry[j] - f.qy[i]
        let dist = (dx * dx + dy * dy).squareRoot()
        switch version {
        case .notebookCell4:
            // u_cost = max(0, 1 − cost·d/B); u_qos = 0.5(rel+av) + 0.5·max(0, 1 − dist/200) ∈ [0, 1.5];
            // u_fair = p/10 − 0.5·hist with hist = 0 in every reported run (no clipping).
            let uCost = max(0, 1 - cost * d / budget)
            let uDist = max(0, 1 - dist / 200)
            let uQoS = 0.5 * (f.reliability[j] + f.availability[j]) + 0.5 * uDist
            let uFair = f.priority[i] / 10 - 0.5 * 0
            let u = a * uCost + b * uQoS + g * f.energy[j] + dl * uFair
            // util_j = |performance_history_j| / C_j = 0: the history is never appended to.
            let utilization = 0.0 / capacity
            let base = cost * d * (1 + learningRate * (utilization - targetUtilization))
            let price = min(base * (0.8 + 0.4 * u), budget)
            guard price <= budget else { return nil }
            return (u, price, d)
        case .package:
            // u_cost = max(0, 1 − cost/B) (ignores d); u_qos = (max(0, 1 − dist/100) + (rel+av)/2)/2;
            // u_fair = max(0, p/10 − 0.01·hist), hist = 0; price = min(cost·d·(0.8+0.4U), B).
            let uCost = budget <= 0 ? 0 : max(0, 1 - cost / budget)
            let uDist = max(0, 1 - dist / 100)
            let uQoS = (uDist + (f.reliability[j] + f.availability[j]) / 2) / 2
            let uFair = max(0, f.priority[i] / 10.0 - 0.0)
            let u = a * uCost + b * uQoS + g * f.energy[j] + dl * uFair
            let price = min(cost * d * (0.8 + 0.4 * u), budget)
            guard price <= budget else { return nil }
            return (u, price, min(capacity, d))
        }
    }

    /// Every compatible, affordable pair's bid, request-major.
    public func bids(_ inst: IoTInstance) -> Bids {
        let f = FlatInstance(inst)
        var bids = Bids()
        let estimate = inst.requests.count * inst.resources.count
        bids.request.reserveCapacity(estimate); bids.resource.reserveCapacity(estimate)
        bids.utility.reserveCapacity(estimate); bids.price.reserveCapacity(estimate); bids.amount.reserveCapacity(estimate)
        for i in 0..<f.requestCount {
            for j in 0..<f.resourceCount {
                guard let s = score(f, request: i, resource: j) else { continue }
                bids.request.append(Int32(i)); bids.resource.append(Int32(j))
                bids.utility.append(s.u); bids.price.append(s.price); bids.amount.append(s.amount)
            }
        }
        return bids
    }

    /// Scores every pair, sorts by U descending (stable) and accepts greedily, one resource per request and one request per resource.
    public func run(_ inst: IoTInstance) -> IoTAllocationResult {
        // One 16-byte entry per bid: the sort key from U and the pair's position
        // i·M + j, which is also its generation order (request-major), so equal U
        // stay in generation order. Price and amount are recomputed for the winners
        // (the same expressions, so the same doubles).
        let f = FlatInstance(inst)
        let m = f.resourceCount
        precondition(f.requestCount * m < Int(Int32.max), "too many pairs for the as-run mechanism")
        var entries: [StableDescendingOrder.Entry] = []
        entries.reserveCapacity(f.requestCount * m)
        for i in 0..<f.requestCount {
            for j in 0..<m {
                guard let s = score(f, request: i, resource: j) else { continue }
                entries.append(StableDescendingOrder.Entry(descending: s.u, index: Int32(i * m + j)))
            }
        }
        let bidCount = entries.count
        // Bids in U-descending order, sorted only as far as the acceptance reads them.
        var order = StableDescendingOrder.Lazy(entries)
        var usedRequest = [Bool](repeating: false, count: f.requestCount)
        var usedResource = [Bool](repeating: false, count: m)
        var left = min(f.requestCount, m)
        var allocations: [IoTAllocation] = []
        while left > 0, let e = order.next() {
            let i = Int(e.index) / m, j = Int(e.index) % m
            if usedRequest[i] || usedResource[j] { continue }
            usedRequest[i] = true; usedResource[j] = true; left -= 1
            let s = score(f, request: i, resource: j)!
            allocations.append(IoTAllocation(request: i, resource: j, price: s.price, amount: s.amount, utility: s.u))
        }
        let denominator: Double
        switch version {
        case .notebookCell4:
            denominator = Double(inst.requests.count)
        case .package:
            // `_calculate_max_possible_utility`: 1 per request with any compatible resource.
            denominator = Double(inst.requests.indices.filter { i in inst.resources.indices.contains { inst.compatible(request: i, resource: $0) } }.count)
        }
        return IoTAllocationResult(allocations: allocations, maxPossibleUtility: denominator, bids: bidCount)
    }
}

/// Greedy one-to-one acceptance over a bid order: a bid wins iff neither its
/// resource nor its request has won before (the "distributed consensus" step).
enum OneToOneGreedy {
    static func accept(order: [Int32], requestCount: Int, resourceCount: Int, bids: MOHAFAsRun.Bids) -> [IoTAllocation] {
        var usedRequest = [Bool](repeating: false, count: requestCount)
        var usedResource = [Bool](repeating: false, count: resourceCount)
        var left = min(requestCount, resourceCount)
        var out: [IoTAllocation] = []
        for k in order {
            if left == 0 { break }
            let b = Int(k)
            let i = Int(bids.request[b]), j = Int(bids.resource[b])
            if usedRequest[i] || usedResource[j] { continue }
            usedRequest[i] = true; usedResource[j] = true; left -= 1
            out.append(IoTAllocation(request: i, resource: j, price: bids.price[b], amount: bids.amount[b], utility: bids.utility[b]))
        }
        return out
    }
}

/// First-Price as in cell 4 (spec §2.3): every feasible pair bids price = cost·d
/// with a "utility" label U(0.3, 0.8) drawn per pair (request-major); highest
/// price first (stable), one-to-one.
public enum FirstPriceAsRun {
    /// Runs cell 4's First-Price, drawing its labels from the notebook's shared `random`.
    public static func run(_ inst: IoTInstance, random: inout PythonRandom) -> IoTAllocationResult {
        var bids = MOHAFAsRun.Bids()
        for i in inst.requests.indices {
            let q = inst.requests[i]
            for j in inst.resources.indices where inst.compatible(request: i, resource: j) {
                let price = inst.resources[j].costPerUnit * q.amount
                guard price <= q.budget else { continue }
                bids.request.append(Int32(i)); bids.resource.append(Int32(j))
                bids.utility.append(random.uniform(0.3, 0.8)); bids.price.append(price); bids.amount.append(q.amount)
            }
        }
        let order = StableDescendingOrder.indices(of: bids.price)
        let allocations = OneToOneGreedy.accept(order: order, requestCount: inst.requests.count,
                                                resourceCount: inst.resources.count, bids: bids)
        return IoTAllocationResult(allocations: allocations, maxPossibleUtility: Double(inst.requests.count), bids: bids.count)
    }

    /// Advances `random` exactly as `run` would, without building bids
    /// (Random runs after First-Price in cell 4 and sees the stream it left).
    public static func consumeDraws(_ inst: IoTInstance, random: inout PythonRandom) {
        for i in inst.requests.indices {
            let q = inst.requests[i]
            for j in inst.resources.indices where inst.compatible(request: i, resource: j) {
                if inst.resources[j].costPerUnit * q.amount <= q.budget { _ = random.random() }
            }
        }
    }
}

/// Greedy ("priority auction") as in cell 4 (spec §2.3): requests by
/// (priority, budget) descending, stable; each takes the cheapest available
/// compatible resource (strictly cheaper replaces; the first found keeps ties).
/// Its "utility" label is the constant 0.5 + 0.3·(p/10).
public enum GreedyAsRun {
    /// Runs cell 4's priority auction (no random draws).
    public static func run(_ inst: IoTInstance) -> IoTAllocationResult {
        let order = inst.requests.indices.sorted { a, b in
            let qa = inst.requests[a], qb = inst.requests[b]
            if qa.priority != qb.priority { return qa.priority > qb.priority }
            if qa.budget != qb.budget { return qa.budget > qb.budget }
            return a < b
        }
        var used = [Bool](repeating: false, count: inst.resources.count)
        var out: [IoTAllocation] = []
        for i in order {
            let q = inst.requests[i]
            var best = -1
            var bestPrice = 0.0
            for j in inst.resources.indices where !used[j] && inst.compatible(request: i, resource: j) {
                let price = inst.resources[j].costPerUnit * q.amount
                guard price <= q.budget else { continue }
                if best < 0 || price < bestPrice { best = j; bestPrice = price }
            }
            guard best >= 0 else { continue }
            used[best] = true
            out.append(IoTAllocation(request: i, resource: best, price: bestPrice, amount: q.amount,
                                     utility: 0.5 + 0.3 * (Double(q.priority) / 10)))
        }
        return IoTAllocationResult(allocations: out, maxPossibleUtility: Double(inst.requests.count), bids: 0)
    }
}

/// Random as in cell 4 (spec §2.3): requests in `random.sample(requests, N)`
/// order; each picks `random.choice` among the available compatible resources
/// (original order); if affordable it is allocated with label U(0.2, 0.6).
///
/// The `mohaf/` package (= notebook cell 0) first shuffles its copy of the resource list
/// (`random.shuffle(available_resources)`), so the choices are among the available compatible
/// resources in shuffled order; a winner is removed from the list, the rest keep their order.
public enum RandomAsRun {
    /// Runs cell 4's Random mechanism (or, with `shuffleResources`, the package's), drawing from the notebook's shared `random`.
    public static func run(_ inst: IoTInstance, random: inout PythonRandom, shuffleResources: Bool = false) throws -> IoTAllocationResult {
        if shuffleResources { return try runShuffled(inst, random: &random) }
        let order = try random.sample(Array(inst.requests.indices), count: inst.requests.count)
        var used = [Bool](repeating: false, count: inst.resources.count)
        var out: [IoTAllocation] = []
        var candidates: [Int] = []
        for i in order {
            let q = inst.requests[i]
            candidates.removeAll(keepingCapacity: true)
            for j in inst.resources.indices where !used[j] && inst.compatible(request: i, resource: j) { candidates.append(j) }
            guard !candidates.isEmpty else { continue }
            let j = try random.choice(candidates)
            let price = inst.resources[j].costPerUnit * q.amount
            guard price <= q.budget else { continue }
            used[j] = true
            out.append(IoTAllocation(request: i, resource: j, price: price, amount: q.amount, utility: random.uniform(0.2, 0.6)))
        }
        return IoTAllocationResult(allocations: out, maxPossibleUtility: Double(inst.requests.count), bids: 0)
    }

    /// The package's Random: `shuffle` the resources, then `sample` the requests, then per request
    /// `choice` among the available compatible resources (shuffled order) and, if affordable, a label.
    static func runShuffled(_ inst: IoTInstance, random: inout PythonRandom) throws -> IoTAllocationResult {
        var available = Array(inst.resources.indices)
        random.shuffle(&available)
        let order = try random.sample(Array(inst.requests.indices), count: inst.requests.count)
        var out: [IoTAllocation] = []
        var candidates: [Int] = []
        for i in order {
            let q = inst.requests[i]
            candidates.removeAll(keepingCapacity: true)
            for j in available where inst.compatible(request: i, resource: j) { candidates.append(j) }
            guard !candidates.isEmpty else { continue }
            let j = try random.choice(candidates)
            let price = inst.resources[j].costPerUnit * q.amount
            guard price <= q.budget else { continue }
            available.remove(at: available.firstIndex(of: j)!)
            out.append(IoTAllocation(request: i, resource: j, price: price, amount: q.amount, utility: random.uniform(0.2, 0.6)))
        }
        return IoTAllocationResult(allocations: out, maxPossibleUtility: Double(inst.requests.count), bids: 0)
    }
}

/// The numbers of an instance in flat arrays, for the N·M scoring loops.
struct FlatInstance {
    let requestCount: Int, resourceCount: Int
    let capacity: [Double], cost: [Double], rx: [Double], ry: [Double]
    let reliability: [Double], availability: [Double], energy: [Double], resourceType: [UInt8]
    let amount: [Double], budget: [Double], priority: [Double], qx: [Double], qy: [Double], requestType: [UInt8]

    init(_ inst: IoTInstance) {
        let types = IoTResourceType.allCases
        requestCount = inst.requests.count
        resourceCount = inst.resources.count
        capacity = inst.resources.map(\.capacity); cost = inst.resources.map(\.costPerUnit)
        rx = inst.resources.map(\.x); ry = inst.resources.map(\.y)
        reliability = inst.resources.map(\.reliability); availability = inst.resources.map(\.availability)
        energy = inst.resources.map(\.energyEfficiency)
        resourceType = inst.resources.map { r in UInt8(types.firstIndex(of: r.type)!) }
        amount = inst.requests.map(\.amount); budget = inst.requests.map(\.budget)
        priority = inst.requests.map { Double($0.priority) }
        qx = inst.requests.map(\.x); qy = inst.requests.map(\.y)
        requestType = inst.requests.map { q in UInt8(types.firstIndex(of: q.type)!) }
    }
}
