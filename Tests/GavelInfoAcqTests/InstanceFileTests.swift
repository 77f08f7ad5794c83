import GavelCore
import Foundation
import GavelData
@testable import GavelInfoAcq
import Testing
import GavelConfig

@Suite("Instance file format")
struct InstanceFileTests {
    static let example = """
    states: [s0, s1]
    prior: [0.5, 0.5]
    decisions: [d0, d1]
    utility: {d0: [1, 0], d1: [0, 1]}        # u(decision, state), states in order
    payment_cap: 0.5
    agents:
      - {name: a1, actions: {shirk: 0.0, work: 0.1}, signals: [x0, x1]}   # action: cost
      - {name: a2, actions: {shirk: 0.0, work: 0.1}, signals: [x0, x1]}
    information:
      "work,work":
        s0: {"x0,x0": 0.8, "x1,x1": 0.2}
        s1: {"x0,x0": 0.2, "x1,x1": 0.8}
      "work,shirk":
        s0: {"x0,x0": 0.4, "x0,x1": 0.4, "x1,x0": 0.1, "x1,x1": 0.1}
        s1: {"x0,x0": 0.1, "x0,x1": 0.1, "x1,x0": 0.4, "x1,x1": 0.4}
      "shirk, work":
        s0: {"x0,x0": 0.4, "x1,x0": 0.4, "x0,x1": 0.1, "x1,x1": 0.1}
        s1: {"x0,x0": 0.1, "x1,x0": 0.1, "x0,x1": 0.4, "x1,x1": 0.4}
      "shirk,shirk":
        s0: {"x0,x0": 0.25, "x0,x1": 0.25, "x1,x0": 0.25, "x1,x1": 0.25}
        s1: {"x0,x0": 0.25, "x0,x1": 0.25, "x1,x0": 0.25, "x1,x1": 0.25}
    """

    static func commonNoise04() throws -> InfoAcqInstance {
        let agents = ["a1", "a2"].map { InfoAcqFamilies.AgentSpec($0, [.init("shirk", cost: 0, 0), .init("work", cost: 0.1, 1)]) }
        return try InfoAcqFamilies.commonNoise(noise: 0.4, agents: agents, cap: 0.5)
    }

    @Test("the issue's example parses, and is the common-noise family with noise 0.4 (q equal within 1e-15)")
    func example() throws {
        let x = try InfoAcqInstanceFile.parse(text: Self.example, file: "ex.yaml")
        #expect(x.agents.map(\.name) == ["a1", "a2"])
        #expect(x.agents[0].costs == [0, 0.1])
        #expect(x.profileName(1) == "shirk,work")
        #expect(x.q(3, 0, 0) == 0.8 && x.q(3, 0, 1) == 0)
        let family = try Self.commonNoise04()
        #expect(zip(x.information, family.information).allSatisfy { abs($0 - $1) <= 1e-15 })
        #expect(x.prior == family.prior && x.utility == family.utility && x.paymentCap == family.paymentCap)
    }

    @Test("the committed example file Scenarios/instances/infoacq-two-agents.yaml reads")
    func committedFile() throws {
        let path = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../Scenarios/instances/infoacq-two-agents.yaml").standardized.path
        let x = try InfoAcqInstanceFile.read(path: path)
        #expect(x.profileCount == 4 && x.signalProfileCount == 4)
    }

    @Test("write then parse gives the instance back, bit for bit")
    func roundTrip() throws {
        let x = try InfoAcqFamilies.random(agents: 3, actions: 2, signals: 3, states: 2, seed: 4)
        #expect(try InfoAcqInstanceFile.parse(text: InfoAcqInstanceFile.write(x)) == x)
        let y = try Self.commonNoise04()
        #expect(try InfoAcqInstanceFile.parse(text: InfoAcqInstanceFile.write(y)) == y)
    }

    struct BadCase: Sendable, CustomTestStringConvertible {
        let name: String, replace: String, with: String, line: Int, field: String, message: String
        var testDescription: String { name }
    }

    static let badCases: [BadCase] = [
        BadCase(name: "row does not sum to 1", replace: #"s0: {"x0,x0": 0.8, "x1,x1": 0.2}"#, with: #"s0: {"x0,x0": 0.8, "x1,x1": 0.3}"#,
                line: 11, field: "information.work,work.s0", message: "probabilities must sum to 1, they sum to 1.1"),
        BadCase(name: "prior does not sum to 1", replace: "prior: [0.5, 0.5]", with: "prior: [0.5, 0.6]",
                line: 2, field: "prior", message: "probabilities must sum to 1"),
        BadCase(name: "negative cost", replace: "{shirk: 0.0, work: 0.1}, signals: [x0, x1]}   # action: cost", with: "{shirk: 0.0, work: -0.1}, signals: [x0, x1]}",
                line: 7, field: "agents[0].actions.work", message: "expected a cost ≥ 0 (a finite number), found -0.1"),
        BadCase(name: "missing joint profile", replace: "\n  \"shirk,shirk\":\n    s0: {\"x0,x0\": 0.25, \"x0,x1\": 0.25, \"x1,x0\": 0.25, \"x1,x1\": 0.25}\n    s1: {\"x0,x0\": 0.25, \"x0,x1\": 0.25, \"x1,x0\": 0.25, \"x1,x1\": 0.25}", with: "",
                line: 10, field: "information", message: "missing joint profile 'shirk,shirk'"),
        BadCase(name: "prior of the wrong length", replace: "prior: [0.5, 0.5]", with: "prior: [0.5, 0.25, 0.25]",
                line: 2, field: "prior", message: "expected 2 probabilities (one per state), found 3"),
        BadCase(name: "utility row of the wrong length", replace: "d1: [0, 1]", with: "d1: [0, 1, 0]",
                line: 4, field: "utility.d1", message: "expected 2 values (one per state"),
        BadCase(name: "joint profile with too few parts", replace: "\"work,work\":", with: "\"work\":",
                line: 11, field: "information.work", message: "names 1 actions, expected 2"),
        BadCase(name: "unknown signal", replace: #"s1: {"x0,x0": 0.2, "x1,x1": 0.8}"#, with: #"s1: {"x0,x0": 0.2, "x1,x9": 0.8}"#,
                line: 12, field: "information.work,work.s1.x1,x9", message: "unknown signal 'x9' of agent a2"),
        BadCase(name: "missing state in a profile", replace: "    s1: {\"x0,x0\": 0.2, \"x1,x1\": 0.8}\n", with: "",
                line: 11, field: "information.work,work.s1", message: "missing state 's1'"),
        BadCase(name: "probability above 1", replace: #"s0: {"x0,x0": 0.8, "x1,x1": 0.2}"#, with: #"s0: {"x0,x0": 1.8, "x1,x1": -0.8}"#,
                line: 11, field: "information.work,work.s0.x0,x0", message: "expected a probability in [0, 1], found 1.8"),
        BadCase(name: "unknown top-level key", replace: "payment_cap: 0.5", with: "payment_cap: 0.5\nbudget: 3",
                line: 6, field: "budget", message: "unknown key 'budget'"),
    ]

    @Test("bad input: a clear error naming line, field and expectation", arguments: badCases)
    func badInput(_ c: BadCase) throws {
        let text = Self.example.replacingOccurrences(of: c.replace, with: c.with)
        #expect(text != Self.example, "the case's replacement did not apply")
        do {
            _ = try InfoAcqInstanceFile.parse(text: text, file: "bad.yaml")
            Issue.record("expected an error")
        } catch let e as InputError {
            #expect(e.file == "bad.yaml")
            #expect(e.line == c.line, "\(e)")
            #expect(e.field == c.field, "\(e)")
            #expect(e.message.contains(c.message), "\(e)")
        }
    }

    @Test("the model rejects bad dimensions and probabilities built in code, too")
    func modelErrors() throws {
        let agent = InfoAcqAgent(name: "a", actionNames: ["shirk"], costs: [0], signalNames: ["x0"])
        #expect(throws: InputError.self) {
            try InfoAcqInstance(stateNames: ["s0"], prior: [1], decisionNames: ["d"], utility: [[1]], paymentCap: 1, agents: [agent], information: [0.5])
        }
        #expect(throws: InputError.self) {
            try InfoAcqInstance(stateNames: ["s0"], prior: [1], decisionNames: ["d"], utility: [[1]], paymentCap: 1, agents: [agent], information: [1, 0])
        }
        let negative = InfoAcqAgent(name: "a", actionNames: ["shirk"], costs: [-1], signalNames: ["x0"])
        #expect(throws: InputError.self) {
            try InfoAcqInstance(stateNames: ["s0"], prior: [1], decisionNames: ["d"], utility: [[1]], paymentCap: 1, agents: [negative], information: [1])
        }
    }

    @Test("the solve report has the issue's keys, φ over every joint profile, and the equilibria")
    func solveReport() throws {
        let x = try InfoAcqInstanceFile.parse(text: Self.example)
        let json = InfoAcqSolveReport.json(try InfoAcqAnalysis.run(x)).serialized()
        for key in ["\"value\"", "\"phi\"", "\"best_product_value\"", "\"best_deterministic_value\"", "\"max_deviation_gain\"", "\"non_obedient_equilibria\"",
                    "\"shirk,shirk\"", "\"work,work\""] {
            #expect(json.contains(key), "missing \(key)")
        }
    }
}
