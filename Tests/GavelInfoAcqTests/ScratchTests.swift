@testable import GavelInfoAcq
import Testing
import Foundation

@Test func scratchCorrelation() throws {
    typealias F = InfoAcqFamilies
    for (c, B, eta) in [(0.05, 0.15, 0.3), (0.05, 0.12, 0.3), (0.1, 0.3, 0.3), (0.05, 0.15, 0.2), (0.04, 0.1, 0.3)] {
        let agents = ["a1", "a2"].map { F.AgentSpec($0, [F.ActionSpec("shirk", cost: 0, 0), F.ActionSpec("work", cost: c, 1)]) }
        let x = try F.commonNoise(noise: eta, agents: agents, cap: B)
        let full = try InfoAcqLP.solve(x)
        let det = try InfoAcqDeterministicBest.solve(x)
        let prod = try InfoAcqProductBest.solve(x, correlatedValue: full.value!)
        let cert = InfoAcqCertificate.check(x, full.mechanism!)
        print("c=\(c) B=\(B) eta=\(eta): full \(full.value!) phi \(full.mechanism!.recommendation) det \(det.value) @\(det.profile) \(det.values) prod [\(prod.lowerBound), \(prod.upperBound)] \(prod.marginals) LPs \(prod.lpSolves) cert \(cert.maxGain)")
    }
}
