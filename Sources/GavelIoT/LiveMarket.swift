import GavelCore

/// Parameters of the live market (scenario key `live`). Defaults are Gavel's
/// choices where the paper is silent (spec §6: η_t, ρmin, ρmax, util_j(t)).
public struct LiveMarketSettings: Sendable, Equatable {
    /// Δt between auction rounds (seconds).
    public var roundInterval = 60.0
    /// Eq. (4): step η (constant), target τ, bounds [ρmin, ρmax].
    public var priceStep = 0.05
    /// τ, the target utilisation.
    public var targetUtilisation = 0.8
    /// ρmin.
    public var minPrice = 0.1
    /// ρmax.
    public var maxPrice = 3.0
    /// false: ρ_j stays at its initial value (the notebook's behaviour, for comparison).
    public var dynamicPricing = true
    /// A request not served within this many seconds of arriving leaves unserved.
    public var patience = 600.0
    /// M resources, drawn like notebook cell 4 (spec §2.1) with capacity C ~ U(0.5, 1)·capacityScale
    /// for both CPU and memory (the trace normalises both to the largest machine).
    public var resources = 100
    /// Scale of the drawn capacities (C = U(0.5, 1)·capacityScale).
    public var capacityScale = 100.0
    /// A request's willingness to pay per unit of CPU, w_i = wmin + (wmax − wmin)·p_i/11 (budget B_i = w_i·d_i):
    /// the paper's budget ignores priority's range; this makes priority matter when prices rise.
    public var willingnessMin = 0.3
    /// wmax of the willingness to pay.
    public var willingnessMax = 1.5

    /// Gavel's defaults.
    public init() {}
}

/// The live MOHAF market on the Google trace (issue 3, item 5), run on the
/// discrete-event kernel.
///
/// Events, and their order at equal times (lower priority first, then scheduling order):
/// 1. `release` (priority 0): a served task reaches its trace finish time and frees its CPU and memory;
/// 2. `arrival` (priority 1): a task's SUBMIT time; it joins the pending queue;
/// 3. `round` (priority 2): an auction round at k·Δt, k = 0, 1, …, up to the horizon.
/// So a round sees every release and arrival of its own instant.
///
/// A round: drop pending requests whose finish time has passed (≤ now) or whose
/// patience ran out; then every pending request bids on every resource that can
/// still hold it (CPU and memory) and that it can afford at the current price,
/// π_ij = ρ_j·d_i·(0.8 + 0.4·v_ij) ≤ B_i (eq. (5) without the min{·, B}, which would
/// make the budget vacuous); bids are accepted greedily by v_ij descending, ties in
/// generation order (pending requests in arrival order, then resource index), subject
/// to the capacity left — the as-described allocation rule with a modular objective.
/// A served request pays π_ij once and holds d_i until its finish time. After the
/// round, each resource's price follows eq. (4) (`DynamicPriceRule`) with
/// util_j = held CPU / C_j.
///
/// v_ij is the common valuation (`CommonValuation`) with real priorities.
public struct LiveMarket: Sendable {
    /// The market's parameters.
    public var settings: LiveMarketSettings
    /// v_ij, with the request's real priority.
    public var valuation: CommonValuation
    /// Resources and the requests (in arrival order); `amount` = CPU request.
    public var instance: IoTInstance
    /// The trace's tasks, by request index.
    public var tasks: [LiveTask]
    /// Where the market stops (seconds): the latest event time in the trace parts.
    public var horizon: Double

    /// Resources drawn first, then each request's location, from CPython's `random` seeded with `seed`
    /// (the notebook's generator and order, spec §2.1).
    public init(trace: LiveTaskTrace, settings: LiveMarketSettings, weights: MOHAFWeights = .asRun,
                distanceScale: Double = 200, seed: Int) {
        self.settings = settings
        valuation = CommonValuation(weights: weights, distanceScale: distanceScale)
        tasks = trace.tasks
        horizon = trace.horizon
        var rng = PythonRandom(seed: seed)
        var resources: [IoTResource] = []
        for j in 0..<settings.resources {
            let c = rng.uniform(0.5, 1.0) * settings.capacityScale
            let cost = rng.uniform(0.3, 0.8)
            let x = rng.uniform(-100, 100), y = rng.uniform(-100, 100)
            let availability = rng.uniform(0.95, 1.0), reliability = rng.uniform(0.95, 1.0)
            let energy = rng.uniform(0.6, 0.9)
            resources.append(IoTResource(id: "resource_\(j)", type: .compute, capacity: c, costPerUnit: cost, x: x, y: y,
                                         availability: availability, reliability: reliability,
                                         energyEfficiency: energy, owner: "owner_\(j % 50)"))
        }
        var requests: [IoTRequest] = []
        requests.reserveCapacity(trace.tasks.count)
        for t in trace.tasks {
            let w = settings.willingnessMin + (settings.willingnessMax - settings.willingnessMin) * Double(t.priority) / 11
            let x = rng.uniform(-100, 100), y = rng.uniform(-100, 100)
            requests.append(IoTRequest(id: t.id, requester: t.requester, type: .compute, amount: t.cpu,
                                       budget: w * t.cpu, priority: t.priority, x: x, y: y))
        }
        instance = IoTInstance(resources: resources, requests: requests, requesterNames: trace.requesterNames)
    }

    enum Event { case release(Int), arrival(Int), round(Int) }
    static let releasePriority: Int16 = 0, arrivalPriority: Int16 = 1, roundPriority: Int16 = 2

    /// What an observer sees after every event: the clock and CPU/memory held per resource.
    public struct Snapshot {
        /// The clock (seconds).
        public let time: Double
        /// CPU held per resource.
        public let heldCPU: [Double]
        /// Memory held per resource.
        public let heldMemory: [Double]
        /// Requests served so far, in service order.
        public let served: [LiveAllocation]
        /// Time of the next queued event (nil when none): equal to `time` while the instant is not finished.
        public let nextEventTime: Double?
    }

    /// Runs the market to the horizon. `observe` (for tests) is called after every event.
    public func run(observe: ((Snapshot) -> Void)? = nil) -> LiveMarketReport {
        let m = instance.resources.count
        let rule = DynamicPriceRule(step: settings.dynamicPricing ? settings.priceStep : 0, target: settings.targetUtilisation,
                                    minimum: settings.minPrice, maximum: settings.maxPrice)
        var price = instance.resources.map { rule.project($0.costPerUnit) }
        var heldCPU = [Double](repeating: 0, count: m), heldMemory = heldCPU
        let capacity = instance.resources.map(\.capacity)
        let totalCapacity = capacity.reduce(0, +)
        var pending: [Int] = []
        var served: [LiveAllocation] = []
        var report = LiveMarketReport(requests: tasks.count, requesters: instance.requesterNames.count)
        var utilisationIntegral = 0.0, totalHeld = 0.0, lastTime = 0.0
        var priceLow = Double.infinity, priceHigh = -Double.infinity

        let sim = Simulation<Event>()
        if !tasks.isEmpty { sim.schedule(.arrival(0), at: tasks[0].arrival, priority: Self.arrivalPriority) }
        sim.schedule(.round(0), at: 0, priority: Self.roundPriority)
        sim.run { sim, event in
            utilisationIntegral += totalHeld * (sim.now - lastTime)
            lastTime = sim.now
            switch event {
            case .release(let k):
                let a = served[k], d = tasks[a.request]
                heldCPU[a.resource] -= d.cpu
                heldMemory[a.resource] -= d.memory
                totalHeld -= d.cpu
                // Exact zero when nothing is held, so rounding cannot accumulate across a run.
                if heldCPU[a.resource] < 1e-12 { heldCPU[a.resource] = max(0, heldCPU[a.resource]) }
                report.releases += 1
            case .arrival(let i):
                pending.append(i)
                if i + 1 < tasks.count { sim.schedule(.arrival(i + 1), at: tasks[i + 1].arrival, priority: Self.arrivalPriority) }
            case .round(let k):
                let t = sim.now
                // 1. Expiry: the trace task is over, or patience ran out.
                var kept: [Int] = []
                kept.reserveCapacity(pending.count)
                var expired = 0
                for i in pending {
                    if tasks[i].finish <= t || tasks[i].arrival + settings.patience < t { expired += 1 } else { kept.append(i) }
                }
                pending = kept
                // 2. Bids: feasible and affordable pairs, generation order = (pending position, resource).
                var entries: [StableDescendingOrder.Entry] = []
                var pairs: [(Int32, Int32)] = []
                for (position, i) in pending.enumerated() {
                    let task = tasks[i], budget = instance.requests[i].budget
                    for j in 0..<m where heldCPU[j] + task.cpu <= capacity[j] && heldMemory[j] + task.memory <= capacity[j] {
                        let v = valuation.value(instance, request: i, resource: j)
                        let pi = price[j] * task.cpu * (0.8 + 0.4 * v)
                        guard pi <= budget else { continue }
                        entries.append(StableDescendingOrder.Entry(descending: v, index: Int32(pairs.count)))
                        pairs.append((Int32(position), Int32(j)))
                    }
                }
                StableDescendingOrder.sort(&entries)
                // 3. Greedy acceptance under the capacity left.
                var done = [Bool](repeating: false, count: pending.count)
                var servedNow = 0
                for e in entries {
                    let (position, j32) = pairs[Int(e.index)]
                    let p = Int(position), j = Int(j32), i = pending[p]
                    guard !done[p] else { continue }
                    let task = tasks[i]
                    guard heldCPU[j] + task.cpu <= capacity[j], heldMemory[j] + task.memory <= capacity[j] else { continue }
                    let v = valuation.value(instance, request: i, resource: j)
                    done[p] = true
                    servedNow += 1
                    heldCPU[j] += task.cpu
                    heldMemory[j] += task.memory
                    totalHeld += task.cpu
                    served.append(LiveAllocation(request: i, resource: j, time: t, price: price[j] * task.cpu * (0.8 + 0.4 * v), value: v))
                    if task.finish.isFinite { sim.schedule(.release(served.count - 1), at: task.finish, priority: Self.releasePriority) }
                }
                pending = pending.indices.filter { !done[$0] }.map { pending[$0] }
                // 4. Series row (price used in this round, utilisation after it), then eq. (4).
                var utilisations = [Double](repeating: 0, count: m)
                for j in 0..<m { utilisations[j] = heldCPU[j] / capacity[j] }
                report.rounds.append(LiveRound(round: k, time: t, pending: pending.count, served: servedNow, expired: expired,
                                               bids: entries.count, utilisation: totalCapacity > 0 ? totalHeld / totalCapacity : 0,
                                               prices: price, utilisations: utilisations))
                for j in 0..<m {
                    priceLow = min(priceLow, price[j]); priceHigh = max(priceHigh, price[j])
                    price[j] = rule.next(price: price[j], utilisation: utilisations[j])
                }
                report.expired += expired
                let next = t + settings.roundInterval
                if next <= horizon { sim.schedule(.round(k + 1), at: next, priority: Self.roundPriority) }
            }
            if let observe {
                observe(Snapshot(time: sim.now, heldCPU: heldCPU, heldMemory: heldMemory, served: served, nextEventTime: sim.nextEventTime))
            }
        }
        report.events = sim.eventsProcessed
        report.expired += pending.count
        report.allocations = served
        let end = max(horizon, lastTime)
        utilisationIntegral += totalHeld * (end - lastTime)
        report.meanUtilisation = end > 0 && totalCapacity > 0 ? utilisationIntegral / (end * totalCapacity) : 0
        report.priceMin = priceLow.isFinite ? priceLow : .nan
        report.priceMax = priceHigh.isFinite ? priceHigh : .nan
        var perRequester = [Double](repeating: 0, count: instance.requesterNames.count)
        for a in served {
            report.welfare += a.value
            report.revenue += a.price
            perRequester[tasks[a.request].requester] += a.value
        }
        report.jainPerRequester = JainIndex.compute(perRequester, domain: .perEntity)
        return report
    }
}

/// A served request: who, where, when, what it paid and its value v_ij.
public struct LiveAllocation: Sendable, Equatable {
    /// The request's index.
    public var request: Int
    /// The resource's index.
    public var resource: Int
    /// When it was served (seconds).
    public var time: Double
    /// π_ij, paid once.
    public var price: Double
    /// v_ij (common valuation).
    public var value: Double
}

/// One auction round of the series: prices in force during the round and utilisation after it.
public struct LiveRound: Sendable, Equatable {
    /// 0-based round number.
    public var round: Int
    /// The round's time, k·Δt (seconds).
    public var time: Double
    /// Requests pending after expiry, when bidding starts.
    public var pending: Int
    /// Requests served in the round.
    public var served: Int
    /// Requests dropped at the round's start (finished or out of patience).
    public var expired: Int
    /// Feasible, affordable bids in the round.
    public var bids: Int
    /// Σ held CPU / Σ C after the round.
    public var utilisation: Double
    /// ρ_j per resource in force during the round.
    public var prices: [Double]
    /// Held CPU / C_j per resource after the round.
    public var utilisations: [Double]
}

/// Summary and series of a live run.
public struct LiveMarketReport: Sendable {
    /// Requests in the trace.
    public var requests: Int
    /// Distinct requesters.
    public var requesters: Int
    /// Every round, in order.
    public var rounds: [LiveRound] = []
    /// Every served request, in service order.
    public var allocations: [LiveAllocation] = []
    /// Served tasks that reached their finish time and freed their resources.
    public var releases = 0
    /// Requests never served (dropped in a round, or still pending at the end).
    public var expired = 0
    /// Kernel events handled.
    public var events = 0
    /// Σ v_ij over served requests (common valuation).
    public var welfare = 0.0
    /// Σ π_ij paid.
    public var revenue = 0.0
    /// Time-weighted Σ held CPU / Σ C over [0, horizon].
    public var meanUtilisation = 0.0
    /// Lowest price seen after any round; NaN when no round ran.
    public var priceMin = 0.0
    /// Highest price seen after any round; NaN when no round ran.
    public var priceMax = 0.0
    /// Jain's index of each requester's Σ v, over every requester that submitted (unserved = 0).
    public var jainPerRequester = 0.0

    init(requests: Int, requesters: Int) { self.requests = requests; self.requesters = requesters }

    /// Served requests / requests; 0 without requests.
    public var servedFraction: Double { requests > 0 ? Double(allocations.count) / Double(requests) : 0 }

    /// `series.csv`: one row per (round, resource) plus a row `resource = all` with the totals.
    public static let seriesHeader = "mechanism,pricing,round,time,resource,price,utilisation,pending,served,expired,bids"

    /// `series.csv`'s rows for this run (header first).
    public func seriesCSV(mechanism: String, pricing: String, resourceIDs: [String]) -> String {
        var out = Self.seriesHeader + "\n"
        for r in rounds {
            let mean = r.prices.isEmpty ? 0 : r.prices.reduce(0, +) / Double(r.prices.count)
            out += "\(mechanism),\(pricing),\(r.round),\(NumberFormat.csv(r.time)),all,\(NumberFormat.csv(mean)),"
            out += "\(NumberFormat.csv(r.utilisation)),\(r.pending),\(r.served),\(r.expired),\(r.bids)\n"
            for j in r.prices.indices {
                out += "\(mechanism),\(pricing),\(r.round),\(NumberFormat.csv(r.time)),\(resourceIDs[j]),"
                out += "\(NumberFormat.csv(r.prices[j])),\(NumberFormat.csv(r.utilisations[j])),,,,\n"
            }
        }
        return out
    }
}
