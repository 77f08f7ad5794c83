/// The MT19937 core of CPython's `random` module (Modules/_randommodule.c):
/// seeding (`init_genrand`, `init_by_array`) and 32-bit output (`genrand_uint32`).
///
/// The 624-word state lives in one `ContiguousArray`, allocated at seeding and
/// never again: a draw reads one word and bumps an index, and the state is
/// regenerated in place once every 624 draws. Copies share the buffer until one
/// of them regenerates (copy-on-write), so the type has value semantics.
@usableFromInline
struct MersenneTwister19937: Sendable {
    @usableFromInline static let n = 624
    static let m = 397
    static let matrixA: UInt32 = 0x9908_B0DF
    static let upperMask: UInt32 = 0x8000_0000
    static let lowerMask: UInt32 = 0x7FFF_FFFF

    @usableFromInline var state: ContiguousArray<UInt32>
    /// Next word of `state` to temper; `n` means the state must be regenerated first.
    @usableFromInline var index: Int

    /// `init_by_array(key)`; `key` must be non-empty (CPython passes `[0]` for seed 0).
    init(key: [UInt32]) {
        precondition(!key.isEmpty, "init_by_array needs at least one key word")
        let n = Self.n
        var mt = ContiguousArray<UInt32>(repeating: 0, count: n)
        // init_genrand(19650218)
        mt[0] = 19_650_218
        for i in 1..<n {
            mt[i] = 1_812_433_253 &* (mt[i - 1] ^ (mt[i - 1] >> 30)) &+ UInt32(truncatingIfNeeded: i)
        }
        var i = 1, j = 0
        for _ in 0..<max(n, key.count) {
            mt[i] = (mt[i] ^ ((mt[i - 1] ^ (mt[i - 1] >> 30)) &* 1_664_525))
                &+ key[j] &+ UInt32(truncatingIfNeeded: j)
            i += 1; j += 1
            if i >= n { mt[0] = mt[n - 1]; i = 1 }
            if j >= key.count { j = 0 }
        }
        for _ in 0..<(n - 1) {
            mt[i] = (mt[i] ^ ((mt[i - 1] ^ (mt[i - 1] >> 30)) &* 1_566_083_941))
                &- UInt32(truncatingIfNeeded: i)
            i += 1
            if i >= n { mt[0] = mt[n - 1]; i = 1 }
        }
        mt[0] = 0x8000_0000  // MSB is 1, assuring a non-zero initial state
        state = mt
        index = n
    }

    /// `genrand_uint32`: the next tempered 32-bit output.
    @inlinable
    mutating func next32() -> UInt32 {
        if index >= Self.n { regenerate() }
        var y = state[index]
        index &+= 1
        y ^= y >> 11
        y ^= (y << 7) & 0x9D2C_5680
        y ^= (y << 15) & 0xEFC6_0000
        y ^= y >> 18
        return y
    }

    /// Refills all 624 words (the "generate N words at one time" block of `genrand_uint32`).
    @usableFromInline
    mutating func regenerate() {
        let n = Self.n, m = Self.m
        state.withUnsafeMutableBufferPointer { mt in
            @inline(__always) func twist(_ upper: UInt32, _ lower: UInt32, _ far: UInt32) -> UInt32 {
                let y = (upper & Self.upperMask) | (lower & Self.lowerMask)
                return far ^ (y >> 1) ^ ((y & 1) == 0 ? 0 : Self.matrixA)
            }
            for k in 0..<(n - m) { mt[k] = twist(mt[k], mt[k + 1], mt[k + m]) }
            for k in (n - m)..<(n - 1) { mt[k] = twist(mt[k], mt[k + 1], mt[k + m - n]) }
            mt[n - 1] = twist(mt[n - 1], mt[0], mt[m - 1])
        }
        index = 0
    }
}
