/// A source of uniform random bits that the distributions in GavelCore draw from.
///
/// Two families implement it: `Xoshiro256StarStar` (our default, with named
/// sub-streams) and `PythonRandom` (bit-exact CPython `random`, for reproducing
/// papers whose code is Python). Distributions only call `nextUnitDouble()` and
/// `next()`, so a distribution sampled from `PythonRandom` consumes exactly the
/// draws the matching CPython function would.
public protocol RandomStream: RandomNumberGenerator {
    /// A double uniform on [0, 1) with 53 random bits.
    mutating func nextUnitDouble() -> Double
}

/// SplitMix64 (Steele, Lea, Flood 2014): used to seed xoshiro and to mix seeds.
public struct SplitMix64: RandomNumberGenerator, Sendable {
    /// The generator's 64-bit state, advanced by the golden-ratio increment on each `next()`.
    public var state: UInt64
    /// A generator whose state starts at `seed`.
    public init(seed: UInt64) { state = seed }

    /// The next 64-bit output.
    @inlinable
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// One SplitMix64 output for `value`: a cheap bijective 64-bit mixer.
    @inlinable
    public static func mix(_ value: UInt64) -> UInt64 {
        var g = SplitMix64(seed: value)
        return g.next()
    }
}

/// xoshiro256** 1.0 (Blackman & Vigna 2018), seeded through SplitMix64.
///
/// Period 2^256 − 1; passes BigCrush. `stream(named:)` derives an independent
/// generator from the seed and a stream name, so adding a new stream to a model
/// never shifts the draws of an existing one.
public struct Xoshiro256StarStar: RandomStream, Sendable {
    @usableFromInline var s0, s1, s2, s3: UInt64
    /// The seed this generator was created from (kept to derive sub-streams).
    public let seed: UInt64

    /// A generator whose four state words are SplitMix64's first four outputs for `seed`.
    public init(seed: UInt64) {
        self.seed = seed
        var sm = SplitMix64(seed: seed)
        s0 = sm.next(); s1 = sm.next(); s2 = sm.next(); s3 = sm.next()
    }

    /// The next 64-bit output.
    @inlinable
    public mutating func next() -> UInt64 {
        let result = ((s1 &* 5) << 7 | (s1 &* 5) >> 57) &* 9
        let t = s1 << 17
        s2 ^= s0; s3 ^= s1; s1 ^= s2; s0 ^= s3
        s2 ^= t
        s3 = (s3 << 45) | (s3 >> 19)
        return result
    }

    /// Top 53 bits scaled to [0, 1).
    @inlinable
    public mutating func nextUnitDouble() -> Double {
        Double(next() >> 11) * 0x1.0p-53
    }

    /// An independent generator for the named sub-stream of this generator's seed.
    public func stream(named name: String) -> Xoshiro256StarStar {
        Xoshiro256StarStar(seed: Self.derivedSeed(seed, name))
    }

    /// Seed of sub-stream `name` under `seed`: FNV-1a of the UTF-8 name, mixed with the seed.
    public static func derivedSeed(_ seed: UInt64, _ name: String) -> UInt64 {
        SplitMix64.mix(seed ^ SplitMix64.mix(fnv1a64(name)))
    }
}

/// 64-bit FNV-1a of a string's UTF-8 bytes (stable across platforms and runs,
/// unlike `Hasher`, which is randomly seeded per process).
public func fnv1a64(_ text: String) -> UInt64 {
    var h: UInt64 = 0xCBF2_9CE4_8422_2325
    for byte in text.utf8 {
        h ^= UInt64(byte)
        h &*= 0x0000_0100_0000_01B3
    }
    return h
}
