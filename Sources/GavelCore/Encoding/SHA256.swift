import CGavelKernels

/// SHA-256 (FIPS 180-4), for scenario fingerprints and run keys.
///
/// Written here to keep GavelCore free of dependencies (but for the block
/// compression with the x86 SHA extensions, in CGavelKernels, when the CPU has them). The state is inline
/// (no heap storage), so a partly fed hasher is cheap to copy: the run planner
/// hashes a cell's common prefix once and each replicate's tail from a copy.
public struct SHA256: Sendable {
    private var h: InlineArray<8, UInt32> = [
        0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19,
    ]
    /// The bytes of the current block received so far (`filled` of them).
    private var block = InlineArray<64, UInt8>(repeating: 0)
    private var filled = 0
    private var length: UInt64 = 0
    /// Whether blocks may go through the CPU's SHA extensions (tests turn it off to check the Swift rounds).
    private var extensions = true

    /// A hasher with nothing fed yet.
    public init() {}

    /// A hasher that never uses the CPU's SHA extensions: the rounds below, in Swift.
    init(extensions: Bool) { self.extensions = extensions }

    /// Feeds `bytes`: block by block when contiguous, byte by byte otherwise.
    public mutating func update<S: Sequence>(_ bytes: S) where S.Element == UInt8 {
        // Contiguous input is consumed block by block; other sequences byte by byte.
        let handled: Void? = bytes.withContiguousStorageIfAvailable { update(buffer: UnsafeRawBufferPointer($0)) }
        if handled == nil {
            for b in bytes { append(b) }
        }
    }

    /// Feeds the UTF-8 bytes of `text`.
    public mutating func update(_ text: String) {
        var text = text
        text.withUTF8 { update(buffer: UnsafeRawBufferPointer($0)) }
    }

    private mutating func update(buffer input: UnsafeRawBufferPointer) {
        guard let source = input.baseAddress else { return }
        length &+= UInt64(input.count)
        // Into the block as many bytes as fit at a time, compressing each full block.
        var offset = 0
        while offset < input.count {
            let at = filled, n = min(64 - at, input.count - offset)
            withUnsafeMutableBytes(of: &block) { $0.baseAddress!.advanced(by: at).copyMemory(from: source + offset, byteCount: n) }
            filled += n
            offset += n
            if filled == 64 { compress(); filled = 0 }
        }
    }

    private mutating func append(_ byte: UInt8) {
        length &+= 1
        block[filled] = byte
        filled += 1
        if filled == 64 { compress(); filled = 0 }
    }

    /// Pads and compresses the last block(s): afterwards `h` is the digest.
    private mutating func pad() {
        let bitLength = length &* 8
        let at = filled
        // 0x80, zeros to the end of the block (and a block of its own when the length does not fit), the length.
        withUnsafeMutableBytes(of: &block) { b in
            b[at] = 0x80
            (b.baseAddress! + at + 1).initializeMemory(as: UInt8.self, repeating: 0, count: 63 - at)
        }
        if at + 1 > 56 {
            compress()
            withUnsafeMutableBytes(of: &block) { $0.initializeMemory(as: UInt8.self, repeating: 0) }
        }
        withUnsafeMutableBytes(of: &block) { $0.storeBytes(of: bitLength.bigEndian, toByteOffset: 56, as: UInt64.self) }
        compress()
        filled = 0
    }

    /// Pads the message and returns the 32-byte digest; feed nothing afterwards.
    public mutating func finalize() -> [UInt8] {
        pad()
        return (0..<32).map { i in UInt8(truncatingIfNeeded: h[i / 4] >> (24 - 8 * UInt32(i % 4))) }
    }

    /// The digest's first 8 bytes as a big-endian number (`finalize()`'s first
    /// 16 hex digits, as an integer): all a run key keeps, with no array made.
    public mutating func finalizePrefix64() -> UInt64 {
        pad()
        return UInt64(h[0]) << 32 | UInt64(h[1])
    }

    /// Lower-case hexadecimal digest of `text`'s UTF-8 bytes.
    public static func hex(_ text: String) -> String {
        var s = SHA256()
        s.update(text)
        return hexString(s.finalize())
    }

    /// Lower-case hexadecimal digest of `bytes`.
    public static func hex(bytes: [UInt8]) -> String {
        var s = SHA256()
        s.update(bytes)
        return hexString(s.finalize())
    }

    static func hexString(_ digest: [UInt8]) -> String {
        let digits = JSONWriter.hexDigits
        var out = [UInt8]()
        out.reserveCapacity(digest.count * 2)
        for byte in digest { out.append(digits[Int(byte >> 4)]); out.append(digits[Int(byte & 15)]) }
        return String(decoding: out, as: UTF8.self)
    }

    private mutating func compress() {
        // The x86 SHA extensions when the CPU has them (the same digest, several times faster).
        let done = !extensions ? 0 : withUnsafeMutablePointer(to: &h) { state in
            withUnsafePointer(to: &block) { bytes in
                state.withMemoryRebound(to: UInt32.self, capacity: 8) { s in
                    bytes.withMemoryRebound(to: UInt8.self, capacity: 64) { gavel_sha256_compress(s, $0) }
                }
            }
        }
        if done != 0 { return }
        // Through buffer pointers: no bounds checks or lazy-global checks in the 64 rounds.
        withUnsafeTemporaryAllocation(of: UInt32.self, capacity: 64) { w in
            // The 64 round constants, kept once, in CGavelKernels (which compresses with the SHA extensions).
            compress(into: w, k: UnsafeBufferPointer(start: gavel_sha256_round_constants(), count: 64))
        }
    }

    private mutating func compress(into w: UnsafeMutableBufferPointer<UInt32>, k: UnsafeBufferPointer<UInt32>) {
        for i in 0..<16 {
            w[i] = UInt32(block[4 * i]) << 24 | UInt32(block[4 * i + 1]) << 16
                | UInt32(block[4 * i + 2]) << 8 | UInt32(block[4 * i + 3])
        }
        func rotr(_ x: UInt32, _ n: UInt32) -> UInt32 { (x &>> n) | (x &<< (32 &- n)) }
        for i in 16..<64 {
            let s0 = rotr(w[i - 15], 7) ^ rotr(w[i - 15], 18) ^ (w[i - 15] >> 3)
            let s1 = rotr(w[i - 2], 17) ^ rotr(w[i - 2], 19) ^ (w[i - 2] >> 10)
            w[i] = w[i - 16] &+ s0 &+ w[i - 7] &+ s1
        }
        var a = h[0], b = h[1], c = h[2], d = h[3], e = h[4], f = h[5], g = h[6], hh = h[7]
        for i in 0..<64 {
            let s1 = rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25)
            let ch = (e & f) ^ (~e & g)
            let t1 = hh &+ s1 &+ ch &+ k[i] &+ w[i]
            let s0 = rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22)
            let maj = (a & b) ^ (a & c) ^ (b & c)
            let t2 = s0 &+ maj
            hh = g; g = f; f = e; e = d &+ t1; d = c; c = b; b = a; a = t1 &+ t2
        }
        h[0] &+= a; h[1] &+= b; h[2] &+= c; h[3] &+= d
        h[4] &+= e; h[5] &+= f; h[6] &+= g; h[7] &+= hh
    }
}
