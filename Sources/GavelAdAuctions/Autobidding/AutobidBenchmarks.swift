import Foundation
import GavelCore
import GavelLP

/// `gavel bench autobidding` (issue 17 targets: ≥ 10^6 auctions per second with 10 pacing
/// autobidders under second price on one core; the liquid-welfare LP for 10 campaigns × 10^5
/// auctions in under a minute). Release build; the market best and median of 5 timed runs.
public enum AutobidBenchmarks {
    /// A synthetic episode (the `synthetic` workload's generator, correlation 0.5, budget ratio 0.5).
    static func episode(advertisers n: Int, auctions t: Int, seed: UInt64) -> AutobidEpisodeData {
        var s = Xoshiro256StarStar(seed: seed).stream(named: "bench")
        let scale = (0..<n).map { _ in 0.5 + s.nextUnitDouble() }
        var values = Array(repeating: [Double](repeating: 0, count: t), count: n)
        for i in 0..<t {
            let common = s.nextUnitDouble()
            for a in 0..<n { values[a][i] = scale[a] * (0.5 * common + 0.5 * s.nextUnitDouble()) }
        }
        let budgets = values.map { 0.5 * $0.reduce(0, +) / Double(n) }
        return AutobidEpisodeData(values: values, outside: Array(repeating: 0, count: t), budgets: budgets, roiTargets: Array(repeating: nil, count: n))
    }

    /// Times episodes of the autobidding market and the liquid-welfare LP.
    /// - Returns: the figures.
    public static func run() throws -> [BenchmarkFigure] {
        var out: [BenchmarkFigure] = []
        let clock = ContinuousClock()
        let t = 1_000_000
        let data = episode(advertisers: 10, auctions: t, seed: 1)
        // Through the registry, as a scenario's run gets it (an existential opened once per episode).
        let format = try AutobidFormats.registry.resolve("second_price"), terms = AutobidAuctionTerms(clickFactors: [1])
        for (label, make) in [
            ("adaptive_pacing", { (a: Int) -> any Autobidder in AdaptivePacing(setup: data.setup(a)) }),
            ("pid_pacing", { (a: Int) -> any Autobidder in PIDPacing(setup: data.setup(a)) }),
        ] {
            var rates: [Double] = [], revenue = 0.0
            for _ in 0..<6 {
                var bidders: [any Autobidder] = (0..<10).map(make)
                let start = clock.now
                let e = try AutobidMarket.run(data, bidders: &bidders, format: format, terms: terms, controlInterval: 1000, bidderSeed: 1)
                rates.append(Double(t) / (clock.now - start).inSeconds)
                revenue = e.revenue
            }
            rates.removeFirst()   // warm-up
            FileHandle.standardError.write(Data("bench autobidding: \(label) \(rates.max()!) auctions/s\n".utf8))
            rates.sort(by: >)
            out.append(BenchmarkFigure(name: "autobidding.market", details: [
                ("bidders", .string("10 × \(label)")), ("mechanism", .string("second_price")), ("auctions", .int(Int64(t))),
                ("median_per_s", .double(rates[2])), ("revenue_checksum", .double(revenue)), ("target_per_s", .double(1e6)),
            ], unit: "auctions per second (best of 5)", value: rates[0]))
        }
        // The liquid-welfare LP: 10 campaigns × 10^5 auctions (10^6 + 10 columns), build and solve.
        let lpData = episode(advertisers: 10, auctions: 100_000, seed: 2)
        for choice in [LPSolverChoice.automatic, LPSolverChoice(backend: .glpk, method: .dual, timeLimit: .seconds(120))] {
            let start = clock.now
            var status = "optimal", value = Double.nan, solver = choice.resolved(rows: 0, columns: 0, nonzeros: 0).description
            do {
                let r = try LiquidWelfareLP.solve(lpData, clickFactors: [1], lp: choice)
                value = r.value; solver = r.solver.description
            } catch { status = "\(error)" }
            let t = (clock.now - start).inSeconds
            FileHandle.standardError.write(Data("bench autobidding: LP \(solver) \(t) s (\(status))\n".utf8))
            out.append(BenchmarkFigure(name: "autobidding.liquid_welfare_lp", details: [
                ("campaigns", .int(10)), ("auctions", .int(100_000)), ("solver", .string(solver)), ("status", .string(status)),
                ("optimum", .double(value)), ("target_s", .double(60)),
            ], unit: "s", value: t))
        }
        return out
    }
}
