import Foundation
import GavelCore
import GavelRTB
import GavelMatching

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
        Benchmark(name: "rtb", summary: "RLB: DP at T = 1000 (B for c0 = 1/2 and 1/32), replay of campaign 2997 per bidder, T = 100,000 mapping memory") {
            guard let data = DataDirectory.locate(environment: ProcessInfo.processInfo.environment, near: []) else {
                throw ExperimentError("bench rtb needs ../shared/data (or GAVEL_DATA) with rtb/rlb-dp/ipinyou-data/2997")
            }
            return try RTBBenchmarks.run(campaignFolder: data + "/rtb/rlb-dp/ipinyou-data/2997").map { f in
                .object([("benchmark", .string(f.name))] + f.details + [("unit", .string(f.unit)), ("value", .double(f.value))])
            }
        },
        Benchmark(name: "matching", summary: "stochastic matching: each algorithm on 10^6 arrivals of degree 10; budget LP with 100,000 variables on GLPK") {
            try MatchingThroughput.run().map { f in
                .object([("benchmark", .string(f.name))] + f.details + [("unit", .string(f.unit)), ("value", .double(f.value))])
            }
        },
    ]

    public static func named(_ name: String) -> Benchmark? { all.first { $0.name == name } }
}
