// Gavel's error vocabulary: three types, one meaning each.
// - `InputError`: bad input (a scenario, an instance or data file, a flag, a value built from
//   them), with its location when it has one. The CLI exits 2.
// - `ExperimentError`: a run or a computation that failed on valid input. The CLI exits 1.
// - `LPError` (GavelLP): what a solver said (infeasible, unbounded, a limit, a failure).

/// Where a value came from: a file position, or a `--set` override.
public struct SourceLocation: Sendable, Equatable, CustomStringConvertible {
    /// The file's path as given, or `--set` for a command-line override.
    public let file: String
    /// 1-based; 0 when unknown (a whole-file problem, a `--set` override).
    public let line: Int
    /// 1-based; 0 when unknown.
    public let column: Int

    /// A position in `file`; pass 0 for an unknown line or column.
    public init(file: String, line: Int, column: Int) {
        self.file = file
        self.line = line
        self.column = column
    }

    /// `file:line:column`, `file:line` without a column, or just `file` without a line.
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
    /// What was wrong, and what was expected.
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

    /// The location's file, or "" without a location.
    public var file: String { location?.file ?? "" }
    /// The location's 1-based line, or 0 when unknown.
    public var line: Int { location?.line ?? 0 }
    /// The location's 1-based column, or 0 when unknown.
    public var column: Int { location?.column ?? 0 }

    /// The one-line form, `location: field 'a.b': message`, leaving out the parts that are absent.
    public var description: String {
        var parts: [String] = []
        if let location { parts.append("\(location)") }
        if !field.isEmpty { parts.append("field '\(field)'") }
        parts.append(message)
        return parts.joined(separator: ": ")
    }
}

/// A run or computation that failed on valid input (a certificate that did not verify, an
/// exact evaluation past its limit, no feasible deterministic profile), shown as is.
///
/// A computation that stops at a stated limit (an exact evaluation past its node budget, an LP
/// past its time limit, a formulation too large to enumerate) is `beyondLimit`: callers that can
/// do without the figure (a skipped bound, a benchmark row) catch exactly that case.
public struct ExperimentError: Error, CustomStringConvertible, Sendable {
    /// The message, shown to the user as is.
    public let description: String
    /// Whether the computation stopped at a limit rather than failed.
    public let isBeyondLimit: Bool
    /// A failed run or computation (not ``isBeyondLimit``).
    public init(_ description: String) { self.description = description; isBeyondLimit = false }
    private init(_ description: String, isBeyondLimit: Bool) { self.description = description; self.isBeyondLimit = isBeyondLimit }
    /// A computation stopped at a stated limit; `description` names the limit and what to do instead.
    public static func beyondLimit(_ description: String) -> ExperimentError { ExperimentError(description, isBeyondLimit: true) }
}
