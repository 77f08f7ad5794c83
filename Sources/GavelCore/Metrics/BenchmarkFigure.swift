/// One figure of a benchmark, as `gavel bench` prints it: a JSON object with
/// `benchmark`, the details, then `unit` and `value`.
public struct BenchmarkFigure: Sendable {
    public let name: String
    public let details: [(String, JSONValue)]
    public let unit: String
    public let value: Double

    public init(name: String, details: [(String, JSONValue)] = [], unit: String, value: Double) {
        self.name = name
        self.details = details
        self.unit = unit
        self.value = value
    }

    public var json: JSONValue {
        .object([("benchmark", .string(name))] + details + [("unit", .string(unit)), ("value", .double(value))])
    }
}
