/// A problem in an input data file, reported on one line as
/// `file:line:column: field 'name': what was wrong (what was expected)`.
///
/// Every reader in GavelData throws this, so the CLI shows data errors the
/// same way as scenario errors. `line` and `column` are 1-based; 0 means unknown
/// (for example a whole-file problem such as a truncated gzip stream).
public struct DataReadError: Error, Sendable, CustomStringConvertible, Equatable {
    public let file: String
    public let line: Int
    public let column: Int
    public let field: String
    public let message: String

    public init(file: String, line: Int = 0, column: Int = 0, field: String = "", _ message: String) {
        self.file = file
        self.line = line
        self.column = column
        self.field = field
        self.message = message
    }

    public var description: String {
        var location = file
        if line > 0 { location += ":\(line)" + (column > 0 ? ":\(column)" : "") }
        return [location, field.isEmpty ? nil : "field '\(field)'", message].compactMap { $0 }.joined(separator: ": ")
    }
}
