import Foundation

// A YAML subset for instance files, shared by the families below the scenario
// layer (which alone links Yams): block and flow collections, plain and quoted
// scalars, comments. Every error is a `DataReadError` with file, line and column.

/// Where a node starts (1-based line and column).
public struct YAMLLiteMark: Sendable { public var line: Int; public var column: Int }

/// A parsed node of the YAML subset; mapping entries keep file order.
public struct YAMLLiteNode: Sendable {
    public enum Kind: Sendable {
        case scalar(String, quoted: Bool)
        case seq([YAMLLiteNode])
        case map([(String, YAMLLiteNode)])
    }
    public var kind: Kind
    public var mark: YAMLLiteMark

    public var summary: String {
        switch kind {
        case .scalar(let s, let q): return q ? "the string \"\(s)\"" : (s.isEmpty ? "nothing" : "'\(s)'")
        case .seq: return "a list"
        case .map: return "a mapping"
        }
    }
}

/// A small recursive-descent reader for the YAML subset of the instance format
/// (block mappings/sequences by indentation, flow `{}`/`[]` over several lines,
/// plain, single- and double-quoted scalars, `#` comments). Anchors, tags,
/// multi-document streams and block scalars are rejected with an error.
public struct YAMLLiteParser {
    let bytes: [UInt8]
    let file: String
    var i = 0
    var line = 1
    var lineStart = 0
    /// Collections open around the current position: no recursion deeper than `maxDepth`.
    var depth = 0
    public static let maxDepth = 64

    public init(text: String, file: String) {
        var b = Array(text.utf8)
        // A byte-order mark is skipped, as the scenario reader does.
        if b.starts(with: [0xEF, 0xBB, 0xBF]) { b.removeFirst(3) }
        bytes = b
        self.file = file
    }

    /// Counts one more level of nesting, refusing input deeper than `maxDepth` (a stack
    /// overflow otherwise: 30,000 nested '[' are a few bytes of input).
    mutating func enter() throws {
        depth += 1
        if depth > Self.maxDepth { throw error("nested deeper than \(Self.maxDepth) levels (expected a flatter instance)") }
    }

    var mark: YAMLLiteMark { YAMLLiteMark(line: line, column: i - lineStart + 1) }
    var column: Int { i - lineStart }
    var atEnd: Bool { i >= bytes.count }
    var current: UInt8 { bytes[i] }

    func error(_ message: String, at m: YAMLLiteMark? = nil) -> DataReadError {
        let m = m ?? mark
        return DataReadError(file: file, line: m.line, column: m.column, message)
    }

    mutating func advance() {
        if bytes[i] == 0x0A { line += 1; lineStart = i + 1 }
        i += 1
    }

    /// Skips spaces on the current line and a trailing comment; stops at a newline.
    mutating func skipInline() {
        while !atEnd && (current == 0x20 || current == 0x09 || current == 0x0D) { advance() }
        if !atEnd && current == UInt8(ascii: "#") { while !atEnd && current != 0x0A { advance() } }
    }

    /// Skips whitespace, newlines and comments.
    mutating func skipAll() {
        while true {
            skipInline()
            if !atEnd && current == 0x0A { advance() } else { return }
        }
    }

    var atLineEnd: Bool { atEnd || current == 0x0A }

    /// The whole text as one node; `expected` says what an empty file should have held.
    public mutating func parseDocument(expected: String = "an instance") throws -> YAMLLiteNode {
        skipAll()
        if !atEnd && bytes[i...].starts(with: Array("---".utf8)) { i += 3; skipAll() }
        guard !atEnd else { throw error("the file is empty (expected \(expected))") }
        let node = try parseBlock(indent: column)
        skipAll()
        guard atEnd else { throw error("unexpected content (check the indentation)") }
        return node
    }

    /// A node starting at the current position, which is content at column `indent`.
    mutating func parseBlock(indent: Int) throws -> YAMLLiteNode {
        try enter(); defer { depth -= 1 }
        let start = mark
        switch current {
        case UInt8(ascii: "{"), UInt8(ascii: "["):
            let node = try parseFlow()
            skipInline()
            guard atLineEnd else { throw error("unexpected text after a flow collection") }
            return node
        case UInt8(ascii: "-") where i + 1 >= bytes.count || [0x20, 0x0A, 0x0D].contains(bytes[i + 1]):
            return try parseBlockSequence(indent: column)
        case UInt8(ascii: "&"), UInt8(ascii: "*"), UInt8(ascii: "!"), UInt8(ascii: "|"), UInt8(ascii: ">"):
            throw error("anchors, aliases, tags and block scalars are not part of the instance file format")
        default:
            let (key, quoted) = try parseScalar(flow: false)
            skipInline()
            if !atEnd && current == UInt8(ascii: ":") {
                return try parseBlockMapping(indent: column(of: start), firstKey: key, keyMark: start)
            }
            guard atLineEnd else { throw error("unexpected text after '\(key)'") }
            return YAMLLiteNode(kind: .scalar(key, quoted: quoted), mark: start)
        }
    }

    func column(of m: YAMLLiteMark) -> Int { m.column - 1 }

    mutating func parseBlockSequence(indent: Int) throws -> YAMLLiteNode {
        let start = mark
        var items: [YAMLLiteNode] = []
        while true {
            advance()  // the '-'
            skipInline()
            if atLineEnd {
                skipAll()
                guard !atEnd, column > indent else { items.append(YAMLLiteNode(kind: .scalar("", quoted: false), mark: mark)); break }
                items.append(try parseBlock(indent: column))
            } else {
                items.append(try parseBlock(indent: column))
            }
            skipAll()
            if atEnd || column < indent { break }
            guard column == indent, current == UInt8(ascii: "-") else { throw error("expected '- ' at column \(indent + 1) (a list item), found something else: check the indentation") }
        }
        return YAMLLiteNode(kind: .seq(items), mark: start)
    }

    mutating func parseBlockMapping(indent: Int, firstKey: String, keyMark: YAMLLiteMark) throws -> YAMLLiteNode {
        var entries: [(String, YAMLLiteNode)] = []
        var key = firstKey, km = keyMark
        while true {
            advance()  // the ':'
            if entries.contains(where: { $0.0 == key }) { throw error("duplicate key '\(key)'", at: km) }
            skipInline()
            let value: YAMLLiteNode
            if atLineEnd {
                skipAll()
                if !atEnd && (column > indent || (column == indent && current == UInt8(ascii: "-"))) {
                    value = try parseBlock(indent: column)
                } else {
                    value = YAMLLiteNode(kind: .scalar("", quoted: false), mark: km)
                }
            } else if current == UInt8(ascii: "{") || current == UInt8(ascii: "[") {
                value = try parseFlow()
                skipInline()
                guard atLineEnd else { throw error("unexpected text after a flow collection") }
            } else {
                let m = mark
                let (s, q) = try parseScalar(flow: false)
                skipInline()
                guard atLineEnd else { throw error("unexpected text after '\(s)' (a nested mapping needs its own line)") }
                value = YAMLLiteNode(kind: .scalar(s, quoted: q), mark: m)
            }
            entries.append((key, value))
            skipAll()
            if atEnd || column < indent { break }
            guard column == indent else { throw error("unexpected indentation (expected a key at column \(indent + 1))") }
            if current == UInt8(ascii: "-") { break }
            km = mark
            (key, _) = try parseScalar(flow: false)
            skipInline()
            guard !atEnd, current == UInt8(ascii: ":") else { throw error("expected ':' after key '\(key)'", at: km) }
        }
        return YAMLLiteNode(kind: .map(entries), mark: keyMark)
    }

    /// `{k: v, ...}` or `[a, b, ...]`, possibly over several lines (JSON included).
    mutating func parseFlow() throws -> YAMLLiteNode {
        try enter(); defer { depth -= 1 }
        let start = mark
        let open = current
        advance()
        let close = open == UInt8(ascii: "{") ? UInt8(ascii: "}") : UInt8(ascii: "]")
        var items: [YAMLLiteNode] = []
        var entries: [(String, YAMLLiteNode)] = []
        skipAll()
        if !atEnd && current == close { advance(); return YAMLLiteNode(kind: open == UInt8(ascii: "{") ? .map([]) : .seq([]), mark: start) }
        while true {
            skipAll()
            guard !atEnd else { throw error("unterminated '\(Character(UnicodeScalar(open)))' opened at line \(start.line)") }
            if open == UInt8(ascii: "{") {
                let km = mark
                let (key, _) = try parseScalar(flow: true)
                skipAll()
                guard !atEnd, current == UInt8(ascii: ":") else { throw error("expected ':' after key '\(key)'", at: km) }
                advance(); skipAll()
                if entries.contains(where: { $0.0 == key }) { throw error("duplicate key '\(key)'", at: km) }
                entries.append((key, try parseFlowValue()))
            } else {
                items.append(try parseFlowValue())
            }
            skipAll()
            guard !atEnd else { throw error("unterminated '\(Character(UnicodeScalar(open)))' opened at line \(start.line)") }
            if current == UInt8(ascii: ",") { advance(); continue }
            if current == close { advance(); break }
            throw error("expected ',' or '\(Character(UnicodeScalar(close)))'")
        }
        return YAMLLiteNode(kind: open == UInt8(ascii: "{") ? .map(entries) : .seq(items), mark: start)
    }

    mutating func parseFlowValue() throws -> YAMLLiteNode {
        guard !atEnd else { throw error("expected a value") }
        if current == UInt8(ascii: "{") || current == UInt8(ascii: "[") { return try parseFlow() }
        let m = mark
        let (s, q) = try parseScalar(flow: true)
        return YAMLLiteNode(kind: .scalar(s, quoted: q), mark: m)
    }

    /// A plain or quoted scalar. Plain scalars end at ': ', ' #', end of line,
    /// and in flow context also at ',', '}', ']'.
    mutating func parseScalar(flow: Bool) throws -> (String, Bool) {
        if current == UInt8(ascii: "\"") || current == UInt8(ascii: "'") {
            let quote = current, m = mark
            advance()
            var out: [UInt8] = []
            while true {
                guard !atEnd, current != 0x0A else { throw error("unterminated quoted string", at: m) }
                if current == quote {
                    if quote == UInt8(ascii: "'"), i + 1 < bytes.count, bytes[i + 1] == quote { out.append(quote); advance(); advance(); continue }
                    advance(); break
                }
                if quote == UInt8(ascii: "\""), current == UInt8(ascii: "\\") {
                    advance()
                    guard !atEnd else { throw error("unterminated quoted string", at: m) }
                    switch current {
                    case UInt8(ascii: "n"): out.append(0x0A)
                    case UInt8(ascii: "t"): out.append(0x09)
                    case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): out.append(current)
                    default: throw error("unsupported escape '\\\(Character(UnicodeScalar(current)))'")
                    }
                    advance(); continue
                }
                guard current >= 0x20 || current == 0x09 else { throw error("a control character (byte \(current)) inside a quoted string") }
                out.append(current); advance()
            }
            return (String(decoding: out, as: UTF8.self), true)
        }
        let begin = i
        // A plain value cannot start with a tag, anchor or alias (`!!python/object`, `&a`, `*a`):
        // refused rather than read as text (issue 21), as the scenario reader refuses tags.
        if !atEnd, [UInt8(ascii: "!"), UInt8(ascii: "&"), UInt8(ascii: "*")].contains(current) {
            throw error("YAML tags, anchors and aliases are not supported (found '\(Character(UnicodeScalar(current)))'): write the value plainly, quoted for a string")
        }
        while !atEnd {
            let c = current
            if c == 0x0A || c == 0x0D { break }
            // A NUL or another control character would cut a number short where C reads it ("0.\0 5" as 0).
            guard c >= 0x20 || c == 0x09 else { throw error("a control character (byte \(c)) in a value") }
            if c == UInt8(ascii: ":") && (i + 1 >= bytes.count || [0x20, 0x0A, 0x0D, 0x09].contains(bytes[i + 1]) || (flow && [UInt8(ascii: ","), UInt8(ascii: "}"), UInt8(ascii: "]")].contains(bytes[i + 1]))) { break }
            if c == UInt8(ascii: "#") && i > begin && (bytes[i - 1] == 0x20 || bytes[i - 1] == 0x09) { break }
            if flow && (c == UInt8(ascii: ",") || c == UInt8(ascii: "}") || c == UInt8(ascii: "]") || c == UInt8(ascii: "{") || c == UInt8(ascii: "[")) { break }
            advance()
        }
        var end = i
        while end > begin && (bytes[end - 1] == 0x20 || bytes[end - 1] == 0x09) { end -= 1 }
        return (String(decoding: bytes[begin..<end], as: UTF8.self), false)
    }
}

/// Typed access to a parsed instance file, with errors that name the file,
/// the node's line and column, and the field's dotted path
/// (`arrivals[3].edges.u0`). Families build their instance readers on it.
public struct YAMLLiteFields: Sendable {
    public let file: String
    public init(file: String) { self.file = file }

    /// Parses `text` into its root node.
    public func root(of text: String, expected: String) throws -> YAMLLiteNode {
        var parser = YAMLLiteParser(text: text, file: file)
        return try parser.parseDocument(expected: expected)
    }

    public func fail(_ node: YAMLLiteNode, _ field: String, _ message: String) -> DataReadError {
        DataReadError(file: file, line: node.mark.line, column: node.mark.column, field: field, message)
    }

    /// The entries of a mapping, in file order; a key outside `allowed` is an error.
    public func mapping(_ node: YAMLLiteNode, _ field: String, allowed: [String]? = nil) throws -> [(String, YAMLLiteNode)] {
        guard case .map(let entries) = node.kind else { throw fail(node, field, "expected a mapping, found \(node.summary)") }
        if let allowed {
            for (key, value) in entries where !allowed.contains(key) {
                throw fail(value, field.isEmpty ? key : "\(field).\(key)", "unknown key '\(key)' (allowed here: \(allowed.joined(separator: ", ")))")
            }
        }
        return entries
    }

    /// The value under `key` in a mapping's entries, or nil.
    public func optional(_ entries: [(String, YAMLLiteNode)], _ key: String) -> YAMLLiteNode? {
        entries.first(where: { $0.0 == key })?.1
    }

    /// The value under `key`, or an error naming it as missing (`what` describes the value).
    public func required(_ entries: [(String, YAMLLiteNode)], _ key: String, in node: YAMLLiteNode, field: String, _ what: String) throws -> YAMLLiteNode {
        guard let value = optional(entries, key) else {
            throw fail(node, field.isEmpty ? key : "\(field).\(key)", "missing key '\(key)' (\(what))")
        }
        return value
    }

    public func sequence(_ node: YAMLLiteNode, _ field: String) throws -> [YAMLLiteNode] {
        guard case .seq(let items) = node.kind else { throw fail(node, field, "expected a list, found \(node.summary)") }
        return items
    }

    /// A non-empty scalar string (names, ids).
    public func string(_ node: YAMLLiteNode, _ field: String) throws -> String {
        guard case .scalar(let s, _) = node.kind, !s.isEmpty else { throw fail(node, field, "expected a non-empty name, found \(node.summary)") }
        return s
    }

    /// A finite number satisfying `ok`; `expectation` is what the error says was expected.
    public func number(_ node: YAMLLiteNode, _ field: String, _ expectation: String = "a finite number", _ ok: (Double) -> Bool = { _ in true }) throws -> Double {
        guard case .scalar(let s, let quoted) = node.kind, !quoted, let x = Double(s), x.isFinite else {
            throw fail(node, field, "expected \(expectation), found \(node.summary)")
        }
        guard ok(x) else { throw fail(node, field, "expected \(expectation), found \(s)") }
        return x
    }

    /// An integer satisfying `ok`.
    public func integer(_ node: YAMLLiteNode, _ field: String, _ expectation: String = "an integer", _ ok: (Int) -> Bool = { _ in true }) throws -> Int {
        guard case .scalar(let s, let quoted) = node.kind, !quoted, let x = Int(s) else {
            throw fail(node, field, "expected \(expectation), found \(node.summary)")
        }
        guard ok(x) else { throw fail(node, field, "expected \(expectation), found \(s)") }
        return x
    }

    /// A list of numbers, each satisfying `ok`.
    public func numbers(_ node: YAMLLiteNode, _ field: String, _ expectation: String = "a finite number", _ ok: (Double) -> Bool = { _ in true }) throws -> [Double] {
        try sequence(node, field).enumerated().map { try number($0.element, "\(field)[\($0.offset)]", expectation, ok) }
    }

    /// A matrix (list of equal-length lists of numbers) with `rows` rows and `columns` columns when given.
    public func matrix(_ node: YAMLLiteNode, _ field: String, rows: Int? = nil, columns: Int? = nil,
                       _ expectation: String = "a finite number", _ ok: (Double) -> Bool = { _ in true }) throws -> [[Double]] {
        let list = try sequence(node, field)
        if let rows, list.count != rows { throw fail(node, field, "expected \(rows) rows, found \(list.count)") }
        var out: [[Double]] = []
        for (r, rowNode) in list.enumerated() {
            let row = try numbers(rowNode, "\(field)[\(r)]", expectation, ok)
            let width = columns ?? out.first?.count ?? row.count
            if row.count != width { throw fail(rowNode, "\(field)[\(r)]", "expected \(width) columns, found \(row.count)") }
            out.append(row)
        }
        return out
    }
}
