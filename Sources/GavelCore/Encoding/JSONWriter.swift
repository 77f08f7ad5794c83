/// Appends JSON text to a byte buffer that can be reused from line to line.
///
/// The one serialiser of JSON in Gavel: `JSONValue.serialized()` goes through it,
/// and hot paths (a sweep's per-run shard lines, run keys) write their fields
/// straight into it without building a `JSONValue` tree or a `String` first.
public struct JSONWriter: TextOutputStream, Sendable {
    /// The UTF-8 JSON text written so far.
    public private(set) var bytes: [UInt8] = []

    /// An empty writer with room for `capacity` bytes.
    public init(capacity: Int = 0) { bytes.reserveCapacity(capacity) }

    /// Empties the buffer, keeping its storage.
    public mutating func reset() { bytes.removeAll(keepingCapacity: true) }

    /// The text written so far.
    public var text: String { String(decoding: bytes, as: UTF8.self) }

    /// Text that is already JSON (punctuation, literal keys), as is.
    public mutating func raw(_ text: StaticString) {
        text.withUTF8Buffer { bytes.append(contentsOf: $0) }
    }

    /// Bytes that are already JSON (a fragment rendered earlier), as is.
    public mutating func raw(bytes more: [UInt8]) { bytes.append(contentsOf: more) }

    /// `TextOutputStream`: text as is (what `Double.write(to:)` and `print(to:)` call).
    public mutating func write(_ text: String) { bytes.append(contentsOf: text.utf8) }

    /// `TextOutputStream`'s ASCII entry point, which spares number printing a `String`.
    public mutating func _writeASCII(_ buffer: UnsafeBufferPointer<UInt8>) { bytes.append(contentsOf: buffer) }

    /// A JSON string: quoted, with `"`, `\` and control characters escaped
    /// (`\n`, `\r`, `\t`, else `\u00XX`); everything else, including non-ASCII, as is.
    public mutating func string(_ s: String) {
        var s = s
        s.withUTF8 { string(utf8: $0) }
    }

    private mutating func string(utf8 text: UnsafeBufferPointer<UInt8>) {
        let quote = UInt8(ascii: "\""), backslash = UInt8(ascii: "\\")
        bytes.append(quote)
        // Every escaped character is ASCII, and no byte of a multi-byte UTF-8
        // sequence is, so escaping byte by byte equals escaping scalar by scalar.
        // The stretches between escapes are copied whole.
        var copied = 0
        for (i, b) in text.enumerated() where b < 0x20 || b == quote || b == backslash {
            bytes.append(contentsOf: UnsafeBufferPointer(rebasing: text[copied..<i]))
            copied = i + 1
            bytes.append(backslash)
            switch b {
            case quote, backslash: bytes.append(b)
            case UInt8(ascii: "\n"): bytes.append(UInt8(ascii: "n"))
            case UInt8(ascii: "\r"): bytes.append(UInt8(ascii: "r"))
            case UInt8(ascii: "\t"): bytes.append(UInt8(ascii: "t"))
            default:
                raw("u00")
                bytes.append(Self.hexDigits[Int(b >> 4)])
                bytes.append(Self.hexDigits[Int(b & 15)])
            }
        }
        bytes.append(contentsOf: UnsafeBufferPointer(rebasing: text[copied...]))
        bytes.append(quote)
    }

    /// Lower-case hexadecimal digits, for `\u00XX` escapes and hex digests.
    public static let hexDigits: [UInt8] = Array("0123456789abcdef".utf8)

    /// An integer in decimal, as `String(i)` prints it.
    public mutating func int(_ i: Int64) {
        if i < 0 { bytes.append(UInt8(ascii: "-")) }
        digits(i.magnitude)
    }

    /// The decimal digits of `n`, as `String(n)` prints them.
    public mutating func digits(_ n: UInt64) {
        // Last digit first into a scratch buffer (20 digits hold any UInt64), then appended at once.
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 20) { scratch in
            var rest = n, start = 20
            repeat {
                start -= 1
                scratch[start] = UInt8(ascii: "0") + UInt8(rest % 10)
                rest /= 10
            } while rest > 0
            bytes.append(contentsOf: UnsafeBufferPointer(rebasing: scratch[start...]))
        }
    }

    /// A number as result files print it (`NumberFormat.json`: `null` when not finite).
    public mutating func double(_ x: Double) { NumberFormat.writeJSON(x, to: &self) }

    /// `{"key":value,...}` with the members in the order given.
    public mutating func object(_ members: [(String, JSONValue)], indent: String? = nil, level: Int = 0) {
        if members.isEmpty { raw("{}"); return }
        raw("{")
        for (i, (key, value)) in members.enumerated() {
            if i > 0 { raw(",") }
            newline(indent, level + 1)
            string(key)
            if indent == nil { raw(":") } else { raw(": ") }
            self.value(value, indent: indent, level: level + 1)
        }
        newline(indent, level)
        raw("}")
    }

    /// Any value; with `indent`, one member or item per line, nested `level` deep.
    public mutating func value(_ v: JSONValue, indent: String? = nil, level: Int = 0) {
        switch v {
        case .null: raw("null")
        case .bool(let b): if b { raw("true") } else { raw("false") }
        case .int(let i): int(i)
        case .double(let d): double(d)
        case .string(let s): string(s)
        case .array(let items):
            if items.isEmpty { raw("[]"); return }
            raw("[")
            for (i, item) in items.enumerated() {
                if i > 0 { raw(",") }
                newline(indent, level + 1)
                value(item, indent: indent, level: level + 1)
            }
            newline(indent, level)
            raw("]")
        case .object(let members): object(members, indent: indent, level: level)
        }
    }

    private mutating func newline(_ indent: String?, _ level: Int) {
        guard let indent else { return }
        bytes.append(UInt8(ascii: "\n"))
        for _ in 0..<level { write(indent) }
    }
}
