import GavelCore

/// One run of a scenario: a cell, a replicate, and the key and seed that identify it.
public struct PlannedRun: Sendable {
    /// Position in plan order (configurations, then cells in report order, then replicates).
    public let index: Int
    /// The sweep configuration this run belongs to (0 without a sweep).
    public let configuration: Int
    /// The cell, its parameters extended with the configuration's swept values.
    public let cell: RunCell
    public let replicate: Int
    /// First 16 hex digits of the SHA-256 of the run's canonical parameters:
    /// stable across machines, shard counts and versions of the plan.
    public let runKey: String
    /// Derived from (master seed, run key) only, never from a shard or worker.
    public let seed: UInt64
    /// The cell's text as the run key hashes it, rendered once per cell by the
    /// planner and shared by its replicates; result lines copy it instead of
    /// serialising the cell again (nil for runs made elsewhere, which render it).
    let cellText: CellText?

    public init(index: Int, configuration: Int = 0, cell: RunCell, replicate: Int, runKey: String, seed: UInt64) {
        self.init(index: index, configuration: configuration, cell: cell, replicate: replicate, runKey: runKey, seed: seed, cellText: nil)
    }

    init(index: Int, configuration: Int, cell: RunCell, replicate: Int, runKey: String, seed: UInt64, cellText: CellText?) {
        self.index = index
        self.configuration = configuration
        self.cell = cell
        self.replicate = replicate
        self.runKey = runKey
        self.seed = seed
        self.cellText = cellText
    }
}

/// `RunPlanner.writeCanonicalMembers` of one cell, for one kind.
final class CellText: Sendable {
    let kind: String
    let members: [UInt8]
    init(kind: String, members: [UInt8]) { self.kind = kind; self.members = members }
}

public enum RunPlanner {
    /// Every run of the scenario, in plan order.
    ///
    /// A swept value the cell does not already report becomes a parameter named by
    /// its path, so runs of different sweep points have different keys.
    public static func plan(_ scenario: Scenario) -> [PlannedRun] {
        var runs: [PlannedRun] = []
        var tail = JSONWriter(capacity: 32)
        for configuration in scenario.configurations {
            for base in configuration.experiment.cells {
                let extra = configuration.assignments.filter { a in !base.parameters.contains { $0.0 == a.0 } }
                let cell = RunCell(mechanism: base.mechanism, parameters: base.parameters + extra)
                // The cell's replicates share all of the canonical text but its tail:
                // hash the head once, and each replicate's tail from a copy.
                var members = JSONWriter()
                writeCanonicalMembers(kind: scenario.header.kind, cell: cell, to: &members)
                let text = CellText(kind: scenario.header.kind, members: members.bytes)
                var headHash = SHA256()
                headHash.update(CollectionOfOne(UInt8(ascii: "{")))
                headHash.update(text.members)
                for replicate in 0..<scenario.header.replications {
                    tail.reset()
                    writeCanonicalTail(replicate: replicate, to: &tail)
                    var hash = headHash
                    hash.update(tail.bytes)
                    let bits = hash.finalizePrefix64()
                    runs.append(PlannedRun(index: runs.count, configuration: configuration.index, cell: cell, replicate: replicate,
                                           runKey: runKey(bits: bits), seed: seed(master: scenario.header.seed, keyBits: bits), cellText: text))
                }
            }
        }
        return runs
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

    static func writeCanonicalTail(replicate: Int, to out: inout JSONWriter) {
        out.int(Int64(replicate))
        out.raw("}")
    }

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
    public let run: PlannedRun
    public let outcome: RunOutcome
    /// Wall time of the experiment's `run` for this run, and of nothing else (the
    /// plan, the context, writing the record are the sweep's, not the run's).
    /// Goes to the manifest, never to summary or runs files.
    public let seconds: Double
}
