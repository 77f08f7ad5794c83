import Testing
@testable import GavelCore

@Suite struct EventQueueTests {
    @Test func popsInTimeOrderWithTiesByPriorityThenSequence() {
        let q = EventQueue<String>()
        q.push("c", time: 2, priority: 0)
        q.push("a-late-seq", time: 1, priority: 0)
        q.push("b", time: 1, priority: 5)
        q.push("first-by-priority", time: 1, priority: -3)
        q.push("a-later-seq", time: 1, priority: 0)
        var order: [String] = []
        while let (_, e) = q.pop() { order.append(e) }
        #expect(order == ["first-by-priority", "a-late-seq", "a-later-seq", "b", "c"])
    }

    @Test func keyRoundTripsTimePrioritySequence() {
        for (t, p) in [(0.0, Int16(0)), (-3.5, Int16.min), (1e300, Int16.max), (-0.0, 7), (2.25, -1)] {
            let k = EventKey(time: t, priority: p, sequence: 12345)
            #expect(k.time == t)
            #expect(k.priority == p)
            #expect(k.sequence == 12345)
        }
        // Negative times sort before positive, −0 equals +0.
        #expect(EventKey(time: -1, priority: 0, sequence: 0) < EventKey(time: 0, priority: 0, sequence: 0))
        #expect(!(EventKey(time: -0.0, priority: 0, sequence: 1) < EventKey(time: 0.0, priority: 0, sequence: 0)))
    }

    /// The heap against a sort: 20,000 random pushes and interleaved pops.
    @Test(arguments: [1 as UInt64, 2, 3])
    func matchesSortedReference(seed: UInt64) {
        var rng = Xoshiro256StarStar(seed: seed)
        let q = EventQueue<Int>()
        var reference: [(t: Double, p: Int16, s: Int)] = []
        var popped: [Int] = []
        var expected: [Int] = []
        var seq = 0
        for _ in 0..<20_000 {
            if rng.next() % 3 != 0 || reference.isEmpty {
                // Coarse times so ties are common.
                let t = Double(rng.next() % 50)
                let p = Int16(Int(rng.next() % 3) - 1)
                q.push(seq, time: t, priority: p)
                reference.append((t, p, seq)); seq += 1
            } else {
                let i = reference.indices.min { a, b in
                    (reference[a].t, reference[a].p, reference[a].s) < (reference[b].t, reference[b].p, reference[b].s)
                }!
                expected.append(reference.remove(at: i).s)
                popped.append(q.pop()!.event)
            }
        }
        #expect(popped == expected)
        #expect(q.count == reference.count)
    }

    @Test func growsAndReleasesNonTrivialPayloads() {
        let q = EventQueue<[Int]>(capacity: 1)
        for i in 0..<1000 { q.push([i, i], time: Double(1000 - i)) }
        #expect(q.count == 1000)
        #expect(q.pop()?.event == [999, 999])
        #expect(q.firstKey?.time == 2)
    }
}

@Suite struct SimulationTests {
    @Test func runUntilTimeStopsBeforeLaterEventsAndAdvancesClock() {
        let sim = Simulation<Int>()
        for t in [1.0, 2.0, 3.0, 4.0] { sim.schedule(Int(t), at: t) }
        var seen: [Int] = []
        let handled = sim.run(until: 2.5) { _, e in seen.append(e) }
        #expect(handled == 2)
        #expect(seen == [1, 2])
        #expect(sim.now == 2.5)
        #expect(sim.pendingCount == 2)
        sim.run(.events(1)) { _, e in seen.append(e) }
        #expect(seen == [1, 2, 3])
        #expect(sim.now == 3)
        sim.run { _, e in seen.append(e) }
        #expect(seen == [1, 2, 3, 4])
        #expect(sim.eventsProcessed == 4)
    }

    @Test func handlersScheduleFollowUpsRelativeToNow() {
        let sim = Simulation<Int>()
        sim.schedule(0, at: 0)
        var times: [Double] = []
        sim.run { sim, n in
            times.append(sim.now)
            if n < 4 { sim.schedule(n + 1, after: 0.5) }
        }
        #expect(times == [0, 0.5, 1, 1.5, 2])
    }

    @Test func sameTimeEventsFireByPriorityThenSchedulingOrder() {
        let sim = Simulation<String>()
        sim.schedule("close", at: 1, priority: 1)
        sim.schedule("bid-1", at: 1)
        sim.schedule("bid-2", at: 1)
        var order: [String] = []
        sim.run { _, e in order.append(e) }
        #expect(order == ["bid-1", "bid-2", "close"])
    }

    @Test func holdModelKeepsQueueSizeAndAdvancesAtRateOne() {
        // With N pending events each rescheduled at now + Exp(1), the clock advances by
        // about events / N (a Poisson process of total rate N); check within 5%.
        let m = HoldModel.measure(pending: 100, events: 200_000, seed: 7)
        #expect(m.events == 200_000)
        #expect(abs(m.finalTime - 2000) < 100)
    }
}
