import GavelCore

/// MOHAF as the paper *describes* it (mode B of spec §6), with every gap the
/// paper leaves open filled explicitly:
///
/// **Constraints** (paper §3): type match; shared capacity Σ_i d_i·x_ij ≤ C_j;
/// one resource per request; QoS enforced when a request has requirements
/// (reliability_j ≥ q^min_rel, availability_j ≥ q^min_av, Euclidean distance ≤ q^max_lat);
/// budget π_ij ≤ B_i with the *uncapped* eq. (5) price π_ij = ρ_j·d_i·(0.8 + 0.4·v_ij),
/// ρ_j = cost_j (eq. 5's min{·, B_i} would make the budget constraint vacuous, spec §7.8).
///
/// **Objective** (eq. 3), monotone submodular with F(∅) = 0:
/// F(S) = θ1·Σ_{(i,j)∈S} v_ij + θ2·Φ_fair(S) + θ3·Ψ_energy(S), where v_ij is the
/// normalised utility of `CommonValuation` (each component in [0, 1]);
/// Φ_fair(S) = Σ_k min(1, Σ_{(i,j)∈S, i of requester k} v_ij), a concave (capped)
/// function of each requester's served utility: a requester's second and later
/// units count only up to one request's worth, which steers service to the unserved;
/// Ψ_energy(S) = Σ_{(i,j)∈S} e_j·d_i/C_j, the share of capacity placed on
/// energy-efficient resources (modular). Concave-of-modular and modular terms
/// with non-negative weights are monotone submodular; the capped form keeps the
/// exact optimum expressible as a MIP (z_k ≤ 1, z_k ≤ Σ v x).
///
/// **Algorithm**: greedy on the marginal gain ΔF, evaluated lazily (Minoux 1978):
/// stale gains are upper bounds by submodularity, so lazy greedy selects exactly
/// what plain greedy selects. Ties go to the lower pair index (request-major).
///
/// **Guarantee that holds**: the feasible sets form a p-extendible system
/// (Mestre 2006) with p = 1 + max_j max_i ⌈d_i / d⁺_min(j)⌉ over requests i
/// allowed on j, where d⁺_min(j) is the smallest positive demand allowed on j
/// (adding (i,j) to a feasible set displaces at most one pair of request i and at
/// most ⌈d_i/d⁺_min⌉ pairs on resource j; zero demands displace nothing). Greedy
/// on a monotone submodular function over a p-system is a 1/(p+1)-approximation
/// (Fisher, Nemhauser, Wolsey 1978; Calinescu et al. 2011). It is **not** the
/// paper's (1 − 1/e), which needs a single cardinality/matroid constraint.
public struct MOHAFAsDescribed: Sendable {
    /// v_ij.
    public var valuation: CommonValuation
    /// θ1, θ2, θ3 of F(S).
    public var theta: (utility: Double, fairness: Double, energy: Double)
    /// Whether QoS requirements restrict the allowed pairs.
    public var enforceQoS = true

    /// The mechanism with `valuation`, θ = (1, 0.5, 0.25) by default, QoS enforced.
    public init(valuation: CommonValuation, theta: (utility: Double, fairness: Double, energy: Double) = (1, 0.5, 0.25),
                enforceQoS: Bool = true) {
        self.valuation = valuation
        self.theta = theta
        self.enforceQoS = enforceQoS
    }

    /// One allowed pair and its fixed parts of the gain.
    public struct Element: Sendable {
        /// The request's index.
        public var request: Int32
        /// The resource's index.
        public var resource: Int32
        /// v_ij.
        public var value: Double       // v_ij
        /// e_j·d_i/C_j, the pair's term of Ψ_energy.
        public var energyShare: Double // e_j·d_i/C_j
        /// π_ij = ρ_j·d_i·(0.8 + 0.4·v_ij).
        public var price: Double
    }

    /// Pairs satisfying type, capacity (d_i ≤ C_j), QoS and budget, request-major.
    /// `resourcesOf` restricts request i to some resources (clusters); nil = all.
    ///
    /// With a partition, requests are visited grouped by their first candidate
    /// (requests of one cluster share their list), so a cluster's resources stay in
    /// cache while its requests are scored; the pairs are then put back in
    /// request-major order by a stable counting pass. At 10^6 requests × 10^5
    /// resources, visiting requests in index order made every pair a cache miss.
    /// Both orders give the same elements (test `groupedElementsEqualPlain`).
    public func elements(_ inst: IoTInstance, resourcesOf: ((Int) -> [Int])? = nil) -> [Element] {
        elements(inst, resourcesOf: resourcesOf, groupAbove: 20_000)
    }

    /// `groupAbove`: request count from which the grouped visit is used (a parameter for the test).
    func elements(_ inst: IoTInstance, resourcesOf: ((Int) -> [Int])?, groupAbove: Int) -> [Element] {
        let all = Array(inst.resources.indices)
        guard let resourcesOf, inst.requests.count >= groupAbove else {
            var out: [Element] = []
            for i in inst.requests.indices { appendPairs(of: i, candidates: resourcesOf?(i) ?? all, inst, to: &out) }
            return out
        }
        let lists = inst.requests.indices.map(resourcesOf)
        // Requests by first candidate (stable), those without candidates contribute nothing.
        var visit = [Int32](); visit.reserveCapacity(inst.requests.count)
        var start = [Int](repeating: 0, count: inst.resources.count + 1)
        for list in lists { if let f = list.first { start[f + 1] += 1 } }
        for j in 0..<inst.resources.count { start[j + 1] += start[j] }
        visit = [Int32](repeating: 0, count: start[inst.resources.count])
        var next = start
        for (i, list) in lists.enumerated() { if let f = list.first { visit[next[f]] = Int32(i); next[f] += 1 } }
        // Score in visiting order; remember each request's run of pairs.
        var grouped: [Element] = []
        var firstPair = [Int](repeating: 0, count: inst.requests.count), pairCount = [Int](repeating: 0, count: inst.requests.count)
        for i32 in visit {
            let i = Int(i32)
            firstPair[i] = grouped.count
            appendPairs(of: i, candidates: lists[i], inst, to: &grouped)
            pairCount[i] = grouped.count - firstPair[i]
        }
        // Request-major: each request's run, in request order.
        var out: [Element] = []
        out.reserveCapacity(grouped.count)
        for i in inst.requests.indices where pairCount[i] > 0 {
            out.append(contentsOf: grouped[firstPair[i]..<(firstPair[i] + pairCount[i])])
        }
        return out
    }

    /// Request i's allowed pairs, in candidate order.
    @inline(__always)
    private func appendPairs(of i: Int, candidates: [Int], _ inst: IoTInstance, to out: inout [Element]) {
        let q = inst.requests[i]
        for j in candidates {
            let r = inst.resources[j]
            guard r.type == q.type, q.amount <= r.capacity else { continue }
            if enforceQoS, let qos = q.qos {
                guard r.reliability >= qos.minReliability, r.availability >= qos.minAvailability,
                      inst.distance(request: i, resource: j) <= qos.maxLatency else { continue }
            }
            let v = valuation.value(inst, request: i, resource: j)
            let price = r.costPerUnit * q.amount * (0.8 + 0.4 * v)
            guard price <= q.budget else { continue }
            out.append(Element(request: Int32(i), resource: Int32(j), value: v,
                               energyShare: r.capacity > 0 ? r.energyEfficiency * q.amount / r.capacity : 0, price: price))
        }
    }

    /// F(S) for a set of elements (any order).
    public func objective(_ chosen: [Element], instance inst: IoTInstance) -> Double {
        var perRequester = [Double](repeating: 0, count: inst.requesterNames.count)
        var linear = 0.0, energy = 0.0
        for e in chosen {
            linear += e.value
            energy += e.energyShare
            perRequester[inst.requests[Int(e.request)].requester] += e.value
        }
        let fairness = perRequester.reduce(0) { $0 + min(1, $1) }
        return theta.utility * linear + theta.fairness * fairness + theta.energy * energy
    }

    /// p of the p-extendible system for these elements (see the type's documentation).
    public static func extendibility(_ elements: [Element], instance inst: IoTInstance) -> Int {
        var range = DemandRange(resourceCount: inst.resources.count)
        range.add(elements, instance: inst)
        return range.extendibility
    }

    /// The smallest positive and the largest demand allowed on each resource, from which p
    /// follows; accumulated over several element lists (one per cluster) at the cost of one.
    struct DemandRange {
        private var minPositive: [Double]
        private var maxDemand: [Double]

        init(resourceCount: Int) {
            minPositive = [Double](repeating: .infinity, count: resourceCount)
            maxDemand = [Double](repeating: 0, count: resourceCount)
        }

        mutating func add(_ elements: [Element], instance inst: IoTInstance) {
            for e in elements {
                let d = inst.requests[Int(e.request)].amount, j = Int(e.resource)
                if d > 0 { minPositive[j] = min(minPositive[j], d) }
                maxDemand[j] = max(maxDemand[j], d)
            }
        }

        var extendibility: Int {
            var worst = 0
            for j in minPositive.indices where minPositive[j].isFinite {
                // Saturated at 10^15 (a guarantee of 1e-15): amounts of 1e300 and 1e-300 made the
                // ratio infinite, and Int(∞) traps.
                let ratio = (maxDemand[j] / minPositive[j]).rounded(.up)
                worst = max(worst, ratio < 1e15 ? Int(ratio) : 1_000_000_000_000_000)
            }
            return 1 + worst
        }
    }

    /// What the greedy chose, F of it and its guarantee.
    public struct Outcome: Sendable {
        /// The chosen pairs, in selection order.
        public var chosen: [Element]
        /// F(S) of the chosen set.
        public var objective: Double
        /// The guaranteed fraction 1/(p+1) of the optimum.
        public var guarantee: Double
        /// Marginal gains evaluated (the lazy greedy's work).
        public var gainEvaluations: Int
    }

    /// Lazy greedy on ΔF over `elements`.
    public func greedy(_ elements: [Element], instance inst: IoTInstance) -> Outcome {
        var state = GreedyState(inst)
        var chosen: [Element] = []
        let (objective, evaluations) = greedy(elements, state: &state, appendingTo: &chosen)
        let p = Self.extendibility(elements, instance: inst)
        return Outcome(chosen: chosen, objective: objective, guarantee: 1 / Double(p + 1), gainEvaluations: evaluations)
    }

    /// What the greedy reads and what it has decided, kept apart from one call so that the
    /// auctions of several clusters run one after another on the same loads, served requests
    /// and requesters' served utility (the fairness term's argument).
    struct GreedyState {
        /// Dense copies of the fields the loop reads (the request and resource structs are wide).
        let requesterOf: [Int], amountOf: [Double], capacityOf: [Double]
        var load: [Double]
        var served: [Bool]
        var perRequester: [Double]

        init(_ inst: IoTInstance) {
            requesterOf = inst.requests.map(\.requester)
            amountOf = inst.requests.map(\.amount)
            capacityOf = inst.resources.map(\.capacity)
            load = [Double](repeating: 0, count: inst.resources.count)
            served = [Bool](repeating: false, count: inst.requests.count)
            perRequester = [Double](repeating: 0, count: inst.requesterNames.count)
        }
    }

    /// Lazy greedy on ΔF over `elements`, from `state` (gains are marginal to everything it has
    /// chosen before); appends its choices and returns their total gain and the gain evaluations.
    func greedy(_ elements: [Element], state: inout GreedyState, appendingTo chosen: inout [Element]) -> (objective: Double, evaluations: Int) {
        let theta = self.theta
        func gain(_ e: Element, _ s: GreedyState) -> Double {
            let k = s.requesterOf[Int(e.request)]
            let fairness = min(1, s.perRequester[k] + e.value) - min(1, s.perRequester[k])
            return theta.utility * e.value + theta.fairness * fairness + theta.energy * e.energyShare
        }
        func feasible(_ e: Element, _ s: GreedyState) -> Bool {
            let i = Int(e.request), j = Int(e.resource)
            return !s.served[i] && s.load[j] + s.amountOf[i] <= s.capacityOf[j]
        }
        var queue = LazyGainQueue(initialGains: elements.map { gain($0, state) })
        // The elements in the list's order, gathered once (independent loads, many in
        // flight) so that the loop below reads them one after another.
        let inListOrder = queue.listOrder.map { elements[Int($0)] }
        var objective = 0.0
        var evaluations = elements.count
        while let top = queue.popWithPosition() {
            let e = top.listPosition.map { inListOrder[$0] } ?? elements[Int(top.index)]
            guard feasible(e, state) else { continue }   // infeasible stays infeasible: S only grows
            let fresh = gain(e, state)
            evaluations += 1
            if let next = queue.peek(), MaxGainHeap.precedes((next.gain, next.index), (fresh, top.index)) {
                queue.reinsert(gain: fresh, index: top.index)
                continue
            }
            guard fresh > 0 else { break }
            let i = Int(e.request), j = Int(e.resource)
            state.served[i] = true
            state.load[j] += state.amountOf[i]
            state.perRequester[state.requesterOf[i]] += e.value
            objective += fresh
            chosen.append(e)
        }
        return (objective, evaluations)
    }

    /// Auctions inside clusters, the paper's hierarchical step: one lazy greedy per cluster
    /// (clusters in label order), on the pairs of the cluster's requests (index order) with
    /// the cluster's resources, all on one `GreedyState`, so each cluster's gains are marginal
    /// to what earlier clusters chose and a requester's fairness term sees all its service.
    /// A label may have requests and no resources (k-means): those requests get no pairs.
    ///
    /// Guarantee: F ≥ OPT/(p+1) against the optimum over the same pairs, p as for `greedy`.
    /// Feasibility never crosses clusters (a request and its resources share one), so the
    /// p-system charging of Fisher–Nemhauser–Wolsey works block by block: an optimal pair o of
    /// cluster c is charged to the step of c's greedy that made it infeasible, where
    /// Δ(o | G) ≤ Δ(o | G before that step) ≤ the step's gain (submodularity; the step
    /// took the largest feasible gain of c), each step is charged at most p times, hence
    /// F(OPT) ≤ F(G) + Σ_o Δ(o | G) ≤ (1 + p)·F(G) (cf. the locally greedy heuristic of
    /// Fisher, Nemhauser and Wolsey 1978). Pairs left feasible when a cluster's greedy stops have
    /// Δ ≤ 0. Checked against GLPK's MIP (`clusterAuctionsAreWithinTheGuarantee`).
    ///
    /// Cost: each cluster's pairs, heap and the loads, flags and requesters they touch are
    /// small and stay in cache, and no global element list is built: time and memory grow
    /// with N·M/K like the work, where the joint greedy's grow faster (its working set
    /// leaves the caches at 10^6 requests).
    public func runInClusters(_ inst: IoTInstance, resourceCluster: [Int], requestCluster: [Int]) -> (IoTAllocationResult, Outcome) {
        precondition(resourceCluster.count == inst.resources.count && requestCluster.count == inst.requests.count)
        let clusters = (resourceCluster.max() ?? -1) + 1
        let resources = PartitionLabels.members(of: resourceCluster, clusters: clusters)
        let requests = PartitionLabels.members(of: requestCluster, clusters: clusters)
        var state = GreedyState(inst)
        var range = DemandRange(resourceCount: inst.resources.count)
        var chosen: [Element] = []
        var objective = 0.0, evaluations = 0, pairs = 0
        var elements: [Element] = []
        for c in 0..<clusters where !resources[c].isEmpty {
            elements.removeAll(keepingCapacity: true)
            for i in requests[c] { appendPairs(of: i, candidates: resources[c], inst, to: &elements) }
            pairs += elements.count
            range.add(elements, instance: inst)
            let (f, n) = greedy(elements, state: &state, appendingTo: &chosen)
            objective += f
            evaluations += n
        }
        let outcome = Outcome(chosen: chosen, objective: objective, guarantee: 1 / Double(range.extendibility + 1), gainEvaluations: evaluations)
        return (allocationResult(outcome, inst, pairs: pairs), outcome)
    }

    func allocationResult(_ out: Outcome, _ inst: IoTInstance, pairs: Int) -> IoTAllocationResult {
        let allocations = out.chosen.map {
            IoTAllocation(request: Int($0.request), resource: Int($0.resource), price: $0.price,
                          amount: inst.requests[Int($0.request)].amount, utility: $0.value)
        }
        return IoTAllocationResult(allocations: allocations, maxPossibleUtility: Double(inst.requests.count), bids: pairs)
    }

    /// The joint auction: one lazy greedy over every allowed pair (`resourcesOf` restricts
    /// request i to some resources; nil = all).
    public func run(_ inst: IoTInstance, resourcesOf: ((Int) -> [Int])? = nil) -> (IoTAllocationResult, Outcome) {
        let els = elements(inst, resourcesOf: resourcesOf)
        let out = greedy(els, instance: inst)
        return (allocationResult(out, inst, pairs: els.count), out)
    }
}

/// The lazy greedy's priority queue: the initial gains sorted once (linear-time
/// radix sort, `StableDescendingOrder`) and a heap holding only re-evaluated
/// (decreased) gains. `pop` takes whichever head comes first in the order
/// (gain descending, index ascending), so it yields exactly the sequence of a
/// single heap holding everything, at the cost of a sort instead of E heap
/// operations whose cache misses dominated at 10^7 elements.
///
/// The list's gains are read back from the sort keys (`Entry.value`), not from a
/// gains array indexed at random: at 10^7 elements that lookup missed the cache on
/// every pop.
struct LazyGainQueue {
    private var sorted: [StableDescendingOrder.Entry]
    private var cursor = 0
    private var stale = MaxGainHeap()

    init(initialGains: [Double]) {
        precondition(initialGains.count < Int(Int32.max))
        sorted = initialGains.enumerated().map { StableDescendingOrder.Entry(descending: $0.element, index: Int32($0.offset)) }
        StableDescendingOrder.sort(&sorted)
    }

    /// The next element and whether it is the sorted list's head (an element is never in both parts:
    /// it enters the heap only after leaving the list).
    private func head() -> (gain: Double, index: Int32, fromList: Bool)? {
        let listHead = cursor < sorted.count ? (gain: sorted[cursor].value, index: sorted[cursor].index) : nil
        switch (listHead, stale.peek()) {
        case (nil, nil): return nil
        case (let l?, nil): return (l.gain, l.index, true)
        case (nil, let h?): return (h.gain, h.index, false)
        case (let l?, let h?):
            return MaxGainHeap.precedes((l.gain, l.index), (h.gain, h.index)) ? (l.gain, l.index, true) : (h.gain, h.index, false)
        }
    }

    func peek() -> (gain: Double, index: Int32)? { head().map { ($0.gain, $0.index) } }

    mutating func pop() -> (gain: Double, index: Int32)? { popWithPosition().map { ($0.gain, $0.index) } }

    /// The next element, with its position in `listOrder` when it comes from the sorted list.
    mutating func popWithPosition() -> (gain: Double, index: Int32, listPosition: Int?)? {
        guard let top = head() else { return nil }
        if top.fromList { cursor += 1; return (top.gain, top.index, cursor - 1) }
        _ = stale.pop()
        return (top.gain, top.index, nil)
    }

    /// Element indices in the list's order (gain descending, index ascending).
    var listOrder: [Int32] { sorted.map(\.index) }

    mutating func reinsert(gain: Double, index: Int32) { stale.push(gain: gain, index: index) }
}

/// A max-heap of (gain, index), ordered by gain descending then index ascending,
/// so equal gains pop in element order (a deterministic tie-break). Pairs are
/// unique (an element is in the heap at most once), so the pop sequence is fixed
/// by that order whatever the heap's shape: it is 4-ary, with hole-based sifts,
/// because at 10^6 requests the reinserted gains number millions and each level
/// of a binary heap was a cache miss.
struct MaxGainHeap {
    private var items: [(gain: Double, index: Int32)] = []

    init() {}

    /// Heapifies `items` bottom-up in O(n).
    init(_ items: [(gain: Double, index: Int32)]) {
        self.items = items
        guard items.count > 1 else { return }
        var p = (items.count - 2) / 4
        while p >= 0 { siftDown(from: p); p -= 1 }
    }

    private mutating func siftDown(from start: Int) {
        let n = items.count
        items.withUnsafeMutableBufferPointer { h in
            let moving = h[start]
            var p = start
            while true {
                let first = 4 * p + 1
                if first >= n { break }
                var best = first
                let last = Swift.min(first + 4, n)
                var c = first + 1
                while c < last {
                    if Self.precedes(h[c], h[best]) { best = c }
                    c += 1
                }
                guard Self.precedes(h[best], moving) else { break }
                h[p] = h[best]
                p = best
            }
            h[p] = moving
        }
    }

    /// Whether a should pop before b.
    @inline(__always)
    static func precedes(_ a: (Double, Int32), _ b: (Double, Int32)) -> Bool {
        a.0 > b.0 || (a.0 == b.0 && a.1 < b.1)
    }

    var isEmpty: Bool { items.isEmpty }
    func peek() -> (gain: Double, index: Int32)? { items.first }

    mutating func push(gain: Double, index: Int32) {
        items.append((gain, index))
        let moving = (gain: gain, index: index)
        items.withUnsafeMutableBufferPointer { h in
            var c = h.count - 1
            while c > 0 {
                let p = (c - 1) / 4
                guard Self.precedes(moving, h[p]) else { break }
                h[c] = h[p]
                c = p
            }
            h[c] = moving
        }
    }

    mutating func pop() -> (gain: Double, index: Int32)? {
        guard let top = items.first else { return nil }
        let last = items.removeLast()
        if !items.isEmpty {
            items[0] = last
            siftDown(from: 0)
        }
        return top
    }
}
