/// A JSON value whose serialisation is fully determined by its contents:
/// object keys keep the order they were given in (never a Dictionary's order),
/// doubles print in Swift's shortest round-trip form, and non-finite doubles
/// print as `null` (JSON has no NaN or infinity).
public indirect enum JSONValue: Sendable, Equatable {
    /// `null`.
    case null
    /// `true` or `false`.
    case bool(Bool)
    /// An integer, printed exactly.
    case int(Int64)
    /// A double in shortest round-trip form; `null` when not finite.
    case double(Double)
    /// A string, escaped as JSON requires.
    case string(String)
    /// An array, in order.
    case array([JSONValue])
    /// An object whose keys keep the order given (duplicates are not merged).
    case object([(String, JSONValue)])

    /// Equal when the serialisations are equal (so object key order matters, and NaN equals NaN: both are `null`).
    public static func == (a: JSONValue, b: JSONValue) -> Bool { a.serialized() == b.serialized() }

    /// Compact one-line serialisation.
    public func serialized() -> String {
        var out = JSONWriter()
        out.value(self)
        return out.text
    }

    /// Pretty serialisation with two-space indentation.
    public func prettySerialized() -> String {
        var out = JSONWriter()
        out.value(self, indent: "  ")
        return out.text
    }
}

/// How numbers are printed in result files.
public enum NumberFormat {
    /// Shortest decimal that reads back to the same double (Swift's `description`),
    /// so a result file round-trips exactly; integral values below 2^53 print as
    /// integers (counts read `78`, not `78.0`). Non-finite values print as `null`.
    public static func json(_ x: Double) -> String {
        var out = ""
        writeJSON(x, to: &out)
        return out
    }

    /// `json(x)` written to `out` (a `JSONWriter` gets the digits without a `String` in between).
    public static func writeJSON<Out: TextOutputStream>(_ x: Double, to out: inout Out) {
        if x.isFinite { writeShortest(x, to: &out) } else { out.write("null") }
    }

    /// For CSV: the same round-trip form; non-finite values print as `nan`, `inf`, `-inf`.
    public static func csv(_ x: Double) -> String {
        if x.isNaN { return "nan" }
        if x.isInfinite { return x < 0 ? "-inf" : "inf" }
        return shortest(x)
    }

    static func shortest(_ x: Double) -> String {
        var out = ""
        writeShortest(x, to: &out)
        return out
    }

    static func writeShortest<Out: TextOutputStream>(_ x: Double, to out: inout Out) {
        if x == x.rounded(), abs(x) < 0x1p53 { out.write(x == 0 ? "0" : String(Int64(x))); return }
        x.write(to: &out)   // the text of `x.description`, without making a String of it
    }
}
