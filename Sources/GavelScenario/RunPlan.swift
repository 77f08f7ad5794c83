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

    public init(index: Int, configuration: Int = 0, cell: RunCell, replicate: Int, runKey: String, seed: UInt64) {
        self.index = index
        self.configuration = configuration
        self.cell = cell
        self.replicate = replicate
        self.runKey = runKey
        self.seed = seed
    }
}

public enum RunPlanner {
    /// Every run of the scenario, in plan order.
    ///
    /// A swept value the cell does not already report becomes a parameter named by
    /// its path, so runs of different sweep points have different keys.
    public static func plan(_ scenario: Scenario) -> [PlannedRun] {
        var runs: [PlannedRun] = []
        for configuration in scenario.configurations {
            for base in configuration.experiment.cells {
                let extra = configuration.assignments.filter { a in !base.parameters.contains { $0.0 == a.0 } }
                let cell = RunCell(mechanism: base.mechanism, parameters: base.parameters + extra)
                for replicate in 0..<scenario.header.replications {
                    let key = runKey(kind: scenario.header.kind, cell: cell, replicate: replicate)
                    runs.append(PlannedRun(index: runs.count, configuration: configuration.index, cell: cell, replicate: replicate,
                                           runKey: key, seed: seed(master: scenario.header.seed, runKey: key)))
                }
            }
        }
        return runs
    }

    /// The canonical description a run key hashes.
    static func canonical(kind: String, cell: RunCell, replicate: Int) -> JSONValue {
        .object([
            ("kind", .string(kind)),
            ("mechanism", .string(cell.mechanism)),
            ("parameters", .object(cell.parameters)),
            ("replicate", .int(Int64(replicate))),
        ])
    }

    public static func runKey(kind: String, cell: RunCell, replicate: Int) -> String {
        String(SHA256.hex(canonical(kind: kind, cell: cell, replicate: replicate).serialized()).prefix(16))
    }

    public static func seed(master: UInt64, runKey: String) -> UInt64 {
        SplitMix64.mix(master ^ SplitMix64.mix(UInt64(runKey.prefix(16), radix: 16) ?? fnv1a64(runKey)))
    }
}

/// A finished run.
public struct RunRecord: Sendable {
    public let run: PlannedRun
    public let outcome: RunOutcome
    /// Wall time of this run (goes to the manifest, never to summary or runs files).
    public let seconds: Double
}
