extension KeyedDecodingContainer {
    /// Decodes a value and checks it, so a scenario's domain errors (a negative
    /// count, a probability above one) are reported at the value's line.
    public func decode<T: Decodable>(
        _ type: T.Type, forKey key: Key, expecting expectation: String, _ isValid: (T) -> Bool
    ) throws -> T {
        let value = try decode(type, forKey: key)
        guard isValid(value) else {
            throw DecodingError.dataCorruptedError(forKey: key, in: self, debugDescription: "expected \(expectation), found \(String(reflecting: value))")
        }
        return value
    }

    /// Decodes an optional value and, when present, checks it like ``Swift/KeyedDecodingContainer/decode(_:forKey:expecting:_:)``; nil when the key is absent.
    public func decodeIfPresent<T: Decodable>(
        _ type: T.Type, forKey key: Key, expecting expectation: String, _ isValid: (T) -> Bool
    ) throws -> T? {
        guard let value = try decodeIfPresent(type, forKey: key) else { return nil }
        guard isValid(value) else {
            throw DecodingError.dataCorruptedError(forKey: key, in: self, debugDescription: "expected \(expectation), found \(String(reflecting: value))")
        }
        return value
    }
}

extension Sequence where Element: Equatable {
    /// The first element that repeats an earlier one, for "expected distinct …, found X twice"
    /// (quadratic, for the short lists a scenario names).
    public func firstRepeated() -> Element? {
        var seen: [Element] = []
        for x in self {
            if seen.contains(x) { return x }
            seen.append(x)
        }
        return nil
    }
}
