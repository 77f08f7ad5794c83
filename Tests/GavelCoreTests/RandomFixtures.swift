import Foundation
import GavelCore

/// The committed reference vectors of scripts/gen_python_random_vectors.py.
/// Every number is a string (see the script), parsed here without rounding.
enum RandomFixtures {
    struct Step: Decodable, Sendable {
        let op: String
        let args: [String]
        let out: [String]
    }

    struct SeedCase: Decodable, Sendable, CustomStringConvertible {
        let seed: String
        let seedWords: [String]
        let steps: [Step]

        enum CodingKeys: String, CodingKey { case seed, seedWords = "seed_words", steps }

        var words: [UInt32] { seedWords.map { UInt32($0)! } }
        /// A generator seeded the way Python was: by `Int` when the seed fits, else by words.
        func makeGenerator() -> PythonRandom {
            if let int = Int(seed) { return .init(seed: int) }
            return .init(seedWords: words)
        }
        var description: String { "seed \(seed)" }
    }

    struct ErrorCase: Decodable, Sendable, CustomStringConvertible {
        let op: String
        let args: [String]
        var description: String { "\(op)(\(args.joined(separator: ", ")))" }
    }

    struct DistributionCase: Decodable, Sendable, CustomStringConvertible {
        let seed: String
        let op: String
        let args: [String]
        let out: [String]
        var description: String { "\(op)(\(args.joined(separator: ", "))) seed \(seed)" }
    }

    struct PythonVectors: Decodable, Sendable {
        let generator: String
        let seeds: [SeedCase]
        let errors: [ErrorCase]
        let distributions: [DistributionCase]
    }

    struct Seeded: Decodable, Sendable {
        let seed: String
        let out: [String]
    }

    struct XoshiroCase: Decodable, Sendable {
        let seed: String
        let out: [String]
        let unit: [String]
    }

    struct FNVCase: Decodable, Sendable {
        let text: String
        let hash: String
    }

    struct StreamCase: Decodable, Sendable, CustomStringConvertible {
        let seed: String
        let name: String
        let derivedSeed: String
        let out: [String]
        enum CodingKeys: String, CodingKey { case seed, name, derivedSeed = "derived_seed", out }
        var description: String { "seed \(seed) stream \"\(name)\"" }
    }

    struct XoshiroVectors: Decodable, Sendable {
        let splitmix64: [Seeded]
        let xoshiro256starstar: [XoshiroCase]
        let fnv1a64: [FNVCase]
        let streams: [StreamCase]
    }

    static func load<T: Decodable>(_ name: String, as type: T.Type) throws -> T {
        guard let url = Bundle.module.url(forResource: name, withExtension: "json", subdirectory: "Fixtures") else {
            throw CocoaError(.fileNoSuchFile, userInfo: [NSFilePathErrorKey: "Fixtures/\(name).json"])
        }
        return try JSONDecoder().decode(T.self, from: Data(contentsOf: url))
    }

    static func python() throws -> PythonVectors { try load("python_random_vectors", as: PythonVectors.self) }
    static func xoshiro() throws -> XoshiroVectors { try load("xoshiro_vectors", as: XoshiroVectors.self) }
}

/// Bit patterns of doubles written as shortest round-trip decimal strings
/// (Swift's `Double(String)` rounds correctly, so the pattern is Python's).
func bitPatterns(_ decimals: [String]) -> [UInt64] { decimals.map { Double($0)!.bitPattern } }
func bitPatterns(_ values: [Double]) -> [UInt64] { values.map(\.bitPattern) }
