import GavelCore
import Foundation
import Testing
import GavelConfig

/// The one YAML reader (scenarios and instance files) against hostile input (issue 21):
/// nesting stops at libyaml's limit with an error, not a stack overflow; no control
/// character cuts a number short; a byte-order mark is skipped.
@Suite("YAML reader: depth, control characters, byte-order mark")
struct YAMLReaderHardeningTests {
    let fields = YAMLFields(file: "x.yaml")

    func error(_ text: String) throws -> InputError {
        try #require(throws: InputError.self) { _ = try fields.root(of: text, expected: "an instance") }
    }

    @Test("30,000 nested flow collections are an error at their line, not a stack overflow", arguments: ["[", "{a: "])
    func deepNesting(open: String) throws {
        let e = try error("x: " + String(repeating: open, count: 30_000))
        #expect(e.description.contains("nesting level"), "\(e)")
        #expect(e.description.hasPrefix("x.yaml:1:"))
        // 200 levels (far more than any instance needs) parse.
        let ok = "x: " + String(repeating: "[", count: 200) + String(repeating: "]", count: 200)
        #expect(throws: Never.self) { _ = try fields.root(of: ok, expected: "an instance") }
    }

    @Test("Deep block nesting too")
    func deepBlocks() throws {
        let levels = 1_500
        let text = (0..<levels).map { String(repeating: " ", count: $0) + "k\($0):" }.joined(separator: "\n") + " 1\n"
        let e = try error(text)
        #expect(e.description.contains("nesting level"), "\(e)")
    }

    @Test("A NUL or other control character inside a value is an error naming its line", arguments: ["0.\u{0}5", "1\u{1}", "\"a\u{0}b\""])
    func controlCharacters(value: String) throws {
        let e = try error("a: 1\nweight: \(value)\n")
        #expect(e.description.hasPrefix("x.yaml:2:") && e.description.contains("control character"), "\(e)")
    }

    @Test("A byte-order mark is skipped")
    func byteOrderMark() throws {
        let node = try fields.root(of: "\u{FEFF}model: mnl\n", expected: "an instance")
        let entries = try fields.mapping(node, "", allowed: ["model"])
        #expect(entries.map(\.0) == ["model"])
    }

    @Test("An empty instance says what it should have held")
    func empty() throws {
        for text in ["", "# only a comment\n", "---\n"] {
            let e = try error(text)
            #expect(e.description == "x.yaml:1:1: the file is empty (expected an instance)", "\(e)")
        }
    }

    @Test("Tags and aliases are refused in instance files as in scenarios")
    func tagsAndAliases() throws {
        #expect(try error("a: !!binary aGk=\n").description.contains("YAML tags are not supported"))
        #expect(try error("a: &x 1\nb: *x\n").description.contains("aliases are not supported"))
        #expect(try error("a: 1\na: 2\n").description.contains("duplicate key 'a'"))
        #expect(try error("a: &x k\n*x : 2\n").description.contains("aliases are not supported"))
    }
}
