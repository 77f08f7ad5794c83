import GavelCore

/// Named in-process benchmarks for `gavel bench NAME`. Each prints one JSON
/// object per figure with at least `benchmark`, `unit` and `value`.
public struct Benchmark: Sendable {
    public let name: String
    public let summary: String
    public let run: @Sendable () throws -> [JSONValue]
}

public enum BenchmarkRegistry {
    public static let all: [Benchmark] = [
        Benchmark(name: "kernel", summary: "hold model: N pending events, pop the earliest, push one at now + Exp(1); N = 10^3 and 10^5") {
            [1_000, 100_000].map { pending in
                // Warm up once (page faults, caches), then measure 2×10^7 hold operations.
                _ = HoldModel.measure(pending: pending, events: 1_000_000)
                let m = HoldModel.measure(pending: pending, events: 20_000_000)
                return .object([
                    ("benchmark", .string("kernel.hold")),
                    ("pending", .int(Int64(pending))),
                    ("events", .int(Int64(m.events))),
                    ("seconds", .double(m.seconds)),
                    ("unit", .string("events/s")),
                    ("value", .double(m.eventsPerSecond.rounded())),
                ])
            }
        },
    ]

    public static func named(_ name: String) -> Benchmark? { all.first { $0.name == name } }
}
