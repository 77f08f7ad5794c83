import Foundation
import GavelCore
// libyaml, as Yams builds and ships it (GavelConfig depends on Yams for it).
import CYaml

/// libyaml's parser, read event by event into a `YAMLNode` tree: the one YAML reader's engine.
///
/// What is refused, and where the error points:
/// - libyaml's own errors (syntax, control characters, nesting past its limit of 1000 levels) at
///   libyaml's problem mark, or the offending byte's line and column;
/// - tags outside YAML's core schema, at the tagged value (with its dotted path);
/// - aliases, at the alias; anchors on keys; duplicate keys, at the second occurrence;
/// - a second document in the stream.
final class LibYAMLEvents {
    private var parser = yaml_parser_t()
    private let bytes: UnsafeBufferPointer<UInt8>
    private let file: String
    /// The keys and indices above the node being read, joined only for an error.
    private var path: [String] = []

    /// Tags of YAML's core schema: the only ones a value may carry explicitly.
    private static let coreTags: Set<String> = Set(["!"] + ["str", "int", "float", "bool", "null", "seq", "map"].map { "tag:yaml.org,2002:" + $0 })

    init(_ bytes: UnsafeBufferPointer<UInt8>, file: String) throws {
        self.bytes = bytes
        self.file = file
        guard yaml_parser_initialize(&parser) == 1 else { throw InputError("cannot start the YAML reader (out of memory)", at: SourceLocation(file: file, line: 0, column: 0)) }
        yaml_parser_set_encoding(&parser, YAML_UTF8_ENCODING)
        yaml_parser_set_input_string(&parser, bytes.baseAddress, bytes.count)
    }

    deinit { yaml_parser_delete(&parser) }

    /// The stream's one document; an empty stream is an error saying what it should have held.
    func document(expected: String) throws -> YAMLNode {
        var event = try next()                                  // stream start
        yaml_event_delete(&event)
        event = try next()
        if event.type == YAML_STREAM_END_EVENT {
            yaml_event_delete(&event)
            throw InputError("the file is empty (expected \(expected))", at: SourceLocation(file: file, line: 1, column: 1))
        }
        yaml_event_delete(&event)                               // document start
        let root = try node(try next())
        event = try next()                                      // document end
        yaml_event_delete(&event)
        event = try next()
        defer { yaml_event_delete(&event) }
        guard event.type == YAML_STREAM_END_EVENT else {
            throw InputError("invalid YAML: expected a single document in the stream, found another", at: location(event.start_mark))
        }
        return root
    }

    private func next() throws -> yaml_event_t {
        var event = yaml_event_t()
        guard yaml_parser_parse(&parser, &event) == 1 else { throw parserError() }
        return event
    }

    private func location(_ mark: yaml_mark_t) -> SourceLocation {
        SourceLocation(file: file, line: mark.line + 1, column: mark.column + 1)
    }

    private static func string(_ pointer: UnsafeMutablePointer<yaml_char_t>?) -> String? {
        pointer.map { String(cString: UnsafeRawPointer($0).assumingMemoryBound(to: CChar.self)) }
    }

    /// Refuses a tag outside the core schema (`!!python/object`, `!custom`, `!!binary`, `!!set`…).
    private func checkTag(_ tag: UnsafeMutablePointer<yaml_char_t>?, at mark: yaml_mark_t) throws {
        guard let written = Self.string(tag), !Self.coreTags.contains(written) else { return }
        let shown = written.hasPrefix("tag:yaml.org,2002:") ? "!!" + written.dropFirst("tag:yaml.org,2002:".count) : written
        throw InputError("YAML tags are not supported (found '\(shown)'): write the value plainly, quoted for a string",
                         field: path.joined(separator: "."), at: location(mark))
    }

    /// The node that `event` starts (the event is consumed).
    private func node(_ first: yaml_event_t) throws -> YAMLNode {
        var event = first
        defer { yaml_event_delete(&event) }
        let here = location(event.start_mark)
        switch event.type {
        case YAML_SCALAR_EVENT:
            let s = event.data.scalar
            try checkTag(s.tag, at: event.start_mark)
            let text = String(decoding: UnsafeBufferPointer(start: s.value, count: s.length), as: UTF8.self)
            return .scalar(text, quoted: s.style != YAML_PLAIN_SCALAR_STYLE && s.style != YAML_ANY_SCALAR_STYLE, here)
        case YAML_SEQUENCE_START_EVENT:
            try checkTag(event.data.sequence_start.tag, at: event.start_mark)
            var items: [YAMLNode] = []
            while true {
                let item = try next()
                if item.type == YAML_SEQUENCE_END_EVENT { var end = item; yaml_event_delete(&end); break }
                path.append(String(items.count)); defer { path.removeLast() }
                items.append(try node(item))
            }
            return .sequence(items, here)
        case YAML_MAPPING_START_EVENT:
            try checkTag(event.data.mapping_start.tag, at: event.start_mark)
            var pairs: [YAMLNode.MappingEntry] = []
            while true {
                var keyEvent = try next()
                if keyEvent.type == YAML_MAPPING_END_EVENT { yaml_event_delete(&keyEvent); break }
                let keyLocation = location(keyEvent.start_mark)
                guard keyEvent.type == YAML_SCALAR_EVENT, keyEvent.data.scalar.anchor == nil else {
                    let isAlias = keyEvent.type == YAML_ALIAS_EVENT   // read before the delete zeroes the event
                    yaml_event_delete(&keyEvent)
                    if isAlias { throw InputError("YAML aliases are not supported (write the value out)", at: keyLocation) }
                    throw InputError("a mapping key must be a plain string", at: keyLocation)
                }
                guard case .scalar(let key, _, _) = try node(keyEvent) else { fatalError("a scalar event reads as a scalar") }
                if let first = pairs.first(where: { $0.key == key }) {
                    throw InputError("duplicate key \(quoted(key)) (first at line \(first.keyLocation.line))", at: keyLocation)
                }
                path.append(key); defer { path.removeLast() }
                pairs.append(YAMLNode.MappingEntry(key: key, keyLocation: keyLocation, value: try node(try next())))
            }
            return .mapping(pairs, here)
        case YAML_ALIAS_EVENT:
            throw InputError("YAML aliases are not supported (write the value out)", at: here)
        default:
            throw InputError("invalid YAML: unexpected event \(event.type.rawValue)", at: here)
        }
    }

    /// libyaml's error, at its problem mark (a reader error gives a byte offset: turned into line and column).
    private func parserError() -> InputError {
        let problem = Self.string(UnsafeMutablePointer(mutating: UnsafeRawPointer(parser.problem)?.assumingMemoryBound(to: yaml_char_t.self))) ?? "unknown error"
        switch parser.error {
        case YAML_READER_ERROR:
            var line = 1, column = 1
            for byte in bytes.prefix(parser.problem_offset) {
                if byte == 0x0A { line += 1; column = 1 } else if byte & 0xC0 != 0x80 { column += 1 }
            }
            let value = parser.problem_value
            let character = value >= 0 ? String(format: " (U+%04X)", value) : ""
            return InputError("invalid YAML: \(problem)\(character)", at: SourceLocation(file: file, line: line, column: column))
        case YAML_MEMORY_ERROR:
            return InputError("invalid YAML: out of memory", at: SourceLocation(file: file, line: 0, column: 0))
        default:
            let context = Self.string(UnsafeMutablePointer(mutating: UnsafeRawPointer(parser.context)?.assumingMemoryBound(to: yaml_char_t.self)))
            return InputError("invalid YAML: \(context.map { "\(problem) (\($0))" } ?? problem)", at: location(parser.problem_mark))
        }
    }
}
