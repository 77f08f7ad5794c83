import Foundation
import Testing

/// Issue 21's regression corpus, `Tests/RegressionCorpus/`: one folder per class of the issue (`kill`,
/// `wrong-number`, `nonsense`, `security`), one YAML file per input that once crashed, hung,
/// printed a wrong number or was accepted, and every input the fuzzers find (scripts/fuzz-structured).
/// Each file's leading comments say how to run it and what must happen:
///
///     # corpus: ARGUMENTS          gavel's arguments: FILE is this file (relative to Tests/RegressionCorpus, the
///                                  working directory), OUT a fresh result folder; "a\nb" is one argument
///     # setup: a first run, then OUT/NAME
///                                  the command is run once (exit 0), then a file Gavel did not write is
///                                  placed in its result folder, before the run under test
///     # expect: exit 1|2 "text"…   one error line (progress lines `solve …` aside) holding each text,
///                                  and no result folder (or the setup's folder, byte for byte as it was)
///     # expect: exit 0 certificate key=value…
///                                  the JSON printed carries its certificate and the certificate holds;
///                                  each key is within 1e-9 relative of its value (the certifier's
///                                  tolerance; the values come from exact arithmetic, in the file's comments)
@Suite("Regression corpus (Tests/RegressionCorpus): exit 1 or 2 with one line naming file:line and field, or a certified result")
struct CorpusTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("RegressionCorpus")

    /// Every `.yaml` under the corpus, relative, sorted (each is a case; one without a header fails).
    static let cases: [String] = {
        guard let walker = FileManager.default.enumerator(atPath: root.path) else { return [] }
        return walker.compactMap { $0 as? String }.filter { $0.hasSuffix(".yaml") }.sorted()
    }()

    struct Header {
        var arguments: [String] = []
        var setup: String?
        var exit: Int32 = -1
        var texts: [String] = []
        var certificate = false
        var values: [(String, Double)] = []
    }

    /// Splits on blanks; double quotes group, and `\n` inside them is a newline.
    static func words(_ s: String) -> [String] {
        var out: [String] = [], word = "", quoted = false, inWord = false
        var chars = Array(s)[...]
        while let c = chars.popFirst() {
            if c == "\"" { quoted.toggle(); inWord = true; continue }
            if quoted && c == "\\", chars.first == "n" { chars.removeFirst(); word.append("\n"); continue }
            if !quoted && c == " " {
                if inWord { out.append(word); word = ""; inWord = false }
                continue
            }
            word.append(c); inWord = true
        }
        if inWord { out.append(word) }
        return out
    }

    static func header(_ path: String) throws -> Header {
        let bytes = try Data(contentsOf: URL(fileURLWithPath: path))
        var h = Header()
        for line in String(decoding: bytes, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false) {
            guard line.hasPrefix("#") else { break }
            if line.hasPrefix("# corpus: ") { h.arguments = words(String(line.dropFirst(10))) }
            if line.hasPrefix("# setup: ") { h.setup = String(line.dropFirst(9)) }
            if line.hasPrefix("# expect: ") {
                var w = words(String(line.dropFirst(10)))
                guard w.count >= 2, w[0] == "exit", let code = Int32(w[1]) else { continue }
                h.exit = code
                w.removeFirst(2)
                for x in w {
                    if x == "certificate" { h.certificate = true } else if h.exit == 0, let eq = x.firstIndex(of: "="), let v = Double(x[x.index(after: eq)...]) {
                        h.values.append((String(x[..<eq]), v))
                    } else { h.texts.append(x) }
                }
            }
        }
        return h
    }

    @Test("Every corpus input", arguments: cases)
    func corpusCase(_ file: String) throws {
        let h = try Self.header(Self.root.appendingPathComponent(file).path)
        try #require(!h.arguments.isEmpty && h.exit >= 0, "\(file): no '# corpus:' and '# expect: exit N' header")
        let ws = try Workspace(); defer { ws.remove() }
        let out = ws.path("out")
        let arguments = h.arguments.map { $0 == "FILE" ? file : $0 == "OUT" ? out : $0 }
        // The setup's folder, file by file, as it stood before the run under test.
        var before: [String: Data]?
        if let setup = h.setup {
            let prefix = "a first run, then OUT/"
            try #require(setup.hasPrefix(prefix), "\(file): unknown setup '\(setup)'")
            let first = try Gavel.run(arguments, in: Self.root, timeout: 120)
            try #require(first.status == 0, "\(file): the setup's first run failed: \(first.stderr)")
            try Data("someone else's notes\n".utf8).write(to: URL(fileURLWithPath: out + "/" + setup.dropFirst(prefix.count)))
            before = try Self.snapshot(out)
        }
        let r = try Gavel.run(arguments, in: Self.root, timeout: 120)
        #expect(r.status == h.exit, "\(file): exit \(r.status), expected \(h.exit): \(r.stderr)")
        if h.exit != 0 {
            let lines = r.stderrLines.filter { !$0.hasPrefix("solve ") }
            #expect(lines.count == 1 && lines[0].hasPrefix("error: "), "\(file): \(r.stderr)")
            for text in h.texts { #expect(r.stderr.contains(text), "\(file): '\(text)' not in \(r.stderr)") }
            if let before {
                #expect(try Self.snapshot(out) == before, "\(file): the result folder changed")
            } else {
                #expect(!FileManager.default.fileExists(atPath: out), "\(file): a result folder was left")
            }
            return
        }
        let json = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any], "\(file): \(r.stdout)")
        if h.certificate {
            let c = try #require(json["certificate"] as? [String: Any], "\(file): no certificate in the output")
            let gap = try #require(c["largest_relative_gap"] as? Double), tolerance = try #require(c["relative_tolerance"] as? Double)
            #expect((c["optima_checked"] as? Int ?? 0) >= 1 && gap <= tolerance, "\(file): \(c)")
        }
        for (key, value) in h.values {
            let x = try #require(json[key] as? Double, "\(file): no number '\(key)'")
            #expect(abs(x - value) <= 1e-9 * abs(value), "\(file): \(key) = \(x), expected \(value)")
        }
    }

    static func snapshot(_ folder: String) throws -> [String: Data] {
        var out: [String: Data] = [:]
        for name in try FileManager.default.contentsOfDirectory(atPath: folder) {
            out[name] = FileManager.default.contents(atPath: folder + "/" + name) ?? Data()
        }
        return out
    }

    @Test("The corpus covers every class of the issue")
    func classes() {
        let folders = Set(Self.cases.compactMap { $0.split(separator: "/").first.map(String.init) })
        #expect(folders == ["kill", "wrong-number", "nonsense", "security"])
        #expect(Self.cases.count >= 40)
    }
}
