import GavelCore
import Foundation
import GavelData
@testable import GavelMatching
import Testing
import GavelConfig

@Suite("Instance file format and instance families")
struct InstanceFileTests {
    static let example = """
    offline: [{id: u0, weight: 1.0}, {id: u1}]          # weight defaults to 1
    arrivals:                                           # in arrival order
      - {id: t0, edges: {u0: 0.5, u1: 0.2}}
      - {id: t1, edges: {u0: 0.8}}
    """

    @Test("the issue's example parses: ids, default weight, edges in offline order")
    func example() throws {
        let x = try MatchingInstanceFile.parse(text: Self.example, file: "ex.yaml")
        #expect(x.offlineIDs == ["u0", "u1"])
        #expect(x.weights == [1, 1])
        #expect(x.arrivalCount == 2)
        #expect(x.arrivalID(1) == "t1")
        #expect(x.edges(of: 0).map(\.u) == [0, 1])
        #expect(x.edges(of: 0).map(\.p) == [0.5, 0.2])
        #expect(x.edges(of: 1).map(\.p) == [0.8])
    }

    @Test("block style and JSON give the same instance as flow style")
    func blockAndJSON() throws {
        let block = """
        offline:
          - id: u0
            weight: 1.0
          - id: u1
        arrivals:
          - id: t0
            edges:
              u0: 0.5
              u1: 0.2
          - id: t1
            edges: {u0: 0.8}
        """
        let json = """
        {"offline": [{"id": "u0", "weight": 1.0}, {"id": "u1"}],
         "arrivals": [{"id": "t0", "edges": {"u0": 0.5, "u1": 0.2}},
                      {"id": "t1", "edges": {"u0": 0.8}}]}
        """
        let a = try MatchingInstanceFile.parse(text: Self.example)
        #expect(try MatchingInstanceFile.parse(text: block) == a)
        #expect(try MatchingInstanceFile.parse(text: json) == a)
    }

    @Test("write then parse gives the instance back (bit for bit)")
    func roundTrip() throws {
        let x = try InstanceFamily.erdosRenyi(offline: 5, arrivals: 7, density: 0.6, pLow: 0.05, pHigh: 0.95, maxWeight: 3, seed: 11)
        #expect(try MatchingInstanceFile.parse(text: MatchingInstanceFile.write(x)) == x)
    }

    struct BadCase: Sendable, CustomTestStringConvertible {
        let name: String, text: String, line: Int, field: String, message: String
        var testDescription: String { name }
    }

    static let bad: [BadCase] = [
        BadCase(name: "p above 1", text: "offline: [{id: a}]\narrivals:\n  - {id: t0, edges: {a: 1.5}}\n",
                line: 3, field: "arrivals[0].edges.a", message: "probability in [0, 1]"),
        BadCase(name: "p negative", text: "offline: [{id: a}]\narrivals:\n  - {id: t0, edges: {a: -0.1}}\n",
                line: 3, field: "arrivals[0].edges.a", message: "probability in [0, 1]"),
        BadCase(name: "p not a number", text: "offline: [{id: a}]\narrivals:\n  - {id: t0, edges: {a: high}}\n",
                line: 3, field: "arrivals[0].edges.a", message: "found 'high'"),
        BadCase(name: "edge to unknown vertex", text: "offline: [{id: a}]\narrivals:\n  - {id: t0, edges: {a: 0.5}}\n  - {id: t1, edges: {b: 0.5}}\n",
                line: 4, field: "arrivals[1].edges.b", message: "unknown offline vertex 'b'"),
        BadCase(name: "negative weight", text: "offline:\n  - {id: a, weight: -2}\narrivals: []\n",
                line: 2, field: "offline[0].weight", message: "≥ 0"),
        BadCase(name: "duplicate offline id", text: "offline: [{id: a}, {id: a}]\narrivals: []\n",
                line: 1, field: "offline[1].id", message: "duplicate offline id 'a'"),
        BadCase(name: "duplicate arrival id", text: "offline: [{id: a}]\narrivals:\n  - {id: t0}\n  - {id: t0, edges: {a: 0.1}}\n",
                line: 4, field: "arrivals[1].id", message: "duplicate arrival id 't0'"),
        BadCase(name: "unknown key", text: "offline: [{id: a, wieght: 2}]\narrivals: []\n",
                line: 1, field: "offline[0].wieght", message: "unknown key 'wieght' (allowed here: id, weight)"),
        BadCase(name: "missing arrivals", text: "offline: [{id: a}]\n",
                line: 1, field: "arrivals", message: "missing key 'arrivals'"),
        BadCase(name: "duplicate edge key", text: "offline: [{id: a}]\narrivals:\n  - {id: t0, edges: {a: 0.1, a: 0.2}}\n",
                line: 3, field: "", message: "duplicate key 'a'"),
        BadCase(name: "unterminated flow", text: "offline: [{id: a}\narrivals: []\n",
                line: 2, field: "", message: "expected ',' or ']'"),
    ]

    @Test("bad input names file, line and field", arguments: bad)
    func badInput(_ c: BadCase) throws {
        do {
            _ = try MatchingInstanceFile.parse(text: c.text, file: "bad.yaml")
            Issue.record("expected an error for \(c.name)")
        } catch let e as InputError {
            #expect(e.file == "bad.yaml")
            #expect(e.line == c.line, "\(e)")
            #expect(e.field == c.field, "\(e)")
            #expect(e.description.contains(c.message), "\(e)")
        }
    }

    @Test("a missing file is an error naming the path")
    func missingFile() {
        #expect(throws: InputError.self) { try MatchingInstanceFile.read(path: "/nonexistent/x.yaml") }
    }

    @Test("instances built in code reject bad probabilities, unknown vertices and repeated edges")
    func codeErrors() {
        #expect(throws: InputError.self) { try MatchingInstance(weights: [1], arrivals: [[(0, 1.01)]]) }
        #expect(throws: InputError.self) { try MatchingInstance(weights: [1], arrivals: [[(1, 0.5)]]) }
        #expect(throws: InputError.self) { try MatchingInstance(weights: [1], arrivals: [[(0, 0.5), (0, 0.2)]]) }
        #expect(throws: InputError.self) { try MatchingInstance(weights: [.nan], arrivals: []) }
    }

    @Test("named families have the spec's shapes")
    func families() throws {
        let ut = try InstanceFamily.upperTriangular(n: 4)
        #expect(ut.edges(of: 0).map(\.u) == [0, 1, 2, 3])
        #expect(ut.edges(of: 3).map(\.u) == [3])
        let g = try InstanceFamily.mp12G(k: 3, m: 5)
        #expect(g.arrivalCount == 15 && g.offlineCount == 3)
        #expect(g.edges(of: 5).map(\.u) == [1, 2] && g.edges(of: 5)[0].p == 0.2)
        let k = try InstanceFamily.k22n(n: 4)
        #expect(k.arrivalCount == 8 && k.edges(of: 0).map(\.p) == [0.25, 0.25])
        let d = try InstanceFamily.decomposable(offline: 4, arrivals: 6, density: 1, lo: 0.2, hi: 0.9, seed: 3)
        // p_uv = p_u p_v: the ratio of two arrivals' probabilities is the same on every offline vertex.
        let r0 = d.edges(of: 0).map(\.p), r1 = d.edges(of: 1).map(\.p)
        let ratios = zip(r0, r1).map { $0 / $1 }
        #expect(ratios.allSatisfy { abs($0 - ratios[0]) < 1e-12 })
        let pl = try InstanceFamily.powerLaw(offline: 50, arrivals: 2000, degree: 3, exponent: 1.0, pLow: 0.1, pHigh: 0.2, seed: 5)
        let deg = pl.offlineNeighbourhoods.map(\.count)
        #expect(deg[0] > 3 * deg[49], "popular vertices have larger degree: \(deg[0]) vs \(deg[49])")
        #expect(try InstanceFamily.erdosRenyi(offline: 3, arrivals: 4, density: 0.5, pLow: 0, pHigh: 1, seed: 9)
                == InstanceFamily.erdosRenyi(offline: 3, arrivals: 4, density: 0.5, pLow: 0, pHigh: 1, seed: 9))
    }

    @Test("RTB ad market: 9 campaigns, impressions as arrivals, p from the logged pCTR")
    func adMarket() throws {
        let x = try AdMarketInstance.build(folder: SharedData.rtbFolder, impressions: 2000)
        #expect(x.offlineCount == 9 && x.arrivalCount == 2000)
        #expect(x.offlineIDs.contains("camp2997"))
        #expect(x.edgeCount > 2000)
        #expect(x.edgeProbability.allSatisfy { $0 >= 0 && $0 <= 1 })
        // Campaign 2997's edge p is the logged pCTR itself.
        let log = try RLBReplayFile.readTheta(path: SharedData.rtbFolder + "/2997/test.theta.txt")
        let c = x.offlineIDs.firstIndex(of: "camp2997")!
        if let e = x.edges(of: 0).first(where: { $0.u == c }) { #expect(e.p == log.ctrs[0]) }
        #expect(throws: InputError.self) { try AdMarketInstance.build(folder: SharedData.rtbFolder, impressions: 10_000_000) }
    }
}
