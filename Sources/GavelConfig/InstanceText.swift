import Foundation
import GavelCore

/// The text of an instance file (`gavel solve FAMILY PATH`), or of standard input when the path
/// is `-`: the one place the instance readers get their bytes, so every family refuses the same
/// things the same way (issue 21): a file above `maxBytes`, bytes that are not UTF-8 (named by
/// line and column; `String(decoding:)` would have replaced them silently). A byte-order mark is
/// left to the YAML reader (`YAMLNode.parse`).
public enum InstanceText {
    /// The largest instance file read (an instance's size limits, such as matching's edge count,
    /// are checked on its contents after this).
    public static let maxBytes = 256 << 20

    /// The file's text and the name errors should give it (`<stdin>` for `-`).
    public static func read(path: String) throws -> (text: String, file: String) {
        let file = path == "-" ? "<stdin>" : path
        let data: Data
        if path == "-" {
            data = FileHandle.standardInput.readDataToEndOfFile()
        } else {
            if let size = (try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? Int, size > maxBytes {
                throw InputError(file: file, "the file has \(size) bytes, more than the limit of \(maxBytes) for an instance file")
            }
            guard let read = FileManager.default.contents(atPath: path) else {
                throw InputError(file: file, "cannot read the file (expected an existing, readable instance file)")
            }
            data = read
        }
        guard data.count <= maxBytes else {
            throw InputError(file: file, "more than the limit of \(maxBytes) bytes for an instance file")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            let at = firstInvalidUTF8(data)
            throw InputError(file: file, line: at.line, column: at.column, "the file is not UTF-8 text (expected UTF-8)")
        }
        return (text, file)
    }

    /// Where the first byte that is not UTF-8 stands: line and column, 1-based, the column counted
    /// in characters as an editor shows it (the end of the data when every byte is valid).
    public static func firstInvalidUTF8(_ data: Data) -> (line: Int, column: Int) {
        let bytes = [UInt8](data)
        var line = 1, column = 1, i = 0
        while i < bytes.count {
            let b = bytes[i]
            let length = b < 0x80 ? 1 : b >> 5 == 0b110 ? 2 : b >> 4 == 0b1110 ? 3 : b >> 3 == 0b11110 ? 4 : 0
            let end = i + length
            guard length > 0, end <= bytes.count, String(bytes: bytes[i..<end], encoding: .utf8) != nil else {
                return (line, column)
            }
            if b == 0x0A { line += 1; column = 1 } else { column += 1 }
            i = end
        }
        return (line, column)
    }
}
