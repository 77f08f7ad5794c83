import Foundation
import GavelCore
import GavelLP
import GavelConfig

/// An instance named in a scenario: a spec family by name and size, a random
/// family, the RTB ad market, or an instance file.
public struct InstanceSpec: Decodable, Sendable {
    public enum Family: String, ScenarioEnum {
        case upperTriangular = "upper_triangular", greedyTrap = "greedy_trap", singleVertex = "single_vertex"
        case k22n = "k22n", mp12G = "mp12_g", mp12Hard = "mp12_hard", zGraph = "z_graph", decomposable, erdosRenyi = "erdos_renyi", powerLaw = "power_law"
        case rtbMarket = "rtb_market", file

        /// One line for `gavel list` (docs/matching.md, "Families", has the details).
        public var summary: String {
            switch self {
            case .upperTriangular: return "arrival t adjacent to u_t … u_(n−1), p = 1 (KVV90's Ranking instance; key n)"
            case .greedyTrap: return "2 × 2 where the lowest-index tie-break is the adversarial one (Greedy = 1/2)"
            case .singleVertex: return "one offline vertex, m arrivals of probability p (keys m, p)"
            case .k22n: return "K_{2,2n} with p = 1/n (MP12; key n)"
            case .mp12G: return "MP12's G_k: batch i of m arrivals adjacent to u_i … u_k, p = 1/m (keys k, m)"
            case .mp12Hard: return "MP12 §6's hard distribution for non-adaptive algorithms, U in random order; bound S_n/n (keys n, p, seed)"
            case .zGraph: return "MP12's z-graph: U1 = αn, U2 = n, p = 1/m, V1 batches then V2 batches (keys alpha, n, m)"
            case .decomposable: return "p_uv = p_u·p_v on a random graph (GU Thm 1; keys offline, arrivals, density, p_low, p_high, seed)"
            case .erdosRenyi: return "random bipartite graph, p ~ U[p_low, p_high], weights U[1, max_weight] (keys offline, arrivals, density, seed)"
            case .powerLaw: return "each arrival draws `degree` neighbours by popularity (u+1)^−exponent (keys offline, arrivals, degree, exponent)"
            case .rtbMarket: return "an ad market built from the iPinYou data in ../shared/data/rtb (keys path, impressions, probability_scale)"
            case .file: return "an instance file (YAML or JSON: offline weights, arrivals with edges and probabilities; key path)"
            }
        }
    }
    public var family: Family
    public var name: String?
    public var n: Int?, m: Int?, k: Int?
    public var p: Double?
    /// z-graph: |U1| = alpha·n.
    public var alpha: Double?
    public var offline: Int?, arrivals: Int?, degree: Int?
    public var density: Double?, pLow: Double?, pHigh: Double?, maxWeight: Double?, exponent: Double?
    public var seed: UInt64?
    public var path: DataFile?
    public var impressions: Int?, probabilityScale: Double?
    /// The scenario's benchmarks to compute on this instance (default all); the others are reported empty.
    /// For instances where one LP would take too long (SCLP on the z-graph n = m = 50).
    public var benchmarks: [MatchingBenchmark]?

    enum CodingKeys: String, CodingKey, CaseIterable {
        case family, name, n, m, k, p, alpha, offline, arrivals, degree, density, exponent, seed, path, impressions, benchmarks
        case pLow = "p_low", pHigh = "p_high", maxWeight = "max_weight", probabilityScale = "probability_scale"
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        family = try c.decode(Family.self, forKey: .family)
        name = try c.decodeIfPresent(String.self, forKey: .name)
        let positive: (Int) -> Bool = { $0 >= 1 }
        n = try c.decodeIfPresent(Int.self, forKey: .n, expecting: "an integer ≥ 1", positive)
        m = try c.decodeIfPresent(Int.self, forKey: .m, expecting: "an integer ≥ 1", positive)
        k = try c.decodeIfPresent(Int.self, forKey: .k, expecting: "an integer ≥ 1", positive)
        offline = try c.decodeIfPresent(Int.self, forKey: .offline, expecting: "an integer ≥ 1", positive)
        arrivals = try c.decodeIfPresent(Int.self, forKey: .arrivals, expecting: "an integer ≥ 1", positive)
        degree = try c.decodeIfPresent(Int.self, forKey: .degree, expecting: "an integer ≥ 1", positive)
        impressions = try c.decodeIfPresent(Int.self, forKey: .impressions, expecting: "an integer ≥ 1", positive)
        let unit: (Double) -> Bool = { $0 >= 0 && $0 <= 1 }
        p = try c.decodeIfPresent(Double.self, forKey: .p, expecting: "a probability in [0, 1]", unit)
        alpha = try c.decodeIfPresent(Double.self, forKey: .alpha, expecting: "a finite number > 0", { $0 > 0 && $0.isFinite })
        density = try c.decodeIfPresent(Double.self, forKey: .density, expecting: "a probability in [0, 1]", unit)
        pLow = try c.decodeIfPresent(Double.self, forKey: .pLow, expecting: "a probability in [0, 1]", unit)
        pHigh = try c.decodeIfPresent(Double.self, forKey: .pHigh, expecting: "a probability in [0, 1]", unit)
        maxWeight = try c.decodeIfPresent(Double.self, forKey: .maxWeight, expecting: "a number ≥ 1", { $0 >= 1 && $0.isFinite })
        exponent = try c.decodeIfPresent(Double.self, forKey: .exponent, expecting: "a finite number ≥ 0", { $0 >= 0 && $0.isFinite })
        probabilityScale = try c.decodeIfPresent(Double.self, forKey: .probabilityScale, expecting: "a finite number > 0", { $0 > 0 && $0.isFinite })
        seed = try c.decodeIfPresent(UInt64.self, forKey: .seed)
        path = try c.decodeIfPresent(DataFile.self, forKey: .path)
        benchmarks = try c.decodeIfPresent([MatchingBenchmark].self, forKey: .benchmarks, expecting: "a list of distinct benchmarks") {
            Set($0.map(\.rawValue)).count == $0.count
        }
        let needs: [CodingKeys]
        switch family {
        case .upperTriangular, .k22n: needs = [.n]
        case .greedyTrap: needs = []
        case .singleVertex: needs = [.m, .p]
        case .mp12G: needs = [.k, .m]
        case .mp12Hard: needs = [.n, .p]
        case .zGraph: needs = [.alpha, .n, .m]
        case .decomposable, .erdosRenyi: needs = [.offline, .arrivals, .density]
        case .powerLaw: needs = [.offline, .arrivals, .degree]
        case .rtbMarket: needs = [.path, .impressions]
        case .file: needs = [.path]
        }
        // A needed key given as null (`n: ~`) is missing too: the label and build unwrap it.
        for key in needs where try !c.contains(key) || c.decodeNil(forKey: key) {
            throw DecodingError.keyNotFound(key, .init(codingPath: c.codingPath, debugDescription: "family \(family.rawValue) needs '\(key.rawValue)' (it needs: \(needs.map(\.rawValue).joined(separator: ", ")))"))
        }
        if family == .mp12Hard, let p {
            // n ≥ 1 is checked where it is decoded; p must be in (0, 1] with 1/p whole (the group size).
            do { _ = try InstanceFamily.mp12HardGroupSize(n: n ?? 1, p: p) } catch {
                throw DecodingError.dataCorruptedError(forKey: .p, in: c, debugDescription: "\(error)")
            }
        }
        if let (low, high) = probabilityRange, low > high {
            throw DecodingError.dataCorruptedError(forKey: c.contains(.pHigh) ? .pHigh : .pLow, in: c,
                debugDescription: "expected p_low ≤ p_high, found p_low = \(low) > p_high = \(high)")
        }
        // Sizes are checked here, before anything is built (validate sees them too).
        let edges = estimatedEdges
        let limit = InstanceLimits.current.matchingEdges
        if !(edges <= Double(limit)) {
            let key = needs.first(where: { [.n, .m, .arrivals, .offline, .impressions].contains($0) }) ?? .family
            throw DecodingError.dataCorruptedError(forKey: key, in: c,
                debugDescription: "the instance would have about \(String(format: "%.2g", edges)) edges, "
                    + "more than the limit of \(limit) (expected smaller sizes, or raise it with --max-edges)")
        }
    }


    /// The (p_low, p_high) the family will use, defaults included; nil where it has none.
    var probabilityRange: (Double, Double)? {
        switch family {
        case .decomposable: return (pLow ?? 0.1, pHigh ?? 1)
        case .erdosRenyi: return (pLow ?? 0.01, pHigh ?? 1)
        case .powerLaw: return (pLow ?? 0.01, pHigh ?? 0.3)
        default: return nil
        }
    }

    /// Edges of the generated instance (expected ones for random families), in floating
    /// point so that no size can overflow; 0 for files, which are read with their own limits.
    var estimatedEdges: Double {
        let n = Double(self.n ?? 0), m = Double(self.m ?? 0), k = Double(self.k ?? 0)
        switch family {
        case .upperTriangular: return n * (n + 1) / 2
        case .greedyTrap: return 3
        case .singleVertex: return m
        case .k22n: return 4 * n
        case .mp12G: return m * k * (k + 1) / 2
        case .mp12Hard: return (1 / max(p ?? 1, 1e-300)) * n * (n + 1) / 2
        case .zGraph: return (alpha ?? 1) * n * m * (1 + n) + n * m * n
        case .decomposable, .erdosRenyi: return Double(offline ?? 0) * Double(arrivals ?? 0) * (density ?? 1)
        case .powerLaw: return Double(arrivals ?? 0) * Double(degree ?? 0)
        case .rtbMarket: return Double(impressions ?? 0) * 10
        case .file: return 0
        }
    }

    /// A stable label for result rows.
    public var label: String {
        if let name { return name }
        switch family {
        case .upperTriangular: return "upper_triangular_n\(n!)" + (p.map { "_p\($0)" } ?? "")
        case .greedyTrap: return "greedy_trap"
        case .singleVertex: return "single_vertex_m\(m!)_p\(p!)"
        case .k22n: return "k22n_n\(n!)"
        case .mp12G: return "mp12_g\(k!)_m\(m!)"
        case .mp12Hard: return "mp12_hard_n\(n!)_p\(p!)" + (seed.map { "_s\($0)" } ?? "")
        case .zGraph: return "z_graph_a\(alpha!)_n\(n!)_m\(m!)"
        case .decomposable, .erdosRenyi, .powerLaw: return "\(family.rawValue)_\(offline!)x\(arrivals!)_s\(seed ?? 1)"
        case .rtbMarket: return "rtb_market_\(impressions!)"
        case .file: return URL(fileURLWithPath: path!.path).deletingPathExtension().lastPathComponent
        }
    }

    public func build() throws -> MatchingInstance {
        let s = seed ?? 1
        switch family {
        case .upperTriangular: return try InstanceFamily.upperTriangular(n: n!, p: p ?? 1)
        case .greedyTrap: return try InstanceFamily.greedyTrap()
        case .singleVertex: return try InstanceFamily.singleVertex(m: m!, p: p!)
        case .k22n: return try InstanceFamily.k22n(n: n!)
        case .mp12G: return try InstanceFamily.mp12G(k: k!, m: m!)
        case .mp12Hard: return try InstanceFamily.mp12Hard(n: n!, p: p!, seed: s)
        case .zGraph: return try InstanceFamily.zGraph(alpha: alpha!, n: n!, m: m!)
        case .decomposable:
            return try InstanceFamily.decomposable(offline: offline!, arrivals: arrivals!, density: density!, lo: pLow ?? 0.1, hi: pHigh ?? 1, seed: s)
        case .erdosRenyi:
            return try InstanceFamily.erdosRenyi(offline: offline!, arrivals: arrivals!, density: density!, pLow: pLow ?? 0.01, pHigh: pHigh ?? 1, maxWeight: maxWeight ?? 1, seed: s)
        case .powerLaw:
            guard degree! <= offline! else { throw ExperimentError("\(label): degree \(degree!) exceeds offline \(offline!)") }
            return try InstanceFamily.powerLaw(offline: offline!, arrivals: arrivals!, degree: degree!, exponent: exponent ?? 1, pLow: pLow ?? 0.01, pHigh: pHigh ?? 0.3, seed: s)
        case .rtbMarket: return try AdMarketInstance.build(folder: path!.path, impressions: impressions!, probabilityScale: probabilityScale ?? 1)
        case .file: return try MatchingInstanceFile.read(path: path!.path)
        }
    }
}

extension MatchingBenchmark: ScenarioEnum {}

/// A scenario's `lp: {solver: glpk | clp | auto, method: auto | dual | primal | barrier, time_limit_s: …}` (docs/lp.md).
public struct LPBlock: Decodable, Sendable {
    public var choice: LPSolverChoice

    enum CodingKeys: String, CodingKey, CaseIterable { case solver, method, timeLimit = "time_limit_s" }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        choice = LPSolverChoice()
        if let name = try c.decodeIfPresent(String.self, forKey: .solver) {
            do { choice.backend = try LPSolverChoice.backend(named: name) } catch {
                throw DecodingError.dataCorruptedError(forKey: .solver, in: c, debugDescription: "\(error)")
            }
        }
        if let name = try c.decodeIfPresent(String.self, forKey: .method) {
            do { choice.method = try LPSolverChoice.method(named: name) } catch {
                throw DecodingError.dataCorruptedError(forKey: .method, in: c, debugDescription: "\(error)")
            }
        }
        if let seconds = try c.decodeIfPresent(Double.self, forKey: .timeLimit, expecting: "a number of seconds > 0", { $0 > 0 && $0 <= 1e9 }) {
            choice.timeLimit = .milliseconds(Int64((seconds * 1000).rounded(.up)))
        }
    }
}

/// `kind: matching`: every algorithm × instance, with its expected value (exact when the
/// instance is small enough, else Monte Carlo over `runs` runs per replicate) and its
/// ratio to every named benchmark. Benchmarks are computed once per instance; one
/// beyond its size limit is reported as empty (null), never an hour of computing.
public struct MatchingExperiment: Experiment {
    /// The kind's scenario keys (strict: an unknown key is an error naming the keys allowed).
    public struct Config: Decodable, Sendable {
        public var instances: [InstanceSpec]
        /// The algorithms, resolved through ``OnlineMatchingAlgorithms/registry`` (built-in or registered).
        public var algorithms: [RegisteredMechanism<OnlineMatchingAlgorithms>]
        public var benchmarks: [MatchingBenchmark]
        public var runs: Int
        public var exact: Bool
        /// The LP backend of every LP bound (default: chosen per shape, docs/lp.md).
        public var lp: LPSolverChoice

        enum CodingKeys: String, CodingKey, CaseIterable { case instances, algorithms, benchmarks, runs, exact, lp }

        public init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            instances = try c.decode([InstanceSpec].self, forKey: .instances, expecting: "a non-empty list of instances") { !$0.isEmpty }
            algorithms = try c.decodeIfPresent([RegisteredMechanism<OnlineMatchingAlgorithms>].self, forKey: .algorithms,
                                               expecting: "a non-empty list of distinct algorithms") {
                !$0.isEmpty && Set($0.map(\.name)).count == $0.count
            } ?? MatchingAlgorithm.allCases.map { try RegisteredMechanism($0.rawValue) }
            benchmarks = try c.decodeIfPresent([MatchingBenchmark].self, forKey: .benchmarks, expecting: "a list of distinct benchmarks") {
                Set($0.map(\.rawValue)).count == $0.count
            } ?? [.budgetLP, .clairvoyant]
            runs = try c.decodeIfPresent(Int.self, forKey: .runs, expecting: "an integer ≥ 1") { $0 >= 1 } ?? 1000
            exact = try c.decodeIfPresent(Bool.self, forKey: .exact) ?? true
            lp = try c.decodeIfPresent(LPBlock.self, forKey: .lp)?.choice ?? .automatic
            for spec in instances {
                if let extra = spec.benchmarks?.first(where: { !benchmarks.contains($0) }) {
                    throw DecodingError.dataCorruptedError(forKey: .instances, in: c, debugDescription: "instance '\(spec.label)': benchmark '\(extra.rawValue)' is not one of the scenario's benchmarks (\(benchmarks.map(\.rawValue).joined(separator: ", ")))")
                }
            }
            if let repeated = instances.map(\.label).firstRepeated() {
                throw DecodingError.dataCorruptedError(forKey: .instances, in: c, debugDescription: "expected distinct instances, found '\(repeated)' twice (give one a 'name')")
            }
        }
    }

    public static let kind = "matching"
    public static let summary = "online matching with stochastic rewards: algorithms vs LP/DP benchmarks (spec stochastic_matching.md)"
    /// Every algorithm of ``OnlineMatchingAlgorithms/registry``, built-in and registered.
    public static var mechanisms: [ComponentInfo] { OnlineMatchingAlgorithms.registry.components }
    public static let workloads = InstanceSpec.Family.allCases.map { ComponentInfo($0.rawValue, $0.summary) }
    public static let mechanismColumn = "algorithm"

    public let config: Config
    let instances: [MatchingInstance]
    /// benchmarkValues[i][j]: instance i, config.benchmarks[j]; nil beyond the method's limit.
    let benchmarkValues: [[Double?]]
    /// lp_bounds.csv rows per instance: which backend and method produced each LP bound.
    let lpRecords: [[String]]

    public init(config: Config) throws {
        self.config = config
        instances = try config.instances.map { spec in
            do { return try spec.build() } catch let e as InputError { throw ExperimentError("\(spec.label): \(e)") }
        }
        var records: [[String]] = []
        benchmarkValues = try zip(config.instances, instances).map { spec, x in
            var rows: [String] = []
            let values: [Double?] = try config.benchmarks.map { b in
                if let only = spec.benchmarks, !only.contains(b) { return nil }
                do {
                    let v = try MatchingBenchmarks.value(b, of: x, lp: config.lp)
                    if let solver = v.solver {
                        rows.append("\(spec.label),\(b.rawValue),\(solver.backend.rawValue),\(solver.method.rawValue),\(v.solves),\(v.size)")
                    }
                    return v.value
                } catch let e as ExperimentError where e.isBeyondLimit {
                    FileHandle.standardError.write(Data("matching: \(b.rawValue) skipped: \(e)\n".utf8))
                    return nil
                }
            }
            records.append(rows)
            return values
        }
        lpRecords = records
    }

    /// An algorithm on one of the scenario's instances.
    public typealias Cell = InstanceCell<any OnlineMatchingAlgorithm>

    public var cells: [Cell] {
        Cell.grid(config.algorithms.map { ($0.name, $0.mechanism) }, labels: config.instances.map(\.label), labelKey: "instance")
    }

    public func run(_ cell: Cell, context: RunContext) throws -> RunOutcome {
        let a = cell.mechanismChoice, i = cell.instance
        let x = instances[i]
        var value: Double, gap: Double, method: Double, events: Int
        // Exact when the instance is small enough; beyond a limit, Monte Carlo. Any other error
        // (an algorithm that throws or breaks the rules) fails the run.
        var exactValue: ExactValue?
        if config.exact {
            do { exactValue = try ExactEvaluation.evaluate(a, on: x) } catch let e as ExperimentError where e.isBeyondLimit { exactValue = nil }
        }
        if let e = exactValue {
            value = e.value; gap = e.successes - e.totalLoad; method = 0; events = 0
        } else {
            // Common random numbers: a coin per edge, so algorithms that try the same edge see the same outcome.
            let mc = try MonteCarloEstimate.estimate(a, on: x, runs: config.runs, workloadSeed: context.workloadSeed,
                                                 mechanismSeed: context.mechanismSeed,
                                                 coins: context.commonRandomNumbers ? .perEdge : .sequential)
            value = mc.value.mean; gap = mc.identityGap.mean; method = 1; events = mc.events
        }
        var metrics: [(String, Double)] = [("value", value), ("exact", method == 0 ? 1 : 0), ("successes_minus_load", gap)]
        for (j, b) in config.benchmarks.enumerated() {
            metrics.append((b.rawValue, benchmarkValues[i][j] ?? .nan))
        }
        for (j, b) in config.benchmarks.enumerated() {
            metrics.append(("ratio_\(b.rawValue)", benchmarkValues[i][j].map { $0 > 0 ? value / $0 : .nan } ?? .nan))
        }
        // MP12 §6: beside an mp12_hard instance, the bound no non-adaptive algorithm's ratio to StdLP beats as p → 0.
        if config.instances[i].family == .mp12Hard, let n = config.instances[i].n {
            metrics.append(("mp12_hard_bound", MatchingAnalytic.mp12HardBound(n: n)))
        }
        // lp_bounds.csv: written once per instance (first algorithm, replicate 0); the runs' pieces
        // are concatenated in plan order under one header.
        var artifacts: [(name: String, contents: String)] = []
        if context.replicate == 0, cell.mechanism == config.algorithms.first?.name, !lpRecords[i].isEmpty {
            artifacts.append(("lp_bounds.csv", "instance,benchmark,solver,method,lp_solves,columns\n" + lpRecords[i].map { $0 + "\n" }.joined()))
        }
        return RunOutcome(metrics: metrics, events: events, artifacts: artifacts)
    }
}
