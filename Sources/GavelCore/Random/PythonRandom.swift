import Foundation

/// Bit-exact CPython 3.11 `random.Random`: the same seed gives the same draws as
/// Python, call for call, so simulations from Python papers can be reproduced.
///
/// Mirrors Lib/random.py (3.11) on top of Modules/_randommodule.c. Integer
/// methods use `_randbelow_with_getrandbits`, which is what `random.Random`
/// itself uses. Precondition failures are programming errors (e.g. a negative
/// bit count); inputs for which Python raises `ValueError`/`IndexError` throw a
/// an `InputError` instead.
///
/// As a `RandomNumberGenerator`, `next()` is `getrandbits(64)`: the first
/// 32-bit MT output is the low word, the second the high word.
public struct PythonRandom: RandomStream, Sendable {
    @usableFromInline var core: MersenneTwister19937
    /// `gauss_next`: the second value of the last Box–Muller pair, if unused.
    @usableFromInline var gaussNext: Double?

    /// `random.Random(seed)` for an `int` seed. Like CPython, the sign is
    /// dropped: `-7` and `7` seed the same stream.
    public init(seed: Int) {
        let magnitude = seed.magnitude
        self.init(seedWords: [UInt32(truncatingIfNeeded: magnitude), UInt32(truncatingIfNeeded: magnitude >> 32)])
    }

    /// `random.Random(n)` for an arbitrarily large non-negative `n` given as
    /// little-endian 32-bit words (`seedWords[0]` is the least significant).
    /// High zero words are ignored, as in `random_seed`, and `[]` means 0.
    public init(seedWords: [UInt32]) {
        var key = seedWords
        while key.count > 1, key.last == 0 { key.removeLast() }
        if key.isEmpty { key = [0] }
        core = MersenneTwister19937(key: key)
        gaussNext = nil
    }

    // MARK: Bits and doubles

    /// `random()`: 53 random bits from two outputs (`genrand_res53`).
    @inlinable
    public mutating func random() -> Double {
        let a = core.next32() >> 5, b = core.next32() >> 6
        return (Double(a) * 67_108_864.0 + Double(b)) * (1.0 / 9_007_199_254_740_992.0)
    }

    /// Same as ``random()``: CPython's 53-bit `random()`, two 32-bit words.
    @inlinable
    public mutating func nextUnitDouble() -> Double { random() }

    /// `getrandbits(64)`; see the type's documentation for the word order.
    @inlinable
    public mutating func next() -> UInt64 { getrandbits(64) }

    /// `getrandbits(k)` for `0 ≤ k ≤ 64`. A partial 32-bit word keeps the *top*
    /// bits of its MT output (`genrand_uint32() >> (32 - k)`).
    @inlinable
    public mutating func getrandbits(_ k: Int) -> UInt64 {
        precondition((0...64).contains(k), "getrandbits(_:) takes 0...64 bits; use getrandbitsWords(_:) for more")
        if k == 0 { return 0 }
        if k <= 32 { return UInt64(core.next32() >> UInt32(32 - k)) }
        let low = UInt64(core.next32())
        let high = UInt64(core.next32() >> UInt32(64 - k))
        return low | high << 32
    }

    /// `getrandbits(k)` for any `k ≥ 0`, as `⌈k/32⌉` little-endian 32-bit words
    /// (word 0 is the least significant and the first drawn; the last word keeps
    /// the top `k mod 32` bits of its output when `k` is not a multiple of 32).
    public mutating func getrandbitsWords(_ k: Int) -> [UInt32] {
        precondition(k >= 0, "getrandbitsWords(_:) needs a non-negative bit count")
        var words: [UInt32] = []
        words.reserveCapacity((k + 31) / 32)
        var remaining = k
        while remaining > 0 {
            let word = core.next32()
            words.append(remaining < 32 ? word >> UInt32(32 - remaining) : word)
            remaining -= 32
        }
        return words
    }

    /// `_randbelow_with_getrandbits(n)`: uniform on `0..<n` by drawing
    /// `n.bit_length()` bits until the value falls below `n`. Requires `n > 0`.
    @inlinable
    public mutating func randbelow(_ n: UInt64) -> UInt64 {
        precondition(n > 0, "randbelow(_:) needs n > 0")
        let k = UInt64.bitWidth - n.leadingZeroBitCount
        var r = getrandbits(k)
        while r >= n { r = getrandbits(k) }
        return r
    }

    /// `_randbelow(2**64)`: 65-bit draws until the top bit is clear.
    mutating func randbelowTwoToThe64() -> UInt64 {
        while true {
            let words = getrandbitsWords(65)
            if words[2] == 0 { return UInt64(words[0]) | UInt64(words[1]) << 32 }
        }
    }

    // MARK: Integers

    /// `randrange(stop)`: uniform on `0..<stop`; throws when `stop ≤ 0`.
    public mutating func randrange(_ stop: Int) throws(InputError) -> Int {
        guard stop > 0 else { throw .emptyRange(start: 0, stop: stop, step: 1) }
        return Int(randbelow(UInt64(stop)))
    }

    /// `randrange(start, stop, step)`: uniform on `stride(from: start, to: stop, by: step)`.
    ///
    /// Throws `.zeroStep` for `step == 0` and `.emptyRange` when the range has
    /// no elements, exactly where CPython 3.11 raises `ValueError`. Works for the
    /// whole `Int` range (widths up to 2^64 − 1) without overflow.
    public mutating func randrange(_ start: Int, _ stop: Int, _ step: Int = 1) throws(InputError) -> Int {
        // Count of elements, computed in UInt64 so that e.g. Int.min..<Int.max fits.
        let count: UInt64
        if step > 0 {
            guard stop > start else { throw .emptyRange(start: start, stop: stop, step: step) }
            let width = UInt64(bitPattern: Int64(stop &- start))
            count = step == 1 ? width : (width - 1) / UInt64(step) + 1
        } else if step < 0 {
            guard stop < start else { throw .emptyRange(start: start, stop: stop, step: step) }
            let width = UInt64(bitPattern: Int64(start &- stop))
            count = (width - 1) / UInt64(step.magnitude) + 1
        } else {
            throw .zeroStep
        }
        let r = randbelow(count)
        // start + step * r lies in the range, so wrapping arithmetic is exact.
        return Int(bitPattern: UInt(bitPattern: start) &+ UInt(bitPattern: step) &* UInt(r))
    }

    /// `randint(a, b)` = `randrange(a, b + 1)`: uniform on `a...b`; throws when `a > b`.
    public mutating func randint(_ a: Int, _ b: Int) throws(InputError) -> Int {
        guard a <= b else { throw .emptyRange(start: a, stop: b, step: 1) }
        if b < Int.max { return try randrange(a, b + 1) }
        let width = UInt64(bitPattern: Int64(b &- a)) &+ 1  // 0 means 2^64 (a == Int.min)
        let r = width == 0 ? randbelowTwoToThe64() : randbelow(width)
        return Int(bitPattern: UInt(bitPattern: a) &+ UInt(r))
    }

    // MARK: Sequences

    /// `choice(seq)`: `seq[_randbelow(len(seq))]`; throws `.emptySequence` if empty.
    public mutating func choice<C: Collection>(_ collection: C) throws(InputError) -> C.Element {
        guard !collection.isEmpty else { throw .emptySequence }
        let offset = Int(randbelow(UInt64(collection.count)))
        return collection[collection.index(collection.startIndex, offsetBy: offset)]
    }

    /// `shuffle(x)`: Fisher–Yates from the back, `j = _randbelow(i + 1)` for i = len−1 … 1.
    public mutating func shuffle<C: MutableCollection & RandomAccessCollection>(_ collection: inout C) {
        let count = collection.count
        guard count > 1 else { return }
        for i in stride(from: count - 1, through: 1, by: -1) {
            let j = Int(randbelow(UInt64(i + 1)))
            collection.swapAt(collection.index(collection.startIndex, offsetBy: i),
                              collection.index(collection.startIndex, offsetBy: j))
        }
    }

    /// `sample(population, k)`: `k` distinct positions, in selection order.
    ///
    /// Follows CPython 3.11 branch for branch: a partial Fisher–Yates over a
    /// copied pool when the population is small relative to `k`, otherwise
    /// repeated `_randbelow(n)` with rejection of already-selected positions.
    /// Throws `.sampleSizeOutOfRange` unless `0 ≤ k ≤ population.count`.
    public mutating func sample<C: RandomAccessCollection>(
        _ population: C, count k: Int
    ) throws(InputError) -> [C.Element] {
        let n = population.count
        guard 0 <= k, k <= n else { throw .sampleSizeOutOfRange(k: k, populationCount: n) }
        var result: [C.Element] = []
        result.reserveCapacity(k)
        if Self.sampleUsesPool(populationCount: n, k: k) {
            var pool = Array(population)
            for i in 0..<k {
                let j = Int(randbelow(UInt64(n - i)))
                result.append(pool[j])
                pool[j] = pool[n - i - 1]  // move the non-selected item into the vacancy
            }
        } else {
            var selected = Set<Int>(minimumCapacity: k)
            for _ in 0..<k {
                var j = Int(randbelow(UInt64(n)))
                while selected.contains(j) { j = Int(randbelow(UInt64(n))) }
                selected.insert(j)
                result.append(population[population.index(population.startIndex, offsetBy: j)])
            }
        }
        return result
    }

    /// CPython's choice between `sample`'s branches: `setsize = 21`, plus
    /// `4 ** ceil(log(3k, 4))` when `k > 5`; the pool branch runs iff `n <= setsize`.
    /// The logarithm is computed in floating point as `math.log(x, 4)` does.
    static func sampleUsesPool(populationCount n: Int, k: Int) -> Bool {
        var setsize = 21
        if k > 5 {
            let exponent = (log(Double(k) * 3) / log(4.0)).rounded(.up)
            if exponent >= 31 { return true }  // 4**31 > Int.max >= n
            setsize += 1 << (2 * Int(exponent))
        }
        return n <= setsize
    }

    // MARK: Real-valued distributions

    /// `uniform(a, b)` = `a + (b - a) * random()`.
    @inlinable
    public mutating func uniform(_ a: Double, _ b: Double) -> Double {
        a + (b - a) * random()
    }

    /// `expovariate(lambd)` = `-log(1 - random()) / lambd` (negative `lambd` gives negative values, as in Python).
    @inlinable
    public mutating func expovariate(_ lambd: Double) -> Double {
        -log(1.0 - random()) / lambd
    }

    /// `normalvariate(mu, sigma)`: Kinderman–Monahan ratio of uniforms, two `random()` per attempt.
    @inlinable
    public mutating func normalvariate(_ mu: Double = 0, _ sigma: Double = 1) -> Double {
        mu + kindermanMonahanStandardNormal(&self) * sigma
    }

    /// `gauss(mu, sigma)`: Box–Muller; every other call returns the cached second
    /// value of the pair (`gauss_next`) without drawing. Uses the platform's
    /// `cos`/`sin`/`log`, as CPython does, so it is bit-exact on the same libm.
    public mutating func gauss(_ mu: Double = 0, _ sigma: Double = 1) -> Double {
        var z: Double
        if let cached = gaussNext {
            z = cached
            gaussNext = nil
        } else {
            let x2pi = random() * (2.0 * Double.pi)
            let g2rad = (-2.0 * log(1.0 - random())).squareRoot()
            z = cos(x2pi) * g2rad
            gaussNext = sin(x2pi) * g2rad
        }
        return mu + z * sigma
    }
}

/// The inputs for which CPython raises `ValueError` (or `IndexError` for `choice`), with
/// CPython's meaning in Gavel's words.
extension InputError {
    /// `randrange`/`randint` over a range with no elements.
    public static func emptyRange(start: Int, stop: Int, step: Int) -> InputError {
        InputError("empty range for randrange() (\(start), \(stop), \(step))")
    }
    /// `randrange` with `step == 0`.
    public static let zeroStep = InputError("zero step for randrange()")
    /// `choice` on an empty collection.
    public static let emptySequence = InputError("cannot choose from an empty sequence")
    /// `sample` with `k < 0` or `k > population.count`.
    public static func sampleSizeOutOfRange(k: Int, populationCount n: Int) -> InputError {
        InputError("sample size \(k) is negative or larger than the population (\(n))")
    }
}
