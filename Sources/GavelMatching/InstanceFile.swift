import Foundation
import GavelData

/// Reads the instance file format (docs/matching.md):
///
/// ```yaml
/// offline: [{id: u0, weight: 1.0}, {id: u1}]          # weight defaults to 1
/// arrivals:                                           # in arrival order
///   - {id: t0, edges: {u0: 0.5, u1: 0.2}}
///   - {id: t1, edges: {u0: 0.8}}
/// ```
///
/// JSON is accepted (it is the flow subset). GavelMatching sits below the
/// scenario layer (no Yams), so this reads the YAML subset the format needs:
/// block and flow mappings and sequences, plain and quoted scalars, comments.
/// Every error is a `DataReadError` naming file, line, column and field.
public enum MatchingInstanceFile {
    public static func read(path: String) throws -> MatchingInstance {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw DataReadError(file: path, "cannot read the file (expected an existing, readable instance file)")
        }
        return try parse(text: String(decoding: data, as: UTF8.self), file: path)
    }

    public static func parse(text: String, file: String = "<instance>") throws -> MatchingInstance {
        var parser = YAMLLiteParser(text: text, file: file)
        let root = try parser.parseDocument()
        return try build(root, file: file)
    }

    static func build(_ root: YAMLLiteNode, file: String) throws -> MatchingInstance {
        func fail(_ node: YAMLLiteNode, _ field: String, _ message: String) -> DataReadError {
            DataReadError(file: file, line: node.mark.line, column: node.mark.column, field: field, message)
        }
        func mapping(_ node: YAMLLiteNode, _ field: String, allowed: [String]) throws -> [(String, YAMLLiteNode)] {
            guard case .map(let entries) = node.kind else { throw fail(node, field, "expected a mapping") }
            for (key, value) in entries where !allowed.contains(key) {
                throw fail(value, field.isEmpty ? key : "\(field).\(key)", "unknown key '\(key)' (allowed here: \(allowed.joined(separator: ", ")))")
            }
            return entries
        }
        func sequence(_ node: YAMLLiteNode, _ field: String) throws -> [YAMLLiteNode] {
            guard case .seq(let items) = node.kind else { throw fail(node, field, "expected a list") }
            return items
        }
        func string(_ node: YAMLLiteNode, _ field: String) throws -> String {
            guard case .scalar(let s, _) = node.kind, !s.isEmpty else { throw fail(node, field, "expected a non-empty name") }
            return s
        }
        func number(_ node: YAMLLiteNode, _ field: String, _ expectation: String, _ ok: (Double) -> Bool) throws -> Double {
            guard case .scalar(let s, let quoted) = node.kind, !quoted, let x = Double(s), x.isFinite else {
                throw fail(node, field, "expected \(expectation), found \(node.summary)")
            }
            guard ok(x) else { throw fail(node, field, "expected \(expectation), found \(s)") }
            return x
        }

        let top = try mapping(root, "", allowed: ["offline", "arrivals"])
        guard let offlineNode = top.first(where: { $0.0 == "offline" })?.1 else { throw fail(root, "offline", "missing key 'offline' (a list of {id, weight})") }
        guard let arrivalsNode = top.first(where: { $0.0 == "arrivals" })?.1 else { throw fail(root, "arrivals", "missing key 'arrivals' (a list of {id, edges})") }

        var ids: [String] = [], weights: [Double] = [], index: [String: Int] = [:]
        for (i, item) in try sequence(offlineNode, "offline").enumerated() {
            let field = "offline[\(i)]"
            let entries = try mapping(item, field, allowed: ["id", "weight"])
            guard let idNode = entries.first(where: { $0.0 == "id" })?.1 else { throw fail(item, "\(field).id", "missing key 'id'") }
            let id = try string(idNode, "\(field).id")
            if index[id] != nil { throw fail(idNode, "\(field).id", "duplicate offline id '\(id)'") }
            let w = try entries.first(where: { $0.0 == "weight" }).map { try number($0.1, "\(field).weight", "a finite number ≥ 0", { $0 >= 0 }) } ?? 1
            index[id] = ids.count; ids.append(id); weights.append(w)
        }
        var arrivalIDs: [String] = [], seen = Set<String>(), arrivals: [[(u: Int, p: Double)]] = []
        for (t, item) in try sequence(arrivalsNode, "arrivals").enumerated() {
            let field = "arrivals[\(t)]"
            let entries = try mapping(item, field, allowed: ["id", "edges"])
            guard let idNode = entries.first(where: { $0.0 == "id" })?.1 else { throw fail(item, "\(field).id", "missing key 'id'") }
            let id = try string(idNode, "\(field).id")
            if !seen.insert(id).inserted { throw fail(idNode, "\(field).id", "duplicate arrival id '\(id)'") }
            var edges: [(u: Int, p: Double)] = []
            if let edgesNode = entries.first(where: { $0.0 == "edges" })?.1 {
                guard case .map(let pairs) = edgesNode.kind else { throw fail(edgesNode, "\(field).edges", "expected a mapping {offline id: p}") }
                for (key, value) in pairs {
                    guard let u = index[key] else {
                        throw fail(value, "\(field).edges.\(key)", "edge to unknown offline vertex '\(key)' (known: \(ids.prefix(8).joined(separator: ", "))\(ids.count > 8 ? ", ..." : ""))")
                    }
                    edges.append((u, try number(value, "\(field).edges.\(key)", "a probability in [0, 1]", { $0 >= 0 && $0 <= 1 })))
                }
            }
            arrivalIDs.append(id); arrivals.append(edges)
        }
        do {
            return try MatchingInstance(weights: weights, arrivals: arrivals, offlineIDs: ids, arrivalIDs: arrivalIDs)
        } catch let e as MatchingInstanceError {
            throw DataReadError(file: file, e.description)
        }
    }

    /// The instance in the file format (flow style, one arrival per line),
    /// numbers in shortest round-trip form: `parse(write(x))` gives x back.
    public static func write(_ instance: MatchingInstance) -> String {
        var out = "offline:\n"
        for u in 0..<instance.offlineCount {
            out += "  - {id: \(quote(instance.offlineIDs[u])), weight: \(instance.weights[u])}\n"
        }
        out += "arrivals:\n"
        for t in 0..<instance.arrivalCount {
            let edges = instance.edges(of: t).map { "\(quote(instance.offlineIDs[$0.u])): \($0.p)" }.joined(separator: ", ")
            out += "  - {id: \(quote(instance.arrivalID(t))), edges: {\(edges)}}\n"
        }
        return out
    }

    static func quote(_ s: String) -> String {
        let plain = !s.isEmpty && s.unicodeScalars.allSatisfy { CharacterSet.alphanumerics.contains($0) || $0 == "_" || $0 == "-" || $0 == "." }
            && Double(s) == nil && !["true", "false", "null", "~"].contains(s)
        if plain { return s }
        return "\"" + s.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
    }
}

/// Where a node starts (1-based line and column).
struct YAMLLiteMark: Sendable { var line: Int; var column: Int }

/// A parsed node of the YAML subset; mapping entries keep file order.
struct YAMLLiteNode: Sendable {
    enum Kind: Sendable {
        case scalar(String, quoted: Bool)
        case seq([YAMLLiteNode])
        case map([(String, YAMLLiteNode)])
    }
    var kind: Kind
    var mark: YAMLLiteMark

    var summary: String {
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
struct YAMLLiteParser {
    let bytes: [UInt8]
    let file: String
    var i = 0
    var line = 1
    var lineStart = 0

    init(text: String, file: String) {
        bytes = Array(text.utf8)
        self.file = file
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

    mutating func parseDocument() throws -> YAMLLiteNode {
        skipAll()
        if !atEnd && bytes[i...].starts(with: Array("---".utf8)) { i += 3; skipAll() }
        guard !atEnd else { throw error("the file is empty (expected keys 'offline' and 'arrivals')") }
        let node = try parseBlock(indent: column)
        skipAll()
        guard atEnd else { throw error("unexpected content (check the indentation)") }
        return node
    }

    /// A node starting at the current position, which is content at column `indent`.
    mutating func parseBlock(indent: Int) throws -> YAMLLiteNode {
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
            throw error("anchors, aliases, tags and block scalars are not part of the instance format")
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
                out.append(current); advance()
            }
            return (String(decoding: out, as: UTF8.self), true)
        }
        let begin = i
        while !atEnd {
            let c = current
            if c == 0x0A || c == 0x0D { break }
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
