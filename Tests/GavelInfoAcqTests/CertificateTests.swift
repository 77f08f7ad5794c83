@testable import GavelInfoAcq
import Testing

@Suite("IC certificate")
struct CertificateTests {
    /// The bar: the LP's mechanism passes the certificate (largest gain ≤ 1e-9) on at
    /// least 200 random instances (2 agents, 2 actions, 2 signals, 2 states; costs U[0, 0.02]; caps 0.1…3).
    @Test("200 random instances: the LP mechanism's largest deviation gain ≤ 1e-9; value = exact evaluation")
    func randomInstances() throws {
        var worst = -Double.infinity, hired = 0
        for seed in 1...200 {
            let cap = [0.1, 0.3, 1.0, 3.0][seed % 4]
            let x = try InfoAcqFamilies.random(agents: 2, actions: 2, signals: 2, states: 2, maxCost: 0.02, cap: cap, seed: UInt64(seed))
            let r = try InfoAcqLP.solve(x)
            let m = try #require(r.mechanism)
            let cert = InfoAcqCertificate.check(x, m)
            #expect(cert.maxGain <= 1e-9, "seed \(seed): gain \(cert.maxGain) at \(cert.worst)")
            #expect(cert.deviationsChecked > 0)
            #expect(abs(InfoAcqEvaluation.utilities(x, m).principal - (r.value ?? .nan)) <= 1e-7, "seed \(seed)")
            worst = max(worst, cert.maxGain)
            if m.recommendation[0] < 1 - 1e-9 { hired += 1 }
        }
        // The test means something only if many instances pay someone to work (75 of 200 with these seeds).
        #expect(hired >= 60, "only \(hired) of 200 instances hire")
    }

    @Test("the certificate fails a mechanism that is not IC: payments cut in half")
    func negativeControl() throws {
        let agents = ["a1", "a2"].map { InfoAcqFamilies.AgentSpec($0, [.init("shirk", cost: 0, 0.5), .init("work", cost: 0.05, 0.9)]) }
        let x = try InfoAcqFamilies.independentNoisy(agents: agents, cap: 1)
        var m = try #require(try InfoAcqLP.solve(x).mechanism)
        m.payment = m.payment.map { $0 / 2 }
        let cert = InfoAcqCertificate.check(x, m)
        #expect(cert.maxGain > 1e-3)
        #expect(x.agents[cert.worst.agent].actionNames[cert.worst.told] == "work")
        #expect(x.agents[cert.worst.agent].actionNames[cert.worst.exerts] == "shirk")
    }

    @Test("explicit enumeration of reporting maps agrees with the per-signal maximum of the LP's z rows")
    func enumerationMatchesBestResponse() throws {
        let x = try InfoAcqFamilies.random(agents: 2, actions: 3, signals: 3, states: 2, maxCost: 0.2, cap: 0.5, seed: 99)
        var m = try #require(try InfoAcqLP.solve(x).mechanism)
        m.payment = m.payment.enumerated().map { $0.offset % 3 == 0 ? 0 : $0.element }   // break IC somewhere
        let cert = InfoAcqCertificate.check(x, m)
        // Best-response value minus obedient value, summed over recommendations, bounds the largest single gain.
        let u = InfoAcqEvaluation.utilities(x, m).agents
        let gains = (0..<x.agentCount).map { InfoAcqEvaluation.bestResponse(x, m, agent: $0, others: nil) - u[$0] }
        #expect(cert.maxGain <= (gains.max() ?? 0) + 1e-12)
        #expect(cert.maxGain >= 0)
        // 2 agents × (recommendations sent) × 3 efforts × 27 maps.
        #expect(cert.deviationsChecked % 27 == 0)
    }
}
