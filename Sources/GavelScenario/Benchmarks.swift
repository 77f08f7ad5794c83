import Foundation
import GavelCore
import GavelRTB
import GavelIoT
import GavelMatching
import GavelInfoAcq
import GavelAdAuctions

/// Named in-process benchmarks for `gavel bench NAME`. Each prints one JSON
/// object per figure with at least `benchmark`, `unit` and `value`.
public struct Benchmark: Sendable {
    /// The `NAME` of `gavel bench NAME`.
    public let name: String
    /// One line for `gavel list`.
    public let summary: String
    /// Measures and returns the figures, one JSON object each.
    public let run: @Sendable () throws -> [JSONValue]
}

/// Every benchmark `gavel bench NAME` runs, in `gavel list` order.
public enum BenchmarkRegistry {
    /// The benchmarks, in `gavel list` order.
    public static let all: [Benchmark] = [
        Benchmark(name: "sweep", summary: "sweep machinery: overhead outside 10,000 short runs, and --jobs 2 speed-up on CPU-bound runs") {
            try SweepBenchmark.figures()
        },
        Benchmark(name: "kernel", summary: "hold model: N pending events, pop the earliest, push one at now + Exp(1); N = 10^3 and 10^5; best and median of 5") {
            HoldModel.Sampler.allCases.reversed().flatMap { sampler in [1_000, 100_000].map { pending in
                // Warm up once (page faults, caches), then 5 measurements of 2×10^7 hold operations:
                // on a shared virtual machine single runs vary by ±20%, so both the best and the median are reported.
                _ = HoldModel.measure(pending: pending, events: 1_000_000, sampler: sampler)
                let rates = (0..<5).map { _ in HoldModel.measure(pending: pending, events: 20_000_000, sampler: sampler).eventsPerSecond }.sorted()
                return .object([
                    ("benchmark", .string("kernel.hold")),
                    ("pending", .int(Int64(pending))),
                    ("exp_sampler", .string(sampler.rawValue)),
                    ("events", .int(20_000_000)),
                    ("repeats", .int(5)),
                    ("median", .double(rates[2].rounded())),
                    ("all", .array(rates.map { .double($0.rounded()) })),
                    ("unit", .string("events/s")),
                    ("value", .double(rates[4].rounded())),
                ])
            } }
        },
        Benchmark(name: "rtb", summary: "RLB: DP at T = 1000 (B for c0 = 1/2 and 1/32), replay of campaign 2997 per bidder, T = 100,000 mapping memory") {
            guard let data = DataDirectory.locate(environment: ProcessInfo.processInfo.environment, near: []) else {
                throw ExperimentError("bench rtb needs ../shared/data (or GAVEL_DATA) with rtb/rlb-dp/ipinyou-data/2997")
            }
            return try RTBBenchmarks.run(campaignFolder: data + "/rtb/rlb-dp/ipinyou-data/2997").map(\.json)
        },
        Benchmark(name: "mohaf", summary: "MOHAF as-run on the Table 1 instance (888 × 3,553) and baselines; scalability 10^3 × 10^2 to 10^6 × 10^5, with and without clustering") {
            guard let data = DataDirectory.locate(environment: ProcessInfo.processInfo.environment, near: []) else {
                throw ExperimentError("mohaf benchmark: trace data not found (set GAVEL_DATA or check out ../shared/data)")
            }
            return try MOHAFBenchmark.run(jobEvents: data + "/google-cluster/clusterdata-2011-2/job_events")
        },
        Benchmark(name: "matching", summary: "stochastic matching: each algorithm on 10^6 arrivals of degree 10; budget LP with 100,000 variables on GLPK") {
            try MatchingThroughput.run().map(\.json)
        },
        Benchmark(name: "lp", summary: "the 100,000-variable budget LP (and its p ~ U(0, 0.1) variant) on GLPK, each Clp method and HiGHS (scipy, when importable): times and ratios") {
            try LPBenchmarks.budgetLPRace().map(\.json)
        },
        Benchmark(name: "lp-bounds", summary: "matching LP bounds (budget, offline matching, configuration, stochastic configuration; column generation warm and cold, compact form) on z-graph n = m = 50, G_3 m = 100, 1000 × 1000; factor-revealing LP n = 1500; Clp and GLPK") {
            try LPBenchmarks.boundsSuite().map(\.json)
        },
        Benchmark(name: "infoacq", summary: "information acquisition: mechanism LP at 3 agents × 3 efforts × 3 signals × 3 states on GLPK; simulated rounds per second") {
            try InfoAcqBenchmarks.run().map(\.json)
        },
        Benchmark(name: "autobidding", summary: "autobidding: 10 pacing bidders under second price in auctions/s (10^6 auctions); the liquid-welfare LP for 10 campaigns × 10^5 auctions on Clp and GLPK") {
            try AutobidBenchmarks.run().map(\.json)
        },
        Benchmark(name: "aigc", summary: "AI-content position auctions: one MNL auction 50 × 20, K = 5 (allocation, + VCG); the kernel market 10 × 5 in queries/s") {
            try AdAuctionBenchmarks.run().map(\.json)
        },
    ]

    /// The benchmark called `name`, if any.
    public static func named(_ name: String) -> Benchmark? { all.first { $0.name == name } }
}
