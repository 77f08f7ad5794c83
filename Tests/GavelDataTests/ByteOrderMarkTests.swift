import GavelCore
import Foundation
import Testing
@testable import GavelData
import GavelConfig

/// Issue 21: "a byte-order mark handled the same way in every reader". Each reader is given the
/// same content with and without a UTF-8 BOM and must read the same rows (the scenario reader is
/// tested in GavelScenarioTests, the IoT ablation CSVs in GavelIoTTests).
@Suite("A UTF-8 byte-order mark is dropped by every reader")
struct ByteOrderMarkTests {
    static let bom = "\u{FEFF}"

    @Test("RTB bid log (theta file)")
    func rtbLog() throws {
        let text = "0 23 0.0012\n1 0 0.5\n"
        let plain = try RLBReplayFile.readTheta(path: try temporaryFile(text))
        let marked = try RLBReplayFile.readTheta(path: try temporaryFile(Self.bom + text))
        #expect(marked.prices == plain.prices && marked.clicks == plain.clicks && marked.ctrs == plain.ctrs)
        #expect(plain.prices == [23, 0])
    }

    @Test("iPinYou log: the header is recognised after the mark")
    func ipinyou() throws {
        let text = [IPinYouLogReaderTests.header, IPinYouLogReaderTests.row(click: 1, ts: "20130606000001000", pay: 77)].joined(separator: "\n") + "\n"
        let rows = try IPinYouLogReader.read(path: try temporaryFile(Self.bom + text))
        #expect(rows.map(\.payPrice) == [77])
    }

    @Test("gzip lines: the mark opening the first line only")
    func gzip() throws {
        let text = Self.bom + "a,1\n" + Self.bom + "b,2\n"
        let r = try GzipLineReader(path: temporaryFile(gzipMember(Array(text.utf8))))
        var lines: [String] = []
        while let line = try r.nextLine() { lines.append(String(decoding: line, as: UTF8.self)) }
        // Only a mark at the start of the file is a byte-order mark; later U+FEFF is content.
        #expect(lines == ["a,1", Self.bom + "b,2"])
    }

    @Test("Instance files (the YAML reader through InstanceText)")
    func instance() throws {
        let (text, file) = try InstanceText.read(path: try temporaryFile(Self.bom + "a: [1, 2]\n"))
        #expect(file.hasSuffix("data.txt"))
        let root = try YAMLFields(file: file).root(of: text, expected: "a mapping")
        let plain = try YAMLFields(file: file).root(of: "a: [1, 2]\n", expected: "a mapping")
        #expect("\(root)" == "\(plain)")
    }
}

@Suite("InstanceText: one way to read an instance file")
struct InstanceTextTests {
    @Test("Bytes that are not UTF-8 are an error at their line and column, not replaced")
    func notUTF8() throws {
        var bytes = Array("values: [1, 2]\nmax_ads: 1\nmodel: m".utf8)
        bytes.insert(0xFF, at: 19)   // line 2, column 5
        let path = temporaryFile(bytes, name: "bad.yaml")
        #expect { _ = try InstanceText.read(path: path) } throws: { error in
            guard let e = error as? InputError else { return false }
            return e.line == 2 && e.column == 5 && "\(e)".contains("not UTF-8") && "\(e)".contains("bad.yaml")
        }
    }

    @Test("A missing file names the path")
    func missing() {
        #expect { _ = try InstanceText.read(path: "/nonexistent/x.yaml") } throws: { "\($0)".contains("/nonexistent/x.yaml") }
    }

    @Test("The first invalid byte by hand: after a two-byte character, a lone continuation byte")
    func position() {
        // "é" is 2 bytes (column 1), "x" column 2, 0x80 column 3.
        #expect(InstanceText.firstInvalidUTF8(Data([0xC3, 0xA9, 0x78, 0x80])) == (1, 3))
        #expect(InstanceText.firstInvalidUTF8(Data("ok\n".utf8)) == (2, 1))
    }
}
