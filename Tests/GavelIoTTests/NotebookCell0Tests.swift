import Foundation
import GavelCore
import GavelScenario
import Testing
@testable import GavelIoT

/// Issue 20, item 6: the five synthetic scenarios of the authors' notebook cell 0 (before its
/// 40 × 25 ablation instance), with its six mechanisms. Every expected value below is typed from
/// the notebook's stored output: afrilab/MOHAF-Resource-Allocation, MOHAF.ipynb, cell 0, at
/// commit 2e0174d03ee46fbd5b3726f67c697401c550fa84 (shared/spec/mohaf.md §5, "Other outputs of
/// cell 0"). Strings are compared at the printed precision, so every printed digit is checked.
@Suite("Notebook cell 0: the five synthetic scenarios reproduced")
struct NotebookCell0Tests {
    /// The chain from random.seed(42), computed once.
    static let chain = NotebookCell0Chain.run(NotebookCell0Chain.notebookScenarios, seed: 42)

    /// Runs `mechanism` on scenario `k` of the chain as the kind does (the package's code).
    static func run(_ mechanism: any IoTAllocationMechanism, scenario k: Int) throws -> IoTMechanismOutcome {
        let link = chain.links[k]
        var market = IoTMarket(instance: link.instance, valuation: CommonValuation(weights: .asRun, distanceScale: 100),
                               mohaf: MOHAFSettings(mode: .package, weights: .asRun), notebookRandom: link.afterInstance, mechanismSeed: 0)
        market.notebookCode = .package
        return try mechanism.allocate(market)
    }

    static let mechanisms: [String: any IoTAllocationMechanism] = [
        "MOHAF": MOHAFMechanism(), "First-Price": FirstPriceBaseline(), "Vickrey": VickreyBaseline(),
        "Hungarian": HungarianBaseline(), "Greedy": GreedyBaseline(), "Random": RandomBaseline(),
    ]
    static let scenarioIndex = ["balanced": 0, "high_demand": 1, "low_resource": 2, "large_scale": 3, "small_scale": 4]

    /// (scenario, mechanism, efficiency, revenue, satisfaction, utilization, fairness) as cell 0
    /// prints them ("✅ Efficiency: 0.746", "💰 Revenue: $37514.22", …); nil values: the notebook
    /// printed "❌ Error running Hungarian Algorithm: cost matrix is infeasible".
    static let printed: [(String, String, String?, String?, String?, String?, String?)] = [
        ("balanced", "MOHAF", "0.746", "37514.22", "0.933", "0.560", "0.990"),
        ("balanced", "First-Price", "0.525", "42405.42", "1.000", "0.600", "0.919"),
        ("balanced", "Vickrey", "0.196", "13641.38", "0.233", "0.140", "0.998"),
        ("balanced", "Hungarian", "0.700", "30493.67", "1.000", "0.600", "1.000"),
        ("balanced", "Greedy", "0.641", "29370.31", "0.933", "0.560", "0.985"),
        ("balanced", "Random", "0.365", "31798.92", "0.933", "0.560", "0.929"),
        ("high_demand", "MOHAF", "0.694", "15376.85", "0.133", "0.200", "0.993"),
        ("high_demand", "First-Price", "0.080", "16667.52", "0.133", "0.200", "0.945"),
        ("high_demand", "Vickrey", "0.068", "7343.23", "0.083", "0.125", "0.999"),
        ("high_demand", "Hungarian", nil, nil, nil, nil, nil),
        ("high_demand", "Greedy", "0.080", "10286.67", "0.117", "0.175", "0.985"),
        ("high_demand", "Random", "0.053", "13921.17", "0.133", "0.200", "0.906"),
        ("low_resource", "MOHAF", "0.367", "2040.63", "0.150", "0.240", "0.986"),
        ("low_resource", "First-Price", "0.093", "2213.57", "0.150", "0.240", "0.974"),
        ("low_resource", "Vickrey", "0.082", "1135.57", "0.100", "0.160", "0.999"),
        ("low_resource", "Hungarian", nil, nil, nil, nil, nil),
        ("low_resource", "Greedy", "0.099", "2026.14", "0.150", "0.240", "0.984"),
        ("low_resource", "Random", "0.061", "1756.61", "0.150", "0.240", "0.884"),
        ("large_scale", "MOHAF", "0.671", "84268.73", "0.825", "0.660", "0.993"),
        ("large_scale", "First-Price", "0.486", "118727.37", "0.863", "0.690", "0.948"),
        ("large_scale", "Vickrey", "0.166", "32622.27", "0.200", "0.160", "0.999"),
        ("large_scale", "Hungarian", nil, nil, nil, nil, nil),
        ("large_scale", "Greedy", "0.567", "68957.85", "0.825", "0.660", "0.985"),
        ("large_scale", "Random", "0.302", "72690.48", "0.762", "0.610", "0.931"),
        ("small_scale", "MOHAF", "0.595", "20115.90", "0.800", "0.600", "0.984"),
        ("small_scale", "First-Price", "0.416", "15617.09", "0.733", "0.550", "0.948"),
        ("small_scale", "Vickrey", "0.329", "8623.49", "0.400", "0.300", "1.000"),
        ("small_scale", "Hungarian", nil, nil, nil, nil, nil),
        ("small_scale", "Greedy", "0.443", "10540.72", "0.667", "0.500", "0.987"),
        ("small_scale", "Random", "0.225", "9644.20", "0.600", "0.450", "0.914"),
    ]

    @Test("Every printed metric of every scenario and mechanism, to its printed digits", arguments: printed)
    func printedMetrics(row: (String, String, String?, String?, String?, String?, String?)) throws {
        let (scenario, name, efficiency, revenue, satisfaction, utilization, fairness) = row
        let k = try #require(Self.scenarioIndex[scenario])
        let outcome = try Self.run(try #require(Self.mechanisms[name]), scenario: k)
        guard let efficiency, let revenue, let satisfaction, let utilization, let fairness else {
            // The notebook caught scipy's ValueError and printed it: here a recorded failure.
            #expect(outcome.failure == "cost matrix is infeasible", "\(scenario) \(name)")
            #expect(outcome.result.allocations.isEmpty && outcome.metrics.first { $0.0 == "infeasible" }?.1 == 1)
            return
        }
        #expect(outcome.failure == nil, "\(scenario) \(name)")
        let inst = Self.chain.links[k].instance
        let m = PaperMetrics(outcome.result, requests: inst.requests.count, resources: inst.resources.count)
        #expect(String(format: "%.3f", m.allocationEfficiency) == efficiency, "\(scenario) \(name) efficiency")
        #expect(String(format: "%.2f", m.revenue) == revenue, "\(scenario) \(name) revenue")
        #expect(String(format: "%.3f", m.satisfactionRate) == satisfaction, "\(scenario) \(name) satisfaction")
        #expect(String(format: "%.3f", m.resourceUtilization) == utilization, "\(scenario) \(name) utilization")
        #expect(String(format: "%.3f", m.jainPerAllocation) == fairness, "\(scenario) \(name) fairness")
    }

    /// "💰 Generated N multi-objective bids" and "✅ Completed N allocations" of MOHAF per scenario,
    /// and the sizes of "🏭 Generating … scenario: M resources, N requests".
    @Test("MOHAF's printed bid and allocation counts, and the scenario sizes", arguments: [
        ("balanced", 50, 30, 296, 28), ("high_demand", 40, 60, 26, 8), ("low_resource", 25, 40, 25, 6),
        ("large_scale", 100, 80, 1420, 66), ("small_scale", 20, 15, 59, 12),
    ])
    func mohafCounts(scenario: String, resources: Int, requests: Int, bids: Int, allocations: Int) throws {
        let k = try #require(Self.scenarioIndex[scenario])
        let inst = Self.chain.links[k].instance
        #expect(inst.resources.count == resources && inst.requests.count == requests)
        let r = try Self.run(MOHAFMechanism(), scenario: k).result
        #expect(r.bids == bids)
        #expect(r.allocations.count == allocations)
    }

    /// "📋 SCENARIO SUMMARY": mechanisms by efficiency, descending (a stable sort over the
    /// notebook's mechanism order; a failed Hungarian counts 0, as the notebook filled it).
    @Test("Each scenario's printed ranking by efficiency", arguments: [
        ("balanced", ["MOHAF", "Hungarian", "Greedy", "First-Price", "Random", "Vickrey"]),
        ("high_demand", ["MOHAF", "Greedy", "First-Price", "Vickrey", "Random", "Hungarian"]),
        ("low_resource", ["MOHAF", "Greedy", "First-Price", "Vickrey", "Random", "Hungarian"]),
        ("large_scale", ["MOHAF", "Greedy", "First-Price", "Random", "Vickrey", "Hungarian"]),
        ("small_scale", ["MOHAF", "Greedy", "First-Price", "Vickrey", "Random", "Hungarian"]),
    ])
    func ranking(scenario: String, order: [String]) throws {
        let k = try #require(Self.scenarioIndex[scenario])
        let notebookOrder = ["MOHAF", "First-Price", "Vickrey", "Hungarian", "Greedy", "Random"]
        let efficiency = try notebookOrder.map { try Self.zeroFilled($0, scenario: k).efficiency }
        let ranked = notebookOrder.indices.sorted { efficiency[$0] > efficiency[$1] || (efficiency[$0] == efficiency[$1] && $0 < $1) }
        #expect(ranked.map { notebookOrder[$0] } == order)
    }

    /// A mechanism's metrics as the notebook's results table holds them: zeros for a failed run.
    static func zeroFilled(_ name: String, scenario k: Int) throws -> (efficiency: Double, satisfaction: Double, utilization: Double, fairness: Double) {
        let outcome = try run(try #require(mechanisms[name]), scenario: k)
        if outcome.failure != nil { return (0, 0, 0, 0) }
        let inst = chain.links[k].instance
        let m = PaperMetrics(outcome.result, requests: inst.requests.count, resources: inst.resources.count)
        return (m.allocationEfficiency, m.satisfactionRate, m.resourceUtilization, m.jainPerAllocation)
    }

    /// "🏆 OVERALL MECHANISM RANKING (Composite Score)": means over the five scenarios (failed runs
    /// as 0), score = 0.4·efficiency + 0.3·satisfaction + 0.2·utilization + 0.1·fairness; and
    /// "🚀 MOHAF PERFORMANCE IMPROVEMENTS" = (mean efficiency of MOHAF − of X) / of X, in %.
    @Test("The cross-scenario composite ranking and MOHAF's improvements, as printed", arguments: [
        ("MOHAF", "0.606", "0.614", "0.568", "0.452", nil),
        ("Greedy", "0.492", "0.366", "0.538", "0.427", "+67.9"),
        ("First-Price", "0.487", "0.320", "0.576", "0.456", "+91.9"),
        ("Random", "0.409", "0.201", "0.516", "0.412", "+205.6"),
        ("Vickrey", "0.264", "0.168", "0.203", "0.177", "+264.9"),
        ("Hungarian", "0.160", "0.140", "0.200", "0.120", "+338.9"),
    ] as [(String, String, String, String, String, String?)])
    func composite(name: String, score: String, efficiency: String, satisfaction: String, utilization: String, improvement: String?) throws {
        func means(_ n: String) throws -> (Double, Double, Double, Double) {
            let rows = try (0..<5).map { try Self.zeroFilled(n, scenario: $0) }
            return (rows.map(\.efficiency).reduce(0, +) / 5, rows.map(\.satisfaction).reduce(0, +) / 5,
                    rows.map(\.utilization).reduce(0, +) / 5, rows.map(\.fairness).reduce(0, +) / 5)
        }
        let (e, s, u, f) = try means(name)
        #expect(String(format: "%.3f", e * 0.4 + s * 0.3 + u * 0.2 + f * 0.1) == score, "\(name)")
        #expect(String(format: "%.3f", e) == efficiency && String(format: "%.3f", s) == satisfaction && String(format: "%.3f", u) == utilization, "\(name)")
        if let improvement {
            let mohaf = try means("MOHAF").0
            #expect(String(format: "%+.1f", (mohaf - e) / e * 100) == improvement, "\(name)")
        }
    }

    /// The strongest check of the chain: after the five scenarios and their mechanisms' draws, the
    /// same stream draws the 40 × 25 ablation instance, which the authors exported from the same
    /// notebook run (shared/data/mohaf-ablation). Every field is compared bit for bit.
    @Test("The chain then draws the ablation instance of Table 2, bit for bit")
    func ablationInstanceBitForBit() throws {
        let exported = try IoTTestData.ablation()
        let drawn = NotebookCell0Chain.ablationInstance()
        #expect(drawn.resources.count == 40 && drawn.requests.count == 25)
        #expect(drawn.resources.count == exported.resources.count && drawn.requests.count == exported.requests.count)
        for (a, b) in zip(drawn.resources, exported.resources) {
            #expect(a.id == b.id && a.type == b.type && a.owner == b.owner, "\(a.id)")
            let bits = [a.capacity, a.costPerUnit, a.x, a.y, a.availability, a.reliability, a.energyEfficiency].map(\.bitPattern)
            #expect(bits == [b.capacity, b.costPerUnit, b.x, b.y, b.availability, b.reliability, b.energyEfficiency].map(\.bitPattern), "\(a.id)")
        }
        for (a, b) in zip(drawn.requests, exported.requests) {
            #expect(a.id == b.id && a.type == b.type && a.priority == b.priority, "\(a.id)")
            #expect(drawn.requesterNames[a.requester] == exported.requesterNames[b.requester])
            let qa = try #require(a.qos), qb = try #require(b.qos)
            let bits = [a.amount, a.budget, a.x, a.y, qa.minReliability, qa.maxLatency, qa.minAvailability].map(\.bitPattern)
            #expect(bits == [b.amount, b.budget, b.x, b.y, qb.minReliability, qb.maxLatency, qb.minAvailability].map(\.bitPattern), "\(a.id)")
        }
    }

    /// Scenarios/mohaf-synthetic.yaml runs every mechanism on every scenario through the kind; a
    /// Hungarian failure is a recorded run (metric infeasible = 1, the paper's metrics NaN), not a throw.
    @Test("The committed scenario runs 5 × 6 cells; Hungarian's failure is recorded, not thrown")
    func scenarioFile() throws {
        let path = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Scenarios/mohaf-synthetic.yaml").path
        let x = try #require(try Scenario.load(path: path).experiment as? IoTAuctionExperiment)
        #expect(x.cells.count == 30)
        #expect(x.cells.prefix(6).map(\.mechanism) == ["mohaf", "first_price", "vickrey", "hungarian", "greedy", "random"])
        let context = RunContext(workloadSeed: 42, mechanismSeed: 1, replicate: 0)
        for cell in x.cells where cell.mechanism == "hungarian" {
            let o = try x.run(cell, context: context)
            let metric = { (n: String) in o.metrics.first { $0.0 == n }?.1 }
            let feasible = cell.scenarioName == "balanced"
            #expect(metric("infeasible") == (feasible ? 0 : 1), "\(cell.scenarioName ?? "")")
            #expect(metric("allocation_efficiency")?.isNaN == !feasible)
            #expect(metric("allocations") == (feasible ? 30 : 0))
        }
        // The kind's MOHAF cell gives the same doubles as the direct run.
        let o = try x.run(x.cells[0], context: context)
        let direct = try Self.run(MOHAFMechanism(), scenario: 0).result
        let inst = Self.chain.links[0].instance
        let m = PaperMetrics(direct, requests: inst.requests.count, resources: inst.resources.count)
        #expect(o.metrics.first { $0.0 == "revenue" }?.1.bitPattern == m.revenue.bitPattern)
        #expect(x.cells[0].parameters.map(\.0) == ["scenario", "mode"])
    }

    static let goodYAML = """
    schema_version: 1
    name: cell0-bad
    kind: iot_auction
    seed: 42
    workload:
      notebook_cell0:
        scenarios:
          - {name: balanced, resources: 50, requests: 30}
          - {name: tiny, resources: 20, requests: 15, draws: balanced}
    mechanisms: [mohaf, hungarian]
    mohaf: {mode: package}

    """

    @Test("Bad notebook_cell0 input names the file, line and field", arguments: [
        ("resources: 50", "resources: 2", "iot.yaml:8:", "workload.notebook_cell0.scenarios.0.resources", "from 3"),
        ("draws: balanced", "draws: huge", "iot.yaml:9:", "workload.notebook_cell0.scenarios.1.draws", "balanced, high_demand, low_resource"),
        ("name: tiny", "name: balanced", "iot.yaml:", "workload.notebook_cell0.scenarios", "'balanced' twice"),
        ("requests: 30", "requests: 300000", "iot.yaml:8:", "workload.notebook_cell0.scenarios.0.requests", "≤ 10000000"),
        ("requests: 15,", "requests: 15, seed: 3,", "iot.yaml:9:", "workload.notebook_cell0.scenarios.1.seed", "allowed here: name, resources, requests, draws"),
        ("requests: 30}", "requests: 0}", "iot.yaml:8:", "workload.notebook_cell0.scenarios.0.requests", "from 1"),
        ("name: tiny", "name: \"\"", "iot.yaml:9:", "workload.notebook_cell0.scenarios.1.name", "non-empty"),
        ("    scenarios:", "    scenarios: []\n    old:", "iot.yaml:", "workload.notebook_cell0", "scenarios"),
    ])
    func badInput(old: String, new: String, place: String, field: String, says: String) throws {
        let text = Self.goodYAML.replacingOccurrences(of: old, with: new)
        #expect(text != Self.goodYAML)
        #expect { _ = try Scenario.load(text: text, file: "iot.yaml", directory: "/tmp") } throws: { error in
            let d = "\(error)"
            return d.contains(place) && d.contains(field) && d.contains(says)
        }
    }

    @Test("The good input loads, with cells scenario by scenario")
    func goodInput() throws {
        let x = try #require(try Scenario.load(text: Self.goodYAML, file: "iot.yaml", directory: "/tmp").experiment as? IoTAuctionExperiment)
        #expect(x.cells.map { "\($0.scenarioName ?? ""):\($0.mechanism)" } == ["balanced:mohaf", "balanced:hungarian", "tiny:mohaf", "tiny:hungarian"])
        guard case .notebookCell0(let s) = x.config.workload else { Issue.record("workload"); return }
        #expect(s.map(\.draws) == [.balanced, .balanced])
        #expect(MOHAFSynthetic.Draws(notebookName: "large_scale") == .balanced && MOHAFSynthetic.Draws(notebookName: "high_demand") == .highDemand)
    }

    /// scipy's linear_sum_assignment semantics on hand-checkable matrices: the smaller side is
    /// assigned completely, +∞ entries never, a tall matrix is transposed, the pairs come by row.
    @Test("Rectangular assignment: optimum, transposition and infeasibility")
    func rectangularAssignment() {
        let inf = Double.infinity
        // 2 × 3: rows 0, 1 both prefer column 1; the optimum is 0→0 (1) + 1→1 (2) = 3 < 0→1 + 1→2 = 1 + 5.
        #expect(RectangularLSAP.solve(rows: 2, columns: 3, cost: [1, 0, 9, 9, 2, 5])!.map { [$0.row, $0.column] } == [[0, 0], [1, 1]])
        // 3 × 2 (tall): two of the three rows get the two columns; pairs sorted by row.
        #expect(RectangularLSAP.solve(rows: 3, columns: 2, cost: [5, 5, 1, 9, 9, 1])!.map { [$0.row, $0.column] } == [[1, 0], [2, 1]])
        // Row 1 has only +∞: no complete assignment of the rows (scipy: "cost matrix is infeasible").
        #expect(RectangularLSAP.solve(rows: 2, columns: 3, cost: [1, 2, 3, inf, inf, inf]) == nil)
        // Both rows can only use column 0.
        #expect(RectangularLSAP.solve(rows: 2, columns: 2, cost: [1, inf, 2, inf]) == nil)
        // Tall: both columns can only take row 0.
        #expect(RectangularLSAP.solve(rows: 3, columns: 2, cost: [1, 1, inf, inf, inf, inf]) == nil)
    }
}
