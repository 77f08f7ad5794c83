import Foundation
import GavelCore

/// A plain-text data file read whole, split into lines without copying each
/// line into a `String` (the replay logs have hundreds of thousands of rows).
struct TextFile {
    let path: String
    let bytes: [UInt8]

    init(path: String) throws {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw InputError(file: path, "cannot read the file (expected an existing, readable file)")
        }
        self.path = path
        // A UTF-8 byte-order mark is dropped, as every Gavel reader does (columns count after it).
        bytes = data.starts(with: [0xEF, 0xBB, 0xBF]) ? [UInt8](data.dropFirst(3)) : [UInt8](data)
    }

    /// Calls `body(lineNumber, fields)` for each line, fields split on `separator`
    /// (a trailing `\r` is dropped; a blank line has one empty field, so readers
    /// reject it rather than skip it). Fields are byte ranges into `bytes`.
    func forEachLine(separator: UInt8, _ body: (Int, [Range<Int>]) throws -> Void) rethrows {
        var lineNumber = 0
        var start = 0
        let n = bytes.count
        var fields: [Range<Int>] = []
        while start < n {
            lineNumber += 1
            var end = start
            while end < n && bytes[end] != 0x0A { end += 1 }
            var lineEnd = end
            if lineEnd > start && bytes[lineEnd - 1] == 0x0D { lineEnd -= 1 }
            fields.removeAll(keepingCapacity: true)
            var fieldStart = start
            for i in start..<lineEnd where bytes[i] == separator {
                fields.append(fieldStart..<i)
                fieldStart = i + 1
            }
            fields.append(fieldStart..<lineEnd)
            try body(lineNumber, fields)
            start = end + 1
        }
    }

    /// The 1-based column of a field's first byte within its line.
    func column(of field: Range<Int>) -> Int {
        var i = field.lowerBound
        while i > 0 && bytes[i - 1] != 0x0A { i -= 1 }
        return field.lowerBound - i + 1
    }

    func text(_ field: Range<Int>) -> String {
        String(decoding: bytes[field], as: UTF8.self)
    }

    /// A non-negative or signed decimal integer, or nil.
    func integer(_ field: Range<Int>) -> Int? {
        guard !field.isEmpty else { return nil }
        var i = field.lowerBound
        var negative = false
        if bytes[i] == UInt8(ascii: "-") { negative = true; i += 1 }
        guard i < field.upperBound, field.upperBound - i <= 18 else { return nil }
        var value = 0
        while i < field.upperBound {
            let d = Int(bytes[i]) - 48
            guard d >= 0 && d <= 9 else { return nil }
            value = value * 10 + d
            i += 1
        }
        return negative ? -value : value
    }

    /// A decimal floating-point number (correctly rounded, as Python's `float()`), or nil.
    func double(_ field: Range<Int>) -> Double? {
        guard !field.isEmpty else { return nil }
        return Double(text(field))
    }

    /// An error at a field's position.
    func error(line: Int, field range: Range<Int>?, name: String, _ message: String) -> InputError {
        InputError(file: path, line: line, column: range.map(column(of:)) ?? 0, field: name, message)
    }
}
