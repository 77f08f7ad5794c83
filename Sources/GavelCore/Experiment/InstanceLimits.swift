/// Sizes an input may ask Gavel to build, checked before anything of that size is made (a
/// matching instance of 4·10^9 edges, an information table of 2^60 entries). The defaults fit
/// this machine kind (24 GiB); a command raises them with `--max-edges` / `--max-table-entries`,
/// which set `current` for the work they start.
public struct InstanceLimits: Sendable, Equatable {
    /// Edges of a generated matching instance (5·10^7: about 1 GB with its tables).
    public var matchingEdges: Int
    /// Entries of an information-acquisition table q_a(s | state) (10^7: 80 MB, and an IC LP
    /// far beyond what GLPK solves).
    public var informationEntries: Int

    /// 5·10^7 matching edges and 10^7 information entries.
    public static let defaults = InstanceLimits(matchingEdges: 50_000_000, informationEntries: 10_000_000)
    /// Limits of `matchingEdges` edges and `informationEntries` table entries.
    public init(matchingEdges: Int, informationEntries: Int) {
        self.matchingEdges = matchingEdges; self.informationEntries = informationEntries
    }

    /// The limits in force for the current task (``defaults`` unless a command bound them with `$current.withValue`).
    @TaskLocal public static var current = InstanceLimits.defaults
}
