import Foundation
import GavelCore
import GavelScenario
import Testing
@testable import GavelIoT

/// A serial posted-price mechanism, truthful by construction when each requester has one request:
/// requests in index order (reports cannot change it) each take the cheapest available compatible
/// resource at cost·d if that is within the reported budget. A lower budget can only lose a
/// profitable resource, a smaller demand gets a worthless amount, a larger one fewer resources at
/// higher prices: the truthful reference of the auditor.
struct PostedPriceReference: IoTAllocationMechanism {
    let name: String
    var summary: String { "serial posted price (test reference)" }
    func allocate(_ market: IoTMarket) throws -> IoTMechanismOutcome {
        let inst = market.instance
        var used = [Bool](repeating: false, count: inst.resources.count)
        var out: [IoTAllocation] = []
        for (i, q) in inst.requests.enumerated() {
            var best: (j: Int, price: Double)?
            for j in inst.resources.indices where !used[j] && inst.compatible(request: i, resource: j) {
                let price = inst.resources[j].costPerUnit * q.amount
                if best.map({ price < $0.price }) ?? true { best = (j, price) }
            }
            guard let b = best, b.price <= q.budget else { continue }
            used[b.j] = true
            out.append(IoTAllocation(request: i, resource: b.j, price: b.price, amount: q.amount, utility: 0))
        }
        return IoTMechanismOutcome(IoTAllocationResult(allocations: out, maxPossibleUtility: Double(inst.requests.count), bids: 0))
    }
}

@Suite("IoT truthfulness auditor")
struct MisreportAuditTests {
    /// One compute resource (capacity 10, cost 1 per unit, perfect reliability, availability and
    /// energy, at the origin) and two requests at the origin, priority 5, of two requesters:
    /// request 0 wants 2 units with budget 5, request 1 wants 3 units with budget 8.
    static let market: IoTMarket = {
        let r = IoTResource(id: "r0", type: .compute, capacity: 10, costPerUnit: 1, x: 0, y: 0, availability: 1, reliability: 1,
                            energyEfficiency: 1, owner: "o")
        let q0 = IoTRequest(id: "q0", requester: 0, type: .compute, amount: 2, budget: 5, priority: 5, x: 0, y: 0)
        let q1 = IoTRequest(id: "q1", requester: 1, type: .compute, amount: 3, budget: 8, priority: 5, x: 0, y: 0)
        let inst = IoTInstance(resources: [r], requests: [q0, q1], requesterNames: ["a", "b"])
        return IoTMarket(instance: inst, valuation: CommonValuation(weights: .asRun, distanceScale: 200), mohaf: MOHAFSettings(),
                         notebookRandom: PythonRandom(seed: 42), mechanismSeed: 1)
    }()

    static func gain(_ m: any IoTAllocationMechanism) throws -> Double {
        try IoTMisreportAudit(requests: 2).maxGain(m, market: market)
    }

    /// Truthfully request 1 wins everywhere (budget order; higher cost·d; larger v as 1 − 3/8 > 1 − 2/5).
    /// Request 0 (worth 5) wins by overbidding its budget (greedy: past 8, paying 2: gain 3; optimal:
    /// past 16/3, paying 2: gain 3) or, in first price, by inflating its demand to 3 (a tie with
    /// request 1, won by index, paying 3: gain 2).
    @Test("Hand-computed gains of the baselines on a two-request market")
    func handComputedBaselines() throws {
        #expect(try Self.gain(GreedyBaseline()) == 3)
        #expect(try Self.gain(OptimalBaseline()) == 3)
        #expect(try Self.gain(FirstPriceBaseline()) == 2)
    }

    /// MOHAF as run: U = 0.3·u_cost + 0.75 here (u_qos = 1.5, energy 1, p/10 = 0.5), price =
    /// 2·0.992·(0.8 + 0.4·U). Request 1 has U = 0.9375, request 0 has 0.93; request 0 wins once
    /// u_cost = 1 − 2/B' > 0.625 (B' > 16/3), and the smallest such candidate budget is 1.25 × 5 =
    /// 6.25 (the others are multiples 0.25 apart, 8 ± 1e-6 and the price 2 ± 1e-6); a larger demand
    /// only raises the price, a smaller one is worthless.
    @Test("Hand-computed gain of MOHAF as run: the cheapest winning budget overbid")
    func handComputedMOHAF() throws {
        let uCost = 1 - 2 / 6.25
        let price = 2 * 0.992 * (0.8 + 0.4 * (0.3 * uCost + 0.75))
        #expect(abs(try Self.gain(MOHAFMechanism()) - (5 - price)) < 1e-12)
    }

    @Test("Utility: worth the true budget when the amount covers the true demand, less the price")
    func utility() {
        let inst = Self.market.instance
        let served = IoTAllocationResult(allocations: [IoTAllocation(request: 0, resource: 0, price: 1.5, amount: 2, utility: 0)], maxPossibleUtility: 2, bids: 0)
        let short = IoTAllocationResult(allocations: [IoTAllocation(request: 0, resource: 0, price: 1.5, amount: 1.9, utility: 0)], maxPossibleUtility: 2, bids: 0)
        #expect(IoTMisreportAudit.utility(of: 0, in: served, truth: inst) == 3.5)
        #expect(IoTMisreportAudit.utility(of: 0, in: short, truth: inst) == -1.5)
        #expect(IoTMisreportAudit.utility(of: 1, in: served, truth: inst) == 0)
    }

    /// The brute force below searches a grid of its own (budgets 0, 0.1, …, 12; demands 0.1, …, 6),
    /// not the auditor's candidates; on this market both find greedy's supremum 3 (budget > 8, demand 2).
    @Test("Greedy's gain agrees with a brute-force grid search")
    func bruteForceGreedy() throws {
        let truth = Self.market.instance
        let honest = IoTMisreportAudit.utility(of: 0, in: try GreedyBaseline().allocate(Self.market).result, truth: truth)
        var best = 0.0
        for b in 0...120 {
            for d in 1...60 {
                var inst = truth
                inst.requests[0].budget = Double(b) / 10
                inst.requests[0].amount = Double(d) / 10
                best = max(best, IoTMisreportAudit.utility(of: 0, in: GreedyAsRun.run(inst), truth: truth) - honest)
            }
        }
        #expect(best == 3)
        #expect(try Self.gain(GreedyBaseline()) == best)
    }

    @Test("The truthful posted-price reference shows no gain on the ablation instance, through the kind")
    func truthfulReference() throws {
        try IoTMechanisms.registry.register(PostedPriceReference(name: "posted_price_reference"))
        let text = """
        schema_version: 1
        name: iot-audit
        kind: iot_auction
        seed: 42
        workload:
          ablation_instance:
            resources: \(try IoTTestData.path("mohaf-ablation/ablation_synthetic_resources.csv"))
            requests: \(try IoTTestData.path("mohaf-ablation/ablation_synthetic_requests.csv"))
        mechanisms: [posted_price_reference, greedy]
        optimum: false
        audit_requests: 25
        """
        let x = try #require(try Scenario.load(text: text, file: "iot.yaml", directory: "/tmp").experiment as? IoTAuctionExperiment)
        let gains = try x.cells.map { cell in
            try #require(try x.run(cell, context: RunContext(seed: 42)).metrics.first { $0.0 == "max_gain_from_misreport" }?.1)
        }
        #expect(gains[0] <= 1e-9)
        #expect(gains[1] > 0)
    }

    @Test("audit_requests is refused with the live market")
    func liveRefused() throws {
        let text = """
        schema_version: 1
        name: iot-live-audit
        kind: iot_auction
        workload:
          google_live: {task_events: \(try IoTTestData.path("google-cluster/clusterdata-2011-2/task_events")), files: 1}
        mechanisms: [mohaf]
        audit_requests: 1
        """
        #expect { _ = try Scenario.load(text: text, file: "iot.yaml", directory: "/tmp") } throws: { "\($0)".contains("audit_requests") }
    }
}
