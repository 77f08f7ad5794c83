import Foundation
import Testing
@testable import GavelData

/// The instance-file reader against hostile input (issue 21): no recursion past a stated
/// depth, no control character cutting a number short, a byte-order mark as in scenarios.
@Suite("YAMLLite: depth, control characters, byte-order mark")
struct YAMLLiteHardeningTests {
    let fields = YAMLLiteFields(file: "x.yaml")

    func error(_ text: String) throws -> DataReadError {
        try #require(throws: DataReadError.self) { _ = try fields.root(of: text, expected: "an instance") }
    }

    @Test("30,000 nested flow lists are an error at a stated depth, not a stack overflow", arguments: ["[", "{a: "])
    func deepNesting(open: String) throws {
        let e = try error("x: " + String(repeating: open, count: 30_000))
        #expect(e.description.contains("nested deeper than \(YAMLLiteParser.maxDepth) levels"), "\(e)")
        #expect(e.description.hasPrefix("x.yaml:1:"))
        // Nesting up to the limit parses.
        let ok = "x: " + String(repeating: "[", count: YAMLLiteParser.maxDepth - 2) + String(repeating: "]", count: YAMLLiteParser.maxDepth - 2)
        #expect(throws: Never.self) { _ = try fields.root(of: ok, expected: "an instance") }
    }

    @Test("Deep block nesting too", arguments: [70])
    func deepBlocks(levels: Int) throws {
        let text = (0..<levels).map { String(repeating: "  ", count: $0) + "k\($0):" }.joined(separator: "\n") + " 1\n"
        let e = try error(text)
        #expect(e.description.contains("nested deeper than"))
    }

    @Test("A NUL or other control character inside a value is an error naming its line", arguments: ["0.\u{0}5", "1\u{1}", "\"a\u{0}b\""])
    func controlCharacters(value: String) throws {
        let e = try error("a: 1\nweight: \(value)\n")
        #expect(e.description.hasPrefix("x.yaml:2:") && e.description.contains("control character"), "\(e)")
    }

    @Test("A byte-order mark is skipped, as the scenario reader does")
    func byteOrderMark() throws {
        let node = try fields.root(of: "\u{FEFF}model: mnl\n", expected: "an instance")
        let entries = try fields.mapping(node, "", allowed: ["model"])
        #expect(entries.map(\.0) == ["model"])
    }
}
