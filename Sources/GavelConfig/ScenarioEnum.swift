/// A closed set of names in a scenario file (`mechanisms: [first_price]`).
///
/// Decoding an unknown name fails with a message that lists the valid ones,
/// rather than Swift's "Cannot initialize ... from invalid String value".
public protocol ScenarioEnum: CaseIterable, RawRepresentable, Decodable, Sendable where RawValue == String {}

extension ScenarioEnum {
    /// Decodes a name; an unknown one is an error that lists the valid names.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let raw = try container.decode(String.self)
        guard let value = Self(rawValue: raw) else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription:
                "expected one of \(Self.allCases.map(\.rawValue).joined(separator: ", ")), found \(String(reflecting: raw))")
        }
        self = value
    }
}
