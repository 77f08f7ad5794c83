import Foundation
import Testing
@testable import GavelScenario
import GavelCore

/// Seeds by role and paired comparisons (issue 14).
@Suite("Common random numbers and paired comparisons")
struct CommonRandomNumbersTests {
    /// (mechanism, bidders, replicate) → run.
    static func byCell(_ plan: [PlannedRun]) -> [String: PlannedRun] {
        var out: [String: PlannedRun] = [:]
        for run in plan {
            guard case .int(let n)? = run.cell.parameters.first(where: { $0.0 == "bidders" })?.1 else { continue }
            out["\(run.cell.mechanism)/\(n)/\(run.replicate)"] = run
        }
        return out
    }

    @Test("Workload seeds are shared by the mechanisms of a configuration and replicate, and by nothing else")
    func workloadSeedsShared() throws {
        let plan = RunPlanner.plan(try load(Tiny.replacing(line: 5, with: "replications: 3")))
        let runs = Self.byCell(plan)
        for n in [2, 3] {
            for r in 0..<3 {
                let fp = try #require(runs["first_price/\(n)/\(r)"]), sp = try #require(runs["second_price/\(n)/\(r)"])
                #expect(fp.workloadSeed == sp.workloadSeed)
                #expect(fp.mechanismSeed != sp.mechanismSeed)
            }
        }
        // Different configurations or replicates: different workloads.
        let workloads = Set(plan.map(\.workloadSeed))
        #expect(workloads.count == 2 * 3)
    }

    @Test("common_random_numbers: false gives every run its own draws (workload seed = the run key's seed)")
    func independentDraws() throws {
        let shared = RunPlanner.plan(try load(Tiny.yaml))
        let own = RunPlanner.plan(try load(Tiny.appending("common_random_numbers: false")))
        #expect(own.allSatisfy { $0.workloadSeed == $0.mechanismSeed })
        #expect(Set(own.map(\.workloadSeed)).count == own.count)
        // The mechanism seeds (run keys) do not depend on the setting.
        #expect(own.map(\.mechanismSeed) == shared.map(\.mechanismSeed))
    }

    @Test("paper_seed: replicate 0's workload seed verbatim, later replicates their own")
    func paperSeed() throws {
        let plan = RunPlanner.plan(try load(Tiny.replacing(line: 5, with: "replications: 3") + "paper_seed: 42\n"))
        for run in plan {
            if run.replicate == 0 { #expect(run.workloadSeed == 42) } else { #expect(run.workloadSeed != 42) }
        }
        #expect(Set(plan.filter { $0.replicate > 0 }.map(\.workloadSeed)).count == 2 * 2)
    }

    @Test("Bad input: compare_to naming no mechanism of the scenario, common_random_numbers not a boolean")
    func badInput() throws {
        let e1 = try loadError(Tiny.appending("compare_to: vickrey"))
        #expect(e1.description == "s.yaml:9:13: field 'compare_to': 'vickrey' is not a mechanism of this scenario (expected one of: first_price, second_price)")
        let e2 = try loadError(Tiny.appending("common_random_numbers: maybe"))
        #expect(e2.location?.line == 9 && e2.field == "common_random_numbers")
        #expect(e2.description.contains("true or false"))
        let e3 = try loadError(Tiny.appending("paper_seed: -1"))
        #expect(e3.location?.line == 9 && e3.field == "paper_seed")
    }

    /// Records with hand-picked metrics: two configurations, three replicates, a baseline and one other arm.
    static func records(_ values: [(mechanism: String, bidders: Int, replicate: Int, revenue: Double)]) -> [RunRecord] {
        values.enumerated().map { i, v in
            RunRecord(run: PlannedRun(index: i, cell: RunCell(mechanism: v.mechanism, parameters: [("bidders", .int(Int64(v.bidders)))]),
                                      replicate: v.replicate, runKey: String(format: "%016x", i), workloadSeed: 0, mechanismSeed: 0),
                      outcome: RunOutcome(metrics: [("revenue", v.revenue)], events: 0), seconds: 0)
        }
    }

    @Test("comparisons.csv rows against hand arithmetic")
    func comparisonRowsByHand() throws {
        // Baseline a: 1, 2, 4; mechanism b: 2, 2, 7. Differences 1, 0, 3: mean 4/3,
        // s² = ((−1/3)² + (−4/3)² + (5/3)²)/2 = 7/3. s²_a = 7/3, s²_b = 25/3:
        // variance_reduction = (7/3 + 25/3) / (7/3) = 32/7.
        let rs = Self.records([
            ("a", 2, 0, 1), ("a", 2, 1, 2), ("a", 2, 2, 4),
            ("b", 2, 0, 2), ("b", 2, 1, 2), ("b", 2, 2, 7),
            ("a", 5, 0, 1), ("b", 5, 0, 1.5),   // one pair: no spread
        ])
        let rows = PairedComparisons.rows(records: rs, settings: .init())
        #expect(rows.count == 2)
        let r = rows[0]
        #expect(r.cell.mechanism == "b" && r.baseline == "a" && r.difference.count == 3)
        #expect(abs(r.difference.mean - 4.0 / 3) < 1e-15)
        #expect(abs(r.difference.variance - 7.0 / 3) < 1e-14)
        #expect(abs(try #require(r.varianceReduction) - 32.0 / 7) < 1e-13)
        #expect(rows[1].difference.count == 1 && rows[1].varianceReduction == nil)
        let csv = try #require(PairedComparisons.csv(records: rs, settings: .init()))
        let lines = csv.split(separator: "\n")
        #expect(lines[0] == "mechanism,bidders,baseline,metric,mean_difference,sd,ci95,pairs,variance_reduction")
        #expect(lines[2] == "b,5,a,revenue,0.5,,,1,")
        // compare_to: b makes a the mechanism compared, with the opposite differences.
        let flipped = PairedComparisons.rows(records: rs, settings: .init(baseline: "b"))
        #expect(flipped[0].cell.mechanism == "a" && abs(flipped[0].difference.mean + 4.0 / 3) < 1e-15)
        // One mechanism only: nothing to compare, no file.
        #expect(PairedComparisons.csv(records: Array(rs.prefix(3)), settings: .init()) == nil)
    }

    /// The quickstart itself (Scenarios/quickstart.yaml = the embedded one): first against second price.
    static let quickstart: Result<[PairedComparisons.Row], any Error> = Result {
        let s = try Scenario.load(text: EmbeddedScenarios.quickstart, file: "quickstart.yaml", directory: "/tmp")
        let records = try ScenarioRunner(scenario: s, jobs: 2).execute()
        return PairedComparisons.rows(records: records, settings: .init(s))
    }

    @Test("Quickstart: the paired 95% interval of the revenue difference covers 0 (revenue equivalence)", arguments: [2, 5, 10])
    func quickstartRevenueEquivalence(n: Int) throws {
        let rows = try Self.quickstart.get()
        let row = try #require(rows.first { $0.metric == "revenue" && $0.cell.parameters.first?.1 == .int(Int64(n)) })
        #expect(row.cell.mechanism == "second_price" && row.baseline == "first_price" && row.difference.count == 10)
        #expect(abs(row.difference.mean) <= row.difference.confidenceHalfWidth95,
                "n = \(n): \(row.difference.mean) ± \(row.difference.confidenceHalfWidth95)")
    }

    @Test("Quickstart: variance_reduction ≥ 1.5 on revenue at n = 10")
    func quickstartVarianceReduction() throws {
        let rows = try Self.quickstart.get()
        let row = try #require(rows.first { $0.metric == "revenue" && $0.cell.parameters.first?.1 == .int(10) })
        #expect(try #require(row.varianceReduction) >= 1.5)
    }

    /// Closed form of the variance reduction for one auction, n values iid U[0,1], all bidding:
    /// first price pays a·v(1) with a = (n−1)/n, second price v(2). With D = (n+1)²(n+2),
    /// Var v(1) = n/D, Var v(2) = 2(n−1)/D, Cov = (n−1)/D (uniform order statistics), so
    /// (Var X + Var Y) / Var(X − Y) = (n−1)(3n−1)/n ÷ (n−1)(n+1)/n = (3n−1)/(n+1). Run means
    /// of iid auctions keep the ratio. Without common random numbers it is 1.
    @Test("variance_reduction against its closed form (3n−1)/(n+1), and 1 without common random numbers",
          arguments: [(2, true), (10, true), (10, false)])
    func varianceReductionClosedForm(n: Int, common: Bool) throws {
        let replications = 3000
        let text = """
        schema_version: 1
        name: vr
        kind: single_item_auction
        seed: 3
        replications: \(replications)
        common_random_numbers: \(common)
        mechanisms: [first_price, second_price]
        bidders: [\(n)]
        auctions: 20
        """
        let s = try load(text)
        let rows = PairedComparisons.rows(records: try ScenarioRunner(scenario: s, jobs: 2).execute(), settings: .init(s))
        let row = try #require(rows.first { $0.metric == "revenue" })
        let vr = try #require(row.varianceReduction)
        let expected = common ? Double(3 * n - 1) / Double(n + 1) : 1
        // A ratio of two sample variances of R pairs: each log-variance has sd ≈ √(2/(R−1)); bound
        // the log-ratio's sd by their sum (whatever their correlation) and allow 4 of them.
        let tolerance = 4 * 2 * (2 / Double(replications - 1)).squareRoot()
        #expect(abs(log(vr / expected)) < tolerance, "variance_reduction \(vr), expected \(expected)")
    }
}

@Suite("Mechanism parameters and their patterns")
struct MechanismParameterPatternTests {
    @Test("`*` matches any characters, dots included; a plain name matches itself only", arguments: [
        ("mohaf.*", "mohaf.as_described.clusters", true), ("mohaf.*", "mohaf.", true), ("mohaf.*", "mohafx", false),
        ("markets.*.reserve", "markets.0.reserve", true), ("markets.*.reserve", "markets.12.reserve", true),
        ("markets.*.reserve", "markets.0.budget", false), ("markets.*.pacing*", "markets.1.pacing_interval", true),
        ("config", "config", true), ("config", "configs", false), ("*", "anything", true), ("a*b*c", "axxbyyc", true), ("a*b*c", "axxcyyb", false),
    ])
    func patterns(pattern: String, name: String, expected: Bool) {
        #expect(RunPlanner.matches(name, pattern: pattern) == expected)
    }
}
