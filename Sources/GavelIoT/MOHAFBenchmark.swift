import Foundation
import GavelCore

/// `gavel bench mohaf`: as-run timings on the Table 1 instance (888 × 3,553)
/// and a scalability sweep on synthetic instances calibrated to it.
///
/// Times are the median of repeated runs (wall clock, excluding instance
/// construction); `peak_rss_mib` is the process's high-water resident set
/// (VmHWM) after the step, so it only ever grows across figures.
public enum MOHAFBenchmark {
    static func seconds(_ body: () throws -> Void) rethrows -> Double {
        let start = ContinuousClock.now
        try body()
        return (ContinuousClock.now - start).inSeconds
    }

    static func median(_ repeats: Int, _ body: () throws -> Void) rethrows -> Double {
        var t: [Double] = []
        for _ in 0..<repeats { t.append(try seconds(body)) }
        return t.sorted()[repeats / 2]
    }

    /// Peak resident memory of this process in MiB (Linux VmHWM; 0 where unavailable).
    static func peakMiB() -> Double {
        guard let text = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return 0 }
        for line in text.split(separator: "\n") where line.hasPrefix("VmHWM:") {
            let kb = line.split(separator: " ").compactMap { Double($0) }.first ?? 0
            return kb / 1024
        }
        return 0
    }

    /// Resets the high-water mark (Linux: writing 5 to /proc/self/clear_refs), so the next
    /// `peak_rss_mib` is the peak of what follows, not of the whole process so far.
    static func resetPeak() {
        guard let f = fopen("/proc/self/clear_refs", "w") else { return }
        fputs("5", f)
        fclose(f)
    }

    static func figure(_ name: String, _ fields: [(String, JSONValue)], seconds: Double) -> JSONValue {
        .object([("benchmark", .string(name))] + fields + [("unit", .string("s")), ("value", .double(seconds)),
                                                           ("peak_rss_mib", .double(peakMiB().rounded()))])
    }

    /// A synthetic instance calibrated to the Table 1 instance: resources as in
    /// notebook cell 4 (C ~ U(0.5,1), cost ~ U(0.3,0.8), locations in [−100,100]²,
    /// availability/reliability ~ U(0.95,1), energy ~ U(0.6,0.9)); demands
    /// class/3 with the trace's class frequencies 747/955/1123/728 of 3,553; p = 8; B = 20d + 40.
    public static func synthetic(requests n: Int, resources m: Int, seed: UInt64) -> IoTInstance {
        var g = Xoshiro256StarStar(seed: seed).stream(named: "mohaf-bench")
        func u(_ a: Double, _ b: Double) -> Double { a + (b - a) * g.nextUnitDouble() }
        let res = (0..<m).map { j in
            IoTResource(id: "resource_\(j)", type: .compute, capacity: u(0.5, 1), costPerUnit: u(0.3, 0.8), x: u(-100, 100), y: u(-100, 100),
                        availability: u(0.95, 1), reliability: u(0.95, 1), energyEfficiency: u(0.6, 0.9), owner: "owner_\(j % 50)")
        }
        let cumulative = [747.0, 1702.0, 2825.0, 3553.0].map { $0 / 3553 }
        let users = max(1, n / 8)
        let req = (0..<n).map { i -> IoTRequest in
            let r = g.nextUnitDouble()
            let c = cumulative.firstIndex { r < $0 } ?? 3
            let d = Double(c) / 3.0
            return IoTRequest(id: "job_\(i)", requester: Int(g.next() % UInt64(users)), type: .compute, amount: d,
                              budget: d * 20 + 40, priority: 8, x: u(-100, 100), y: u(-100, 100))
        }
        return IoTInstance(resources: res, requests: req, requesterNames: (0..<users).map { "user_\($0)" })
    }

    /// - Parameter jobEvents: the job_events folder of the trace (for the Table 1 instance).
    public static func run(jobEvents: String) throws -> [JSONValue] {
        var out: [JSONValue] = []
        // GAVEL_BENCH_MOHAF_SIZE=N: only the scalability figures of N requests (no trace needed).
        if onlySize != nil {
            return scalability(mohaf: MOHAFAsRun(weights: .asRun, version: .notebookCell4),
                               described: MOHAFAsDescribed(valuation: CommonValuation(weights: .asRun, distanceScale: 200)))
        }
        let built = try GoogleTraceInstance.build(jobEvents: jobEvents, seed: 42)
        let inst = built.instance
        let size: [(String, JSONValue)] = [("requests", .int(Int64(inst.requests.count))), ("resources", .int(Int64(inst.resources.count)))]
        let mohaf = MOHAFAsRun(weights: .asRun, version: .notebookCell4)
        _ = mohaf.run(inst)  // warm-up
        out.append(figure("mohaf.as_run.table1", size, seconds: median(7) { _ = mohaf.run(inst) }))
        // Its phases, to see where the time goes.
        var b = mohaf.bids(inst)
        out.append(figure("mohaf.as_run.table1.phase.bids", size, seconds: median(5) { b = mohaf.bids(inst) }))
        var order: [Int32] = []
        out.append(figure("mohaf.as_run.table1.phase.sort", size, seconds: median(5) { order = StableDescendingOrder.indices(of: b.utility) }))
        out.append(figure("mohaf.as_run.table1.phase.accept", size, seconds: median(5) {
            _ = OneToOneGreedy.accept(order: order, requestCount: inst.requests.count, resourceCount: inst.resources.count, bids: b)
        }))
        out.append(figure("first_price.as_run.table1", size, seconds: median(5) { var r = built.random; _ = FirstPriceAsRun.run(inst, random: &r) }))
        out.append(figure("greedy.as_run.table1", size, seconds: median(5) { _ = GreedyAsRun.run(inst) }))
        out.append(figure("random.as_run.table1", size, seconds: try median(5) {
            var r = built.random; FirstPriceAsRun.consumeDraws(inst, random: &r); _ = try RandomAsRun.run(inst, random: &r)
        }))
        let valuation = CommonValuation(weights: .asRun, distanceScale: 200)
        out.append(figure("optimal.hungarian.table1", size, seconds: median(1) {
            _ = OptimalAssignment.solve(requests: inst.requests.count, resources: inst.resources.count) { i, j in
                inst.compatible(request: i, resource: j) ? valuation.value(inst, request: i, resource: j) : nil
            }
        }))
        let described = MOHAFAsDescribed(valuation: valuation)
        if ProcessInfo.processInfo.environment["GAVEL_BENCH_QUICK"] != nil { return out }
        out.append(figure("mohaf.as_described.table1", size + [("clusters", .int(1))], seconds: median(3) { _ = described.run(inst) }))
        out += clusteringTradeOff(inst, described: described, valuation: valuation)

        // Scalability: requests × resources from 10^3 × 10^2 upwards.
        if ProcessInfo.processInfo.environment["GAVEL_BENCH_QUICK"] != nil { return out }
        return out + scalability(mohaf: mohaf, described: described)
    }

    static var onlySize: Int? { ProcessInfo.processInfo.environment["GAVEL_BENCH_MOHAF_SIZE"].flatMap { Int($0) } }

    static func scalability(mohaf: MOHAFAsRun, described: MOHAFAsDescribed) -> [JSONValue] {
        var out: [JSONValue] = []
        var sizes = [(1_000, 100), (10_000, 1_000), (100_000, 10_000), (1_000_000, 100_000)]
        if let only = onlySize { sizes = sizes.filter { $0.0 == only } }
        for (n, m) in sizes {
            resetPeak()
            let s = synthetic(requests: n, resources: m, seed: 7)
            let fields: [(String, JSONValue)] = [("requests", .int(Int64(n))), ("resources", .int(Int64(m)))]
            // Without clustering every mechanism scores all N·M pairs: run it while that is ≤ 10^7 pairs.
            if n * m <= 10_000_000 {
                out.append(figure("mohaf.as_run.synthetic", fields, seconds: median(1) { _ = mohaf.run(s) }))
                out.append(figure("greedy.as_run.synthetic", fields, seconds: median(1) { _ = GreedyAsRun.run(s) }))
                out.append(figure("mohaf.as_described.synthetic", fields + [("clusters", .int(1))], seconds: median(1) { _ = described.run(s) }))
            }
            // With clustering: K = M/20 clusters of about 20 resources, so pairs ≈ N·M/K = 20·N.
            let k = max(1, m / 20)
            // The balanced grid: partition and auction timed apart; peak memory of this size alone.
            resetPeak()
            let grid = GridPartition(cells: k)
            var table: [[Int]] = []
            let tPartition = seconds { table = grid.resourcesByRequest(s) }
            var elements: [MOHAFAsDescribed.Element] = []
            let tElements = seconds { elements = described.elements(s, resourcesOf: { table[$0] }) }
            table = []
            var allocated = 0, evaluations = 0, jointObjective = 0.0
            let tGreedy = seconds {
                let o = described.greedy(elements, instance: s)
                allocated = o.chosen.count
                evaluations = o.gainEvaluations
                jointObjective = o.objective
            }
            out.append(figure("mohaf.as_described.grid.synthetic", fields + [
                ("clusters", .int(Int64(k))), ("pairs", .int(Int64(elements.count))), ("allocations", .int(Int64(allocated))),
                ("gain_evaluations", .int(Int64(evaluations))), ("objective_f", .double(jointObjective)), ("cluster_auctions", .string("joint")), ("partition_s", .double(tPartition)),
                ("elements_s", .double(tElements)), ("greedy_s", .double(tGreedy)),
            ], seconds: tPartition + tElements + tGreedy))
            elements = []
            // The same grid, auctions inside cells (the default): labels, then one greedy per cell.
            resetPeak()
            var separate: (IoTAllocationResult, MOHAFAsDescribed.Outcome)? = nil
            var labels: (resources: [Int], requests: [Int]) = ([], [])
            let tLabels = seconds { labels = grid.assign(s) }
            let tSeparate = seconds { separate = described.runInClusters(s, resourceCluster: labels.resources, requestCluster: labels.requests) }
            out.append(figure("mohaf.as_described.grid_separate.synthetic", fields + [
                ("clusters", .int(Int64(k))), ("pairs", .int(Int64(separate!.0.bids))), ("allocations", .int(Int64(separate!.1.chosen.count))),
                ("gain_evaluations", .int(Int64(separate!.1.gainEvaluations))), ("objective_f", .double(separate!.1.objective)),
                ("joint_objective_f", .double(jointObjective)), ("partition_s", .double(tLabels)), ("auctions_s", .double(tSeparate)),
            ], seconds: tLabels + tSeparate))
            separate = nil
            let clustering = LocationClustering(clusters: k, seed: 7, maxIterations: 10)
            if n * k <= 2_000_000_000 / 10 {
                resetPeak()
                var pairs = 0
                let t = seconds {
                    let labels = clustering.assign(s)
                    let (r, _) = described.runInClusters(s, resourceCluster: labels.resources, requestCluster: labels.requests)
                    pairs = r.bids
                }
                out.append(figure("mohaf.as_described.clustered.synthetic", fields + [("clusters", .int(Int64(k))), ("pairs", .int(Int64(pairs))),
                                                                                       ("cluster_auctions", .string("separate"))], seconds: t))
            } else {
                out.append(.object([("benchmark", .string("mohaf.as_described.clustered.synthetic")), ("requests", .int(Int64(n))),
                                    ("resources", .int(Int64(m))), ("skipped", .string("k-means cost N·K·iterations above 2×10^8 per round"))]))
            }
        }
        return out
    }

    /// Clustering's cost and quality against K on the Table 1 instance: for k-means
    /// and the grid, time (partition + auction), F, welfare Σv and allocations; K = 1 is
    /// the unclustered auction. F and welfare are deterministic; only time varies.
    static func clusteringTradeOff(_ inst: IoTInstance, described: MOHAFAsDescribed, valuation: CommonValuation) -> [JSONValue] {
        var out: [JSONValue] = []
        let size: [(String, JSONValue)] = [("requests", .int(Int64(inst.requests.count))), ("resources", .int(Int64(inst.resources.count)))]
        var reference = Double.nan
        for method in ["kmeans", "grid"] {
            for k in [1, 2, 4, 8, 16, 32, 64, 128] {
                let partition: any ResourcePartition = method == "kmeans" ? LocationClustering(clusters: k, seed: 42) : GridPartition(cells: k)
                for auctions in k == 1 ? ["joint"] : ["joint", "separate"] {
                    var result: (IoTAllocationResult, MOHAFAsDescribed.Outcome)? = nil
                    let t = seconds {
                        if auctions == "separate" {
                            let labels = partition.assign(inst)
                            result = described.runInClusters(inst, resourceCluster: labels.resources, requestCluster: labels.requests)
                        } else {
                            let table = k > 1 ? partition.resourcesByRequest(inst) : nil
                            result = described.run(inst, resourcesOf: table.map { tab in { tab[$0] } })
                        }
                    }
                    let (r, o) = result!
                    if k == 1 && reference.isNaN { reference = o.objective }
                    let welfare = r.allocations.reduce(0.0) { $0 + valuation.value(inst, request: $1.request, resource: $1.resource) }
                    out.append(figure("mohaf.as_described.clustering.table1", size + [
                        ("partition", .string(method)), ("clusters", .int(Int64(k))), ("cluster_auctions", .string(auctions)),
                        ("pairs", .int(Int64(r.bids))), ("objective_f", .double(o.objective)), ("objective_ratio", .double(o.objective / reference)),
                        ("welfare", .double(welfare)), ("allocations", .int(Int64(r.allocations.count))),
                    ], seconds: t))
                }
            }
        }
        return out
    }
}
