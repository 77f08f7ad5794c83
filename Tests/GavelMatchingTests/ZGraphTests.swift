import GavelCore
import Foundation
@testable import GavelMatching
import Testing

@Suite("MP12's z-graph: construction, validation, scenario spec")
struct ZGraphTests {
    @Test("shape: αn + n offline vertices, V1 batches see U1^i and all of U2, then V2 batches see U2^i; p = 1/m")
    func shape() throws {
        let x = try InstanceFamily.zGraph(alpha: 0.5, n: 4, m: 3)
        #expect(x.offlineCount == 6 && x.arrivalCount == 6 * 3)
        #expect(x.hasEqualProbabilities && x.edgeProbability[0] == 1.0 / 3)
        // V1 batch i (i = 0, 1): U1^i = offline i, then U2 = offline 2..5.
        for i in 0..<2 { for j in 0..<3 { #expect(x.edges(of: 3 * i + j).map(\.u) == [i, 2, 3, 4, 5]) } }
        // V2 batch i (i = 0..3): only U2^i = offline 2 + i.
        for i in 0..<4 { for j in 0..<3 { #expect(x.edges(of: 6 + 3 * i + j).map(\.u) == [2 + i]) } }
    }

    @Test("bad parameters: an error naming the parameter (α·n must be whole; it is never rounded)")
    func validation() throws {
        #expect { try InstanceFamily.zGraph(alpha: 0.42, n: 49, m: 10) } throws: {
            let d = ($0 as? InputError)?.description ?? ""
            return d.contains("20.58") && d.contains("20/49") && d.contains("21/49") && d.contains("not rounded")
        }
        #expect { try InstanceFamily.zGraph(alpha: 0, n: 10, m: 10) } throws: { ($0 as? InputError)?.description.contains("alpha = 0.0") == true }
        #expect { try InstanceFamily.zGraph(alpha: .nan, n: 10, m: 10) } throws: { $0 is InputError }
        #expect { try InstanceFamily.zGraph(alpha: 0.05, n: 10, m: 10) } throws: { ($0 as? InputError)?.description.contains("whole number ≥ 1") == true }
        #expect { try InstanceFamily.zGraph(alpha: 0.5, n: 0, m: 10) } throws: { ($0 as? InputError)?.description.contains("n = 0") == true }
        #expect { try InstanceFamily.zGraph(alpha: 0.5, n: 10, m: 0) } throws: { ($0 as? InputError)?.description.contains("m = 0") == true }
        #expect(try InstanceFamily.zGraphU1(alpha: 0.42, n: 50, m: 1) == 21)   // 0.42·50 = 21.000000000000004
    }

    @Test("scenario spec: family z_graph needs alpha, n, m and builds the same instance")
    func scenarioSpec() throws {
        let spec = try JSONDecoder().decode(InstanceSpec.self, from: Data(#"{"family": "z_graph", "alpha": 0.42, "n": 50, "m": 20}"#.utf8))
        #expect(spec.label == "z_graph_a0.42_n50_m20")
        #expect(try spec.build() == InstanceFamily.zGraph(alpha: 0.42, n: 50, m: 20))
        #expect { try JSONDecoder().decode(InstanceSpec.self, from: Data(#"{"family": "z_graph", "n": 50, "m": 20}"#.utf8)) } throws: {
            "\($0)".contains("needs 'alpha'")
        }
        #expect { try JSONDecoder().decode(InstanceSpec.self, from: Data(#"{"family": "z_graph", "alpha": -1, "n": 5, "m": 2}"#.utf8)) } throws: { _ in true }
    }

    @Test("an instance's own benchmarks: a subset of the scenario's, the others left empty")
    func instanceBenchmarks() throws {
        let json = #"{"benchmarks": ["budget_lp", "config_lp"], "instances": [{"family": "z_graph", "alpha": 0.5, "n": 2, "m": 2, "benchmarks": ["config_lp"]}, {"family": "k22n", "n": 2}]}"#
        let experiment = try MatchingExperiment(config: JSONDecoder().decode(MatchingExperiment.Config.self, from: Data(json.utf8)))
        #expect(experiment.benchmarkValues[0][0] == nil && experiment.benchmarkValues[0][1] != nil)
        #expect(experiment.benchmarkValues[1].allSatisfy { $0 != nil })
        let bad = json.replacingOccurrences(of: #""benchmarks": ["config_lp"]"#, with: #""benchmarks": ["clairvoyant"]"#)
        #expect { try JSONDecoder().decode(MatchingExperiment.Config.self, from: Data(bad.utf8)) } throws: {
            "\($0)".contains("benchmark 'clairvoyant' is not one of the scenario's benchmarks")
        }
    }

    @Test("fluid ratio: RK4 of the spec's ODE agrees with the closed form over α; the minimum is a local minimum")
    func fluid() {
        for alpha in [0.1, 0.3, 0.42, 0.43, 0.7, 1.0] {
            #expect(abs(MatchingAnalytic.zGraphFluidRatio(alpha) - MatchingAnalytic.zGraphFluidRatioODE(alpha)) < 1e-9, "α = \(alpha)")
        }
        let (a, r) = MatchingAnalytic.zGraphFluidMinimum
        #expect(MatchingAnalytic.zGraphFluidRatio(a - 0.01) > r && MatchingAnalytic.zGraphFluidRatio(a + 0.01) > r)
    }
}
