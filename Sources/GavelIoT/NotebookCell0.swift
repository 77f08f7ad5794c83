import GavelCore
import GavelConfig

/// The synthetic instances of the authors' notebook cell 0 (`ExperimentRunner.generate_synthetic_scenario`,
/// identical to `mohaf/scenarios.py`; afrilab/MOHAF-Resource-Allocation at 2e0174d), drawn from
/// CPython's `random` in the notebook's exact order (spec mohaf.md §4).
///
/// Per resource i: `choice(types)`, capacity, cost (ranges by ``Draws``), x, y ~ U(−50, 50),
/// availability ~ U(0.7, 1), reliability ~ U(0.6, 0.95), energy ~ U(0.5, 0.9); owner
/// `owner_{i % (n // 3)}`. Per request i: `choice(types)`, amount, max_price (by ``Draws``), the
/// deadline's `uniform(300, 1800)` (added to `time.time()`, so drawn but not kept), priority
/// `randint(1, 10)`, x, y, then the QoS needs min_reliability ~ U(0.5, 0.9), max_latency ~ U(10, 100),
/// min_availability ~ U(0.6, 0.95) (drawn, never checked). Requester i is `requester_{i}`.
public enum MOHAFSynthetic {
    /// The generator's parameter branch. The notebook passes the scenario's *name* as its type:
    /// `high_demand` and `low_resource` have ranges of their own, and every other name
    /// (`balanced`, but also `large_scale` and `small_scale`) falls through to `balanced`.
    public enum Draws: String, ScenarioEnum {
        /// C ~ U(20, 100), cost ~ U(0.3, 1.5), d ~ U(15, 60), B ~ U(30, 100).
        case balanced
        /// C ~ U(10, 50), cost ~ U(0.5, 2), d ~ U(30, 80), B ~ U(50, 150).
        case highDemand = "high_demand"
        /// C ~ U(5, 20), cost ~ U(1, 3), d ~ U(10, 30), B ~ U(20, 60).
        case lowResource = "low_resource"

        /// The branch the notebook's `if scenario_type == …` takes for a scenario called `name`.
        public init(notebookName name: String) { self = Draws(rawValue: name) ?? .balanced }

        var capacity: (Double, Double) { switch self { case .balanced: (20, 100); case .highDemand: (10, 50); case .lowResource: (5, 20) } }
        var cost: (Double, Double) { switch self { case .balanced: (0.3, 1.5); case .highDemand: (0.5, 2.0); case .lowResource: (1.0, 3.0) } }
        var amount: (Double, Double) { switch self { case .balanced: (15, 60); case .highDemand: (30, 80); case .lowResource: (10, 30) } }
        var budget: (Double, Double) { switch self { case .balanced: (30, 100); case .highDemand: (50, 150); case .lowResource: (20, 60) } }
    }

    /// Resources and requests of one scenario, drawn from `random` (advanced past every draw
    /// the notebook makes). `resources` ≥ 3: the owner ids divide by `resources // 3`.
    public static func generate(resources n: Int, requests q: Int, draws: Draws, random: inout PythonRandom) -> IoTInstance {
        precondition(n >= 3 && q >= 0, "the notebook's generator needs at least 3 resources")
        let types = IoTResourceType.allCases   // list(ResourceType): compute, storage, bandwidth, energy
        var resources: [IoTResource] = []
        resources.reserveCapacity(n)
        for i in 0..<n {
            let type = types[Int(random.randbelow(UInt64(types.count)))]
            let capacity = random.uniform(draws.capacity.0, draws.capacity.1)
            let cost = random.uniform(draws.cost.0, draws.cost.1)
            let x = random.uniform(-50, 50), y = random.uniform(-50, 50)
            let availability = random.uniform(0.7, 1.0)
            let reliability = random.uniform(0.6, 0.95)
            let energy = random.uniform(0.5, 0.9)
            resources.append(IoTResource(id: "resource_\(i)", type: type, capacity: capacity, costPerUnit: cost, x: x, y: y,
                                         availability: availability, reliability: reliability, energyEfficiency: energy,
                                         owner: "owner_\(i % (n / 3))"))
        }
        var requests: [IoTRequest] = []
        requests.reserveCapacity(q)
        for i in 0..<q {
            let type = types[Int(random.randbelow(UInt64(types.count)))]
            let amount = random.uniform(draws.amount.0, draws.amount.1)
            let budget = random.uniform(draws.budget.0, draws.budget.1)
            _ = random.uniform(300, 1800)                     // deadline = time.time() + U(300, 1800): drawn, not kept
            let priority = 1 + Int(random.randbelow(10))      // randint(1, 10) = 1 + _randbelow(10)
            let x = random.uniform(-50, 50), y = random.uniform(-50, 50)
            let minReliability = random.uniform(0.5, 0.9)
            let maxLatency = random.uniform(10, 100)
            let minAvailability = random.uniform(0.6, 0.95)
            requests.append(IoTRequest(id: "request_\(i)", requester: i, type: type, amount: amount, budget: budget, priority: priority,
                                       x: x, y: y, qos: QoSRequirement(minReliability: minReliability, minAvailability: minAvailability,
                                                                       maxLatency: maxLatency)))
        }
        return IoTInstance(resources: resources, requests: requests, requesterNames: (0..<q).map { "requester_\($0)" })
    }
}

/// Notebook cell 0's draw chain: one CPython `random` seeded once (`random.seed(42)`), consumed
/// scenario after scenario by the instance, then by the six mechanisms in the notebook's order
/// (MOHAF, First-Price, Vickrey, Hungarian, Greedy, Random), of which only First-Price (one
/// `uniform(0.3, 0.8)` per affordable compatible pair) and Random (`shuffle`, `sample`, `choice`,
/// `uniform(0.2, 0.6)`) draw. Each scenario's instance therefore depends on every draw before it,
/// and after the five scenarios the same stream draws the 40 × 25 ablation instance of Table 2.
/// (`np.random.seed(42)` seeds numpy's own stream, which nothing in cell 0 draws from; k-means
/// has `random_state=42` and only feeds the unprinted communication overhead.)
public enum NotebookCell0Chain {
    /// One scenario of the chain: its name, sizes and generator branch.
    public struct Scenario: Sendable, Equatable {
        /// The scenario's name (the `scenario` cell parameter).
        public var name: String
        /// Resources drawn (≥ 3).
        public var resources: Int
        /// Requests drawn (≥ 1).
        public var requests: Int
        /// The generator branch.
        public var draws: MOHAFSynthetic.Draws

        /// A scenario; `draws` defaults to the branch the notebook takes for `name`.
        public init(name: String, resources: Int, requests: Int, draws: MOHAFSynthetic.Draws? = nil) {
            self.name = name; self.resources = resources; self.requests = requests
            self.draws = draws ?? MOHAFSynthetic.Draws(notebookName: name)
        }
    }

    /// The notebook's five scenarios, in its order (cell 0, `run_comprehensive_experiments`).
    public static let notebookScenarios: [Scenario] = [
        Scenario(name: "balanced", resources: 50, requests: 30),
        Scenario(name: "high_demand", resources: 40, requests: 60),
        Scenario(name: "low_resource", resources: 25, requests: 40),
        Scenario(name: "large_scale", resources: 100, requests: 80, draws: .balanced),
        Scenario(name: "small_scale", resources: 20, requests: 15, draws: .balanced),
    ]

    /// One instance of the chain and the stream right after it was drawn (what the mechanisms replay from).
    public struct Link: Sendable {
        /// The scenario.
        public var scenario: Scenario
        /// Its instance.
        public var instance: IoTInstance
        /// The CPython stream right after the instance.
        public var afterInstance: PythonRandom
    }

    /// The chain from `random.seed(seed)`: every scenario's instance in order, and the stream
    /// after the last scenario's mechanisms (where the notebook draws its ablation instance).
    public static func run(_ scenarios: [Scenario], seed: Int) -> (links: [Link], after: PythonRandom) {
        var random = PythonRandom(seed: seed)
        var links: [Link] = []
        for s in scenarios {
            let inst = MOHAFSynthetic.generate(resources: s.resources, requests: s.requests, draws: s.draws, random: &random)
            links.append(Link(scenario: s, instance: inst, afterInstance: random))
            consumeMechanismDraws(inst, random: &random)
        }
        return (links, random)
    }

    /// Advances `random` past the draws of cell 0's mechanisms on `inst`: First-Price's labels, then
    /// Random's shuffle, sample, choices and labels (MOHAF, Vickrey, Hungarian and Greedy draw nothing).
    public static func consumeMechanismDraws(_ inst: IoTInstance, random: inout PythonRandom) {
        FirstPriceAsRun.consumeDraws(inst, random: &random)
        // Random cannot throw here: it only chooses from non-empty lists and samples N of N.
        _ = try? RandomAsRun.run(inst, random: &random, shuffleResources: true)
    }

    /// The 40 × 25 "balanced" instance of the ablation study (Table 2): drawn after the notebook's
    /// five scenarios and their mechanisms (cell 0, `_run_ablation_study`).
    public static func ablationInstance(seed: Int = 42) -> IoTInstance {
        var random = run(notebookScenarios, seed: seed).after
        return MOHAFSynthetic.generate(resources: 40, requests: 25, draws: .balanced, random: &random)
    }
}

extension NotebookCell0Chain.Scenario: Decodable {
    enum CodingKeys: String, CodingKey, CaseIterable { case name, resources, requests, draws }

    /// Largest resources × requests a scenario may ask for (MOHAF and First-Price build a bid per pair).
    public static let maxPairs = 10_000_000

    /// `{name, resources, requests, draws}`; `draws` defaults to the notebook's branch for `name`.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let name = try c.decode(String.self, forKey: .name, expecting: "a non-empty scenario name") { !$0.isEmpty }
        // owner_id = i % (n_resources // 3): the notebook's generator divides by zero below 3 resources.
        let resources = try c.decode(Int.self, forKey: .resources, expecting: "an integer from 3 to 1000000 (owners are i mod resources/3)") { (3...1_000_000).contains($0) }
        let requests = try c.decode(Int.self, forKey: .requests, expecting: "an integer from 1 to 1000000") { (1...1_000_000).contains($0) }
        let draws = try c.decodeIfPresent(MOHAFSynthetic.Draws.self, forKey: .draws)
        if resources * requests > Self.maxPairs {
            throw DecodingError.dataCorruptedError(forKey: .requests, in: c, debugDescription:
                "expected resources × requests ≤ \(Self.maxPairs) (a bid per pair), found \(resources) × \(requests) = \(resources * requests)")
        }
        self.init(name: name, resources: resources, requests: requests, draws: draws)
    }
}
