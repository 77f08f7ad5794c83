import GavelCore
import GavelData

/// `gavel bench rtb`: the RLB dynamic programme, the replay per bidder, and the
/// memory of the large-scale (T = 100,000) mapping variants, on campaign 2997.
public enum RTBBenchmarks {
    public typealias Figure = BenchmarkFigure

    /// - Parameter campaignFolder: the folder holding `info.json` and `test.theta.txt`.
    public static func run(campaignFolder: String) throws -> [Figure] {
        let info = try CampaignInfo.read(path: campaignFolder + "/info.json")
        let log = try RLBReplayFile.readTheta(path: campaignFolder + "/test.theta.txt")
        let prices = MarketPriceDistribution(campaign: info)
        var figures: [Figure] = []
        let clock = ContinuousClock()

        // The DP at T = 1000 for the largest budget (c0 = 1/2) and the smallest.
        var valueFunctions: [Double: RLBValueFunction] = [:]
        for c0 in [0.5, 1.0 / 32] {
            let b = info.budget(c0: c0, episodeLength: 1000)
            let start = clock.now
            let v = RLBValueFunction(episodeLength: 1000, budget: b, maxBid: 300, prices: prices, averageCTR: info.averageCTR)
            let elapsed = (clock.now - start).inSeconds
            valueFunctions[c0] = v
            figures.append(Figure(name: "rtb.dp", details: [
                ("T", .int(1000)), ("B", .int(Int64(b))), ("c0", .double(c0)),
                ("memory_bytes", .int(Int64(v.memoryBytes))), ("terms", .int(Int64(v.termCount))),
                ("monotone_rows", .int(Int64(v.rowIsMonotone.filter { $0 }.count))),
            ], unit: "s", value: elapsed))
        }

        // Replay of the whole log, per bidder, at the largest budget (the DP table is
        // 252 MB there, so DP bidders wait on memory) and the smallest (15.8 MB).
        for c0 in [0.5, 1.0 / 32] {
            let b = info.budget(c0: c0, episodeLength: 1000)
            let replay = ExchangeReplay(log: log, episodeLength: 1000, budget: b)
            let v = valueFunctions[c0]!
            let bidders: [BidStrategy] = [.constant(80), .random(upper: 160), .mcpc(costPerClick: info.costPerClick),
                                          .linear(b0: 130, averageCTR: info.averageCTR), .ssMDP(v), .rlb(v)]
            for strategy in bidders {
                _ = replay.run(strategy)   // warm-up
                // Best and median of 5 (a shared virtual machine varies run to run, most for the memory-bound DP bidders).
                var rates: [Double] = [], events = 0
                for _ in 0..<5 {
                    let start = clock.now
                    events = replay.run(strategy).events
                    rates.append(Double(log.count) / (clock.now - start).inSeconds)
                }
                rates.sort()
                figures.append(Figure(name: "rtb.replay", details: [
                    ("bidder", .string(strategy.name)), ("auctions", .int(Int64(log.count))), ("c0", .double(c0)),
                    ("kernel_events", .int(Int64(events))), ("repeats", .int(5)), ("median", .double(rates[2].rounded())),
                ], unit: "auctions/s", value: rates[4].rounded()))
            }
        }

        // Large scale: T = 100,000 through MapD / MapA over an exact table at T0.
        for mapping in [LargeScaleRLB.Mapping.mapD, .mapA] {
            let start = clock.now
            let large = LargeScaleRLB(episodeLength: 100_000, c0: 0.5, campaign: info, mapping: mapping)
            let elapsed = (clock.now - start).inSeconds
            figures.append(Figure(name: "rtb.large_scale_memory", details: [
                ("mapping", .string(mapping.rawValue)), ("T", .int(100_000)), ("T0", .int(Int64(large.anchorLength))),
                ("B", .int(Int64(large.budget))), ("B_bound", .int(Int64(large.anchorBudget))),
                ("full_table_bytes", .int(Int64(100_000) * Int64(large.budget + 1) * 8)),
                ("build_seconds", .double(elapsed)),
            ], unit: "bytes", value: Double(large.memoryBytes)))
        }
        return figures
    }
}
