import GavelCore

/// An information-acquisition mechanism as a scenario names it: a rule that, given an instance
/// (and Gavel's analysis of it), designs the mechanism M = (φ, π, γ) the principal commits to.
///
/// The one extension point of `kind: infoacq`. The built-in rules are the best mechanism of a
/// class (correlated recommendations, product recommendations, one deterministic profile); a
/// program registers its own in ``InfoAcqMechanisms/registry`` before running, and a scenario
/// names it in `mechanisms:` like a built-in. The kind then measures every design the same way:
/// simulated rounds with obedient, truthful agents, the IC certificate, and (with
/// `audit_misreports: true`) the misreport audit, so a registered rule that is not IC shows it.
public protocol InfoAcqMechanismDesigner: Sendable {
    /// The snake_case name a scenario uses (`mechanisms: [correlated, my_rule]`), also `summary.csv`'s mechanism column.
    var name: String { get }
    /// One line for `gavel list`.
    var summary: String { get }
    /// The mechanism for `analysis.instance`. The analysis (the optimal IC mechanism and the
    /// product and deterministic optima, computed once per instance) is there to reuse, not to
    /// obey. A throw fails the run (an ``ExperimentError`` is prefixed with the instance's label).
    func design(_ analysis: InfoAcqAnalysis) throws -> InfoAcqDesign
}

/// A designed mechanism and the value its designer claims for it.
public struct InfoAcqDesign: Sendable {
    /// M = (φ, π, γ), which the run simulates and certifies.
    public var mechanism: InfoAcqMechanism
    /// The principal's expected utility per round under obedience and truth-telling, as the
    /// designer computed it (an LP value, a bound): the `lp_value` metric, against which the
    /// simulated utility's z-score is taken.
    public var value: Double
    /// Whether the run writes the instance's solve report (`solve-<instance>.json`: the optimal
    /// IC mechanism and the comparisons) in replicate 0; the correlated optimum does.
    public var writesSolveReport: Bool

    /// A design; by default it writes no solve report.
    public init(mechanism: InfoAcqMechanism, value: Double, writesSolveReport: Bool = false) {
        self.mechanism = mechanism; self.value = value; self.writesSolveReport = writesSolveReport
    }
}

/// The `infoacq` family: its registry of ``InfoAcqMechanismDesigner``s, Gavel's own first in
/// `gavel list` order (correlated, product, deterministic, uncorrelated).
public enum InfoAcqMechanisms: MechanismFamily {
    /// The family's registry; register a designer here before running a scenario that names it.
    public static let registry = MechanismRegistry<any InfoAcqMechanismDesigner>(
        family: "information-acquisition mechanism",
        builtIn: [InfoAcqCorrelatedOptimum(), InfoAcqProductOptimum(), InfoAcqDeterministicOptimum(), InfoAcqUncorrelatedOptimum()],
        name: { $0.name }, summary: { $0.summary })
}

/// The optimal IC mechanism: the LP of spec A.3 over correlated recommendations.
public struct InfoAcqCorrelatedOptimum: InfoAcqMechanismDesigner {
    /// `correlated`.
    public var name: String { "correlated" }
    /// One line for `gavel list`.
    public var summary: String { "optimal IC mechanism: the LP of spec A.3 (correlated recommendations)" }
    /// The rule.
    public init() {}
    /// The analysis' LP optimum; it writes the instance's solve report.
    public func design(_ analysis: InfoAcqAnalysis) throws -> InfoAcqDesign {
        InfoAcqDesign(mechanism: analysis.mechanism, value: analysis.value, writesSolveReport: true)
    }
}

/// The best mechanism whose recommendations are drawn independently per agent (``InfoAcqProductBest``).
public struct InfoAcqProductOptimum: InfoAcqMechanismDesigner {
    /// `product`.
    public var name: String { "product" }
    /// One line for `gavel list`.
    public var summary: String { "best product-distribution recommendations (branch and bound over marginals, certified bounds)" }
    /// The rule.
    public init() {}
    /// The best product mechanism found, valued at its certified lower bound; an ``ExperimentError``
    /// when the search was skipped or found no feasible product mechanism.
    public func design(_ analysis: InfoAcqAnalysis) throws -> InfoAcqDesign {
        guard let p = analysis.product, let m = p.mechanism else {
            throw ExperimentError("product search skipped: \(analysis.productSkipped ?? "no feasible product mechanism")")
        }
        return InfoAcqDesign(mechanism: m, value: p.lowerBound)
    }
}

/// The best mechanism recommending one fixed profile (``InfoAcqDeterministicBest``).
public struct InfoAcqDeterministicOptimum: InfoAcqMechanismDesigner {
    /// `deterministic`.
    public var name: String { "deterministic" }
    /// One line for `gavel list`.
    public var summary: String { "best mechanism with one deterministic recommended profile" }
    /// The rule.
    public init() {}
    /// The analysis' best point mass.
    public func design(_ analysis: InfoAcqAnalysis) throws -> InfoAcqDesign {
        InfoAcqDesign(mechanism: analysis.deterministic.mechanism, value: analysis.deterministic.value)
    }
}

/// The best mechanism of the paper's comparison class of uncorrelated mechanisms (spec A.6,
/// ``InfoAcqUncorrelatedBest``): recommendations drawn independently per agent and payments
/// γ_i(s, θ) that do not depend on the recommended profile.
public struct InfoAcqUncorrelatedOptimum: InfoAcqMechanismDesigner {
    /// `uncorrelated`.
    public var name: String { "uncorrelated" }
    /// One line for `gavel list`.
    public var summary: String {
        "best uncorrelated mechanism (spec A.6): product recommendations, payments independent of the recommended profile (branch and bound, certified bounds)"
    }
    /// The rule.
    public init() {}
    /// The best uncorrelated mechanism found, valued at its lower bound; an ``ExperimentError``
    /// when the search was skipped or found no IC uncorrelated mechanism.
    public func design(_ analysis: InfoAcqAnalysis) throws -> InfoAcqDesign {
        guard let u = analysis.uncorrelated, let m = u.mechanism else {
            throw ExperimentError("uncorrelated search skipped: \(analysis.uncorrelatedSkipped ?? "no IC uncorrelated mechanism")")
        }
        return InfoAcqDesign(mechanism: m, value: u.lowerBound)
    }
}
