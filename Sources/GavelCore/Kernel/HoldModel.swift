/// The classic "hold" model for measuring event-queue speed (Vaucher & Duval
/// 1975; Jones 1986): keep N events pending; repeatedly handle the earliest and
/// schedule one new event at now + Exp(1). The queue size stays N, so the
/// figure isolates the cost of one pop + one push at that size.
public enum HoldModel {
    /// One timed hold run: its size, its event count and its wall-clock time.
    public struct Measurement: Sendable {
        /// Events kept in the queue throughout.
        public let pending: Int
        /// Hold operations (one pop and one push each) timed.
        public let events: Int
        /// Wall-clock seconds for the timed operations.
        public let seconds: Double
        /// Hold operations per wall-clock second.
        public var eventsPerSecond: Double { Double(events) / seconds }
        /// Final clock value, returned so the work cannot be optimised away.
        public let finalTime: Double
    }

    /// How the Exp(1) increments are drawn.
    public enum Sampler: String, Sendable, CaseIterable {
        /// −log(1 − U): one logarithm per event (`ExponentialDistribution`).
        case inversion
        /// Marsaglia–Tsang ziggurat: a logarithm in about 1% of events (`ZigguratExponential`).
        case ziggurat
    }

    /// Runs `events` hold operations with `pending` events in the queue.
    public static func measure(pending: Int, events: Int, seed: UInt64 = 1, sampler: Sampler = .ziggurat) -> Measurement {
        switch sampler {
        case .inversion: return measure(pending: pending, events: events, seed: seed, distribution: try! ExponentialDistribution(rate: 1))
        case .ziggurat: return measure(pending: pending, events: events, seed: seed, distribution: try! ZigguratExponential(rate: 1))
        }
    }

    static func measure<D: RandomDistribution>(pending: Int, events: Int, seed: UInt64, distribution exp1: D) -> Measurement
    where D.Value == Double {
        var rng = Xoshiro256StarStar(seed: seed).stream(named: "hold")
        let sim = Simulation<Int32>()
        sim.reserveCapacity(pending + 1)
        for i in 0..<pending {
            sim.schedule(Int32(truncatingIfNeeded: i), at: exp1.sample(using: &rng))
        }
        let clock = ContinuousClock()
        let start = clock.now
        sim.run(.events(events)) { sim, event in
            sim.schedule(event, after: exp1.sample(using: &rng))
        }
        let elapsed = clock.now - start
        let seconds = elapsed.inSeconds
        return Measurement(pending: pending, events: events, seconds: seconds, finalTime: sim.now)
    }
}

