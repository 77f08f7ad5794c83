import Foundation
import Synchronization
import Testing
@testable import GavelMatching

/// `gavel solve matching` tells its progress by stages (issue 21: 20 s with no output on 1,000
/// arrivals); the CLI prints the current stage past a second.
@Suite("solve matching reports its stages")
struct SolveProgressTests {
    @Test("Every benchmark, then every built-in algorithm, in report order")
    func stagesInOrder() throws {
        let stages = Mutex<[String]>([])
        _ = try MatchingSolveReport.json(for: try InstanceFamily.k22n(n: 2), runs: 10, seed: 1) { s in stages.withLock { $0.append(s) } }
        let expected = MatchingSolveReport.benchmarks.map { "benchmark \($0.rawValue)" } + MatchingAlgorithm.allCases.map { "algorithm \($0.rawValue)" }
        // Algorithms other suites of this process registered follow the built-in ones.
        #expect(Array(stages.withLock { $0 }.prefix(expected.count)) == expected)
    }
}
