import GavelCore
import CZlib
import Foundation
import Testing
@testable import GavelData
import GavelConfig

/// Gzip-compresses `bytes` with zlib (one member), for building test files.
func gzipMember(_ bytes: [UInt8]) -> [UInt8] {
    var s = z_stream()
    precondition(deflateInit2_(&s, Z_DEFAULT_COMPRESSION, Z_DEFLATED, 16 + MAX_WBITS, 8, Z_DEFAULT_STRATEGY,
                               ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size)) == Z_OK)
    var input = bytes
    var out = [UInt8](repeating: 0, count: Int(deflateBound(&s, UInt(bytes.count))) + 64)
    let produced: Int = input.withUnsafeMutableBufferPointer { inBuf in
        out.withUnsafeMutableBufferPointer { outBuf in
            s.next_in = inBuf.baseAddress
            s.avail_in = UInt32(inBuf.count)
            s.next_out = outBuf.baseAddress
            s.avail_out = UInt32(outBuf.count)
            precondition(deflate(&s, Z_FINISH) == Z_STREAM_END)
            return outBuf.count - Int(s.avail_out)
        }
    }
    deflateEnd(&s)
    return Array(out[..<produced])
}

/// Writes `bytes` to a fresh temporary file and returns its path.
func temporaryFile(_ bytes: [UInt8], name: String = "t.csv.gz") -> String {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("gavel-data-tests-\(UUID().uuidString)")
    // A failure here fails the calling test (its read then names the missing file), not the whole process.
    do { try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true) }
    catch { Issue.record("cannot create the temporary folder \(dir.path): \(error)") }
    let path = dir.appendingPathComponent(name).path
    _ = FileManager.default.createFile(atPath: path, contents: Data(bytes))
    return path
}

func readAllLines(_ path: String, chunkSize: Int = 1 << 16) throws -> [String] {
    let r = try GzipLineReader(path: path, chunkSize: chunkSize)
    var lines: [String] = []
    try r.forEachLine { line, number in
        #expect(number == lines.count + 1)
        lines.append(String(decoding: line, as: UTF8.self))
    }
    return lines
}

@Suite struct GzipLineReaderTests {
    static let text = (0..<5000).map { "row \($0),\(String(repeating: "x", count: $0 % 97))" }

    @Test(arguments: [7, 64, 4096, 1 << 16])
    func linesSurviveAnyChunkBoundary(chunkSize: Int) throws {
        let path = temporaryFile(gzipMember(Array((Self.text.joined(separator: "\n") + "\n").utf8)))
        #expect(try readAllLines(path, chunkSize: chunkSize) == Self.text)
    }

    @Test func lastLineNeedsNoNewline() throws {
        let path = temporaryFile(gzipMember(Array("a,b\nc,d".utf8)))
        #expect(try readAllLines(path) == ["a,b", "c,d"])
    }

    @Test func emptyLinesAreKept() throws {
        let path = temporaryFile(gzipMember(Array("a\n\nb\n".utf8)))
        #expect(try readAllLines(path) == ["a", "", "b"])
    }

    @Test func multiMemberFilesReadAsTheirConcatenation() throws {
        let a = gzipMember(Array("first,1\nsecond,2\n".utf8))
        let b = gzipMember(Array("third,3\n".utf8))
        let c = gzipMember([])  // an empty member in the middle is legal
        let d = gzipMember(Array("fourth,4\n".utf8))
        for chunk in [5, 1 << 16] {
            #expect(try readAllLines(temporaryFile(a + b + c + d), chunkSize: chunk) == ["first,1", "second,2", "third,3", "fourth,4"])
        }
    }

    @Test(arguments: [1, 8, 20])
    func truncatedFileIsAnError(cut: Int) throws {
        let whole = gzipMember(Array(Self.text.joined(separator: "\n").utf8))
        let path = temporaryFile(Array(whole.dropLast(cut)))
        #expect {
            _ = try readAllLines(path)
        } throws: { error in
            guard let e = error as? InputError else { return false }
            // A gzip stream has no line of its own: line 0, and the message names the last line read.
            return e.file == path && e.line == 0 && e.message.contains("truncated gzip data") && e.message.contains("last line read")
                && "\(e)".hasPrefix(path + ": truncated gzip data")
        }
    }

    @Test func truncatedSecondMemberIsAnError() throws {
        let path = temporaryFile(gzipMember(Array("a\n".utf8)) + Array(gzipMember(Array("b\n".utf8)).prefix(12)))
        #expect {
            _ = try readAllLines(path)
        } throws: { error in
            (error as? InputError)?.message.contains("truncated gzip data") == true && "\(error)".contains("last line read 1")
        }
    }

    @Test func corruptDataIsAnError() throws {
        var bytes = gzipMember(Array(Self.text.joined(separator: "\n").utf8))
        for i in 40..<60 { bytes[i] ^= 0x5A }
        let path = temporaryFile(bytes)
        #expect {
            _ = try readAllLines(path)
        } throws: { error in
            (error as? InputError)?.message.contains("corrupt gzip data") == true
        }
    }

    @Test func plainTextIsNotGzip() throws {
        let path = temporaryFile(Array("time,job\n1,2\n".utf8))
        #expect {
            _ = try readAllLines(path)
        } throws: { error in
            (error as? InputError)?.message.contains("corrupt gzip data") == true
        }
    }

    @Test func emptyAndMissingFilesAreErrors() throws {
        #expect {
            _ = try readAllLines(temporaryFile([]))
        } throws: { error in
            (error as? InputError)?.message.contains("empty file") == true
        }
        #expect {
            _ = try GzipLineReader(path: "/nonexistent/part-00000.csv.gz")
        } throws: { error in
            (error as? InputError)?.message.contains("cannot open") == true
        }
    }
}

/// Issue 21: a reader that stops early still refuses a file whose CRC or length is broken.
@Suite struct GzipIntegrityTests {
    static let text = (0..<3000).map { "row \($0),\(String(repeating: "y", count: $0 % 89))" }.joined(separator: "\n")

    /// The gzip trailer is the CRC-32 (4 bytes) then the length mod 2^32 (4 bytes), little-endian (RFC 1952 §2.3.1).
    @Test("A broken CRC or length field is found even when reading stops after the first line", arguments: [-8, -5, -4, -1])
    func brokenTrailer(offset: Int) throws {
        var bytes = gzipMember(Array(Self.text.utf8))
        bytes[bytes.count + offset] ^= 0x01
        let path = temporaryFile(bytes)
        let reader = try GzipLineReader(path: path)
        // The first line reads fine: the damage is at the end.
        #expect(try reader.nextLine().map { String(decoding: $0, as: UTF8.self) } == "row 0,")
        #expect { try reader.verifyRest() } throws: { error in
            let message = (error as? InputError)?.message ?? ""
            return message.contains("incorrect data check") || message.contains("incorrect length check")
        }
        // An intact file verifies.
        let good = try GzipLineReader(path: temporaryFile(gzipMember(Array(Self.text.utf8))))
        _ = try good.nextLine()
        try good.verifyRest()
    }

    @Test("The trace reader verifies the unread rest of a part when it stops early")
    func traceReaderVerifies() throws {
        let header = "5620274759,,6252007148,4,AL1ptJgzhEaoLf97k5xU6Uc2VO0yUaPQd/feJ5LMWhA=,0,v9ts2JYvO1mIA0WIprzcfG/VuLV2+k4Q7RBlLP47TiI=,8eJUX2smexw6vuP11WVFleSoOZQT7UEsTxYigrSyMjw=\n"
        var bytes = gzipMember(Array((header + String(repeating: header, count: 500)).utf8))
        bytes[bytes.count - 6] ^= 0xFF   // a CRC byte
        let path = temporaryFile(bytes, name: "part-00000-of-00001.csv.gz")
        let reader = GoogleTraceReader<JobEvent>(files: [path])
        #expect { try reader.forEach { _, _ in .nextFile } } throws: { error in
            ((error as? InputError)?.message ?? "").contains("incorrect data check")
        }
    }
}
