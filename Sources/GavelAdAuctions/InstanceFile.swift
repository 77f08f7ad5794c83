import GavelCore
import Foundation
import GavelData
import GavelConfig

/// One auction read from an instance file (docs/aigc.md, "Instance file"):
///
/// ```yaml
/// model: mnl            # or cascade
/// objective: welfare    # or revenue (then give distributions)
/// values: [10, 8, 5]    # per-click values (bids), one per advertiser
/// weights: [[0.5, 0.2], [0.4, 0.3], [0.6, 0.6]]   # MNL attraction w_ij = exp(rho_ij)
/// ctr: ...              # cascade: standalone p_ij
/// continuation: ...     # cascade: q_ij
/// order: chosen         # cascade: chosen by the mechanism, or text (positions in index order)
/// max_ads: 2
/// mechanism: dinkelbach # optional allocation rule (default: dinkelbach for MNL; brute_force for cascade up to 20,000 allocations, else name one)
/// payments: vcg         # or myerson (gsp, vcg_separable with alpha/beta)
/// distributions: ...    # revenue objective: one per advertiser, e.g. {uniform: [0, 10]}
/// alpha: [...]          # optional separable factors (p_ij = alpha_i beta_j): classic baselines
/// beta: [...]
/// ```
public struct AdInstanceFile: Sendable {
    /// What the instance's mechanism maximises: declared welfare, or revenue (with `distributions`).
    public enum Objective: String, Sendable, CaseIterable { case welfare, revenue }
    /// The auction (model, matrices, K).
    public var auction: PositionAuction
    /// Per-click values (bids), one per advertiser.
    public var values: [Double]
    /// `welfare` (default) or `revenue`.
    public var objective: Objective
    /// The allocation rule (`mechanism:`, or the default for the model and size).
    public var rule: AllocationRule
    /// The payment rule (`payments:`).
    public var payment: PaymentRule
    /// One value distribution per advertiser (the revenue objective); nil otherwise.
    public var distributions: [ValueDistribution]?

    /// Allocations up to which a cascade instance is solved by brute force when it names no rule
    /// (about a second with Myerson payments on this machine; `mechanism: brute_force` forces it).
    public static let defaultBruteForceLimit = 20_000

    /// The keys an instance file may have.
    public static let keys = ["model", "objective", "values", "weights", "ctr", "continuation", "order", "max_ads",
                              "mechanism", "payments", "distributions", "alpha", "beta"]
    /// The names `mechanism:` accepts, and the rule each names.
    public static let mechanisms: [String: AllocationRule] = [
        "dinkelbach": .dinkelbach, "lp": .charnesCooper, "brute_force": .bruteForce, "exact": .bruteForce,
        "greedy": .greedy, "local_search": .localSearch, "ignore_substitution": .ignoreSubstitution,
        "separable_ranking": .separableRanking, "best_of_1": .bestOfSize(1), "best_of_2": .bestOfSize(2),
        "tail_search_1": .tailSearch(1), "tail_search_2": .tailSearch(2),
    ]

    /// Reads and checks the file at `path`.
    /// - Throws: `InputError` at the offending value's file, line and column.
    public static func read(path: String) throws -> AdInstanceFile {
        let (text, file) = try InstanceText.read(path: path)
        return try parse(text: text, file: file)
    }

    /// Parses and checks an instance from `text`; `file` names it in errors.
    /// - Throws: `InputError` at the offending value's line and column.
    public static func parse(text: String, file: String = "<instance>") throws -> AdInstanceFile {
        let f = YAMLFields(file: file)
        let root = try f.root(of: text, expected: "keys 'model', 'values', 'max_ads' and a matrix")
        let top = try f.mapping(root, "", allowed: keys)
        func choice(_ key: String, _ allowed: [String], default value: String) throws -> (String, YAMLNode?) {
            guard let node = f.optional(top, key) else { return (value, nil) }
            let s = try f.string(node, key)
            guard allowed.contains(s) else { throw f.fail(node, key, "unknown \(key) '\(s)' (expected one of: \(allowed.joined(separator: ", ")))") }
            return (s, node)
        }
        let (model, _) = try choice("model", ["mnl", "cascade"], default: "mnl")
        let (objectiveName, _) = try choice("objective", Objective.allCases.map(\.rawValue), default: "welfare")
        let objective = Objective(rawValue: objectiveName) ?? .welfare
        let valuesNode = try f.required(top, "values", in: root, field: "", "per-click values, one per advertiser")
        let values = try f.numbers(valuesNode, "values", "a per-click value in [0, 1e300]") { $0 >= 0 && $0 <= 1e300 }
        guard !values.isEmpty else { throw f.fail(valuesNode, "values", "expected at least one advertiser") }
        let n = values.count
        let kNode = try f.required(top, "max_ads", in: root, field: "", "K, the most ads shown")
        let k = try f.integer(kNode, "max_ads", "an integer ≥ 1") { $0 >= 1 }

        func matrix(_ key: String, _ what: String, _ ok: @escaping (Double) -> Bool, columns: Int? = nil) throws -> (AdMatrix, YAMLNode) {
            let node = try f.required(top, key, in: root, field: "", "a \(n)-row matrix, advertiser × position")
            let rows = try f.sequence(node, key)
            guard rows.count == n else {
                throw f.fail(node, key, "expected \(n) rows (one per advertiser, as in 'values'), found \(rows.count)")
            }
            let x = try f.matrix(node, key, rows: n, columns: columns, what, ok)
            guard let width = x.first?.count, width >= 1 else { throw f.fail(node, key, "expected at least one position (column)") }
            return (AdMatrix(x), node)
        }
        let clickModel: ClickModel
        let m: Int
        let matrixNode: YAMLNode
        let unit: (Double) -> Bool = { $0 >= 0 && $0 <= 1 }
        if model == "mnl" {
            for key in ["ctr", "continuation", "order"] {
                if let node = f.optional(top, key) { throw f.fail(node, key, "'\(key)' belongs to the cascade model (this instance says model: mnl)") }
            }
            let (w, node) = try matrix("weights", "an attraction weight w_ij = exp(rho_ij) in [0, 1e250]", { $0 >= 0 && $0 <= PositionAuction.maxWeight })
            clickModel = .mnl(weights: w); m = w.columns; matrixNode = node
        } else {
            if let node = f.optional(top, "weights") { throw f.fail(node, "weights", "'weights' belongs to the MNL model (this instance says model: cascade; give ctr and continuation)") }
            let (p, node) = try matrix("ctr", "a click-through rate in [0, 1]", unit)
            let (q, _) = try matrix("continuation", "a continuation probability in [0, 1]", unit, columns: p.columns)
            let (orderName, _) = try choice("order", RenderingOrder.allCases.map(\.rawValue), default: "chosen")
            clickModel = .cascade(ctr: p, continuation: q, order: RenderingOrder(rawValue: orderName) ?? .chosen)
            m = p.columns; matrixNode = node
        }
        guard k <= m else {
            throw f.fail(kNode, "max_ads", "K = \(k) is larger than the number of positions (\(m), the columns of '\(model == "mnl" ? "weights" : "ctr")'); expected 1 ≤ K ≤ \(m)")
        }
        var separable: ([Double], [Double])? = nil
        if let a = f.optional(top, "alpha") {
            let alpha = try f.numbers(a, "alpha", "a factor ≥ 0") { $0 >= 0 }
            guard alpha.count == n else { throw f.fail(a, "alpha", "expected \(n) values (one per advertiser), found \(alpha.count)") }
            let bNode = try f.required(top, "beta", in: root, field: "", "the position factors, with alpha")
            let beta = try f.numbers(bNode, "beta", "a factor ≥ 0") { $0 >= 0 }
            guard beta.count == m else { throw f.fail(bNode, "beta", "expected \(m) values (one per position), found \(beta.count)") }
            // The factors describe the model's own matrix (p_ij = α_i β_j): ones that contradict it would price a
            // different auction from the one allocated.
            let matrix: AdMatrix
            switch clickModel {
            case .mnl(let w): matrix = w
            case .cascade(let p, _, _): matrix = p
            }
            for i in 0..<n { for j in 0..<m {
                let product = alpha[i] * beta[j], entry = matrix[i, j]
                guard abs(product - entry) <= 1e-9 * max(abs(product), abs(entry), 1e-300) || (product == 0 && entry == 0) else {
                    throw f.fail(a, "alpha", "alpha[\(i)]·beta[\(j)] = \(product) contradicts \(model == "mnl" ? "weights" : "ctr")[\(i)][\(j)] = \(entry) "
                                 + "(expected the separable factors of the model's matrix, to 1e-9)")
                }
            } }
            separable = (alpha, beta)
        } else if let b = f.optional(top, "beta") {
            throw f.fail(b, "beta", "'beta' needs 'alpha' too")
        }
        let auction: PositionAuction
        do { auction = try PositionAuction(model: clickModel, maxAds: k, separable: separable) } catch let e as InputError where e.location == nil {
            throw f.fail(matrixNode, e.field, e.message)
        }
        let (ruleName, ruleNode) = try choice("mechanism", mechanisms.keys.sorted(), default: model == "mnl" ? "dinkelbach" : "brute_force")
        // Brute force is the cascade default only where it finishes: an instance with more allocations
        // must name its rule (`mechanism: brute_force` forces enumeration whatever the size).
        if model == "cascade" && ruleNode == nil {
            let count = MNLOptimizer.matchingCount(advertisers: auction.advertisers, positions: auction.positions, maxEdges: k)
            if count > Self.defaultBruteForceLimit {
                throw f.fail(root, "mechanism", "the instance has \(count == .max ? "more than 2^63" : String(count)) allocations, more than the "
                             + "\(Self.defaultBruteForceLimit) up to which brute force is the default: name a rule (greedy, local_search, tail_search_2, "
                             + "best_of_2), or mechanism: brute_force to enumerate them all")
            }
        }
        let rule = mechanisms[ruleName] ?? .dinkelbach
        let (paymentName, paymentNode) = try choice("payments", PaymentRule.allCases.map(\.rawValue), default: rule.maximisesLinearObjective && objective == .welfare ? "vcg" : "myerson")
        let payment = PaymentRule(rawValue: paymentName) ?? .myerson
        var distributions: [ValueDistribution]? = nil
        if let d = f.optional(top, "distributions") {
            let items = try f.sequence(d, "distributions")
            guard items.count == n else { throw f.fail(d, "distributions", "expected \(n) distributions (one per advertiser), found \(items.count)") }
            distributions = try items.enumerated().map { try distribution($1, "distributions[\($0)]", f) }
        }
        if objective == .revenue {
            guard distributions != nil else { throw f.fail(root, "distributions", "objective: revenue needs 'distributions' (one per advertiser, e.g. {uniform: [0, 10]})") }
            if payment != .myerson { throw f.fail(paymentNode ?? root, "payments", "the revenue-optimal mechanism charges Myerson payments; expected payments: myerson") }
        }
        do { _ = try AdMechanism(rule: rule, payment: payment, virtualValues: objective == .revenue ? [] : nil) } catch let e as InputError where e.location == nil {
            if !(objective == .revenue && e.field == "distributions") { throw f.fail(paymentNode ?? ruleNode ?? root, e.field, e.message) }
        }
        if case .mnl = clickModel, [.greedy, .localSearch, .tailSearch(1), .tailSearch(2)].contains(rule) {
            throw f.fail(ruleNode ?? root, "mechanism", "\(rule.name) is a cascade rule (model: mnl takes dinkelbach, lp, brute_force, ignore_substitution, separable_ranking)")
        }
        if case .cascade = clickModel, [.dinkelbach, .charnesCooper].contains(rule) {
            throw f.fail(ruleNode ?? root, "mechanism", "\(rule.name) is an MNL optimiser (model: cascade takes brute_force, greedy, local_search, tail_search_1, tail_search_2, best_of_1, best_of_2, ignore_substitution, separable_ranking)")
        }
        if rule == .separableRanking && separable == nil {
            throw f.fail(ruleNode ?? root, "mechanism", "separable_ranking needs 'alpha' and 'beta'")
        }
        return AdInstanceFile(auction: auction, values: values, objective: objective, rule: rule, payment: payment, distributions: distributions)
    }

    /// `{uniform: [lo, hi]}`, `{exponential: rate}`, `{lognormal: [mu, sigma]}`,
    /// `{mixture: [{weight: w, uniform: [..]}, ...]}`.
    static func distribution(_ node: YAMLNode, _ field: String, _ f: YAMLFields) throws -> ValueDistribution {
        let entries = try f.mapping(node, field)
        let named = entries.filter { $0.0 != "weight" }
        guard named.count == 1, let (name, value) = named.first else {
            throw f.fail(node, field, "expected one distribution, e.g. {uniform: [0, 10]} (known: \(ValueDistribution.names.joined(separator: ", ")))")
        }
        let d: ValueDistribution
        switch name {
        case "uniform":
            let x = try f.numbers(value, "\(field).uniform")
            guard x.count == 2 else { throw f.fail(value, "\(field).uniform", "expected [lower, upper]") }
            d = .uniform(lower: x[0], upper: x[1])
        case "exponential":
            d = .exponential(rate: try f.number(value, "\(field).exponential", "a rate > 0") { $0 > 0 })
        case "lognormal":
            let x = try f.numbers(value, "\(field).lognormal")
            guard x.count == 2 else { throw f.fail(value, "\(field).lognormal", "expected [mu, sigma]") }
            d = .lognormal(mu: x[0], sigma: x[1])
        case "mixture":
            let parts = try f.sequence(value, "\(field).mixture").enumerated().map { k, item -> ValueDistribution.Component in
                let sub = "\(field).mixture[\(k)]"
                let e = try f.mapping(item, sub)
                let w = try f.required(e, "weight", in: item, field: sub, "the component's weight > 0")
                return .init(weight: try f.number(w, "\(sub).weight", "a weight > 0") { $0 > 0 }, distribution: try distribution(item, sub, f))
            }
            d = .mixture(parts)
        default:
            throw f.fail(value, "\(field).\(name)", "unknown distribution '\(name)' (known: \(ValueDistribution.names.joined(separator: ", ")))")
        }
        do { return try d.validated(field: field) } catch let e as InputError where e.location == nil { throw f.fail(value, e.field, e.message) }
    }

    /// The mechanism the file asks for.
    public func mechanism() throws -> AdMechanism {
        let phi = objective == .revenue ? distributions.map { $0.map { VirtualValueFunction($0) } } : nil
        return try AdMechanism(rule: rule, payment: payment, virtualValues: phi)
    }
}

extension AdInstanceFile {
    /// An instance in the file format, numbers in shortest round-trip form (for fixtures).
    public static func write(_ a: PositionAuction, values: [Double], rule: String? = nil, payment: PaymentRule? = nil) -> String {
        func row(_ x: [Double]) -> String { "[" + x.map { "\($0)" }.joined(separator: ", ") + "]" }
        func matrix(_ x: AdMatrix) -> String { "\n" + x.asRows.map { "  - \(row($0))" }.joined(separator: "\n") }
        var out = "model: \(a.model.name)\nvalues: \(row(values))\nmax_ads: \(a.maxAds)\n"
        switch a.model {
        case .mnl(let w): out += "weights:" + matrix(w) + "\n"
        case .cascade(let p, let q, let order):
            out += "order: \(order.rawValue)\nctr:" + matrix(p) + "\ncontinuation:" + matrix(q) + "\n"
        }
        if let s = a.separable { out += "alpha: \(row(s.alpha))\nbeta: \(row(s.beta))\n" }
        if let rule { out += "mechanism: \(rule)\n" }
        if let payment { out += "payments: \(payment.rawValue)\n" }
        return out
    }
}
