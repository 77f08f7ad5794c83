import Foundation
import Testing
@testable import GavelScenario

/// The README's table of kinds against the registry, so that the docs cannot drift from the code
/// (the table once listed `optimal` for `aigc_market`, whose mechanism is `welfare`).
@Suite("README: the kinds table names every built-in kind with its mechanisms")
struct ReadmeKindsTests {
    static func readmeRows() throws -> [(kind: String, mechanisms: [String]?)] {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let text = try String(contentsOf: root.appendingPathComponent("README.md"), encoding: .utf8)
        var rows: [(String, [String]?)] = []
        for line in text.split(separator: "\n") where line.hasPrefix("| `") {
            let cells = line.split(separator: "|", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
            guard cells.count >= 4, cells[1].hasPrefix("`"), cells[1].hasSuffix("`") else { continue }
            let kind = String(cells[1].dropFirst().dropLast())
            guard ExperimentRegistry.builtIn.contains(where: { $0.kind == kind }) || kind.hasSuffix("_auction") || kind.hasPrefix("aigc") else { continue }
            let listed = cells[3]
            let names = listed.contains("gavel list") ? nil : listed.split(separator: ",").map { $0.trimmingCharacters(in: CharacterSet(charactersIn: " `")) }
            rows.append((kind, names))
        }
        return rows
    }

    @Test("every built-in kind has a row, and a row's mechanisms are the kind's")
    func tableMatchesRegistry() throws {
        let rows = try Self.readmeRows()
        for entry in ExperimentRegistry.builtIn {
            guard let row = rows.first(where: { $0.kind == entry.kind }) else {
                Issue.record("README has no row for kind '\(entry.kind)'"); continue
            }
            guard let names = row.mechanisms else { continue }   // "see `gavel list`"
            // Built-in mechanisms only: other tests of this process register some of their own.
            let builtIn = entry.mechanisms.filter { !$0.isRegistered }.map(\.name)
            #expect(names == builtIn, "kind \(entry.kind): README lists \(names), the code has \(builtIn)")
        }
        for row in rows { #expect(ExperimentRegistry.entry(for: row.kind) != nil, "README lists unknown kind '\(row.kind)'") }
    }
}
