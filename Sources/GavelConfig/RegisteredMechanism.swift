import GavelCore

/// A mechanism a scenario names, resolved through its family's registry as it is decoded
/// (`algorithms: [ranking, my_rule]`): a registered mechanism is named like a built-in one,
/// and an unknown name fails at its line, listing the built-in and the registered names.
public struct RegisteredMechanism<Family: MechanismFamily>: Decodable, Sendable {
    /// The mechanism the name resolved to.
    public let mechanism: Family.Mechanism
    /// The name the scenario used.
    public let name: String

    /// The mechanism registered as `name` (a program's own code naming one directly).
    public init(_ name: String) throws {
        mechanism = try Family.registry.resolve(name)
        self.name = name
    }

    /// Decodes a name and resolves it; an unknown one is a located error listing every name.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let raw = try container.decode(String.self)
        guard let found = Family.registry.named(raw) else {
            let message = Family.registry.unknownNameMessage(raw)
            // The decoder prefixes the field and location; keep the list, drop the repeated name.
            let list = message.range(of: ": ").map { String(message[$0.upperBound...]) } ?? message
            throw DecodingError.dataCorruptedError(in: container, debugDescription:
                "\(list), found \(String(reflecting: raw)) (an unknown \(Family.registry.family))")
        }
        mechanism = found
        name = raw
    }
}
