import CZlib
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import GavelCore

/// Reads the lines of a `.gz` file (or a plain file, see `init`) in constant memory.
///
/// The file is read in fixed-size chunks and inflated with zlib
/// (`inflateInit2(16 + MAX_WBITS)`: gzip wrapper only), so memory does not grow
/// with the file. A file made of several gzip members (`cat a.gz b.gz`) reads as
/// the concatenation of their contents, as `gzip -d` does: when a member ends and
/// more input follows, the stream is reset and inflation continues. A file that
/// ends inside a member is *truncated* and raises an error instead of silently
/// returning a prefix of the data. Errors are `InputError`s with line 0 (a
/// gzip stream has no line of its own); the message names the last line read. Lines end at `\n`; a trailing `\r` is kept
/// (the Google trace has none). The last line needs no final newline.
public final class GzipLineReader {
    /// The `.gz` file read.
    public let path: String
    /// 1-based number of the line most recently returned by `nextLine()` (0 before the first).
    public private(set) var lineNumber = 0
    /// Decompressed bytes produced so far.
    public private(set) var bytesOut = 0

    private let file: UnsafeMutablePointer<FILE>
    private var stream = z_stream()
    private var streamOpen = false
    private var memberFinished = false
    private var sawAnyMember = false
    private var input: [UInt8]
    private var output: [UInt8]
    /// Decompressed bytes not yet returned as lines: `output[outStart..<outEnd]`.
    private var outStart = 0
    private var outEnd = 0
    private var inputExhausted = false
    private var finished = false
    private var pendingLine: [UInt8] = []

    /// Opens `path`. Throws if it cannot be opened or zlib cannot be initialised.
    /// - Parameter chunkSize: bytes read from disk and inflated per step.
    public init(path: String, chunkSize: Int = 1 << 16) throws(InputError) {
        precondition(chunkSize > 0)
        self.path = path
        guard let f = fopen(path, "rb") else {
            throw InputError(file: path, "cannot open the file (\(String(cString: strerror(errno))))")
        }
        file = f
        input = Array(repeating: 0, count: chunkSize)
        output = Array(repeating: 0, count: chunkSize)
        try openStream()
    }

    deinit {
        if streamOpen { inflateEnd(&stream) }
        fclose(file)
    }

    private func openStream() throws(InputError) {
        let rc = inflateInit2_(&stream, 16 + MAX_WBITS, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size))
        guard rc == Z_OK else { throw InputError(file: path, "zlib inflateInit2 failed (code \(rc))") }
        streamOpen = true
    }

    /// Refills `input` from disk when zlib has consumed it all.
    private func refillInput() throws(InputError) {
        guard stream.avail_in == 0, !inputExhausted else { return }
        let n = input.withUnsafeMutableBytes { fread($0.baseAddress, 1, $0.count, file) }
        if n == 0 {
            if ferror(file) != 0 { throw InputError(file: path, "read error (\(String(cString: strerror(errno))))") }
            inputExhausted = true
        }
        stream.avail_in = UInt32(n)
        stream.next_in = nil  // set per call below (the array may move)
        inputOffset = 0
        inputCount = n
    }
    private var inputOffset = 0
    private var inputCount = 0

    /// Inflates the next block into `output`; returns false at the end of the data.
    private func inflateMore() throws(InputError) -> Bool {
        while true {
            if memberFinished {
                // A member ended. Skip to the next one if any input remains.
                try refillInput()
                if stream.avail_in == 0 && inputExhausted { finished = true; return false }
                inflateReset(&stream)
                memberFinished = false
            }
            try refillInput()
            if stream.avail_in == 0 && inputExhausted {
                if !sawAnyMember { throw InputError(file: path, "empty file (expected gzip data)") }
                throw InputError(file: path, "truncated gzip data: the file ends inside a compressed member after \(bytesOut) decompressed bytes, last line read \(lineNumber) (expected the member's end and CRC)")
            }
            sawAnyMember = true
            let consumedBefore = Int(stream.avail_in)
            var rc: Int32 = 0
            var produced = 0
            input.withUnsafeMutableBufferPointer { inBuf in
                output.withUnsafeMutableBufferPointer { outBuf in
                    stream.next_in = inBuf.baseAddress! + inputOffset
                    stream.next_out = outBuf.baseAddress!
                    stream.avail_out = UInt32(outBuf.count)
                    rc = inflate(&stream, Z_NO_FLUSH)
                    produced = outBuf.count - Int(stream.avail_out)
                }
            }
            inputOffset += consumedBefore - Int(stream.avail_in)
            switch rc {
            case Z_OK, Z_BUF_ERROR:
                break
            case Z_STREAM_END:
                memberFinished = true
            default:
                let reason = stream.msg.map { String(cString: $0) } ?? "zlib error \(rc)"
                throw InputError(file: path, "corrupt gzip data after \(bytesOut) decompressed bytes, last line read \(lineNumber): \(reason)")
            }
            if produced > 0 {
                outStart = 0
                outEnd = produced
                bytesOut += produced
                return true
            }
            if rc == Z_BUF_ERROR && stream.avail_in != 0 {
                throw InputError(file: path, "zlib made no progress after \(bytesOut) decompressed bytes")
            }
        }
    }

    /// The next line without its `\n`, or nil at the end of the file. A UTF-8 byte-order mark
    /// opening the first line is dropped, as every Gavel reader does.
    public func nextLine() throws(InputError) -> [UInt8]? {
        guard var line = try rawNextLine() else { return nil }
        if lineNumber == 1 && line.starts(with: [0xEF, 0xBB, 0xBF]) { line.removeFirst(3) }
        return line
    }

    private func rawNextLine() throws(InputError) -> [UInt8]? {
        if finished && outStart == outEnd {
            return nil
        }
        while true {
            if outStart < outEnd {
                let found: Int? = output.withUnsafeBufferPointer { buf -> Int? in
                    guard let base = buf.baseAddress else { return nil }
                    guard let hit = memchr(base + outStart, 0x0A, outEnd - outStart) else { return nil }
                    return UnsafeRawPointer(hit) - UnsafeRawPointer(base)
                }
                if let nl = found {
                    var line = pendingLine
                    pendingLine.removeAll(keepingCapacity: true)
                    line.append(contentsOf: output[outStart..<nl])
                    outStart = nl + 1
                    lineNumber += 1
                    return line
                }
                pendingLine.append(contentsOf: output[outStart..<outEnd])
                outStart = outEnd
            }
            let more = finished ? false : try inflateMore()
            if !more {
                finished = true
                if pendingLine.isEmpty { return nil }
                let line = pendingLine
                pendingLine = []
                lineNumber += 1
                return line
            }
        }
    }

    /// Inflates whatever has not been read, discarding it, to the end of the last member,
    /// so that zlib checks every member's CRC-32 and length: a reader that stops early
    /// still refuses a corrupt or truncated file (the error names the last line read).
    public func verifyRest() throws(InputError) {
        outStart = outEnd
        pendingLine.removeAll()
        while !finished {
            if try !inflateMore() { finished = true }
            outStart = outEnd
        }
    }

    /// Calls `body` with each remaining line (without `\n`) and its 1-based number.
    public func forEachLine(_ body: ([UInt8], Int) throws -> Void) throws {
        while let line = try nextLine() { try body(line, lineNumber) }
    }
}
