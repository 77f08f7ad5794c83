import Foundation

/// A path to an input file named in a scenario, checked to exist when decoded,
/// so a missing file is reported at the scenario's line rather than mid-run.
///
/// Relative paths are resolved against the scenario file's directory
/// (`CodingUserInfoKey.scenarioDirectory`), or the working directory without one.
public struct DataFile: Decodable, Sendable, Hashable, CustomStringConvertible {
    /// The path, resolved against the scenario's directory when decoded.
    public let path: String

    /// A path taken as is (not resolved, not checked).
    public init(path: String) { self.path = path }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let raw = try container.decode(String.self)
        guard !raw.isEmpty else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "empty path (expected a file or folder path)"))
        }
        let base = decoder.userInfo[.scenarioDirectory] as? String
        let resolved = (raw.hasPrefix("/") || base == nil) ? raw : base! + "/" + raw
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: resolved, isDirectory: &isDirectory) else {
            throw DecodingError.dataCorrupted(.init(
                codingPath: decoder.codingPath,
                debugDescription: "file not found: \(resolved) (expected an existing file or folder)"))
        }
        path = resolved
    }

    /// The resolved path.
    public var description: String { path }
}

extension CodingUserInfoKey {
    /// The directory of the scenario file being decoded (a `String`).
    public static let scenarioDirectory = CodingUserInfoKey(rawValue: "gavel.scenarioDirectory")!
}
