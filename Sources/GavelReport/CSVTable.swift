import Foundation
import GavelCore

/// A CSV file of a result folder, parsed (RFC 4180: quoted fields, doubled quotes inside).
public struct CSVTable: Sendable {
    /// The file's stem (`summary`, `comparisons`...).
    public let name: String
    /// The column names.
    public let header: [String]
    /// The data rows, as text.
    public let rows: [[String]]

    /// A table given directly.
    public init(name: String, header: [String], rows: [[String]]) {
        self.name = name; self.header = header; self.rows = rows
    }

    /// The index of the column called `name`, if any.
    public func column(_ name: String) -> Int? { header.firstIndex(of: name) }

    /// The column's values as numbers; nil when one is neither a number nor empty.
    public func numbers(_ c: Int) -> [Double?]? {
        var out: [Double?] = []
        for row in rows {
            if row[c].isEmpty { out.append(nil); continue }
            guard let x = Double(row[c]) else { return nil }
            out.append(x)
        }
        return out
    }

    /// Reads `path`; a malformed row is an error naming its line.
    public static func read(_ path: String, name: String) throws -> CSVTable {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw InputError("\(path): cannot read the file")
        }
        var lines = parse(String(decoding: data, as: UTF8.self))
        guard !lines.isEmpty else { throw InputError("\(path): empty file (expected a CSV header)") }
        let header = lines.removeFirst()
        for (i, row) in lines.enumerated() where row.count != header.count {
            throw InputError("\(path):\(i + 2): expected \(header.count) fields, found \(row.count)")
        }
        return CSVTable(name: name, header: header, rows: lines)
    }

    static func parse(_ text: String) -> [[String]] {
        var rows: [[String]] = [], row: [String] = [], field = ""
        var quoted = false, atStart = true
        let chars = Array(text)
        var i = 0
        while i < chars.count {
            let ch = chars[i]
            i += 1
            if quoted {
                // A doubled quote inside a quoted field is one quote; a single one ends the field's quoting.
                if ch == "\"" {
                    if i < chars.count && chars[i] == "\"" { field.append("\""); i += 1 } else { quoted = false }
                } else { field.append(ch) }
                continue
            }
            switch ch {
            case "\"": if atStart { quoted = true } else { field.append("\"") }; atStart = false
            case ",": row.append(field); field = ""; atStart = true
            case "\n", "\r\n": row.append(field); rows.append(row); row = []; field = ""; atStart = true
            default: field.append(ch); atStart = false
            }
        }
        if !field.isEmpty || !row.isEmpty { row.append(field); rows.append(row) }
        return rows
    }

    /// CSV text of a header and rows (fields with a comma, quote or newline quoted).
    public static func text(header: [String], rows: [[String]]) -> String {
        func field(_ s: String) -> String {
            s.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" }) ? "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : s
        }
        return ([header] + rows).map { $0.map(field).joined(separator: ",") }.joined(separator: "\n") + "\n"
    }
}

