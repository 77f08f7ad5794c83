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
        let d = ContinuousClock.now - start
        return Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18
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

        // Scalability: requests × resources from 10^3 × 10^2 upwards.
        if ProcessInfo.processInfo.environment["GAVEL_BENCH_QUICK"] != nil { return out }
        let sizes = [(1_000, 100), (10_000, 1_000), (100_000, 10_000), (1_000_000, 100_000)]
        for (n, m) in sizes {
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
            let clustering = LocationClustering(clusters: k, seed: 7, maxIterations: 10)
            if n * k <= 2_000_000_000 / 10 {
                var pairs = 0
                let t = seconds {
                    let table = clustering.resourcesByRequest(s)
                    let (r, _) = described.run(s, resourcesOf: { table[$0] })
                    pairs = r.bids
                }
                out.append(figure("mohaf.as_described.clustered.synthetic", fields + [("clusters", .int(Int64(k))), ("pairs", .int(Int64(pairs)))], seconds: t))
            } else {
                out.append(.object([("benchmark", .string("mohaf.as_described.clustered.synthetic")), ("requests", .int(Int64(n))),
                                    ("resources", .int(Int64(m))), ("skipped", .string("k-means cost N·K·iterations above 2×10^8 per round"))]))
            }
        }
        return out
    }
}
