import Foundation
import GavelCore
import GavelConfig

/// An instance named in a scenario: a family with its parameters, or an instance file.
/// Family agents have two actions, `shirk` (cost 0, informativeness `shirk_informativeness`)
/// and `work` (cost `cost`, informativeness `informativeness`).
public struct InfoAcqInstanceSpec: Decodable, Sendable {
    public enum Family: String, ScenarioEnum {
        case independentNoisy = "independent_noisy", commonNoise = "common_noise", oneSided = "one_sided", random, file

        /// One line for `gavel list` (docs/infoacq.md, "Families", has the details).
        public var summary: String {
            switch self {
            case .independentNoisy: return "conditionally independent signals: s_i = θ with probability α, else another signal uniformly"
            case .commonNoise: return "a common noisy value c, each agent observes it with probability λ (reports can be cross-checked)"
            case .oneSided: return "two states; evidence x0 found with probability p in s0 only (\"x0 proves s0\")"
            case .random: return "random peaked kernels mixed by effort informativeness (tests and benchmarks)"
            case .file: return "an instance file (agents, actions with costs, the information table, the utility)"
            }
        }
    }
    public var family: Family
    public var name: String?
    public var agents: Int
    public var states: Int
    public var cost: Double
    public var cap: Double
    public var informativeness: Double?
    public var shirkInformativeness: Double?
    public var noise: Double?
    public var scale: Double
    public var actions: Int?, signals: Int?
    public var seed: UInt64?
    public var path: DataFile?

    enum CodingKeys: String, CodingKey, CaseIterable {
        case family, name, agents, states, cost, cap, informativeness, noise, scale, actions, signals, seed, path
        case shirkInformativeness = "shirk_informativeness"
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        family = try c.decode(Family.self, forKey: .family)
        name = try c.decodeIfPresent(String.self, forKey: .name)
        agents = try c.decodeIfPresent(Int.self, forKey: .agents, expecting: "an integer in 1…4") { $0 >= 1 && $0 <= 4 } ?? 2
        states = try c.decodeIfPresent(Int.self, forKey: .states, expecting: "an integer in 1…4") { $0 >= 1 && $0 <= 4 } ?? 2
        cost = try c.decodeIfPresent(Double.self, forKey: .cost, expecting: "a cost ≥ 0") { $0 >= 0 && $0.isFinite } ?? 0.1
        cap = try c.decodeIfPresent(Double.self, forKey: .cap, expecting: "a finite number ≥ 0") { $0 >= 0 && $0.isFinite } ?? 1
        let unit: (Double) -> Bool = { $0 >= 0 && $0 <= 1 }
        informativeness = try c.decodeIfPresent(Double.self, forKey: .informativeness, expecting: "a probability in [0, 1]", unit)
        shirkInformativeness = try c.decodeIfPresent(Double.self, forKey: .shirkInformativeness, expecting: "a probability in [0, 1]", unit)
        noise = try c.decodeIfPresent(Double.self, forKey: .noise, expecting: "a probability in [0, 1]", unit)
        scale = try c.decodeIfPresent(Double.self, forKey: .scale, expecting: "a finite number") { $0.isFinite } ?? 1
        actions = try c.decodeIfPresent(Int.self, forKey: .actions, expecting: "an integer in 1…4") { $0 >= 1 && $0 <= 4 }
        signals = try c.decodeIfPresent(Int.self, forKey: .signals, expecting: "an integer in 1…4") { $0 >= 1 && $0 <= 4 }
        seed = try c.decodeIfPresent(UInt64.self, forKey: .seed)
        path = try c.decodeIfPresent(DataFile.self, forKey: .path)
        let needs: [CodingKeys]
        switch family {
        case .independentNoisy, .oneSided: needs = [.informativeness]
        case .commonNoise: needs = [.noise]
        case .random: needs = []
        case .file: needs = [.path]
        }
        for key in needs where !c.contains(key) {
            throw DecodingError.keyNotFound(key, .init(codingPath: c.codingPath, debugDescription: "family \(family.rawValue) needs '\(key.rawValue)'"))
        }
    }

    public var label: String {
        if let name { return name }
        switch family {
        case .file: return URL(fileURLWithPath: path!.path).deletingPathExtension().lastPathComponent
        case .random: return "random_s\(seed ?? 1)"
        default: return "\(family.rawValue)_n\(agents)_c\(cost)_B\(cap)"
        }
    }

    public func build() throws -> InfoAcqInstance {
        typealias F = InfoAcqFamilies
        func specs(work: Double, shirk: Double) -> [F.AgentSpec] {
            (1...agents).map { F.AgentSpec("a\($0)", [F.ActionSpec("shirk", cost: 0, shirk), F.ActionSpec("work", cost: cost, work)]) }
        }
        do {
            switch family {
            case .independentNoisy:
                return try F.independentNoisy(states: states, agents: specs(work: informativeness!, shirk: shirkInformativeness ?? 1 / Double(states)), cap: cap, scale: scale)
            case .commonNoise:
                return try F.commonNoise(states: states, noise: noise!, agents: specs(work: informativeness ?? 1, shirk: shirkInformativeness ?? 0), cap: cap, scale: scale)
            case .oneSided:
                return try F.oneSided(agents: specs(work: informativeness!, shirk: shirkInformativeness ?? 0), cap: cap, scale: scale)
            case .random:
                return try F.random(agents: agents, actions: actions ?? 2, signals: signals ?? 2, states: states, maxCost: cost, cap: cap, seed: seed ?? 1)
            case .file:
                return try InfoAcqInstanceFile.read(path: path!.path)
            }
        } catch let e as InputError where e.location == nil {
            throw ExperimentError("\(label): \(e)")
        }
    }
}

/// `kind: infoacq`: every mechanism × instance. Each run simulates `rounds` rounds in the
/// kernel with obedient agents and reports the simulated principal utility next to the LP
/// value (with its z-score), the agents' rents and Jain's index, the IC certificate, and
/// the instance's values (correlated, product bounds, uncorrelated bounds, deterministic).
public struct InfoAcqExperiment: Experiment {
    /// The kind's scenario keys (strict: an unknown key is an error naming the keys allowed).
    public struct Config: Decodable, Sendable {
        public var instances: [InfoAcqInstanceSpec]
        /// Mechanisms to run, distinct, resolved through ``InfoAcqMechanisms/registry`` (default: the built-ins).
        public var mechanisms: [RegisteredMechanism<InfoAcqMechanisms>]
        public var rounds: Int
        /// Whether each run also reports `max_gain_from_misreport` (``InfoAcqMisreportAudit``,
        /// `audit_misreports`, default false): the misreport audit of the run's mechanism.
        public var auditMisreports: Bool

        enum CodingKeys: String, CodingKey, CaseIterable {
            case instances, mechanisms, rounds
            case auditMisreports = "audit_misreports"
        }

        public init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            instances = try c.decode([InfoAcqInstanceSpec].self, forKey: .instances, expecting: "a non-empty list of instances") { !$0.isEmpty }
            mechanisms = try c.decodeIfPresent([RegisteredMechanism<InfoAcqMechanisms>].self, forKey: .mechanisms,
                                               expecting: "a non-empty list of distinct mechanisms") {
                !$0.isEmpty && Set($0.map(\.name)).count == $0.count
            } ?? InfoAcqMechanisms.registry.builtIn.map { try RegisteredMechanism($0.name) }
            auditMisreports = try c.decodeIfPresent(Bool.self, forKey: .auditMisreports) ?? false
            rounds = try c.decodeIfPresent(Int.self, forKey: .rounds, expecting: "an integer ≥ 2") { $0 >= 2 } ?? 100_000
            if let repeated = instances.map(\.label).firstRepeated() {
                throw DecodingError.dataCorruptedError(forKey: .instances, in: c, debugDescription: "expected distinct instances, found '\(repeated)' twice (give one a 'name')")
            }
        }
    }

    public static let kind = "infoacq"
    public static let summary = "information acquisition from several agents: optimal IC mechanism vs product, uncorrelated and deterministic (spec infoacq.md)"
    /// The built-in designers, then any registered one.
    public static var mechanisms: [ComponentInfo] { InfoAcqMechanisms.registry.components }
    public static let workloads = InfoAcqInstanceSpec.Family.allCases.map { ComponentInfo($0.rawValue, $0.summary) }

    public let config: Config
    let instances: [InfoAcqInstance]
    let analyses: [InfoAcqAnalysis]

    public init(config: Config) throws {
        self.config = config
        instances = try config.instances.map { try $0.build() }
        analyses = try instances.map { try InfoAcqAnalysis.run($0, equilibria: $0.profileCount <= 4) }
    }

    /// A mechanism designer on one of the scenario's instances.
    public typealias Cell = InstanceCell<any InfoAcqMechanismDesigner>

    public var cells: [Cell] {
        Cell.grid(config.mechanisms.map { ($0.name, $0.mechanism) }, labels: config.instances.map(\.label), labelKey: "instance")
    }

    public func run(_ cell: Cell, context: RunContext) throws -> RunOutcome {
        let k = cell.instance
        let x = instances[k], r = analyses[k]
        let design: InfoAcqDesign
        do { design = try cell.mechanismChoice.design(r) } catch let e as ExperimentError { throw ExperimentError("\(cell.label): \(e)") }
        let mechanism = design.mechanism, value = design.value
        let cert = InfoAcqCertificate.check(x, mechanism)
        let sim = try InfoAcqRepeatedRounds.run(x, mechanism, rounds: config.rounds, workloadSeed: context.workloadSeed,
                                                mechanismSeed: context.mechanismSeed)
        let se = sim.principal.standardError
        let equilibria = r.equilibria
        var metrics: [(String, Double)] = [
            ("lp_value", value),
            ("simulated_utility", sim.principal.mean),
            ("simulated_se", se),
            // A difference within double rounding of the value is 0 (a design whose every round pays the same,
            // like a single perfectly informed agent, has se ~ 1e-18 and an LP value one ulp off).
            ("z_score", abs(sim.principal.mean - value) <= 1e-12 * max(1, abs(value)) ? 0
                : se > 0 ? (sim.principal.mean - value) / se : .infinity),
            ("agent_rent_total", sim.agentUtility.reduce(0, +)),
            ("agent_payment_total", sim.agentPayment.reduce(0, +)),
            ("jain_agents", sim.jain),
            ("max_deviation_gain", cert.maxGain),
            ("correlated_value", r.value),
            ("product_lower", r.product?.lowerBound ?? .nan),
            ("product_upper", r.product?.upperBound ?? .nan),
            ("deterministic_value", r.deterministic.value),
            ("correlation_gain", r.value - max(r.product?.upperBound ?? .nan, r.deterministic.value)),
            ("agent_preferred_equilibria", equilibria.map { Double($0.agentPreferred.count) } ?? .nan),
            ("uncorrelated_lower", r.uncorrelated?.lowerBound ?? .nan),
            ("uncorrelated_upper", r.uncorrelated?.upperBound ?? .nan),
            // The gap the paper measures (spec A.6): against the uncorrelated class, certified (its upper bound).
            ("correlation_gain_vs_uncorrelated", r.value - max(r.uncorrelated?.upperBound ?? .nan, r.deterministic.value)),
        ]
        if config.auditMisreports { metrics.append(("max_gain_from_misreport", InfoAcqMisreportAudit.maxGain(x, mechanism))) }
        var artifacts: [(name: String, contents: String)] = []
        if design.writesSolveReport && context.replicate == 0 {
            artifacts.append(("solve-\(cell.label).json", InfoAcqSolveReport.json(r).prettySerialized() + "\n"))
        }
        return RunOutcome(metrics: metrics, events: sim.events, artifacts: artifacts)
    }
}

/// `kind: infoacq_online`: every online principal (`mechanisms:`, default the built-in
/// explore-then-commit, spec A.5 [R]) on one instance for every horizon T × `seeds` seeds,
/// expected regret against the known-q optimum, and the least-squares slope of log regret on
/// log T over all (T, seed) runs with its 95% Student-t interval. The curve is written to
/// `regret_curve.csv` (with a `mechanism` column after `instance` when the scenario runs
/// more than one principal; one principal keeps the committed layout).
public struct InfoAcqOnlineExperiment: Experiment {
    /// The kind's scenario keys (strict: an unknown key is an error naming the keys allowed).
    public struct Config: Decodable, Sendable {
        public var instance: InfoAcqInstanceSpec
        /// Principals to run, distinct, resolved through ``InfoAcqOnlinePrincipals/registry``
        /// (default: `[explore_then_commit]`).
        public var mechanisms: [RegisteredMechanism<InfoAcqOnlinePrincipals>]
        public var horizons: [Int]
        public var seeds: Int
        public var exploreScale: Double
        public var marginScale: Double
        public var exploreCap: Double?

        enum CodingKeys: String, CodingKey, CaseIterable {
            case instance, mechanisms, horizons, seeds
            case exploreScale = "explore_scale", marginScale = "margin_scale", exploreCap = "explore_cap"
        }

        public init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            instance = try c.decode(InfoAcqInstanceSpec.self, forKey: .instance)
            mechanisms = try c.decodeIfPresent([RegisteredMechanism<InfoAcqOnlinePrincipals>].self, forKey: .mechanisms,
                                               expecting: "a non-empty list of distinct online principals") {
                !$0.isEmpty && Set($0.map(\.name)).count == $0.count
            } ?? [try RegisteredMechanism(InfoAcqExploreThenCommit().name)]
            horizons = try c.decode([Int].self, forKey: .horizons, expecting: "at least two distinct horizons ≥ 2, increasing") {
                $0.count >= 2 && $0.allSatisfy { $0 >= 2 } && zip($0, $0.dropFirst()).allSatisfy { $0 < $1 }
            }
            seeds = try c.decodeIfPresent(Int.self, forKey: .seeds, expecting: "an integer ≥ 1") { $0 >= 1 } ?? 8
            exploreScale = try c.decodeIfPresent(Double.self, forKey: .exploreScale, expecting: "a finite number > 0") { $0 > 0 && $0.isFinite } ?? 4
            marginScale = try c.decodeIfPresent(Double.self, forKey: .marginScale, expecting: "a finite number ≥ 0") { $0 >= 0 && $0.isFinite } ?? 0.5
            exploreCap = try c.decodeIfPresent(Double.self, forKey: .exploreCap, expecting: "a finite number > 0") { $0 > 0 && $0.isFinite }
        }
    }

    public static let kind = "infoacq_online"
    public static let summary = "online principal: explore-then-commit regret against the known-q optimum, log-log slope (spec infoacq.md A.5)"
    /// The built-in principal, then any registered one.
    public static var mechanisms: [ComponentInfo] { InfoAcqOnlinePrincipals.registry.components }
    public static let workloads = InfoAcqInstanceSpec.Family.allCases.map { ComponentInfo($0.rawValue, $0.summary) }

    public let config: Config
    /// Each principal's learner, prepared once, in `config.mechanisms` order.
    let learners: [any InfoAcqLearning]

    public init(config: Config) throws {
        self.config = config
        let x = try config.instance.build()
        let settings = InfoAcqOnlineLearner.Config(exploreScale: config.exploreScale, marginScale: config.marginScale,
                                                   exploreCap: config.exploreCap ?? x.paymentCap)
        do {
            learners = try config.mechanisms.map { try $0.mechanism.learner(for: x, settings: settings) }
        } catch let e as ExperimentError { throw ExperimentError("\(config.instance.label): \(e)") }
    }

    /// A principal's prepared learner on the scenario's one instance.
    public typealias Cell = InstanceCell<any InfoAcqLearning>

    public var cells: [Cell] {
        Cell.grid(zip(config.mechanisms, learners).map { ($0.name, $1) }, labels: [config.instance.label], labelKey: "instance")
    }

    public func run(_ cell: Cell, context: RunContext) throws -> RunOutcome {
        let learner = cell.mechanismChoice
        // The explore phase's states and signals are the environment: workload draws.
        let curve = try InfoAcqRegretCurve.measure(learner, horizons: config.horizons, seeds: config.seeds, seed: context.workloadSeed)
        let named = config.mechanisms.count > 1
        var csv = "instance,\(named ? "mechanism," : "")replicate,horizon,explore_rounds,seeds,regret_mean,regret_sd,regret_ci95,regret_over_t23,epsilon_mean,committed_value_mean,committed_ic_fraction,optimum\n"
        for p in curve.points {
            csv += ([config.instance.label] + (named ? [cell.mechanism] : []) + ["\(context.replicate)", "\(p.horizon)", "\(p.exploreRounds)", "\(p.regret.count)",
                    NumberFormat.csv(p.regret.mean), NumberFormat.csv(p.regret.standardDeviation), NumberFormat.csv(p.regret.confidenceHalfWidth95),
                    NumberFormat.csv(p.regret.mean / pow(Double(p.horizon), 2.0 / 3.0)), NumberFormat.csv(p.epsilon.mean),
                    NumberFormat.csv(p.committedValue.mean), NumberFormat.csv(p.icFraction), NumberFormat.csv(learner.optimum)]).joined(separator: ",") + "\n"
        }
        let fit = curve.fit
        let last = curve.points[curve.points.count - 1]
        return RunOutcome(metrics: [
            ("slope", fit.slope), ("slope_ci95", fit.halfWidth95), ("slope_low", fit.slope - fit.halfWidth95), ("slope_high", fit.slope + fit.halfWidth95),
            ("intercept", fit.intercept), ("fit_points", Double(fit.count)), ("optimum", learner.optimum),
            ("regret_at_max_horizon", last.regret.mean), ("regret_over_t23_at_max_horizon", last.regret.mean / pow(Double(last.horizon), 2.0 / 3.0)),
            ("committed_ic_fraction", curve.points.reduce(0) { $0 + $1.icFraction } / Double(curve.points.count)),
        ], events: 0, artifacts: [("regret_curve.csv", csv)])
    }
}

/// Regret of a learner (any ``InfoAcqLearning``, built-in or registered) over horizons × seeds,
/// and the log-log least-squares fit.
public struct InfoAcqRegretCurve: Sendable {
    public struct Point: Sendable {
        public var horizon: Int
        public var exploreRounds: Int
        public var regret = RunningStatistics()
        public var epsilon = RunningStatistics()
        public var committedValue = RunningStatistics()
        public var icFraction = 0.0
    }
    public struct Fit: Sendable {
        public var slope: Double
        public var intercept: Double
        /// Half-width of the 95% Student-t interval of the slope (n − 2 degrees of freedom).
        public var halfWidth95: Double
        public var count: Int
    }
    public var points: [Point]
    public var fit: Fit

    /// Seed of run (T, j): derivedSeed(seed, "T-<T>-seed-<j>").
    public static func measure(_ learner: any InfoAcqLearning, horizons: [Int], seeds: Int, seed: UInt64) throws -> InfoAcqRegretCurve {
        var points: [Point] = [], xs: [Double] = [], ys: [Double] = []
        for T in horizons {
            var p = Point(horizon: T, exploreRounds: learner.exploreRounds(horizon: T))
            var ic = 0
            for j in 0..<seeds {
                let o = try learner.run(horizon: T, seed: Xoshiro256StarStar.derivedSeed(seed, "T-\(T)-seed-\(j)"))
                p.regret.add(o.regret); p.epsilon.add(o.epsilon); p.committedValue.add(o.committedValue)
                if o.committedIC { ic += 1 }
                xs.append(log(Double(T))); ys.append(log(max(o.regret, 1e-300)))
            }
            p.icFraction = Double(ic) / Double(seeds)
            points.append(p)
        }
        return InfoAcqRegretCurve(points: points, fit: leastSquares(xs, ys))
    }

    /// Ordinary least squares y = a + b x with the slope's 95% interval b ± t_{0.975, n−2} · se(b).
    public static func leastSquares(_ xs: [Double], _ ys: [Double]) -> Fit {
        let n = Double(xs.count)
        let mx = xs.reduce(0, +) / n, my = ys.reduce(0, +) / n
        let sxx = xs.reduce(0) { $0 + ($1 - mx) * ($1 - mx) }
        let sxy = zip(xs, ys).reduce(0) { $0 + ($1.0 - mx) * ($1.1 - my) }
        let b = sxy / sxx, a = my - b * mx
        let rss = zip(xs, ys).reduce(0) { $0 + pow($1.1 - a - b * $1.0, 2) }
        let half = xs.count > 2 ? StudentT.quantile975(degreesOfFreedom: xs.count - 2) * (rss / (n - 2) / sxx).squareRoot() : .nan
        return Fit(slope: b, intercept: a, halfWidth95: half, count: xs.count)
    }
}
