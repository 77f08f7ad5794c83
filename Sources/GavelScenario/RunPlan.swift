import Foundation
import GavelCore

/// One run of a scenario: a cell, a replicate, and the key and seed that identify it.
public struct PlannedRun: Sendable {
    /// Position in plan order (configurations, then cells in report order, then replicates).
    public let index: Int
    /// The sweep configuration this run belongs to (0 without a sweep).
    public let configuration: Int
    /// The cell, its parameters extended with the configuration's swept values.
    public let cell: RunCell
    /// The cell's position in its configuration's `cells` (what the runner runs); nil for a
    /// run read back from a result or shard file, which is reported, never rerun.
    public let cellIndex: Int?
    /// Replicate number, 0-based.
    public let replicate: Int
    /// First 16 hex digits of the SHA-256 of the run's canonical parameters:
    /// stable across machines, shard counts and versions of the plan.
    public let runKey: String
    /// Seed of the mechanism's own streams: derived from (master seed, run key)
    /// only, never from a shard or worker.
    public let mechanismSeed: UInt64
    /// Seed of the workload streams: from (master seed, configuration, replicate),
    /// the same for every mechanism of a configuration (`workloadKey`); the
    /// mechanism seed without common random numbers; `paper_seed` for replicate 0.
    public let workloadSeed: UInt64
    /// The cell's text as the run key hashes it, rendered once per cell by the
    /// planner and shared by its replicates; result lines copy it instead of
    /// serialising the cell again (nil for runs made elsewhere, which render it).
    let cellText: CellText?

    /// A planned run; the planner fills these (tests and readers of result files make their own).
    public init(index: Int, configuration: Int = 0, cell: RunCell, cellIndex: Int? = nil, replicate: Int, runKey: String,
                workloadSeed: UInt64, mechanismSeed: UInt64) {
        self.init(index: index, configuration: configuration, cell: cell, cellIndex: cellIndex, replicate: replicate, runKey: runKey,
                  workloadSeed: workloadSeed, mechanismSeed: mechanismSeed, cellText: nil)
    }

    init(index: Int, configuration: Int, cell: RunCell, cellIndex: Int?, replicate: Int, runKey: String,
         workloadSeed: UInt64, mechanismSeed: UInt64, cellText: CellText?) {
        self.index = index
        self.configuration = configuration
        self.cell = cell
        self.cellIndex = cellIndex
        self.replicate = replicate
        self.runKey = runKey
        self.workloadSeed = workloadSeed
        self.mechanismSeed = mechanismSeed
        self.cellText = cellText
    }
}

/// `RunPlanner.writeCanonicalMembers` of one cell, for one kind.
final class CellText: Sendable {
    let kind: String
    let members: [UInt8]
    init(kind: String, members: [UInt8]) { self.kind = kind; self.members = members }
}

/// Lays out a scenario's runs (configurations × cells × replicates) with their run keys and seeds.
public enum RunPlanner {
    /// Every run of the scenario, in plan order.
    ///
    /// A swept value the cell does not already report becomes a parameter named by
    /// its path, so runs of different sweep points have different keys.
    public static func plan(_ scenario: Scenario) -> [PlannedRun] {
        plan(scenario, parts: nil)
    }

    /// `plan`, with the configurations split into `parts` planned side by side
    /// (by default one per core for plans of 4096 runs or more, else one).
    static func plan(_ scenario: Scenario, parts: Int?) -> [PlannedRun] {
        let configurations = scenario.configurations
        let cells = configurations.map(\.experiment.renderedCells)
        let replications = scenario.header.replications
        // Where each configuration's runs start: known in advance, so that
        // configurations can be planned side by side into their places.
        var starts = [0]
        for c in cells { starts.append(starts.last! + c.count * replications) }
        let first = starts, total = starts.last!
        let parts = max(1, min(parts ?? (total >= 4096 ? ScenarioRunner.usableCores() : 1), configurations.count))
        return [PlannedRun](unsafeUninitializedCapacity: total) { buffer, count in
            let out = SharedBuffer(buffer: buffer)
            DispatchQueue.concurrentPerform(iterations: parts) { part in
                var tail = JSONWriter(capacity: 32)
                for c in configurations.count * part / parts..<configurations.count * (part + 1) / parts {
                    plan(configurations[c], cells: cells[c], scenario: scenario, from: first[c], tail: &tail) { run in
                        (out.buffer.baseAddress! + run.index).initialize(to: run)
                    }
                }
            }
            count = total
        }
    }

    /// A buffer that the planning threads fill, each in places of its own.
    private struct SharedBuffer: @unchecked Sendable {
        let buffer: UnsafeMutableBufferPointer<PlannedRun>
    }

    /// The runs of one configuration, in plan order, the first at index `first`.
    private static func plan(_ configuration: SweepConfiguration, cells: [RunCell], scenario: Scenario, from first: Int,
                             tail: inout JSONWriter, _ emit: (PlannedRun) -> Void) {
        let header = scenario.header
        let kind = header.kind
        let variantNames = type(of: configuration.experiment).mechanismParameters
        var index = first
        for (cellIndex, base) in cells.enumerated() {
            let cell = configuration.plannedCell(base)
            // The cell's replicates share all of the canonical text but its tail:
            // hash the head once, and each replicate's tail from a copy.
            var members = JSONWriter()
            writeCanonicalMembers(kind: kind, cell: cell, to: &members)
            let text = CellText(kind: kind, members: members.bytes)
            var headHash = SHA256()
            headHash.update(CollectionOfOne(UInt8(ascii: "{")))
            headHash.update(text.members)
            var workloadHead = SHA256()
            if header.commonRandomNumbers {
                var members = JSONWriter()
                writeWorkloadMembers(kind: kind, cell: cell, excluding: variantNames, to: &members)
                workloadHead.update(CollectionOfOne(UInt8(ascii: "{")))
                workloadHead.update(members.bytes)
            }
            for replicate in 0..<header.replications {
                tail.reset()
                writeCanonicalTail(replicate: replicate, to: &tail)
                var hash = headHash
                hash.update(tail.bytes)
                let bits = hash.finalizePrefix64()
                let mechanismSeed = seed(master: header.seed, keyBits: bits)
                var workloadSeed = mechanismSeed
                if let paper = header.paperSeed, replicate == 0 {
                    workloadSeed = paper
                } else if header.commonRandomNumbers {
                    var w = workloadHead
                    w.update(tail.bytes)
                    workloadSeed = seed(master: header.seed, keyBits: w.finalizePrefix64())
                }
                emit(PlannedRun(index: index, configuration: configuration.index, cell: cell, cellIndex: cellIndex, replicate: replicate,
                                runKey: runKey(bits: bits), workloadSeed: workloadSeed, mechanismSeed: mechanismSeed, cellText: text))
                index += 1
            }
        }
    }

    /// The canonical description a run key hashes:
    /// `{"kind":…,"mechanism":…,"parameters":{…},"replicate":…}`.
    static func canonical(kind: String, cell: RunCell, replicate: Int) -> String {
        var out = JSONWriter()
        writeCanonicalHead(kind: kind, cell: cell, to: &out)
        writeCanonicalTail(replicate: replicate, to: &out)
        return out.text
    }

    /// The canonical description up to and including `"replicate":`.
    static func writeCanonicalHead(kind: String, cell: RunCell, to out: inout JSONWriter) {
        out.raw("{")
        writeCanonicalMembers(kind: kind, cell: cell, to: &out)
    }

    /// The canonical head without its `{`: `"kind":…,"mechanism":…,"parameters":{…},"replicate":`,
    /// which is also the middle of a result line (see `ResultFiles.writeRunLine`).
    static func writeCanonicalMembers(kind: String, cell: RunCell, to out: inout JSONWriter) {
        out.raw(#""kind":"#)
        out.string(kind)
        out.raw(#","mechanism":"#)
        out.string(cell.mechanism)
        out.raw(#","parameters":"#)
        out.object(cell.parameters)
        out.raw(#","replicate":"#)
    }

    /// What a workload seed hashes: `{"kind":…,"parameters":{…},"replicate":N}`, the
    /// canonical description without the mechanism and its variant parameters, so
    /// that every mechanism of a configuration and replicate gets the same seed.
    static func writeWorkloadMembers(kind: String, cell: RunCell, excluding mechanismParameters: [String], to out: inout JSONWriter) {
        out.raw(#""kind":"#)
        out.string(kind)
        out.raw(#","parameters":"#)
        out.object(mechanismParameters.isEmpty ? cell.parameters
                   : cell.parameters.filter { p in !mechanismParameters.contains { matches(p.0, pattern: $0) } })
        out.raw(#","replicate":"#)
    }

    /// The configuration a run belongs to, as paired comparisons match runs: its
    /// parameters without the mechanism's variant parameters (the plain names of
    /// `Experiment.mechanismParameters`), canonical.
    static func configurationKey(_ cell: RunCell, excluding mechanismParameters: [String]) -> String {
        var out = JSONWriter()
        out.object(mechanismParameters.isEmpty ? cell.parameters : cell.parameters.filter { !mechanismParameters.contains($0.0) })
        return out.text
    }

    /// `name` matches `pattern`, where `*` stands for any characters (none included).
    static func matches(_ name: String, pattern: String) -> Bool {
        guard pattern.contains("*") else { return name == pattern }
        let parts = pattern.split(separator: "*", omittingEmptySubsequences: false).map(String.init)
        var rest = Substring(name)
        guard rest.hasPrefix(parts[0]) else { return false }
        rest = rest.dropFirst(parts[0].count)
        for (k, part) in parts.enumerated().dropFirst() {
            if k == parts.count - 1 { return rest.hasSuffix(part) }
            guard let range = rest.range(of: part) else { return false }
            rest = rest[range.upperBound...]
        }
        return true
    }

    static func writeCanonicalTail(replicate: Int, to out: inout JSONWriter) {
        out.int(Int64(replicate))
        out.raw("}")
    }

    /// The run key: the first 16 hex digits of the SHA-256 of `{"kind":…,"mechanism":…,"parameters":{…},"replicate":…}`.
    public static func runKey(kind: String, cell: RunCell, replicate: Int) -> String {
        var hash = SHA256()
        hash.update(canonical(kind: kind, cell: cell, replicate: replicate))
        return runKey(bits: hash.finalizePrefix64())
    }

    /// 16 hex digits: the first 8 bytes of the digest.
    static func runKey(bits: UInt64) -> String {
        String(unsafeUninitializedCapacity: 16) { out in
            for i in 0..<16 { out[i] = JSONWriter.hexDigits[Int(truncatingIfNeeded: bits >> UInt64(60 - 4 * i)) & 15] }
            return 16
        }
    }

    /// A run's seed: SplitMix64-mixed `master` XOR the mixed 64 bits of the run key (FNV-1a of the key when it is not hex).
    public static func seed(master: UInt64, runKey: String) -> UInt64 {
        seed(master: master, keyBits: UInt64(runKey.prefix(16), radix: 16) ?? fnv1a64(runKey))
    }

    /// `seed(master:runKey:)` for a key given as its 64 bits.
    static func seed(master: UInt64, keyBits: UInt64) -> UInt64 {
        SplitMix64.mix(master ^ SplitMix64.mix(keyBits))
    }
}

/// A finished run.
public struct RunRecord: Sendable {
    /// The run as planned.
    public let run: PlannedRun
    /// What it produced.
    public let outcome: RunOutcome
    /// Wall time of the experiment's `run` for this run, and of nothing else (the
    /// plan, the context, writing the record are the sweep's, not the run's).
    /// Goes to the manifest, never to summary or runs files.
    public let seconds: Double
}
