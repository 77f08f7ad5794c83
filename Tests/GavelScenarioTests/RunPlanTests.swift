import Foundation
import Testing
@testable import GavelScenario
import GavelCore

@Suite("Run plan")
struct RunPlanTests {
    @Test("Run keys are unique, 16 hex digits, and plan order is cells then replicates")
    func uniqueKeys() throws {
        let plan = RunPlanner.plan(try load(Tiny.replacing(line: 5, with: "replications: 3")))
        #expect(plan.count == 2 * 2 * 3)
        #expect(Set(plan.map(\.runKey)).count == plan.count)
        #expect(Set(plan.map(\.mechanismSeed)).count == plan.count)
        #expect(plan.allSatisfy { $0.runKey.count == 16 && $0.runKey.allSatisfy(\.isHexDigit) })
        #expect(plan.map(\.index) == Array(0..<12))
        #expect(plan.map(\.replicate) == [0, 1, 2, 0, 1, 2, 0, 1, 2, 0, 1, 2])
        #expect(plan.map(\.cell.mechanism) == Array(repeating: "first_price", count: 6) + Array(repeating: "second_price", count: 6))
    }

    @Test("A cell/replicate has the same key and seed across loads; replicates differ")
    func stableKeys() throws {
        let a = RunPlanner.plan(try load(Tiny.yaml))
        let b = RunPlanner.plan(try load(Tiny.yaml))
        #expect(a.map(\.runKey) == b.map(\.runKey))
        #expect(a.map(\.mechanismSeed) == b.map(\.mechanismSeed))
        // Same cell, replicates 0 and 1.
        #expect(a[0].cell.mechanism == a[1].cell.mechanism)
        #expect(a[0].replicate == 0 && a[1].replicate == 1)
        #expect(a[0].runKey != a[1].runKey)
        #expect(a[0].mechanismSeed != a[1].mechanismSeed)
    }

    @Test("A run's key depends only on its cell and replicate, not on the other cells or the seed")
    func keyIndependentOfOtherCells() throws {
        let both = RunPlanner.plan(try load(Tiny.yaml))
        let one = RunPlanner.plan(try load(Tiny.replacing(line: 7, with: "bidders: [3]")))
        let reordered = RunPlanner.plan(try load(Tiny.replacing(line: 7, with: "bidders: [3, 2]")))
        let reseeded = RunPlanner.plan(try load(Tiny.yaml, seed: 1234))
        func key(_ plan: [PlannedRun], _ mechanism: String, _ n: Int64, _ r: Int) -> PlannedRun? {
            plan.first { $0.cell.mechanism == mechanism && $0.replicate == r
                && $0.cell.parameters.contains { $0.0 == "bidders" && $0.1 == .int(n) } }
        }
        let k = try #require(key(both, "second_price", 3, 1))
        #expect(try #require(key(one, "second_price", 3, 1)).runKey == k.runKey)
        #expect(try #require(key(one, "second_price", 3, 1)).mechanismSeed == k.mechanismSeed)
        #expect(try #require(key(reordered, "second_price", 3, 1)).mechanismSeed == k.mechanismSeed)
        #expect(try #require(key(reseeded, "second_price", 3, 1)).runKey == k.runKey)
    }

    @Test("The run key is the SHA-256 prefix of the canonical parameters")
    func canonicalForm() throws {
        let cell = RunCell(mechanism: "m", parameters: [("bidders", .int(2)), ("reserve", .double(0))])
        let canonical = RunPlanner.canonical(kind: "k", cell: cell, replicate: 3)
        #expect(canonical == #"{"kind":"k","mechanism":"m","parameters":{"bidders":2,"reserve":0},"replicate":3}"#)  // integral doubles print as integers
        #expect(RunPlanner.runKey(kind: "k", cell: cell, replicate: 3) == String(SHA256.hex(canonical).prefix(16)))
    }

    @Test("Seeds depend on the master seed and the run key only")
    func seeds() {
        // The documented derivation, from the mixer checked against SplitMix64's reference outputs
        // (Xoshiro256StarStarTests): seed = mix(master ⊕ mix(the key's 64 bits)).
        #expect(RunPlanner.seed(master: 1, runKey: "0123456789abcdef") == SplitMix64.mix(1 ^ SplitMix64.mix(0x0123_4567_89ab_cdef)))
        #expect(RunPlanner.seed(master: 1, runKey: "0123456789abcdef") != RunPlanner.seed(master: 2, runKey: "0123456789abcdef"))
        #expect(RunPlanner.seed(master: 1, runKey: "0123456789abcdef") != RunPlanner.seed(master: 1, runKey: "0123456789abcdee"))
    }

    @Test("Runs get identical seeds and outcomes whatever the number of jobs", arguments: [2, 3, 8])
    func seedsIndependentOfJobs(jobs: Int) throws {
        let s = try load(Tiny.yaml)
        let one = try ScenarioRunner(scenario: s, jobs: 1).execute()
        let many = try ScenarioRunner(scenario: s, jobs: jobs).execute()
        #expect(one.map(\.run.mechanismSeed) == many.map(\.run.mechanismSeed))
        #expect(one.map(\.run.runKey) == many.map(\.run.runKey))
        // Bit patterns, so NaN metrics compare equal to themselves.
        #expect(one.map { $0.outcome.metrics.map { $0.1.bitPattern } } == many.map { $0.outcome.metrics.map { $0.1.bitPattern } })
        #expect(one.map(\.outcome.events) == many.map(\.outcome.events))
    }
}
