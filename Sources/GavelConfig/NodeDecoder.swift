import GavelCore
/// A `Decoder` over a `YAMLNode` tree.
///
/// Strict by construction: a keyed container whose `CodingKeys` are
/// `CaseIterable` rejects any key it does not list, naming the key, where it
/// is and the keys allowed there. Every type error names the field and what
/// was expected.
struct NodeDecoder: Decoder {
    let node: YAMLNode
    let codingPath: [any CodingKey]
    let userInfo: [CodingUserInfoKey: Any]
    /// Keys accepted at the document root besides the decoded type's own (the scenario header's).
    let rootKeys: [String]

    func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
        guard case .mapping(let pairs, _) = node else {
            throw mismatch("a mapping of keys", node, codingPath)
        }
        if let iterable = Key.self as? any (CodingKey & CaseIterable).Type {
            var allowed = Self.names(of: iterable)
            if codingPath.isEmpty { allowed = rootKeys + allowed }
            for entry in pairs where !allowed.contains(entry.key) {
                let hint = Self.closest(entry.key, in: allowed).map { "did you mean '\($0)'? " } ?? ""
                throw InputError(
                    "unknown key \(quoted(entry.key)) (\(hint)allowed here: \(allowed.joined(separator: ", ")))",
                    field: fieldName(codingPath + [AnyKey(entry.key)]), at: entry.keyLocation)
            }
        }
        return KeyedDecodingContainer(KeyedNodeContainer<Key>(decoder: self, pairs: pairs))
    }

    func unkeyedContainer() throws -> any UnkeyedDecodingContainer {
        guard case .sequence(let items, _) = node else { throw mismatch("a list", node, codingPath) }
        return UnkeyedNodeContainer(decoder: self, items: items)
    }

    func singleValueContainer() throws -> any SingleValueDecodingContainer { SingleNodeContainer(decoder: self) }

    func child(_ node: YAMLNode, _ key: any CodingKey) -> NodeDecoder {
        NodeDecoder(node: node, codingPath: codingPath + [key], userInfo: userInfo, rootKeys: rootKeys)
    }

    func mismatch(_ expected: String, _ node: YAMLNode, _ path: [any CodingKey]) -> InputError {
        InputError("expected \(expected), found \(node.kindDescription)", field: fieldName(path), at: node.location)
    }

    /// Decodes a scalar into the standard types, any other type through its own `init(from:)`.
    func decodeValue<T: Decodable>(_ type: T.Type) throws -> T {
        switch type {
        case is Bool.Type: return try scalar("true or false") { ["true": true, "True": true, "TRUE": true, "false": false, "False": false, "FALSE": false][$0] } as! T
        case is String.Type: return try scalar("a string", allowQuoted: true) { $0 } as! T
        case is Double.Type: return try scalar("a number") { Self.number($0) } as! T
        case is Float.Type: return try scalar("a number") { Self.number($0).map(Float.init) } as! T
        case is Int.Type: return try integer(Int.self) as! T
        case is Int64.Type: return try integer(Int64.self) as! T
        case is Int32.Type: return try integer(Int32.self) as! T
        case is Int16.Type: return try integer(Int16.self) as! T
        case is Int8.Type: return try integer(Int8.self) as! T
        case is UInt.Type: return try integer(UInt.self) as! T
        case is UInt64.Type: return try integer(UInt64.self) as! T
        case is UInt32.Type: return try integer(UInt32.self) as! T
        case is UInt16.Type: return try integer(UInt16.self) as! T
        case is UInt8.Type: return try integer(UInt8.self) as! T
        default: return try T(from: self)
        }
    }

    private func scalar<T>(_ expected: String, allowQuoted: Bool = false, _ parse: (String) -> T?) throws -> T {
        guard case .scalar(let text, let quoted, _) = node, !node.isNull || allowQuoted && quoted,
              !quoted || allowQuoted, let value = parse(text)
        else { throw mismatch(expected, node, codingPath) }
        return value
    }

    private func integer<I: FixedWidthInteger>(_ type: I.Type) throws -> I {
        let expected = I.isSigned ? "an integer" : "a non-negative integer"
        return try scalar(expected) { text in
            let cleaned = text.replacingOccurrences(of: "_", with: "")
            if let i = I(cleaned) { return i }
            // Accept integral numbers written with an exponent (`1e6`).
            if let d = Double(cleaned), d.rounded() == d, let i = I(exactly: d) { return i }
            return nil
        }
    }

    static func number(_ text: String) -> Double? {
        switch text {
        case ".inf", ".Inf", ".INF", "+.inf": return .infinity
        case "-.inf", "-.Inf", "-.INF": return -.infinity
        case ".nan", ".NaN", ".NAN": return .nan
        default: return Double(text.replacingOccurrences(of: "_", with: ""))
        }
    }

    static func names<K: CodingKey & CaseIterable>(of type: K.Type) -> [String] {
        K.allCases.map(\.stringValue)
    }

    /// The allowed key nearest to a misspelling (edit distance ≤ 2), for the hint.
    static func closest(_ key: String, in allowed: [String]) -> String? {
        func distance(_ a: [Character], _ b: [Character]) -> Int {
            var row = Array(0...b.count)
            for i in 1...max(a.count, 1) where !a.isEmpty {
                var prev = row[0]; row[0] = i
                for j in 1...max(b.count, 1) where !b.isEmpty {
                    let cur = row[j]
                    row[j] = min(row[j] + 1, row[j - 1] + 1, prev + (a[i - 1] == b[j - 1] ? 0 : 1))
                    prev = cur
                }
            }
            return row[b.count]
        }
        let a = Array(key)
        let best = allowed.map { ($0, distance(a, Array($0))) }.min { $0.1 < $1.1 }
        return best.flatMap { $0.1 <= 2 ? $0.0 : nil }
    }
}

/// Dotted field path for messages: `workload.google_trace.files`, list items by index.
func fieldName(_ path: [any CodingKey]) -> String {
    path.map { $0.intValue.map(String.init) ?? $0.stringValue }.joined(separator: ".")
}

struct AnyKey: CodingKey {
    let stringValue: String
    let intValue: Int?
    init(_ s: String) { stringValue = s; intValue = nil }
    init(index: Int) { stringValue = String(index); intValue = index }
    init?(stringValue: String) { self.init(stringValue) }
    init?(intValue: Int) { self.init(index: intValue) }
}

struct KeyedNodeContainer<Key: CodingKey>: KeyedDecodingContainerProtocol {
    let decoder: NodeDecoder
    let pairs: [YAMLNode.MappingEntry]
    var codingPath: [any CodingKey] { decoder.codingPath }
    var allKeys: [Key] { pairs.compactMap { Key(stringValue: $0.key) } }

    func contains(_ key: Key) -> Bool { pairs.contains { $0.key == key.stringValue } }

    private func value(_ key: Key) throws -> YAMLNode {
        guard let v = pairs.first(where: { $0.key == key.stringValue })?.value else {
            throw InputError("missing required key '\(key.stringValue)'",
                                field: fieldName(codingPath + [key]), at: decoder.node.location)
        }
        return v
    }

    func decodeNil(forKey key: Key) throws -> Bool { try value(key).isNull }

    func decode<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T {
        try decoder.child(try value(key), key).decodeValue(type)
    }

    func decodeIfPresent<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T? {
        guard let v = pairs.first(where: { $0.key == key.stringValue })?.value, !v.isNull else { return nil }
        return try decoder.child(v, key).decodeValue(type)
    }

    func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type, forKey key: Key) throws -> KeyedDecodingContainer<NestedKey> {
        try decoder.child(try value(key), key).container(keyedBy: type)
    }

    func nestedUnkeyedContainer(forKey key: Key) throws -> any UnkeyedDecodingContainer {
        try decoder.child(try value(key), key).unkeyedContainer()
    }

    func superDecoder() throws -> any Decoder { decoder }
    func superDecoder(forKey key: Key) throws -> any Decoder { decoder.child(try value(key), key) }
}

struct UnkeyedNodeContainer: UnkeyedDecodingContainer {
    let decoder: NodeDecoder
    let items: [YAMLNode]
    var currentIndex = 0
    var codingPath: [any CodingKey] { decoder.codingPath }
    var count: Int? { items.count }
    var isAtEnd: Bool { currentIndex >= items.count }

    private mutating func nextDecoder() throws -> NodeDecoder {
        guard !isAtEnd else {
            throw InputError("list has too few items", field: fieldName(codingPath), at: decoder.node.location)
        }
        defer { currentIndex += 1 }
        return decoder.child(items[currentIndex], AnyKey(index: currentIndex))
    }

    mutating func decodeNil() throws -> Bool {
        if !isAtEnd && items[currentIndex].isNull { currentIndex += 1; return true }
        return false
    }

    mutating func decode<T: Decodable>(_ type: T.Type) throws -> T { try nextDecoder().decodeValue(type) }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type) throws -> KeyedDecodingContainer<NestedKey> {
        try nextDecoder().container(keyedBy: type)
    }

    mutating func nestedUnkeyedContainer() throws -> any UnkeyedDecodingContainer { try nextDecoder().unkeyedContainer() }
    mutating func superDecoder() throws -> any Decoder { try nextDecoder() }
}

struct SingleNodeContainer: SingleValueDecodingContainer {
    let decoder: NodeDecoder
    var codingPath: [any CodingKey] { decoder.codingPath }
    func decodeNil() -> Bool { decoder.node.isNull }
    func decode<T: Decodable>(_ type: T.Type) throws -> T { try decoder.decodeValue(type) }
}

extension YAMLNode {
    /// Decodes `T` from this tree. Errors a type raises itself (`DecodingError`)
    /// are located through their coding path, so they too name file:line.
    public func decode<T: Decodable>(
        _ type: T.Type, userInfo: [CodingUserInfoKey: Any] = [:], rootKeys: [String] = []
    ) throws -> T {
        let decoder = NodeDecoder(node: self, codingPath: [], userInfo: userInfo, rootKeys: rootKeys)
        do {
            return try decoder.decodeValue(type)
        } catch let error as DecodingError {
            throw locate(error)
        }
    }

    func locate(_ error: DecodingError) -> InputError {
        let (context, message): (DecodingError.Context, String)
        switch error {
        case .dataCorrupted(let c): (context, message) = (c, c.debugDescription)
        case .typeMismatch(let t, let c): (context, message) = (c, "expected \(t): \(c.debugDescription)")
        case .valueNotFound(let t, let c): (context, message) = (c, "expected \(t): \(c.debugDescription)")
        case .keyNotFound(let k, let c): (context, message) = (c, "missing required key '\(k.stringValue)'")
        @unknown default: return InputError("\(error)")
        }
        return InputError(message, field: fieldName(context.codingPath), at: node(at: context.codingPath).location)
    }
}

