import Foundation
import GavelCore
@testable import GavelMatching
import Testing

@Suite("Benchmarks: LPs and DPs")
struct BenchmarkTests {
    /// ≤ 3 offline, ≤ 5 arrivals, p anywhere in (0, 1], weights in [1, 3] (spec B10).
    static func smallInstance(_ seed: Int) throws -> MatchingInstance {
        var r = Xoshiro256StarStar(seed: UInt64(seed)).stream(named: "shape")
        let nU = 1 + r.nextInt(below: 3), nT = 1 + r.nextInt(below: 5)
        let x = try InstanceFamily.erdosRenyi(offline: nU, arrivals: nT, density: 0.7, pLow: 0.01, pHigh: 1, maxWeight: seed % 2 == 0 ? 1 : 3, seed: UInt64(seed))
        return x
    }

    @Test("chain ALG ≤ clairvoyant ≤ fully-offline ≤ PBP ≤ StdLP and clairvoyant ≤ SCLP on 300 random small instances")
    func chain() throws {
        var checked = 0, seed = 0
        // The first 300 instances with |E| ≤ 9 (PBP has 2^(|E|−1)·|E| columns).
        while checked < 300 {
            seed += 1
            let x = try Self.smallInstance(seed)
            guard x.edgeCount <= 9 else { continue }
            let clair = try OfflineDP.clairvoyant(x).value
            let full = try OfflineDP.fullyOffline(x).value
            let pbp = try PathBasedProgram.solve(x).value
            let std = try BudgetLP.solve(x).value
            let sclp = try ConfigurationLP.solve(x, kind: .stochastic).value
            for a in MatchingAlgorithm.allCases where !a.isFractional && a != .guPerturbed {
                let alg = try ExactEvaluation.evaluate(a, on: x).value
                #expect(alg <= clair + 1e-9, "seed \(seed) \(a): \(alg) > clairvoyant \(clair)")
            }
            #expect(clair <= full + 1e-9, "seed \(seed)")
            #expect(full <= pbp + 1e-6, "seed \(seed): fully offline \(full) > PBP \(pbp)")
            #expect(pbp <= std + 1e-6, "seed \(seed): PBP \(pbp) > StdLP \(std)")
            #expect(clair <= sclp + 1e-6, "seed \(seed): clairvoyant \(clair) > SCLP \(sclp)")
            checked += 1
        }
    }

    @Test("column generation reaches the enumerated optimum (ConfigLP and SCLP)")
    func columnGeneration() throws {
        for seed in 0..<5 {
            let x = try InstanceFamily.erdosRenyi(offline: 4, arrivals: 9, density: 0.8, pLow: 0.05, pHigh: 0.7, maxWeight: 2, seed: UInt64(100 + seed))
            for kind in [ConfigurationLP.Kind.standard, .stochastic] {
                let full = try ConfigurationLP.solve(x, kind: kind)
                let cg = try ConfigurationLP.solve(x, kind: kind, forceColumnGeneration: true)
                #expect(abs(full.value - cg.value) <= 1e-6, "seed \(seed) \(kind): \(full.value) vs \(cg.value)")
                #expect(cg.size < full.size)
            }
        }
    }

    /// MP12's G_k with p = 1/m: u_i serving batch i alone is feasible with p_u(S) = 1, and ConfigLP ≤ StdLP = k,
    /// so ConfigLP = k. Column generation from singletons alone stalled here (500 degenerate rounds at
    /// k = 3, m = 100); it must converge, and fast (degree 300 at u_3: far beyond enumeration).
    @Test("ConfigLP on MP12's G_k converges to k by column generation", arguments: [(3, 100), (4, 50), (2, 200)])
    func configLPOnMP12(k: Int, m: Int) throws {
        let x = try InstanceFamily.mp12G(k: k, m: m)
        #expect(abs(try ConfigurationLP.solve(x, kind: .standard).value - Double(k)) <= 1e-6)
        #expect(abs(try BudgetLP.solve(x).value - Double(k)) <= 1e-6)
    }

    @Test("ConfigLP is not an upper bound for large p (spec B.3(2)); StdLP is")
    func configLPNotABound() throws {
        // Two arrivals, one offline vertex, p = 0.8: ConfigLP = min(1, 1.6) = 1 < ... no: offline = 1 − 0.2² = 0.96 < 1.
        // Two vertices: arrival 0 → {u0, u1}, arrival 1 → {u0}; p = 0.8.
        var found = false
        for seed in 0..<200 where !found {
            let x = try Self.smallInstance(seed)
            let full = try OfflineDP.fullyOffline(x).value
            if try ConfigurationLP.solve(x, kind: .standard).value < full - 1e-6 { found = true }
            #expect(try BudgetLP.solve(x).value >= full - 1e-6)
        }
        #expect(found, "expected some random instance with ConfigLP below the fully-offline optimum")
    }

    @Test("single vertex: StdLP = ConfigLP = min(1, mp); clairvoyant = 1 − (1 − p)^m (GU fn. 6)")
    func singleVertex() throws {
        let x = try InstanceFamily.singleVertex(m: 6, p: 0.1)
        #expect(abs(try BudgetLP.solve(x).value - 0.6) <= 1e-6)
        #expect(abs(try ConfigurationLP.solve(x, kind: .standard).value - 0.6) <= 1e-6)
        #expect(abs(try OfflineDP.clairvoyant(x).value - (1 - pow(0.9, 6))) <= 1e-12)
        #expect(abs(try ConfigurationLP.solve(x, kind: .stochastic).value - (1 - pow(0.9, 6))) <= 1e-6)
    }

    @Test("offline matching of the upper-triangular graph is n")
    func offlineMatching() throws {
        #expect(abs(try BudgetLP.maxWeightMatching(InstanceFamily.upperTriangular(n: 30)).value - 30) <= 1e-6)
    }

    @Test("limits: errors that name the limit")
    func limits() throws {
        let big = try InstanceFamily.upperTriangular(n: 30)
        #expect { try PathBasedProgram.solve(big) } throws: { ($0 as? MatchingLimitError)?.description.contains("limit 12") == true }
        #expect { try OfflineDP.fullyOffline(big) } throws: { ($0 as? MatchingLimitError)?.description.contains("limit 22") == true }
        #expect { try OfflineDP.clairvoyant(big) } throws: { ($0 as? MatchingLimitError)?.description.contains("|U| ≤ 24") == true }
    }
}
