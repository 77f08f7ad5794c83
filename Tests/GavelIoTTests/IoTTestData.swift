import Foundation
import Testing
@testable import GavelIoT

/// The shared data folder: `$GAVEL_DATA`, else `../shared/data` next to the
/// repository root. Tests that need it fail (not skip) when it is missing.
enum IoTTestData {
    static var root: String {
        if let env = ProcessInfo.processInfo.environment["GAVEL_DATA"], !env.isEmpty { return env }
        let repo = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        return repo.deletingLastPathComponent().appendingPathComponent("shared/data").path
    }

    static func path(_ relative: String) throws -> String {
        let p = root + "/" + relative
        try #require(FileManager.default.fileExists(atPath: p), "data missing at \(p): set GAVEL_DATA or check out ../shared/data")
        return p
    }

    static var jobEvents: String { get throws { try path("google-cluster/clusterdata-2011-2/job_events") } }

    /// The Table 1 instance, built once per test process.
    static let table1: Result<GoogleTraceInstance, any Error> = Result {
        try GoogleTraceInstance.build(jobEvents: try jobEvents, files: 2, maxRequestsPerFile: 2500, seed: 42)
    }

    static func ablation() throws -> IoTInstance {
        try AblationInstance.load(resources: path("mohaf-ablation/ablation_synthetic_resources.csv"),
                                  requests: path("mohaf-ablation/ablation_synthetic_requests.csv"))
    }
}
