import Foundation
import Testing
@testable import GavelIoT

@Suite struct Table2ReproductionTests {
    /// Table 2 of the paper (arXiv 2508.14830; weights and the extra Jain digits of
    /// CostOnly as given in shared/spec/mohaf.md §5), printed to 3 decimals.
    @Test(arguments: [
        ("MOHAF-CostOnly", MOHAFWeights(cost: 1, qos: 0, energy: 0, fairness: 0), "0.985", "1.000", "0.99989"),
        ("MOHAF-NoQoS", MOHAFWeights(cost: 0.5, qos: 0, energy: 0.3, fairness: 0.2), "0.809", "0.960", "0.992"),
        ("MOHAF-NoEnergy", MOHAFWeights(cost: 0.4, qos: 0.4, energy: 0, fairness: 0.2), "0.798", "0.960", "0.993"),
        ("MOHAF-NoFairness", MOHAFWeights(cost: 0.4, qos: 0.4, energy: 0.2, fairness: 0), "0.797", "0.920", "0.998"),
        ("MOHAF-Full", MOHAFWeights(cost: 0.3, qos: 0.3, energy: 0.2, fairness: 0.2), "0.768", "0.960", "0.993"),
        ("MOHAF-NoCost", MOHAFWeights(cost: 0, qos: 0.5, energy: 0.3, fairness: 0.2), "0.710", "0.960", "0.990"),
    ])
    func table2(name: String, weights: MOHAFWeights, efficiency: String, satisfaction: String, jain: String) throws {
        let inst = try IoTTestData.ablation()
        #expect(inst.resources.count == 40 && inst.requests.count == 25)
        let r = MOHAFAsRun(weights: weights, version: .package).run(inst)
        let m = PaperMetrics(r, requests: inst.requests.count, resources: inst.resources.count)
        #expect(String(format: "%.3f", m.allocationEfficiency) == efficiency, "\(name)")
        #expect(String(format: "%.3f", m.satisfactionRate) == satisfaction, "\(name)")
        let digits = jain.split(separator: ".")[1].count
        #expect(String(format: "%.\(digits)f", m.jainPerAllocation) == jain, "\(name)")
    }

    @Test func badAblationFilesNameFileLineAndField() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("gavel-iot-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let good = try String(contentsOfFile: IoTTestData.path("mohaf-ablation/ablation_synthetic_resources.csv"), encoding: .utf8)
        var lines = good.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).map(String.init)
        var f = lines[3].split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        f[3] = "lots"
        lines[3] = f.joined(separator: ",")
        let bad = dir.appendingPathComponent("resources.csv").path
        try lines.joined(separator: "\n").write(toFile: bad, atomically: true, encoding: .utf8)
        let requests = try IoTTestData.path("mohaf-ablation/ablation_synthetic_requests.csv")
        #expect {
            _ = try AblationInstance.load(resources: bad, requests: requests)
        } throws: { error in
            "\(error)".hasPrefix("\(bad):4:\(f[0..<3].reduce(0) { $0 + $1.count + 1 } + 1): field 'capacity': expected a finite number > 0, found \"lots\"")
        }
        lines[3] = "3,resource_3,compute"
        try lines.joined(separator: "\n").write(toFile: bad, atomically: true, encoding: .utf8)
        #expect {
            _ = try AblationInstance.load(resources: bad, requests: requests)
        } throws: { error in
            "\(error)".contains(":4: expected 11 comma-separated fields, found 3")
        }
    }
}
