import GavelCore
import GavelLP

/// Everything computed on one instance: the optimal IC mechanism (spec A.3 LP [R]), the best
/// product, uncorrelated (spec A.6) and deterministic mechanisms, the IC certificate and the pure equilibria.
public struct InfoAcqAnalysis: Sendable {
    public var instance: InfoAcqInstance
    public var optimal: InfoAcqLPResult
    public var mechanism: InfoAcqMechanism
    public var value: Double
    public var product: InfoAcqProductBest?
    public var productSkipped: String?
    /// The best uncorrelated mechanism (product recommendations, payments independent of the
    /// recommended profile; ``InfoAcqUncorrelatedBest``), nil when its search was skipped.
    public var uncorrelated: InfoAcqUncorrelatedBest?
    public var uncorrelatedSkipped: String?
    public var deterministic: InfoAcqDeterministicBest
    public var certificate: InfoAcqCertificate
    public var equilibria: InfoAcqEquilibria?

    public static func run(_ x: InfoAcqInstance, equilibria: Bool = true, productLPs: Int = 4000) throws -> InfoAcqAnalysis {
        let optimal = try InfoAcqLP.solve(x)
        guard let value = optimal.value, let m = optimal.mechanism else {
            throw ExperimentError("the mechanism LP ended \(optimal.status)")
        }
        var product: InfoAcqProductBest?, skipped: String?
        do { product = try InfoAcqProductBest.solve(x, correlatedValue: value, maxLPs: productLPs) } catch let e as ExperimentError { skipped = e.description }
        // The uncorrelated class lies inside the product class: its certified upper bound caps ours.
        var uncorrelated: InfoAcqUncorrelatedBest?, uncorrelatedSkipped: String?
        do {
            uncorrelated = try InfoAcqUncorrelatedBest.solve(x, classUpperBound: product?.upperBound ?? value, maxLPs: productLPs)
        } catch let e as ExperimentError { uncorrelatedSkipped = e.description }
        let analysis = InfoAcqAnalysis(instance: x, optimal: optimal, mechanism: m, value: value, product: product, productSkipped: skipped,
                                       uncorrelated: uncorrelated, uncorrelatedSkipped: uncorrelatedSkipped,
                                       deterministic: try InfoAcqDeterministicBest.solve(x),
                                       certificate: InfoAcqCertificate.check(x, m),
                                       equilibria: equilibria ? InfoAcqEquilibria.enumerate(x, m) : nil)
        try analysis.checkCertificates()
        return analysis
    }

    /// The scale of the instance's numbers: the largest |utility| or cost, at least 1.
    var scale: Double {
        var s = 1.0
        for row in instance.utility { for u in row { s = max(s, abs(u)) } }
        for agent in instance.agents { for c in agent.costs { s = max(s, abs(c)) } }
        return s
    }

    /// What must hold before any of it is reported (issue 21): the mechanism is IC under the
    /// exact certificate (no agent gains more than 1e−7 of the instance's scale by deviating), and
    /// the classes nest: deterministic ⊂ product ⊂ correlated, so their values are ordered. A
    /// violation means the LP's floating point did not resolve the instance (payments many orders
    /// above the utilities, utilities near the limits of a double): an error says so, never a number.
    func checkCertificates() throws {
        let tolerance = 1e-7 * scale
        let gain = certificate.maxGain
        guard gain.isFinite, gain <= tolerance, value.isFinite else {
            throw ExperimentError("the LP's mechanism fails its IC certificate: an agent gains \(gain) by deviating (tolerance \(tolerance)); "
                                    + "payment_cap = \(instance.paymentCap) against utilities of order \(scale) is beyond what a double-precision LP "
                                    + "resolves: lower payment_cap (within about 10^6 of the utilities' scale)")
        }
        if let p = product, !(p.lowerBound >= deterministic.value - tolerance && value >= p.lowerBound - tolerance) {
            throw ExperimentError("inconsistent optimal values: deterministic \(deterministic.value), product ≥ \(p.lowerBound), correlated \(value) "
                                    + "(the classes nest, so these must rise); the instance's numbers (scale \(scale)) are beyond what the LPs resolve: rescale them")
        }
        // deterministic ⊂ uncorrelated ⊂ product: a point mass makes the payment restriction vacuous.
        if let u = uncorrelated, !(u.lowerBound >= deterministic.value - tolerance && u.lowerBound <= (product?.upperBound ?? value) + tolerance) {
            throw ExperimentError("inconsistent optimal values: deterministic \(deterministic.value), uncorrelated ≥ \(u.lowerBound), product ≤ \(product?.upperBound ?? value) "
                                    + "(the classes nest, so these must rise); the instance's numbers (scale \(scale)) are beyond what the LPs resolve: rescale them")
        }
        guard value >= deterministic.value - tolerance else {
            throw ExperimentError("inconsistent optimal values: correlated \(value) below deterministic \(deterministic.value); "
                                    + "the instance's numbers (scale \(scale)) are beyond what the LPs resolve: rescale them")
        }
    }
}

/// The JSON of `gavel solve infoacq INSTANCE.yaml` (issue 6 item 6). Key order is fixed.
public enum InfoAcqSolveReport {
    /// Non-obedient equilibria listed in full (all are counted).
    public static let listedEquilibria = 20

    /// The recovered (π, γ) for every recommended profile: per signal profile, the decision
    /// rule (decisions with positive probability) and each agent's payment per state.
    public static func mechanismJSON(_ x: InfoAcqInstance, _ m: InfoAcqMechanism) -> JSONValue {
        .object((0..<x.profileCount).filter { m.recommendation[$0] > 0 }.map { a in
            (x.profileName(a), .object((0..<x.signalProfileCount).map { s in
                (x.signalProfileName(s), .object([
                    ("decision", .object((0..<x.decisionCount).filter { m.pi(x, profile: a, signals: s, decision: $0) > 0 }.map {
                        (x.decisionNames[$0], .double(m.pi(x, profile: a, signals: s, decision: $0)))
                    })),
                    ("payments", .object(x.agents.indices.map { i in
                        (x.agents[i].name, .array((0..<x.stateCount).map { .double(m.gamma(x, agent: i, profile: a, signals: s, state: $0)) }))
                    })),
                ]))
            }))
        })
    }

    public static func json(_ r: InfoAcqAnalysis) -> JSONValue {
        let x = r.instance, m = r.mechanism
        let phi: [(String, JSONValue)] = (0..<x.profileCount).map { (x.profileName($0), .double(m.recommendation[$0])) }
        let u = InfoAcqEvaluation.utilities(x, m)
        let agents: [JSONValue] = x.agents.indices.map { i in
            let cost = (0..<x.profileCount).reduce(0.0) { $0 + m.recommendation[$1] * x.agents[i].costs[x.action(of: i, in: $1)] }
            return .object([("name", .string(x.agents[i].name)), ("expected_payment", .double(u.agents[i] + cost)), ("rent", .double(u.agents[i]))])
        }
        let w = r.certificate.worst
        let worst: JSONValue = .object([
            ("agent", .string(x.agents[w.agent].name)), ("told", .string(x.agents[w.agent].actionNames[w.told])),
            ("exerts", .string(x.agents[w.agent].actionNames[w.exerts])),
            ("reports", .object(w.reports.enumerated().map { (x.agents[w.agent].signalNames[$0.offset], .string(x.agents[w.agent].signalNames[$0.element])) })),
            ("gain", .double(w.gain)),
        ])
        var out: [(String, JSONValue)] = [
            ("instance", .object([("agents", .int(Int64(x.agentCount))), ("profiles", .int(Int64(x.profileCount))),
                                  ("signal_profiles", .int(Int64(x.signalProfileCount))), ("states", .int(Int64(x.stateCount))),
                                  ("payment_cap", .double(x.paymentCap))])),
            ("lp", .object([("variables", .int(Int64(r.optimal.variableCount))), ("constraints", .int(Int64(r.optimal.constraintCount)))])),
            ("value", .double(r.value)),
            ("phi", .object(phi)),
            ("agents", .array(agents)),
            ("mechanism", mechanismJSON(x, m)),
            ("best_product_value", r.product.map { .double($0.lowerBound) } ?? .null),
        ]
        if let p = r.product {
            out.append(("best_product", .object([
                ("lower_bound", .double(p.lowerBound)), ("upper_bound", .double(p.upperBound)), ("method", .string(p.method)),
                ("lp_solves", .int(Int64(p.lpSolves))),
                ("marginals", .object(x.agents.indices.map { i in (x.agents[i].name, .object(x.agents[i].actionNames.indices.map { (x.agents[i].actionNames[$0], .double(p.marginals[i][$0])) })) })),
            ])))
        } else {
            out.append(("best_product", .object([("skipped", .string(r.productSkipped ?? "not computed"))])))
        }
        out.append(("best_uncorrelated_value", r.uncorrelated.map { .double($0.lowerBound) } ?? .null))
        if let u = r.uncorrelated {
            out.append(("best_uncorrelated", .object([
                ("lower_bound", .double(u.lowerBound)), ("upper_bound", .double(u.upperBound)), ("method", .string(u.method)),
                ("lp_solves", .int(Int64(u.lpSolves))),
                ("marginals", .object(x.agents.indices.map { i in (x.agents[i].name, .object(x.agents[i].actionNames.indices.map { (x.agents[i].actionNames[$0], .double(u.marginals[i][$0])) })) })),
            ])))
        } else {
            out.append(("best_uncorrelated", .object([("skipped", .string(r.uncorrelatedSkipped ?? "not computed"))])))
        }
        out.append(("best_deterministic_value", .double(r.deterministic.value)))
        out.append(("best_deterministic_profile", .string(x.profileName(r.deterministic.profile))))
        out.append(("max_deviation_gain", .double(r.certificate.maxGain)))
        out.append(("max_conditional_deviation_gain", .double(r.certificate.maxConditionalGain)))
        out.append(("worst_deviation", worst))
        out.append(("deviations_checked", .int(Int64(r.certificate.deviationsChecked))))
        if let e = r.equilibria {
            if let skipped = e.skipped {
                out.append(("equilibria", .object([("skipped", .string(skipped))])))
                out.append(("non_obedient_equilibria", .null))
            } else {
                let non = e.nonObedient
                out.append(("equilibria", .object([
                    ("pure_profiles_checked", .int(Int64(e.profilesChecked))), ("count", .int(Int64(e.equilibria.count))),
                    ("non_obedient", .int(Int64(non.count))), ("agents_prefer", .int(Int64(e.agentPreferred.count))),
                    ("listed", .int(Int64(min(non.count, listedEquilibria)))),
                ])))
                // Agent-preferred ones first, then enumeration order.
                let ordered = non.filter(\.agentsPrefer) + non.filter { !$0.agentsPrefer }
                out.append(("non_obedient_equilibria", .array(ordered.prefix(listedEquilibria).map { eq in
                    .object([
                        ("agents_prefer", .bool(eq.agentsPrefer)),
                        ("strategies", .object(x.agents.indices.map { i in
                            (x.agents[i].name, .string(eq.strategies[i].describe(x, agent: i, told: InfoAcqEquilibria.told(x, m, agent: i))))
                        })),
                        ("agent_utilities", .object(x.agents.indices.map { (x.agents[$0].name, .double(eq.agentUtilities[$0])) })),
                        ("obedient_agent_utilities", .object(x.agents.indices.map { (x.agents[$0].name, .double(e.obedientUtilities[$0])) })),
                        ("principal_utility", .double(eq.principalUtility)),
                    ])
                })))
            }
        }
        return .object(out)
    }
}
