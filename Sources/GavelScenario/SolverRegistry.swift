import GavelCore
import GavelData
import GavelLP
import GavelMatching
import GavelInfoAcq
import GavelAdAuctions
import GavelConfig

/// One family that `gavel solve FAMILY INSTANCE` knows: it reads an instance
/// file and reports everything it computes on it as one JSON document.
public struct InstanceSolver: Sendable {
    /// What `gavel solve` passes to a family.
    public struct Options: Sendable {
        /// Monte Carlo runs, for families that estimate when exact evaluation is too large.
        public var runs: Int
        /// Master seed of the Monte Carlo runs.
        public var seed: UInt64
        /// Told what the solver starts next ("benchmark budget_lp", "algorithm ranking"), for progress.
        public var stage: @Sendable (String) -> Void
        /// `--lp-solver`: overrides an instance file's `lp:` block (families with LP bounds).
        public var lp: LPSolverChoice?
        /// Options for `runs` Monte Carlo runs from `seed`.
        public init(runs: Int, seed: UInt64, lp: LPSolverChoice? = nil, stage: @escaping @Sendable (String) -> Void = { _ in }) {
            self.runs = runs; self.seed = seed; self.lp = lp; self.stage = stage
        }
    }
    /// The `FAMILY` of `gavel solve FAMILY INSTANCE`.
    public let family: String
    /// One line for `gavel list`.
    public let summary: String
    /// Reads the file (a malformed one throws `InputError`: bad input) and solves it.
    public let solve: @Sendable (_ path: String, _ options: Options) throws -> JSONValue
}

/// Every family of `gavel solve`, in `gavel list` order. A family registers here and nowhere else.
public enum SolverRegistry {
    /// The families, in `gavel list` order.
    public static let all: [InstanceSolver] = [
        InstanceSolver(family: "matching", summary: "benchmarks (LPs, DPs) and algorithms' expected values on one stochastic-matching instance") { path, options in
            let (instance, fileLP) = try MatchingInstanceFile.readWithLP(path: path)
            return try MatchingSolveReport.json(for: instance, runs: options.runs, seed: options.seed,
                                                lp: options.lp ?? fileLP ?? .automatic, stage: options.stage)
        },
        InstanceSolver(family: "infoacq", summary: "optimal IC mechanism (LP), best product, uncorrelated and deterministic mechanisms, IC certificate, pure equilibria on one information-acquisition instance") { path, options in
            let instance = try InfoAcqInstanceFile.read(path: path)
            options.stage("mechanism LP, best product, uncorrelated and deterministic mechanisms, certificate, equilibria")
            return InfoAcqSolveReport.json(try InfoAcqAnalysis.run(instance, equilibria: true))
        },
        InstanceSolver(family: "aigc", summary: "one position auction in AI-generated content (MNL or cascade): welfare or revenue, allocation, CTRs, payments (docs/aigc.md)") { path, options in
            let file = try AdInstanceFile.read(path: path)
            options.stage("\(file.rule.name) allocation and \(file.payment.rawValue) payments")
            return try AdSolveReport.json(for: file)
        },
    ]

    /// The solver for `family`, if any.
    public static func named(_ family: String) -> InstanceSolver? { all.first { $0.family == family } }
}
