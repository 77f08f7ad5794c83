/// One figure of a benchmark, as `gavel bench` prints it: a JSON object with
/// `benchmark`, the details, then `unit` and `value`.
public struct BenchmarkFigure: Sendable {
    /// The benchmark's name (`benchmark` in the JSON).
    public let name: String
    /// What was measured (sizes, methods), in print order.
    public let details: [(String, JSONValue)]
    /// The unit of `value` (`events/s`, `s`...).
    public let unit: String
    /// The measured figure, in `unit`.
    public let value: Double

    /// A figure of benchmark `name`: `value` in `unit`, measured under `details`.
    public init(name: String, details: [(String, JSONValue)] = [], unit: String, value: Double) {
        self.name = name
        self.details = details
        self.unit = unit
        self.value = value
    }

    /// The figure as one JSON object: `benchmark`, the details, `unit`, `value`, in that order.
    public var json: JSONValue {
        .object([("benchmark", .string(name))] + details + [("unit", .string(unit)), ("value", .double(value))])
    }
}
