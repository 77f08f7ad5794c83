/// Where a value came from: a file position, or a `--set` override.
public struct SourceLocation: Sendable, Equatable, CustomStringConvertible {
    public let file: String
    /// 1-based; 0 when unknown (a whole-file problem, a `--set` override).
    public let line: Int
    /// 1-based; 0 when unknown.
    public let column: Int

    public init(file: String, line: Int, column: Int) {
        self.file = file
        self.line = line
        self.column = column
    }

    public var description: String {
        guard line > 0 else { return file }
        return column > 0 ? "\(file):\(line):\(column)" : "\(file):\(line)"
    }
}

/// Bad input: a scenario, an instance file, a data file or a command-line value that is
/// not what Gavel expects. Reported on one line,
/// `file:line:column: field 'a.b': what was wrong (what was expected)`.
///
/// The one error type for input problems, whatever reads the input (the YAML reader, the
/// decoder, the trace and log readers, the instance builders), so the CLI shows every one
/// the same way and exits with the input-error code. A failed run is an `ExperimentError`;
/// a solver's verdict is an `LPError`.
public struct InputError: Error, Sendable, CustomStringConvertible, Equatable {
    /// Nil for an input without a place (a value built in code, a flag).
    public let location: SourceLocation?
    /// Dotted path of the field (`workload.google_trace.files`), empty for the whole input.
    public let field: String
    public let message: String

    /// An error at a position of a parsed document.
    public init(_ message: String, field: String = "", at location: SourceLocation? = nil) {
        self.location = location
        self.field = field
        self.message = message
    }

    /// An error in a data file, at a 1-based line and column (0: unknown).
    public init(file: String, line: Int = 0, column: Int = 0, field: String = "", _ message: String) {
        self.init(message, field: field, at: SourceLocation(file: file, line: line, column: column))
    }

    public var file: String { location?.file ?? "" }
    public var line: Int { location?.line ?? 0 }
    public var column: Int { location?.column ?? 0 }

    public var description: String {
        var parts: [String] = []
        if let location { parts.append("\(location)") }
        if !field.isEmpty { parts.append("field '\(field)'") }
        parts.append(message)
        return parts.joined(separator: ": ")
    }
}
