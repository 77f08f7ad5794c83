import Foundation
import Testing
@testable import GavelInfoAcq

/// Issue 21: a solve reports nothing whose certificate fails. With payment_cap = 1e12 the LP's
/// "optimal IC mechanism" let an agent gain 0.1 by deviating; with utilities near 1e300 the best
/// product mechanism came out below the best deterministic one (deterministic ⊂ product).
@Suite("Certificates are checked before a solve reports")
struct CertificateEnforcementTests {
    /// The example instance (Scenarios/instances/infoacq-two-agents.yaml), edited.
    static func instance(_ edit: (String) -> String = { $0 }) throws -> InfoAcqInstance {
        let path = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Scenarios/instances/infoacq-two-agents.yaml").path
        return try InfoAcqInstanceFile.parse(text: edit(try String(contentsOfFile: path, encoding: .utf8)), file: "two-agents.yaml")
    }

    @Test("The example solves, and its certificate holds (docs/infoacq.md: correlated 0.55 > product = deterministic = 0.5333)")
    func exampleHolds() throws {
        let r = try InfoAcqAnalysis.run(try Self.instance(), equilibria: false)
        #expect(abs(r.value - 0.55) < 1e-9)
        #expect(r.certificate.maxGain <= 1e-9)
    }

    /// Refused by the LP's weak-duality certificate (duals of 1e-16 on rows bounded by 1e12 leave a
    /// gap of 2e-4) or, were the duals to pass, by the IC certificate (a gain of 0.1).
    @Test("payment_cap = 1e12: refused (duality gap or deviation gain), not reported as IC")
    func hugeCap() throws {
        let x = try Self.instance { $0.replacingOccurrences(of: "payment_cap: 0.5", with: "payment_cap: 1e12") }
        #expect { _ = try InfoAcqAnalysis.run(x, equilibria: false) } throws: { error in
            ("\(error)".contains("fails its IC certificate") || "\(error)".contains("weak-duality certificate")) && "\(error)".contains("lower payment_cap")
        }
        // A cap the LP resolves still solves, and certifies.
        let ok = try InfoAcqAnalysis.run(try Self.instance { $0.replacingOccurrences(of: "payment_cap: 0.5", with: "payment_cap: 1e6") }, equilibria: false)
        #expect(ok.certificate.maxGain <= 1e-7)
        #expect(ok.value >= ok.deterministic.value - 1e-9)
    }

    @Test("Utilities near 1e300: refused as inconsistent, never product < deterministic")
    func hugeUtilities() throws {
        let x = try Self.instance {
            $0.replacingOccurrences(of: "utility: {d0: [1, 0], d1: [0, 1]}", with: "utility: {d0: [1e300, 0], d1: [0, 1e300]}")
                .replacingOccurrences(of: "payment_cap: 0.5", with: "payment_cap: 5e299")
        }
        do {
            let r = try InfoAcqAnalysis.run(x, equilibria: false)
            // If it solves, the classes nest.
            let p = try #require(r.product)
            #expect(p.lowerBound >= r.deterministic.value * (1 - 1e-9) && r.value >= p.lowerBound * (1 - 1e-9))
        } catch {
            #expect("\(error)".contains("inconsistent optimal values") || "\(error)".contains("IC certificate"), "\(error)")
        }
    }
}
