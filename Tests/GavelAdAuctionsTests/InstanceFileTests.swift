import Foundation
import GavelCore
import GavelData
@testable import GavelAdAuctions
import GavelScenario
import Testing
import GavelConfig

@Suite("Instance file and gavel solve aigc")
struct InstanceFileTests {
    static let example = """
    model: mnl            # or cascade
    objective: welfare    # or revenue (then give distributions)
    values: [10, 8, 5]    # per-click values (bids), one per advertiser
    weights: [[0.5, 0.2], [0.4, 0.3], [0.6, 0.6]]   # MNL attraction w_ij = exp(rho_ij), advertiser x position
    max_ads: 2
    payments: vcg         # or myerson
    """

    @Test("the issue's example: JSON with welfare, allocation, ctr and both payment forms, equal to the brute force")
    func example() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("aigc-example-\(getpid()).yaml").path
        try Self.example.write(toFile: path, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: path) }
        guard let solver = SolverRegistry.named("aigc") else { Issue.record("aigc is not registered"); return }
        let json = try solver.solve(path, .init(runs: 1, seed: 1)).serialized()
        let file = try AdInstanceFile.parse(text: Self.example)
        let bf = MNLOptimizer.bruteForce(file.auction, coefficients: file.values)
        #expect(json.hasPrefix("{\"welfare\":\(bf.objective),"), "\(json)")
        #expect(json.contains("\"allocation\":[[0,0],[1,1]]"))
        #expect(json.contains("\"ctr\":["))
        #expect(json.contains("\"payments_per_impression\":["))
        #expect(json.contains("\"payments_per_click\":["))
    }

    @Test("revenue objective and the cascade model read and solve")
    func revenueAndCascade() throws {
        let revenue = try AdInstanceFile.parse(text: """
        model: mnl
        objective: revenue
        values: [10, 8, 5]
        weights: [[0.5, 0.2], [0.4, 0.3], [0.6, 0.6]]
        max_ads: 2
        payments: myerson
        distributions: [{uniform: [0, 10]}, {exponential: 0.2}, {mixture: [{weight: 0.5, uniform: [0, 2]}, {weight: 0.5, uniform: [8, 10]}]}]
        """)
        let r = try AdSolveReport.json(for: revenue).serialized()
        #expect(r.hasPrefix("{\"revenue\":"))
        #expect(r.contains("\"reserve_prices\":[5,"))
        let cascade = try AdInstanceFile.parse(text: """
        model: cascade
        values: [10, 8, 5]
        ctr: [[0.5, 0.2], [0.4, 0.3], [0.6, 0.6]]
        continuation: [[0.5, 0.9], [1, 1], [0.2, 0.4]]
        order: text
        max_ads: 2
        mechanism: greedy
        payments: myerson
        """)
        #expect(cascade.rule == .greedy)
        let c = try AdSolveReport.json(for: cascade).serialized()
        #expect(c.contains("\"model\":\"cascade\""))
    }

    struct BadCase: Sendable, CustomTestStringConvertible {
        let name: String, text: String, line: Int, field: String, message: String
        var testDescription: String { name }
    }

    static let bad: [BadCase] = [
        BadCase(name: "CTR outside [0, 1]", text: "model: cascade\nvalues: [1, 2]\nctr: [[0.5], [1.2]]\ncontinuation: [[1], [1]]\nmax_ads: 1\n",
                line: 3, field: "ctr[1][0]", message: "expected a click-through rate in [0, 1], found 1.2"),
        BadCase(name: "K larger than the positions", text: "model: mnl\nvalues: [1, 2]\nweights: [[0.5, 1], [1, 1]]\nmax_ads: 3\n",
                line: 4, field: "max_ads", message: "K = 3 is larger than the number of positions (2"),
        BadCase(name: "rows do not match the values", text: "model: mnl\nvalues: [1, 2, 3]\nweights: [[0.5, 1], [1, 1]]\nmax_ads: 1\n",
                line: 3, field: "weights", message: "expected 3 rows (one per advertiser, as in 'values'), found 2"),
        BadCase(name: "ragged matrix", text: "model: mnl\nvalues: [1, 2]\nweights: [[0.5, 1], [1]]\nmax_ads: 1\n",
                line: 3, field: "weights[1]", message: "expected 2 columns, found 1"),
        BadCase(name: "continuation shape differs from ctr", text: "model: cascade\nvalues: [1, 2]\nctr: [[0.5, 0.1], [0.2, 0.3]]\ncontinuation: [[1], [1]]\nmax_ads: 1\n",
                line: 4, field: "continuation[0]", message: "expected 2 columns, found 1"),
        BadCase(name: "unknown distribution", text: "model: mnl\nobjective: revenue\nvalues: [1]\nweights: [[1]]\nmax_ads: 1\npayments: myerson\ndistributions: [{pareto: [1, 2]}]\n",
                line: 7, field: "distributions[0].pareto", message: "unknown distribution 'pareto' (known: uniform, exponential, lognormal, mixture)"),
        BadCase(name: "revenue without distributions", text: "model: mnl\nobjective: revenue\nvalues: [1]\nweights: [[1]]\nmax_ads: 1\npayments: myerson\n",
                line: 1, field: "distributions", message: "objective: revenue needs 'distributions'"),
        BadCase(name: "VCG on an approximate rule", text: "model: cascade\nvalues: [1]\nctr: [[0.5]]\ncontinuation: [[1]]\nmax_ads: 1\nmechanism: greedy\npayments: vcg\n",
                line: 7, field: "payments", message: "VCG needs an exact maximiser"),
        BadCase(name: "negative weight", text: "model: mnl\nvalues: [1]\nweights: [[-1]]\nmax_ads: 1\n",
                line: 3, field: "weights[0][0]", message: "expected an attraction weight"),
        BadCase(name: "unknown key", text: "model: mnl\nvalues: [1]\nweights: [[1]]\nmax_ads: 1\nmaxads: 2\n",
                line: 5, field: "maxads", message: "unknown key 'maxads'"),
        BadCase(name: "unknown model", text: "model: logit\nvalues: [1]\nweights: [[1]]\nmax_ads: 1\n",
                line: 1, field: "model", message: "unknown model 'logit' (expected one of: mnl, cascade)"),
        BadCase(name: "bad uniform bounds", text: "model: mnl\nobjective: revenue\nvalues: [1]\nweights: [[1]]\nmax_ads: 1\ndistributions: [{uniform: [5, 2]}]\n",
                line: 6, field: "distributions[0]", message: "uniform: expected [lower, upper] with 0 ≤ lower < upper"),
    ]

    @Test("bad input is a one-line InputError naming line, field and expectation", arguments: bad)
    func badInput(_ c: BadCase) throws {
        do {
            _ = try AdInstanceFile.parse(text: c.text, file: "bad.yaml")
            Issue.record("\(c.name): no error")
        } catch let e as InputError {
            #expect(e.file == "bad.yaml")
            #expect(e.line == c.line, "\(e)")
            #expect(e.field == c.field, "\(e)")
            #expect(e.message.contains(c.message), "\(e)")
        }
    }

    @Test("write then parse gives the instance back")
    func roundTrip() throws {
        for k in 0..<10 {
            let (a, v) = k % 2 == 0 ? try Random.smallMNL(k) : try Random.cascade(k, n: 3, m: 2, K: 2)
            let back = try AdInstanceFile.parse(text: AdInstanceFile.write(a, values: v))
            #expect(back.auction == a)
            #expect(back.values == v)
        }
    }
}
