import Foundation
import Testing
@testable import GavelScenario
import GavelCore
import GavelConfig

/// A small scenario whose line numbers the tests rely on.
enum Tiny {
    static let lines = [
        "schema_version: 1",                        // 1
        "name: tiny",                               // 2
        "kind: single_item_auction",                // 3
        "seed: 7",                                  // 4
        "replications: 2",                          // 5
        "mechanisms: [first_price, second_price]",  // 6
        "bidders: [2, 3]",                          // 7
        "auctions: 50",                             // 8
    ]

    static var yaml: String { lines.joined(separator: "\n") + "\n" }

    /// The scenario with line `number` (1-based) replaced by `text`.
    static func replacing(line number: Int, with text: String) -> String {
        var l = lines
        l[number - 1] = text
        return l.joined(separator: "\n") + "\n"
    }

    /// The scenario with `text` added as line 9 (and on).
    static func appending(_ text: String) -> String { yaml + text + "\n" }

    /// The equivalent JSON document.
    static let json = """
    {
      "schema_version": 1,
      "name": "tiny",
      "kind": "single_item_auction",
      "seed": 7,
      "replications": 2,
      "mechanisms": ["first_price", "second_price"],
      "bidders": [2, 3],
      "auctions": 50
    }
    """
}

/// Loads scenario text as if from `file` (directory `/tmp`), with a fixed environment.
func load(_ text: String, file: String = "s.yaml", overrides: [String] = [], seed: UInt64? = nil,
          environment: [String: String] = [:]) throws -> Scenario {
    try Scenario.load(text: text, file: file, directory: "/tmp", overrides: overrides, seed: seed, environment: environment)
}

/// The `InputError` loading `text` throws (the test fails if it does not throw one).
func loadError(_ text: String, file: String = "s.yaml", overrides: [String] = [],
               environment: [String: String] = [:], sourceLocation: Testing.SourceLocation = #_sourceLocation) throws -> InputError {
    try #require(throws: InputError.self, sourceLocation: sourceLocation) {
        _ = try load(text, file: file, overrides: overrides, environment: environment)
    }
}

/// A fresh, empty temporary folder.
func makeTemporaryDirectory() throws -> URL {
    let url = FileManager.default.temporaryDirectory
        .appendingPathComponent("gavel-scenario-tests-\(UUID().uuidString)", isDirectory: true)
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}

func contentsOfDirectory(_ url: URL) -> [String] {
    ((try? FileManager.default.contentsOfDirectory(atPath: url.path)) ?? []).sorted()
}
