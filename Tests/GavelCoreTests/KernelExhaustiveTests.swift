@testable import GavelCore
import Testing

/// The event queue and the kernel's deferred removal against a reference, on every short
/// sequence of operations (issue 18: the kernel's invariants, checked exhaustively on small cases).
///
/// The reference is a plain array of (time, priority, sequence, payload) kept unsorted; its
/// minimum is found by a linear scan with the documented order: time, then priority (lower
/// first), then scheduling order. Nothing of the heap's layout is shared with it.
@Suite("Kernel: push, pop, replaceFirst and deferred removal against a reference queue, exhaustively")
struct KernelExhaustiveTests {
    struct Entry { let time: Double; let priority: Int16; let sequence: Int; let payload: Int }

    static func referenceMinIndex(_ r: [Entry]) -> Int? {
        guard !r.isEmpty else { return nil }
        var best = 0
        for i in 1..<r.count {
            let a = r[i], b = r[best]
            if (a.time, a.priority, a.sequence) < (b.time, b.priority, b.sequence) { best = i }
        }
        return best
    }

    enum Op { case push(Double, Int16), pop, replace(Double, Int16) }
    static let ops: [Op] = [Op.pop] + [0.0, 1, 2].flatMap { t in [Int16(0), 1].flatMap { p in [Op.push(t, p), Op.replace(t, p)] } }

    /// Every sequence of up to 5 operations from 13 (push or replaceFirst at time 0, 1 or 2 with
    /// priority 0 or 1, or pop): 402,234 sequences. After each operation the heap's invariants
    /// hold, and each pop or replaceFirst returns the reference's minimum.
    @Test("EventQueue: every sequence of ≤ 5 operations (push, pop, replaceFirst) matches the reference")
    func queueMatchesReference() {
        var sequences = 0, operations = 0
        func run(_ prefix: [Int]) {
            let q = EventQueue<Int>()
            var reference: [Entry] = []
            var sequence = 0
            for (step, code) in prefix.enumerated() {
                switch Self.ops[code] {
                case .push(let t, let p):
                    q.push(step, time: t, priority: p)
                    reference.append(Entry(time: t, priority: p, sequence: sequence, payload: step)); sequence += 1
                case .pop:
                    let got = q.pop()
                    if let m = Self.referenceMinIndex(reference) {
                        let want = reference.remove(at: m)
                        #expect(got?.event == want.payload && got?.key.time == want.time && got?.key.priority == want.priority, "\(prefix)")
                    } else {
                        #expect(got == nil)
                    }
                case .replace(let t, let p):
                    guard let m = Self.referenceMinIndex(reference) else { continue }   // replaceFirst needs an event
                    let want = reference.remove(at: m)
                    let got = q.replaceFirst(with: step, time: t, priority: p)
                    #expect(got.removed == want.payload, "\(prefix)")
                    reference.append(Entry(time: t, priority: p, sequence: sequence, payload: step)); sequence += 1
                }
                operations += 1
                #expect(q.invariantViolation() == nil, "\(prefix): \(q.invariantViolation() ?? "")")
                #expect(q.count == reference.count)
            }
            sequences += 1
        }
        func extend(_ prefix: [Int]) {
            run(prefix)
            guard prefix.count < 5 else { return }
            for code in Self.ops.indices { extend(prefix + [code]) }
        }
        extend([])
        #expect(sequences == 1 + 13 + 169 + 2197 + 28561 + 371293)
        print("EventQueue exhaustive: \(sequences) sequences, \(operations) operations")
    }

    /// The kernel defers removing the event being handled, and a schedule made while handling it
    /// replaces it in one sift. Every program of up to 7 steps, each either "handle the next
    /// event" or "schedule at now + 0 or now + 1 with priority 0 or 1" (5^7 + … = 97,656 programs),
    /// fires events in the reference order, with the clock at each event's time.
    @Test("Simulation: every program of ≤ 7 steps (handle next, schedule at now + 0/1, priority 0/1) fires in the reference order")
    func simulationMatchesReference() {
        var programs = 0
        func run(_ program: [Int]) {
            let sim = Simulation<Int>()
            var reference: [Entry] = []
            var sequence = 0
            sim.schedule(-1, at: 0)
            reference.append(Entry(time: 0, priority: 0, sequence: sequence, payload: -1)); sequence += 1
            var now = 0.0
            for (step, code) in program.enumerated() {
                if code == 0 {
                    let got = sim.step()
                    if let m = Self.referenceMinIndex(reference) {
                        let want = reference.remove(at: m)
                        now = want.time
                        #expect(got == want.payload && sim.now == want.time, "\(program)")
                    } else {
                        #expect(got == nil, "\(program)")
                    }
                } else {
                    let delay = Double((code - 1) / 2), priority = Int16((code - 1) % 2)
                    sim.schedule(step, at: now + delay, priority: priority)
                    reference.append(Entry(time: now + delay, priority: priority, sequence: sequence, payload: step)); sequence += 1
                }
                #expect(sim.pendingCount == reference.count, "\(program)")
                #expect(sim.queue.invariantViolation() == nil)
            }
            programs += 1
        }
        func extend(_ program: [Int]) {
            run(program)
            guard program.count < 7 else { return }
            for code in 0..<5 { extend(program + [code]) }
        }
        extend([])
        #expect(programs == (0...7).reduce(0) { acc, k in acc + Self.pow5(k) })
        print("Simulation exhaustive: \(programs) programs")
    }

    static func pow5(_ k: Int) -> Int { (0..<k).reduce(1) { acc, _ in acc * 5 } }
}
