import GavelCore
/// Typed reads from a parsed instance file (`gavel solve FAMILY PATH`, `instance_file:` in a
/// scenario): the field helpers the families' instance builders share. Every error is an
/// `InputError` at the value's file:line:column, worded as the scenario decoder words its own.
///
/// Instance files go through the same YAML reader as scenarios (`YAMLNode.parse`), so both
/// refuse the same things (tags, aliases, duplicate keys, nesting past libyaml's limit).
public struct YAMLFields: Sendable {
    /// The file's path, for error locations.
    public let file: String
    /// Field helpers for values read from `file`.
    public init(file: String) { self.file = file }

    /// Parses `text` into its root node.
    public func root(of text: String, expected: String) throws -> YAMLNode {
        let node = try YAMLNode.parse(text, file: file, expected: expected)
        if node.isNull { throw InputError(file: file, line: 1, column: 1, "the file is empty (expected \(expected))") }
        return node
    }

    /// An `InputError` at `node`'s location for the dotted `field`.
    public func fail(_ node: YAMLNode, _ field: String, _ message: String) -> InputError {
        InputError(message, field: field, at: node.location)
    }

    /// The entries of a mapping, in file order; a key outside `allowed` is an error.
    public func mapping(_ node: YAMLNode, _ field: String, allowed: [String]? = nil) throws -> [(String, YAMLNode)] {
        guard case .mapping(let pairs, _) = node else { throw fail(node, field, "expected a mapping, found \(node.summary)") }
        let entries = pairs.map { ($0.key, $0.value) }
        if let allowed {
            for (key, value) in entries where !allowed.contains(key) {
                throw fail(value, field.isEmpty ? key : "\(field).\(key)", "unknown key '\(key)' (allowed here: \(allowed.joined(separator: ", ")))")
            }
        }
        return entries
    }

    /// The value under `key` in a mapping's entries, or nil.
    public func optional(_ entries: [(String, YAMLNode)], _ key: String) -> YAMLNode? {
        entries.first(where: { $0.0 == key })?.1
    }

    /// The value under `key`, or an error naming it as missing (`what` describes the value).
    public func required(_ entries: [(String, YAMLNode)], _ key: String, in node: YAMLNode, field: String, _ what: String) throws -> YAMLNode {
        guard let value = optional(entries, key) else {
            throw fail(node, field.isEmpty ? key : "\(field).\(key)", "missing key '\(key)' (\(what))")
        }
        return value
    }

    /// The items of a list; anything else is an error.
    public func sequence(_ node: YAMLNode, _ field: String) throws -> [YAMLNode] {
        guard case .sequence(let items, _) = node else { throw fail(node, field, "expected a list, found \(node.summary)") }
        return items
    }

    /// A non-empty scalar string (names, ids).
    public func string(_ node: YAMLNode, _ field: String) throws -> String {
        guard case .scalar(let s, _, _) = node, !s.isEmpty else { throw fail(node, field, "expected a non-empty name, found \(node.summary)") }
        return s
    }

    /// A finite number satisfying `ok`; `expectation` is what the error says was expected.
    public func number(_ node: YAMLNode, _ field: String, _ expectation: String = "a finite number", _ ok: (Double) -> Bool = { _ in true }) throws -> Double {
        guard case .scalar(let s, let quoted, _) = node, !quoted, let x = Double(s), x.isFinite else {
            throw fail(node, field, "expected \(expectation), found \(node.summary)")
        }
        guard ok(x) else { throw fail(node, field, "expected \(expectation), found \(s)") }
        return x
    }

    /// An integer satisfying `ok`.
    public func integer(_ node: YAMLNode, _ field: String, _ expectation: String = "an integer", _ ok: (Int) -> Bool = { _ in true }) throws -> Int {
        guard case .scalar(let s, let quoted, _) = node, !quoted, let x = Int(s) else {
            throw fail(node, field, "expected \(expectation), found \(node.summary)")
        }
        guard ok(x) else { throw fail(node, field, "expected \(expectation), found \(s)") }
        return x
    }

    /// A list of numbers, each satisfying `ok`.
    public func numbers(_ node: YAMLNode, _ field: String, _ expectation: String = "a finite number", _ ok: (Double) -> Bool = { _ in true }) throws -> [Double] {
        try sequence(node, field).enumerated().map { try number($0.element, "\(field)[\($0.offset)]", expectation, ok) }
    }

    /// A matrix (list of equal-length lists of numbers) with `rows` rows and `columns` columns when given.
    public func matrix(_ node: YAMLNode, _ field: String, rows: Int? = nil, columns: Int? = nil,
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

extension YAMLNode {
    /// What the node is, for an instance file's "expected X, found Y".
    public var summary: String {
        switch self {
        case .scalar(let s, let q, _): return q ? "the string \"\(s)\"" : (s.isEmpty ? "nothing" : "'\(s)'")
        case .sequence: return "a list"
        case .mapping: return "a mapping"
        }
    }
}
