import Foundation
import GavelCore
import GavelData
import GavelConfig

/// Reads and writes the instance file format (docs/infoacq.md):
///
/// ```yaml
/// states: [s0, s1]
/// prior: [0.5, 0.5]
/// decisions: [d0, d1]
/// utility: {d0: [1, 0], d1: [0, 1]}        # u(decision, state), states in order
/// payment_cap: 0.5
/// agents:
///   - {name: a1, actions: {shirk: 0.0, work: 0.1}, signals: [x0, x1]}   # action: cost
///   - {name: a2, actions: {shirk: 0.0, work: 0.1}, signals: [x0, x1]}
/// information:        # q_a(s | state): joint action profile -> state -> joint signal -> probability
///   "work,work":
///     s0: {"x0,x0": 0.8, "x1,x1": 0.2}
///     s1: {"x0,x0": 0.2, "x1,x1": 0.8}
///   # ... every joint profile
/// ```
///
/// Joint names join the agents' names in agent order with commas (spaces around a comma are
/// ignored). Signal profiles left out of a row have probability 0; every row must sum to 1
/// within 1e-9. Every error is a `InputError` naming file, line, column and field.
public enum InfoAcqInstanceFile {
    public static let keys = ["states", "prior", "decisions", "utility", "payment_cap", "agents", "information"]


    public static func read(path: String) throws -> InfoAcqInstance {
        let (text, file) = try InstanceText.read(path: path)
        return try parse(text: text, file: file)
    }

    public static func parse(text: String, file: String = "<instance>") throws -> InfoAcqInstance {
        let f = YAMLFields(file: file)
        let root = try f.root(of: text, expected: "keys \(keys.joined(separator: ", "))")
        let top = try f.mapping(root, "", allowed: keys)
        func req(_ key: String, _ what: String) throws -> YAMLNode { try f.required(top, key, in: root, field: "", what) }

        func names(_ node: YAMLNode, _ field: String) throws -> [String] {
            let items = try f.sequence(node, field)
            if items.isEmpty { throw f.fail(node, field, "expected a non-empty list of names") }
            var out: [String] = []
            for (k, item) in items.enumerated() {
                let s = try f.string(item, "\(field)[\(k)]")
                if out.contains(s) { throw f.fail(item, "\(field)[\(k)]", "duplicate name '\(s)'") }
                out.append(s)
            }
            return out
        }
        let statesNode = try req("states", "a list of state names")
        let states = try names(statesNode, "states")
        let priorNode = try req("prior", "one probability per state")
        let prior = try f.numbers(priorNode, "prior", "a probability in [0, 1]") { $0 >= 0 && $0 <= 1 }
        if prior.count != states.count { throw f.fail(priorNode, "prior", "expected \(states.count) probabilities (one per state), found \(prior.count)") }
        let priorSum = prior.reduce(0, +)
        if abs(priorSum - 1) > InfoAcqInstance.sumTolerance { throw f.fail(priorNode, "prior", "probabilities must sum to 1, they sum to \(priorSum)") }
        let decisions = try names(try req("decisions", "a list of decision names"), "decisions")
        let utilityNode = try req("utility", "a mapping decision -> one utility per state")
        let utilityEntries = try f.mapping(utilityNode, "utility", allowed: decisions)
        var utility: [[Double]] = []
        for d in decisions {
            guard let row = f.optional(utilityEntries, d) else { throw f.fail(utilityNode, "utility.\(d)", "missing utility of decision '\(d)' (one value per state)") }
            let values = try f.numbers(row, "utility.\(d)")
            if values.count != states.count { throw f.fail(row, "utility.\(d)", "expected \(states.count) values (one per state: \(states.joined(separator: ", "))), found \(values.count)") }
            utility.append(values)
        }
        let cap = try f.number(try req("payment_cap", "the cap B on every payment"), "payment_cap", "a finite number ≥ 0") { $0 >= 0 }

        let agentsNode = try req("agents", "a list of {name, actions, signals}")
        let agentItems = try f.sequence(agentsNode, "agents")
        if agentItems.isEmpty { throw f.fail(agentsNode, "agents", "expected at least one agent") }
        var agents: [InfoAcqAgent] = []
        for (i, item) in agentItems.enumerated() {
            let field = "agents[\(i)]"
            let e = try f.mapping(item, field, allowed: ["name", "actions", "signals"])
            let nameNode = try f.required(e, "name", in: item, field: field, "the agent's name")
            let name = try f.string(nameNode, "\(field).name")
            if agents.contains(where: { $0.name == name }) { throw f.fail(nameNode, "\(field).name", "duplicate agent name '\(name)'") }
            let actionsNode = try f.required(e, "actions", in: item, field: field, "a mapping action -> cost")
            let actions = try f.mapping(actionsNode, "\(field).actions")
            if actions.isEmpty { throw f.fail(actionsNode, "\(field).actions", "expected at least one action") }
            var costs: [Double] = []
            for (k, v) in actions {
                costs.append(try f.number(v, "\(field).actions.\(k)", "a cost ≥ 0 (a finite number)") { $0 >= 0 })
            }
            let signals = try names(try f.required(e, "signals", in: item, field: field, "a list of signal names"), "\(field).signals")
            agents.append(InfoAcqAgent(name: name, actionNames: actions.map(\.0), costs: costs, signalNames: signals))
        }

        // The information structure: every joint profile, every state.
        let infoNode = try req("information", "q_a(s | state) for every joint action profile")
        let infoEntries = try f.mapping(infoNode, "information")
        let counts = agents.map(\.actionNames.count), sCounts = agents.map(\.signalNames.count)
        // Joint profiles grow as a product over agents: counted with overflow reported, and the
        // table q_a(s | t) bounded before it is allocated (70 agents of 2 actions overflowed Int;
        // 30 allocated 2^60 entries).
        var nA = 1, nS = 1, cells = states.count
        for (a, s) in zip(counts, sCounts) {
            let (x, o1) = nA.multipliedReportingOverflow(by: a), (y, o2) = nS.multipliedReportingOverflow(by: s)
            let (z, o3) = cells.multipliedReportingOverflow(by: a), (w, o4) = z.multipliedReportingOverflow(by: s)
            guard !(o1 || o2 || o3 || o4), w <= InstanceLimits.current.informationEntries else {
                throw f.fail(agentsNode, "agents", "\(agents.count) agents make more than \(InstanceLimits.current.informationEntries) entries of q_a(s | state) (joint action profiles × states × joint signals; expected a smaller instance, or raise the limit with --max-table-entries)")
            }
            nA = x; nS = y; cells = w
        }
        let nT = states.count
        let aStr = InfoAcqInstance.strides(counts), sStr = InfoAcqInstance.strides(sCounts)
        func jointIndex(_ key: String, _ node: YAMLNode, _ field: String, _ kind: String, _ alphabets: [[String]], _ strides: [Int]) throws -> Int {
            let parts = key.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
            guard parts.count == agents.count else {
                throw f.fail(node, field, "'\(key)' names \(parts.count) \(kind)s, expected \(agents.count) (one per agent, in order \(agents.map(\.name).joined(separator: ", ")), joined by commas)")
            }
            var index = 0
            for (i, p) in parts.enumerated() {
                guard let k = alphabets[i].firstIndex(of: p) else {
                    throw f.fail(node, field, "unknown \(kind) '\(p)' of agent \(agents[i].name) (expected one of: \(alphabets[i].joined(separator: ", ")))")
                }
                index += k * strides[i]
            }
            return index
        }
        var info = [Double](repeating: 0, count: nA * nT * nS)
        var seen = [Bool](repeating: false, count: nA)
        for (key, profileNode) in infoEntries {
            let a = try jointIndex(key, profileNode, "information.\(key)", "action", agents.map(\.actionNames), aStr)
            if seen[a] { throw f.fail(profileNode, "information.\(key)", "profile '\(key)' is given twice") }
            seen[a] = true
            let rows = try f.mapping(profileNode, "information.\(key)", allowed: states)
            for (t, state) in states.enumerated() {
                guard let row = f.optional(rows, state) else {
                    throw f.fail(profileNode, "information.\(key).\(state)", "missing state '\(state)' (every profile needs q(· | state) for every state)")
                }
                let field = "information.\(key).\(state)"
                var sum = 0.0
                for (sKey, pNode) in try f.mapping(row, field) {
                    let s = try jointIndex(sKey, pNode, "\(field).\(sKey)", "signal", agents.map(\.signalNames), sStr)
                    let p = try f.number(pNode, "\(field).\(sKey)", "a probability in [0, 1]") { $0 >= 0 && $0 <= 1 }
                    info[(a * nT + t) * nS + s] += p
                    sum += p
                }
                if abs(sum - 1) > InfoAcqInstance.sumTolerance { throw f.fail(row, field, "probabilities must sum to 1, they sum to \(sum)") }
            }
        }
        if let missing = seen.firstIndex(of: false) {
            let name = agents.indices.map { agents[$0].actionNames[(missing / aStr[$0]) % counts[$0]] }.joined(separator: ",")
            throw f.fail(infoNode, "information", "missing joint profile '\(name)' (every one of the \(nA) profiles needs an entry)")
        }
        do {
            return try InfoAcqInstance(stateNames: states, prior: prior, decisionNames: decisions, utility: utility, paymentCap: cap,
                                       agents: agents, information: info)
        } catch {
            throw InputError(file: file, field: error.field, error.message)
        }
    }

    /// The instance in the file format; numbers in shortest round-trip form, zero
    /// probabilities left out: `parse(write(x)) == x`.
    public static func write(_ x: InfoAcqInstance) -> String {
        func q(_ s: String) -> String { "\"" + s.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\"" }
        func list(_ xs: [String]) -> String { "[" + xs.map(q).joined(separator: ", ") + "]" }
        func nums(_ xs: [Double]) -> String { "[" + xs.map { "\($0)" }.joined(separator: ", ") + "]" }
        var out = "states: \(list(x.stateNames))\nprior: \(nums(x.prior))\ndecisions: \(list(x.decisionNames))\n"
        out += "utility: {" + x.decisionNames.indices.map { "\(q(x.decisionNames[$0])): \(nums(x.utility[$0]))" }.joined(separator: ", ") + "}\n"
        out += "payment_cap: \(x.paymentCap)\nagents:\n"
        for ag in x.agents {
            out += "  - {name: \(q(ag.name)), actions: {" + ag.actionNames.indices.map { "\(q(ag.actionNames[$0])): \(ag.costs[$0])" }.joined(separator: ", ")
            out += "}, signals: \(list(ag.signalNames))}\n"
        }
        out += "information:\n"
        for a in 0..<x.profileCount {
            out += "  \(q(x.profileName(a))):\n"
            for t in 0..<x.stateCount {
                let cells = (0..<x.signalProfileCount).filter { x.q(a, t, $0) != 0 }.map { "\(q(x.signalProfileName($0))): \(x.q(a, t, $0))" }
                out += "    \(q(x.stateNames[t])): {\(cells.joined(separator: ", "))}\n"
            }
        }
        return out
    }
}
