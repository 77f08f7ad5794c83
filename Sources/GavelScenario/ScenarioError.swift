/// Where a value came from: a file position, or a `--set` override.
public struct SourceLocation: Sendable, Equatable, CustomStringConvertible {
    public let file: String
    public let line: Int
    public let column: Int

    public init(file: String, line: Int, column: Int) {
        self.file = file
        self.line = line
        self.column = column
    }

    public var description: String { line > 0 ? "\(file):\(line):\(column)" : file }
}

/// A problem with a scenario file, reported on one line:
/// `file:line:column: field 'a.b': what was wrong (what was expected)`.
public struct ScenarioError: Error, Sendable, CustomStringConvertible {
    public let location: SourceLocation?
    /// Dotted path of the field (`workload.google_trace.files`), empty for the whole document.
    public let field: String
    public let message: String

    public init(_ message: String, field: String = "", at location: SourceLocation? = nil) {
        self.location = location
        self.field = field
        self.message = message
    }

    public var description: String {
        var parts: [String] = []
        if let location { parts.append("\(location)") }
        if !field.isEmpty { parts.append("field '\(field)'") }
        parts.append(message)
        return parts.joined(separator: ": ")
    }
}
