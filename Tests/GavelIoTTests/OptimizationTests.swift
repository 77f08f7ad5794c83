import GavelCore
import GavelLP
import Testing
@testable import GavelIoT

/// Random small instances for property tests (seeded; deterministic).
func randomInstance(seed: UInt64, resources m: Int, requests n: Int, requesters: Int, demandLevels: [Double],
                    qos: Bool) -> IoTInstance {
    var g = Xoshiro256StarStar(seed: seed).stream(named: "instance")
    func u(_ a: Double, _ b: Double) -> Double { a + (b - a) * g.nextUnitDouble() }
    let types: [IoTResourceType] = [.compute, .storage]
    let res = (0..<m).map { j in
        IoTResource(id: "r\(j)", type: types[Int(g.next() % 2)], capacity: u(0.5, 1.5), costPerUnit: u(0.3, 0.8),
                    x: u(-50, 50), y: u(-50, 50), availability: u(0.9, 1), reliability: u(0.9, 1),
                    energyEfficiency: u(0.5, 0.9), owner: "o\(j)")
    }
    let req = (0..<n).map { i in
        let d = demandLevels[Int(g.next() % UInt64(demandLevels.count))]
        return IoTRequest(id: "q\(i)", requester: Int(g.next() % UInt64(requesters)), type: types[Int(g.next() % 2)],
                          amount: d, budget: u(0.2, 2), priority: Int(g.next() % 11), x: u(-50, 50), y: u(-50, 50),
                          qos: qos ? QoSRequirement(minReliability: u(0.85, 0.97), minAvailability: u(0.85, 0.97), maxLatency: u(40, 120)) : nil)
    }
    return IoTInstance(resources: res, requests: req, requesterNames: (0..<requesters).map { "u\($0)" })
}

@Suite struct OptimalAssignmentTests {
    /// The Hungarian optimum equals GLPK's MIP optimum of the one-to-one assignment.
    @Test(arguments: 0..<40)
    func hungarianMatchesTheMIP(seed: Int) throws {
        let inst = randomInstance(seed: UInt64(seed), resources: 2 + seed % 5, requests: 3 + seed % 7, requesters: 3,
                                  demandLevels: [0, 0.3, 0.6, 0.9, 1.2], qos: false)
        let valuation = CommonValuation(weights: .paper, distanceScale: 100)
        let value: (Int, Int) -> Double? = { i, j in inst.compatible(request: i, resource: j) ? valuation.value(inst, request: i, resource: j) : nil }
        let h = OptimalAssignment.solve(requests: inst.requests.count, resources: inst.resources.count, value: value)
        var lp = LinearProgram(direction: .maximize)
        var rows = [[(LPVariable, Double)]](repeating: [], count: inst.requests.count)
        var cols = [[(LPVariable, Double)]](repeating: [], count: inst.resources.count)
        for i in inst.requests.indices { for j in inst.resources.indices { if let v = value(i, j) {
            let x = lp.addVariable(lower: 0, upper: 1, objective: v, kind: .binary)
            rows[i].append((x, 1)); cols[j].append((x, 1))
        } } }
        for t in rows + cols where !t.isEmpty { lp.addConstraint(t, .lessOrEqual(1)) }
        let s = try GLPKSolver().solve(lp)
        #expect(s.status == .optimal)
        #expect(abs(h.value - (s.objectiveValue ?? .nan)) <= 1e-9 * max(1, h.value))
        // The reported pairs are a valid assignment worth the reported value.
        #expect(Set(h.pairs.map(\.request)).count == h.pairs.count && Set(h.pairs.map(\.resource)).count == h.pairs.count)
        #expect(h.pairs.allSatisfy { value($0.request, $0.resource) != nil })
    }

    @Test func stableDescendingOrderMatchesAStableSort() {
        var g = Xoshiro256StarStar(seed: 9).stream(named: "keys")
        let keys = (0..<5000).map { _ in [0.0, -0.0, 1.5, -2.25, 1e-300, -1e300][Int(g.next() % 6)] * (g.next() % 3 == 0 ? 1 : g.nextUnitDouble()) }
        let expected = keys.indices.sorted { a, b in keys[a] > keys[b] || (keys[a] == keys[b] && a < b) }.map { Int32($0) }
        #expect(StableDescendingOrder.indices(of: keys) == expected)
        #expect(StableDescendingOrder.indices(of: []) == [])
    }

    /// The 4-ary heap pops in (gain descending, index ascending) order under any mix of
    /// pushes and pops, with many equal gains; heapify gives the same order.
    @Test func gainHeapPopsInOrder() {
        var g = Xoshiro256StarStar(seed: 12).stream(named: "heap")
        var heap = MaxGainHeap()
        var reference: [(gain: Double, index: Int32)] = []
        var next: Int32 = 0
        for step in 0..<20_000 {
            if g.next() % 3 != 0 || reference.isEmpty {
                let gain = Double(g.next() % 50) / 7
                heap.push(gain: gain, index: next); reference.append((gain, next)); next += 1
            } else {
                reference.sort { MaxGainHeap.precedes($0, $1) }
                let expected = reference.removeFirst()
                let popped = heap.pop()
                #expect(popped?.gain == expected.gain && popped?.index == expected.index, "step \(step)")
            }
        }
        var built = MaxGainHeap(reference)
        reference.sort { MaxGainHeap.precedes($0, $1) }
        for expected in reference {
            let popped = built.pop()
            #expect(popped?.gain == expected.gain && popped?.index == expected.index)
        }
        #expect(built.pop() == nil && built.isEmpty)
    }

    /// The on-demand order equals the full sort, entry for entry, on keys with many ties,
    /// a narrow range (a few buckets) and a wide one, one key, and none.
    @Test(arguments: [0, 1, 2, 3])
    func lazyOrderEqualsTheFullSort(shape: Int) {
        var g = Xoshiro256StarStar(seed: 11).stream(named: "lazy-\(shape)")
        let n = shape == 3 ? 1 : 20_000
        let keys: [Double] = (0..<n).map { _ in
            switch shape {
            case 0: return [0.0, -0.0, 1.5, -2.25, 1e-300, -1e300][Int(g.next() % 6)] * (g.next() % 3 == 0 ? 1 : g.nextUnitDouble())
            case 1: return 0.5 + 1e-12 * Double(g.next() % 50)   // narrow: ties and nearby keys
            default: return g.nextUnitDouble() * 1e6 - 5e5
            }
        }
        let entries = keys.enumerated().map { StableDescendingOrder.Entry(descending: $0.element, index: Int32($0.offset)) }
        var full = entries
        StableDescendingOrder.sort(&full)
        var lazy = StableDescendingOrder.Lazy(entries)
        var produced: [Int32] = []
        while let e = lazy.next() { produced.append(e.index) }
        #expect(produced == full.map(\.index))
        // Each entry gives its key back exactly (-0.0 as 0.0).
        #expect(entries.allSatisfy { $0.value.bitPattern == (keys[Int($0.index)] == 0 ? 0.0 : keys[Int($0.index)]).bitPattern })
        var empty = StableDescendingOrder.Lazy([])
        #expect(empty.next() == nil)
    }
}

@Suite struct AsDescribedTests {
    static let mechanism = MOHAFAsDescribed(valuation: CommonValuation(weights: .paper, distanceScale: 100))

    /// Lazy greedy is within its stated guarantee 1/(p+1) of GLPK's exact MIP
    /// optimum on 120 random instances (shared capacity, QoS, budgets, 1–4 requesters).
    @Test func lazyGreedyIsWithinItsGuaranteeOfTheMIPOptimum() throws {
        var worst = Double.infinity
        var checked = 0
        for seed in 0..<120 {
            let inst = randomInstance(seed: UInt64(1000 + seed), resources: 2 + seed % 3, requests: 4 + seed % 6,
                                      requesters: 1 + seed % 4, demandLevels: [0, 0.2, 0.35, 0.5, 0.8], qos: seed % 2 == 0)
            let els = Self.mechanism.elements(inst)
            let greedy = Self.mechanism.greedy(els, instance: inst)
            let exact = try AsDescribedOptimum.solve(Self.mechanism, elements: els, instance: inst)
            // Greedy's accumulated gains equal F of its set; the set is feasible.
            #expect(abs(greedy.objective - Self.mechanism.objective(greedy.chosen, instance: inst)) <= 1e-9)
            var load = [Double](repeating: 0, count: inst.resources.count)
            for e in greedy.chosen { load[Int(e.resource)] += inst.requests[Int(e.request)].amount }
            #expect(zip(load, inst.resources).allSatisfy { $0 <= $1.capacity + 1e-12 })
            #expect(Set(greedy.chosen.map(\.request)).count == greedy.chosen.count)
            #expect(greedy.objective <= exact.value + 1e-7)
            #expect(greedy.objective >= greedy.guarantee * exact.value - 1e-9, "seed \(seed): \(greedy.objective) vs \(exact.value), guarantee \(greedy.guarantee)")
            if exact.value > 0 { worst = min(worst, greedy.objective / exact.value); checked += 1 }
        }
        #expect(checked >= 100)
        #expect(worst > 0)
    }

    /// Auctions inside clusters (`runInClusters`: one greedy per cluster on a shared state) are
    /// within the same 1/(p+1) of GLPK's MIP optimum over the same cluster-restricted pairs, on
    /// 120 random instances with 2–4 random clusters (some without resources), QoS and 1–4
    /// requesters whose requests span clusters (so the fairness term couples them).
    @Test func clusterAuctionsAreWithinTheGuarantee() throws {
        var checked = 0, differsFromJoint = 0
        for seed in 0..<120 {
            let inst = randomInstance(seed: UInt64(5000 + seed), resources: 3 + seed % 4, requests: 5 + seed % 6,
                                      requesters: 1 + seed % 4, demandLevels: [0, 0.2, 0.35, 0.5, 0.8], qos: seed % 2 == 0)
            var g = Xoshiro256StarStar(seed: UInt64(seed)).stream(named: "labels")
            let k = 2 + seed % 3
            let resourceCluster = inst.resources.indices.map { _ in Int(g.next() % UInt64(k)) }
            let requestCluster = inst.requests.indices.map { _ in Int(g.next() % UInt64(k + 1)) }   // label k: no resources
            let members = PartitionLabels.members(of: resourceCluster, clusters: k + 1)
            let restricted = Self.mechanism.elements(inst, resourcesOf: { members[requestCluster[$0]] })
            let (result, separate) = Self.mechanism.runInClusters(inst, resourceCluster: resourceCluster, requestCluster: requestCluster)
            let exact = try AsDescribedOptimum.solve(Self.mechanism, elements: restricted, instance: inst)
            #expect(result.bids == restricted.count)
            #expect(abs(separate.objective - Self.mechanism.objective(separate.chosen, instance: inst)) <= 1e-9)
            #expect(separate.chosen.allSatisfy { resourceCluster[Int($0.resource)] == requestCluster[Int($0.request)] })
            var load = [Double](repeating: 0, count: inst.resources.count)
            for e in separate.chosen { load[Int(e.resource)] += inst.requests[Int(e.request)].amount }
            #expect(zip(load, inst.resources).allSatisfy { $0 <= $1.capacity + 1e-12 })
            #expect(Set(separate.chosen.map(\.request)).count == separate.chosen.count)
            #expect(separate.guarantee == 1 / Double(MOHAFAsDescribed.extendibility(restricted, instance: inst) + 1))
            #expect(separate.objective <= exact.value + 1e-7)
            #expect(separate.objective >= separate.guarantee * exact.value - 1e-9, "seed \(seed): \(separate.objective) vs \(exact.value)")
            if exact.value > 0 { checked += 1 }
            let joint = Self.mechanism.greedy(restricted, instance: inst)
            if abs(joint.objective - separate.objective) > 1e-12 { differsFromJoint += 1 }
        }
        #expect(checked >= 100)
        #expect(differsFromJoint > 0)   // the instances do exercise the difference between the two auctions
    }

    /// With one cluster holding everything, the cluster auction is the joint greedy, choice for choice.
    @Test(arguments: 0..<10)
    func oneClusterIsTheJointGreedy(seed: Int) {
        let inst = randomInstance(seed: UInt64(seed), resources: 5, requests: 14, requesters: 3, demandLevels: [0.1, 0.3, 0.5], qos: seed % 2 == 0)
        let joint = Self.mechanism.greedy(Self.mechanism.elements(inst), instance: inst)
        let (_, one) = Self.mechanism.runInClusters(inst, resourceCluster: inst.resources.map { _ in 0 }, requestCluster: inst.requests.map { _ in 0 })
        #expect(one.chosen.map { "\($0.request)-\($0.resource)" } == joint.chosen.map { "\($0.request)-\($0.resource)" })
        #expect(one.objective.bitPattern == joint.objective.bitPattern && one.gainEvaluations == joint.gainEvaluations)
    }

    /// Lazy evaluation selects exactly what plain greedy (recompute every gain, pick
    /// the largest, lowest index on ties) selects.
    @Test(arguments: 0..<20)
    func lazyEqualsPlainGreedy(seed: Int) {
        let inst = randomInstance(seed: UInt64(seed), resources: 4, requests: 12, requesters: 3, demandLevels: [0.1, 0.3, 0.5], qos: false)
        let m = Self.mechanism
        let els = m.elements(inst)
        var chosen: [Int] = []
        var taken = Set<Int>()
        while true {
            var best = -1, bestGain = 0.0
            let current = chosen.map { els[$0] }
            let f0 = m.objective(current, instance: inst)
            for (k, e) in els.enumerated() where !taken.contains(k) {
                let candidate = current + [e]
                guard Set(candidate.map(\.request)).count == candidate.count else { continue }
                let load = candidate.filter { $0.resource == e.resource }.reduce(0.0) { $0 + inst.requests[Int($1.request)].amount }
                guard load <= inst.resources[Int(e.resource)].capacity else { continue }
                let g = m.objective(candidate, instance: inst) - f0
                if g > bestGain + 1e-15 { best = k; bestGain = g }
            }
            if best < 0 { break }
            chosen.append(best); taken.insert(best)
        }
        let lazy = m.greedy(els, instance: inst)
        #expect(lazy.chosen.map { "\($0.request)-\($0.resource)" } == chosen.map { "\(els[$0].request)-\(els[$0].resource)" })
    }

    @Test func guaranteeFollowsTheDemandRatio() {
        let inst = randomInstance(seed: 5, resources: 3, requests: 8, requesters: 2, demandLevels: [0.25, 0.5], qos: false)
        let els = Self.mechanism.elements(inst)
        // ⌈0.5/0.25⌉ = 2 → p = 3 → 1/4 (when both levels meet on some resource).
        #expect(MOHAFAsDescribed.extendibility(els, instance: inst) <= 3)
        let equal = randomInstance(seed: 5, resources: 3, requests: 8, requesters: 2, demandLevels: [0.4], qos: false)
        #expect(MOHAFAsDescribed.extendibility(Self.mechanism.elements(equal), instance: equal) == 2)
    }

    @Test func clusteringIsDeterministicAndCoversEveryone() {
        let inst = randomInstance(seed: 3, resources: 30, requests: 90, requesters: 5, demandLevels: [0.2], qos: false)
        let a = LocationClustering(clusters: 4).assign(inst), b = LocationClustering(clusters: 4).assign(inst)
        #expect(a.resources == b.resources && a.requests == b.requests)
        #expect(Set(a.resources + a.requests) == Set(0..<4))
        // Clustering restricts pairs, so it can only lose objective against the unclustered greedy's optimum.
        let table = LocationClustering(clusters: 4).resourcesByRequest(inst)
        let clustered = Self.mechanism.run(inst, resourcesOf: { table[$0] })
        let flat = Self.mechanism.run(inst)
        #expect(clustered.0.bids < flat.0.bids)
    }
}
