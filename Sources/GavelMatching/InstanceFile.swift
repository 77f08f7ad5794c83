import Foundation
import GavelData
import GavelLP
import GavelCore
import GavelConfig

/// Reads the instance file format (docs/matching.md):
///
/// ```yaml
/// offline: [{id: u0, weight: 1.0}, {id: u1}]          # weight defaults to 1
/// arrivals:                                           # in arrival order
///   - {id: t0, edges: {u0: 0.5, u1: 0.2}}
///   - {id: t1, edges: {u0: 0.8}}
/// ```
///
/// An optional `lp: {solver: glpk | clp | auto, method: auto | dual | primal | barrier, time_limit_s: 60}`
/// picks the LP backend for the file's LP bounds (docs/lp.md).
///
/// JSON is accepted (it is the flow subset). The file goes through the one YAML reader
/// (`YAMLNode.parse`, as scenarios do); every error is an `InputError` naming file, line,
/// column and field.
public enum MatchingInstanceFile {
    public static func read(path: String) throws -> MatchingInstance {
        try readWithLP(path: path).instance
    }

    /// The instance and its optional `lp: {solver, method, time_limit_s}` block (docs/lp.md).
    public static func readWithLP(path: String) throws -> (instance: MatchingInstance, lp: LPSolverChoice?) {
        let (text, file) = try InstanceText.read(path: path)
        return try parseWithLP(text: text, file: file)
    }

    public static func parse(text: String, file: String = "<instance>") throws -> MatchingInstance {
        try parseWithLP(text: text, file: file).instance
    }

    public static func parseWithLP(text: String, file: String = "<instance>") throws -> (instance: MatchingInstance, lp: LPSolverChoice?) {
        let root = try YAMLFields(file: file).root(of: text, expected: "keys 'offline' and 'arrivals'")
        let instance = try build(root, file: file)
        let fields = YAMLFields(file: file)
        guard let node = try fields.mapping(root, "", allowed: ["offline", "arrivals", "lp"]).first(where: { $0.0 == "lp" })?.1 else { return (instance, nil) }
        var choice = LPSolverChoice()
        for (key, value) in try fields.mapping(node, "lp", allowed: ["solver", "method", "time_limit_s"]) {
            switch key {
            case "solver":
                let name = try fields.string(value, "lp.solver")
                do { choice.backend = try LPSolverChoice.backend(named: name) } catch let e as LPError { throw fields.fail(value, "lp.solver", "\(e)") }
            case "method":
                let name = try fields.string(value, "lp.method")
                do { choice.method = try LPSolverChoice.method(named: name) } catch let e as LPError { throw fields.fail(value, "lp.method", "\(e)") }
            default:
                let seconds = try fields.number(value, "lp.time_limit_s", "a number of seconds > 0", { $0 > 0 && $0 <= 1e9 })
                choice.timeLimit = .milliseconds(Int64((seconds * 1000).rounded(.up)))
            }
        }
        return (instance, choice)
    }

    static func build(_ root: YAMLNode, file: String) throws -> MatchingInstance {
        let fields = YAMLFields(file: file)
        func fail(_ node: YAMLNode, _ field: String, _ message: String) -> InputError { fields.fail(node, field, message) }
        func mapping(_ node: YAMLNode, _ field: String, allowed: [String]) throws -> [(String, YAMLNode)] { try fields.mapping(node, field, allowed: allowed) }
        func sequence(_ node: YAMLNode, _ field: String) throws -> [YAMLNode] { try fields.sequence(node, field) }
        func string(_ node: YAMLNode, _ field: String) throws -> String { try fields.string(node, field) }
        func number(_ node: YAMLNode, _ field: String, _ expectation: String, _ ok: (Double) -> Bool) throws -> Double {
            try fields.number(node, field, expectation, ok)
        }

        let top = try mapping(root, "", allowed: ["offline", "arrivals", "lp"])
        guard let offlineNode = top.first(where: { $0.0 == "offline" })?.1 else { throw fail(root, "offline", "missing key 'offline' (a list of {id, weight})") }
        guard let arrivalsNode = top.first(where: { $0.0 == "arrivals" })?.1 else { throw fail(root, "arrivals", "missing key 'arrivals' (a list of {id, edges})") }

        var ids: [String] = [], weights: [Double] = [], index: [String: Int] = [:]
        for (i, item) in try sequence(offlineNode, "offline").enumerated() {
            let field = "offline[\(i)]"
            let entries = try mapping(item, field, allowed: ["id", "weight"])
            guard let idNode = entries.first(where: { $0.0 == "id" })?.1 else { throw fail(item, "\(field).id", "missing key 'id'") }
            let id = try string(idNode, "\(field).id")
            if index[id] != nil { throw fail(idNode, "\(field).id", "duplicate offline id '\(id)'") }
            let w = try entries.first(where: { $0.0 == "weight" }).map { try number($0.1, "\(field).weight", "a finite number ≥ 0", { $0 >= 0 }) } ?? 1
            index[id] = ids.count; ids.append(id); weights.append(w)
        }
        var arrivalIDs: [String] = [], seen = Set<String>(), arrivals: [[(u: Int, p: Double)]] = []
        for (t, item) in try sequence(arrivalsNode, "arrivals").enumerated() {
            let field = "arrivals[\(t)]"
            let entries = try mapping(item, field, allowed: ["id", "edges"])
            guard let idNode = entries.first(where: { $0.0 == "id" })?.1 else { throw fail(item, "\(field).id", "missing key 'id'") }
            let id = try string(idNode, "\(field).id")
            if !seen.insert(id).inserted { throw fail(idNode, "\(field).id", "duplicate arrival id '\(id)'") }
            var edges: [(u: Int, p: Double)] = []
            if let edgesNode = entries.first(where: { $0.0 == "edges" })?.1 {
                guard case .mapping(let edgeEntries, _) = edgesNode else { throw fail(edgesNode, "\(field).edges", "expected a mapping {offline id: p}") }
                for (key, value) in edgeEntries.map({ ($0.key, $0.value) }) {
                    guard let u = index[key] else {
                        throw fail(value, "\(field).edges.\(key)", "edge to unknown offline vertex '\(key)' (known: \(ids.prefix(8).joined(separator: ", "))\(ids.count > 8 ? ", ..." : ""))")
                    }
                    edges.append((u, try number(value, "\(field).edges.\(key)", "a probability in [0, 1]", { $0 >= 0 && $0 <= 1 })))
                }
            }
            arrivalIDs.append(id); arrivals.append(edges)
        }
        do {
            return try MatchingInstance(weights: weights, arrivals: arrivals, offlineIDs: ids, arrivalIDs: arrivalIDs)
        } catch let e as InputError where e.location == nil {
            throw InputError(file: file, e.description)
        }
    }

    /// The instance in the file format (flow style, one arrival per line),
    /// numbers in shortest round-trip form: `parse(write(x))` gives x back.
    public static func write(_ instance: MatchingInstance) -> String {
        var out = "offline:\n"
        for u in 0..<instance.offlineCount {
            out += "  - {id: \(quote(instance.offlineIDs[u])), weight: \(instance.weights[u])}\n"
        }
        out += "arrivals:\n"
        for t in 0..<instance.arrivalCount {
            let edges = instance.edges(of: t).map { "\(quote(instance.offlineIDs[$0.u])): \($0.p)" }.joined(separator: ", ")
            out += "  - {id: \(quote(instance.arrivalID(t))), edges: {\(edges)}}\n"
        }
        return out
    }

    static func quote(_ s: String) -> String {
        let plain = !s.isEmpty && s.unicodeScalars.allSatisfy { CharacterSet.alphanumerics.contains($0) || $0 == "_" || $0 == "-" || $0 == "." }
            && Double(s) == nil && !["true", "false", "null", "~"].contains(s)
        if plain { return s }
        return "\"" + s.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
    }
}
