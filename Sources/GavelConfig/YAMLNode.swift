import Foundation
import GavelCore

/// A parsed YAML (or JSON) document with the position of every value: the one reader of
/// Gavel's input files, scenarios and instance files alike (Yams, libyaml underneath).
///
/// Inputs go through this tree rather than straight from text so that every error can
/// name file:line:column, overrides (`--set`) and `${VAR}` expansion happen before typed
/// decoding, and mapping order is the file's order. Tags outside the core schema, aliases
/// and duplicate keys are refused; libyaml caps the nesting depth.
public indirect enum YAMLNode: Sendable {
    /// A scalar's text, whether it was quoted (quoted scalars are always strings).
    case scalar(String, quoted: Bool, SourceLocation)
    /// A list, with the position where it starts.
    case sequence([YAMLNode], SourceLocation)
    /// A mapping, its entries in file order, with the position where it starts.
    case mapping([MappingEntry], SourceLocation)

    /// One `key: value` of a mapping; the key's own position is kept so that an
    /// unknown key is reported where it is written, not where its value starts.
    public struct MappingEntry: Sendable {
        /// The key's text.
        public let key: String
        /// Where the key is written.
        public let keyLocation: SourceLocation
        /// The value under the key.
        public var value: YAMLNode
        /// An entry `key: value`, with the key's position.
        public init(key: String, keyLocation: SourceLocation, value: YAMLNode) {
            self.key = key; self.keyLocation = keyLocation; self.value = value
        }
    }

    /// Where the value starts.
    public var location: SourceLocation {
        switch self {
        case .scalar(_, _, let l), .sequence(_, let l), .mapping(_, let l): return l
        }
    }

    /// The scalar null (`~`, `null`, or empty, unquoted).
    public var isNull: Bool {
        if case .scalar(let s, false, _) = self { return s.isEmpty || s == "~" || s == "null" || s == "Null" || s == "NULL" }
        return false
    }

    /// A short description of what this node is, for "expected X, found Y" messages.
    public var kindDescription: String {
        switch self {
        case .scalar(let s, _, _): return isNull ? "null" : quoted(s)
        case .sequence: return "a list"
        case .mapping: return "a mapping"
        }
    }

    /// The value under `key` if this is a mapping that has it (first match), else nil.
    public subscript(key: String) -> YAMLNode? {
        guard case .mapping(let pairs, _) = self else { return nil }
        return pairs.first { $0.key == key }?.value
    }

    // MARK: Parsing
    // MARK: Parsing

    /// Parses YAML (JSON is accepted: it is valid YAML 1.2 flow syntax). `expected` says what an
    /// empty document should have held. libyaml's events are read directly into the tree
    /// (`LibYAMLEvents`): building Yams' own node tree first took 6 times as long on a large
    /// instance file.
    public static func parse(_ text: String, file: String, expected: String = "a mapping of scenario keys") throws -> YAMLNode {
        var text = text
        return try text.withUTF8 { bytes in
            let events = try LibYAMLEvents(bytes, file: file)
            return try events.document(expected: expected)
        }
    }

    // MARK: ${VAR} expansion

    /// Replaces `${NAME}` and `${NAME:-default}` in every scalar.
    /// An unset variable without a default is an error at its position.
    public func expandingVariables(_ lookup: (String) -> String?) throws -> YAMLNode {
        switch self {
        case .scalar(let s, let quoted, let l):
            return .scalar(try Self.expand(s, at: l, lookup), quoted: quoted, l)
        case .sequence(let items, let l):
            return .sequence(try items.map { try $0.expandingVariables(lookup) }, l)
        case .mapping(let pairs, let l):
            return .mapping(try pairs.map { MappingEntry(key: $0.key, keyLocation: $0.keyLocation, value: try $0.value.expandingVariables(lookup)) }, l)
        }
    }

    static func expand(_ s: String, at location: SourceLocation, _ lookup: (String) -> String?) throws -> String {
        guard s.contains("${") else { return s }
        var out = ""
        var rest = Substring(s)
        while let start = rest.range(of: "${") {
            out += rest[..<start.lowerBound]
            guard let end = rest[start.upperBound...].firstIndex(of: "}") else {
                throw InputError("unterminated '${' in \(quoted(s)) (expected ${NAME})", at: location)
            }
            let body = rest[start.upperBound..<end]
            let name: Substring, fallback: Substring?
            if let sep = body.range(of: ":-") {
                name = body[..<sep.lowerBound]; fallback = body[sep.upperBound...]
            } else {
                name = body; fallback = nil
            }
            guard !name.isEmpty, name.allSatisfy({ $0 == "_" || $0.isLetter || $0.isNumber }) else {
                throw InputError("invalid variable name \(quoted(String(name))) in \(quoted(s)) (expected letters, digits, _)", at: location)
            }
            // As in the shell, `:-` also replaces a variable that is set but empty.
            let set = lookup(String(name)).flatMap { $0.isEmpty && fallback != nil ? nil : $0 }
            if let value = set ?? fallback.map(String.init) {
                out += value
            } else {
                throw InputError("environment variable \(name) is not set (set it, or write ${\(name):-default})", at: location)
            }
            rest = rest[rest.index(after: end)...]
        }
        return out + rest
    }

    // MARK: Overrides

    /// Sets `path.to.key` to `value` (parsed as YAML, so `3`, `0.5`, `[a, b]` work),
    /// creating intermediate mappings; numeric components index lists.
    public func setting(_ path: [String], to value: YAMLNode) throws -> YAMLNode {
        guard let head = path.first else { return value }
        let tail = Array(path.dropFirst())
        switch self {
        case .mapping(var pairs, let l):
            if let i = pairs.firstIndex(where: { $0.key == head }) {
                pairs[i].value = try pairs[i].value.setting(tail, to: value)
            } else {
                let empty = YAMLNode.mapping([], value.location)
                pairs.append(MappingEntry(key: head, keyLocation: value.location, value: try (tail.isEmpty ? value : empty.setting(tail, to: value))))
            }
            return .mapping(pairs, l)
        case .sequence(var items, let l):
            guard let i = Int(head), items.indices.contains(i) else {
                throw InputError("\(quoted(head)) is not an index of this list (expected 0..<\(items.count))", at: value.location)
            }
            items[i] = try items[i].setting(tail, to: value)
            return .sequence(items, l)
        case .scalar:
            throw InputError("cannot set '\(path.joined(separator: "."))' inside a scalar value", at: value.location)
        }
    }

    /// The mapping without `key` (unchanged if it is not a mapping or has no such key).
    public func removingKey(_ key: String) -> YAMLNode {
        guard case .mapping(let pairs, let l) = self else { return self }
        return .mapping(pairs.filter { $0.key != key }, l)
    }

    /// Parses one `--set path.to.key=value` argument and applies it.
    public func applyingOverride(_ assignment: String) throws -> YAMLNode {
        // Control characters escaped: the error stays on one line whatever the override holds.
        let shown = assignment.unicodeScalars.map { $0.properties.generalCategory == .control ? $0.escaped(asASCII: true) : String($0) }.joined()
        let source = SourceLocation(file: "--set \(shown)", line: 0, column: 0)
        guard let eq = assignment.firstIndex(of: "=") else {
            throw InputError("expected path.to.key=value", at: source)
        }
        let path = assignment[..<eq].split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        guard !path.isEmpty, path.allSatisfy({ !$0.isEmpty }) else {
            throw InputError("empty key in '\(assignment[..<eq])' (expected path.to.key)", at: source)
        }
        let valueText = String(assignment[assignment.index(after: eq)...])
        let parsed = (try? YAMLNode.parse(valueText.isEmpty ? "''" : valueText, file: source.file))
            ?? .scalar(valueText, quoted: true, source)
        return try setting(path, to: parsed.relocated(to: source))
    }

    /// The same tree with every location replaced (values from `--set` point at the flag).
    public func relocated(to location: SourceLocation) -> YAMLNode {
        switch self {
        case .scalar(let s, let q, _): return .scalar(s, quoted: q, location)
        case .sequence(let items, _): return .sequence(items.map { $0.relocated(to: location) }, location)
        case .mapping(let pairs, _): return .mapping(pairs.map { MappingEntry(key: $0.key, keyLocation: location, value: $0.value.relocated(to: location)) }, location)
        }
    }

    /// The node at a coding path (for locating errors raised by a type's own validation).
    public func node(at path: [any CodingKey]) -> YAMLNode {
        var current = self
        for key in path {
            switch current {
            case .mapping:
                guard let next = current[key.stringValue] else { return current }
                current = next
            case .sequence(let items, _):
                guard let i = key.intValue, items.indices.contains(i) else { return current }
                current = items[i]
            case .scalar:
                return current
            }
        }
        return current
    }
}

/// A value shown in a message: in quotes, with control characters escaped so
/// that every error stays on one line.
public func quoted(_ value: String) -> String {
    var out = "'"
    for scalar in value.unicodeScalars {
        switch scalar {
        case "\n": out += "\\n"
        case "\r": out += "\\r"
        case "\t": out += "\\t"
        default:
            if scalar.value < 0x20 || scalar.value == 0x7F { out += "\\u{\(String(scalar.value, radix: 16))}" } else { out.unicodeScalars.append(scalar) }
        }
    }
    return out + "'"
}
