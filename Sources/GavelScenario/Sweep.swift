import GavelCore
import GavelConfig

/// One point of a sweep: the scenario with some values replaced.
public struct SweepConfiguration: Sendable {
    /// Position in the sweep (grid first, then listed points, then random samples).
    public let index: Int
    /// The replaced values, as dotted path → value, in the sweep's key order.
    public let assignments: [(String, JSONValue)]
    /// The experiment as decoded with this configuration's values.
    public let experiment: any Experiment

    /// `base` as this configuration plans it: its parameters extended with the swept values it
    /// does not already carry (the run plan and the `published:` check both ask).
    public func plannedCell(_ base: RunCell) -> RunCell {
        RunCell(mechanism: base.mechanism, parameters: base.parameters + assignments.filter { a in !base.parameters.contains { $0.0 == a.0 } })
    }
}

/// The `sweep:` block of a scenario file.
///
/// ```yaml
/// sweep:
///   grid: {auctions: [1000, 2000], reserve: [0.0, 0.25]}   # Cartesian product, first key slowest
///   points: [{auctions: 500, reserve: 0.1}]               # listed configurations
///   random:                                              # random samples
///     count: 8
///     seed: 11                                           # default: the scenario's seed
///     uniform: {reserve: [0.0, 0.5]}                     # U[a, b]
///     choice: {bidders: [2, 5, 10]}                      # one of the listed values
/// ```
/// Keys are dotted paths into the scenario, as for `--set`. Random samples come
/// from their own stream (`sweep`) of the given seed, drawn key by key in file
/// order, so adding samples appends points without moving the earlier ones.
struct SweepSpec {
    var points: [[(path: [String], value: YAMLNode)]] = []

    /// Keys of the scenario itself, which a sweep cannot change: one scenario has one kind,
    /// name, schema, seed, replication count and comparison setting (write a scenario per value).
    static let fixedKeys: Set<String> = ["schema_version", "name", "kind", "seed", "replications", "description",
                                         "common_random_numbers", "compare_to", "paper_seed", "published", "sweep"]

    /// `maxPoints`: the most points the sweep may have, checked before any is made.
    static func parse(_ node: YAMLNode, defaultSeed: UInt64, maxPoints: Int = .max) throws -> SweepSpec {
        guard case .mapping(let entries, _) = node else {
            throw InputError("expected a mapping with grid, points and/or random", field: "sweep", at: node.location)
        }
        var spec = SweepSpec()
        for entry in entries {
            switch entry.key {
            case "grid":
                guard case .mapping(let axes, _) = entry.value, !axes.isEmpty else {
                    throw InputError("expected a mapping of path: [values]", field: "sweep.grid", at: entry.value.location)
                }
                var size = 1
                for axis in axes {
                    guard case .sequence(let values, _) = axis.value, !values.isEmpty else {
                        throw InputError("expected a non-empty list of values", field: "sweep.grid.\(axis.key)", at: axis.value.location)
                    }
                    let (n, overflow) = size.multipliedReportingOverflow(by: values.count)
                    guard !overflow, n <= maxPoints - spec.points.count else {
                        throw InputError("the grid has more points than the limit of \(maxPoints) runs (raise it with --max-runs)",
                                            field: "sweep.grid.\(axis.key)", at: axis.keyLocation)
                    }
                    size = n
                }
                var product: [[(path: [String], value: YAMLNode)]] = [[]]
                for axis in axes {
                    guard case .sequence(let values, _) = axis.value else { continue }
                    let path = try Self.path(axis.key, at: axis.keyLocation)
                    product = product.flatMap { prefix in values.map { prefix + [(path, $0)] } }
                }
                spec.points += product
            case "points":
                guard case .sequence(let items, _) = entry.value else {
                    throw InputError("expected a list of mappings path: value", field: "sweep.points", at: entry.value.location)
                }
                for (i, item) in items.enumerated() {
                    guard case .mapping(let pairs, _) = item, !pairs.isEmpty else {
                        throw InputError("expected a mapping path: value", field: "sweep.points.\(i)", at: item.location)
                    }
                    spec.points.append(try pairs.map { (try Self.path($0.key, at: $0.keyLocation), $0.value) })
                }
                guard spec.points.count <= maxPoints else {
                    throw InputError("more points than the limit of \(maxPoints) runs (raise it with --max-runs)", field: "sweep.points", at: entry.value.location)
                }
            case "random":
                spec.points += try Self.randomPoints(entry.value, defaultSeed: defaultSeed, maxPoints: maxPoints - spec.points.count)
            default:
                throw InputError("unknown key '\(entry.key)' (allowed here: grid, points, random)", field: "sweep.\(entry.key)", at: entry.keyLocation)
            }
        }
        guard !spec.points.isEmpty else { throw InputError("the sweep has no points", field: "sweep", at: node.location) }
        return spec
    }

    static func path(_ key: String, at location: SourceLocation) throws -> [String] {
        let parts = key.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        guard parts.allSatisfy({ !$0.isEmpty }) else {
            throw InputError("empty component in path '\(key)' (expected path.to.key)", field: "sweep", at: location)
        }
        if fixedKeys.contains(parts[0]) {
            throw InputError("'\(parts[0])' cannot be swept: one scenario has one \(parts[0]) (write a scenario per value)",
                                field: "sweep.\(key)", at: location)
        }
        return parts
    }

    static func randomPoints(_ node: YAMLNode, defaultSeed: UInt64, maxPoints: Int = .max) throws -> [[(path: [String], value: YAMLNode)]] {
        guard case .mapping(let entries, _) = node else {
            throw InputError("expected a mapping with count, seed, uniform, choice", field: "sweep.random", at: node.location)
        }
        var count = 0, seed = defaultSeed
        var uniform: [(path: [String], low: Double, high: Double)] = []
        var choice: [(path: [String], values: [YAMLNode])] = []
        for entry in entries {
            let field = "sweep.random.\(entry.key)"
            switch entry.key {
            case "count":
                guard case .scalar(let s, false, _) = entry.value, let n = Int(s), n >= 1 else {
                    throw InputError("expected an integer ≥ 1", field: field, at: entry.value.location)
                }
                guard n <= maxPoints else {
                    throw InputError("\(n) points is more than the limit of \(maxPoints) runs (raise it with --max-runs)", field: field, at: entry.value.location)
                }
                count = n
            case "seed":
                guard case .scalar(let s, false, _) = entry.value, let n = UInt64(s) else {
                    throw InputError("expected a non-negative integer", field: field, at: entry.value.location)
                }
                seed = n
            case "uniform":
                guard case .mapping(let axes, _) = entry.value else { throw InputError("expected path: [low, high]", field: field, at: entry.value.location) }
                for axis in axes {
                    guard case .sequence(let bounds, _) = axis.value, bounds.count == 2,
                          case .scalar(let a, false, _) = bounds[0], case .scalar(let b, false, _) = bounds[1],
                          let low = Double(a), let high = Double(b), low.isFinite, high.isFinite, low <= high else {
                        throw InputError("expected [low, high] with low ≤ high", field: "\(field).\(axis.key)", at: axis.value.location)
                    }
                    uniform.append((try path(axis.key, at: axis.keyLocation), low, high))
                }
            case "choice":
                guard case .mapping(let axes, _) = entry.value else { throw InputError("expected path: [values]", field: field, at: entry.value.location) }
                for axis in axes {
                    guard case .sequence(let values, _) = axis.value, !values.isEmpty else {
                        throw InputError("expected a non-empty list of values", field: "\(field).\(axis.key)", at: axis.value.location)
                    }
                    choice.append((try path(axis.key, at: axis.keyLocation), values))
                }
            default:
                throw InputError("unknown key '\(entry.key)' (allowed here: count, seed, uniform, choice)", field: field, at: entry.keyLocation)
            }
        }
        guard count >= 1 else { throw InputError("missing required key 'count'", field: "sweep.random", at: node.location) }
        guard !uniform.isEmpty || !choice.isEmpty else {
            throw InputError("expected 'uniform' and/or 'choice' axes", field: "sweep.random", at: node.location)
        }
        var rng = Xoshiro256StarStar(seed: seed).stream(named: "sweep")
        return (0..<count).map { _ in
            uniform.map { axis -> (path: [String], value: YAMLNode) in
                let v = axis.low + (axis.high - axis.low) * rng.nextUnitDouble()
                return (axis.path, .scalar(v.description, quoted: false, node.location))
            } + choice.map { axis in (axis.path, axis.values[rng.nextInt(below: axis.values.count)]) }
        }
    }
}

extension YAMLNode {
    /// The value as a result-file parameter: numbers and booleans typed, the rest as text.
    var parameterValue: JSONValue {
        switch self {
        case .scalar(let s, let quoted, _):
            if quoted { return .string(s) }
            if isNull { return .null }
            if let i = Int64(s) { return .int(i) }
            if let d = Double(s), d.isFinite { return .double(d) }
            if s == "true" || s == "false" { return .bool(s == "true") }
            return .string(s)
        case .sequence(let items, _): return .array(items.map(\.parameterValue))
        case .mapping(let pairs, _): return .object(pairs.map { ($0.key, $0.value.parameterValue) })
        }
    }
}
