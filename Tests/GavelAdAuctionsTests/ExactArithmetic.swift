import Foundation

/// Exact arithmetic for test oracles (issue 21): integers of any size and dyadic numbers m·2^e,
/// which hold every double and every sum and product of doubles exactly. Written for the tests;
/// nothing in the library uses it.
struct BigInt: Equatable, CustomStringConvertible {
    /// Magnitude, 32-bit limbs, least significant first, no trailing zero limbs (zero is []).
    var limbs: [UInt32]
    var negative: Bool

    static let zero = BigInt(limbs: [], negative: false)

    init(limbs: [UInt32], negative: Bool) {
        var l = limbs
        while l.last == 0 { l.removeLast() }
        self.limbs = l
        self.negative = l.isEmpty ? false : negative
    }

    init(_ x: UInt64, negative: Bool = false) {
        self.init(limbs: [UInt32(truncatingIfNeeded: x), UInt32(truncatingIfNeeded: x >> 32)], negative: negative)
    }

    var isZero: Bool { limbs.isEmpty }
    var bitWidth: Int { limbs.isEmpty ? 0 : 32 * (limbs.count - 1) + (32 - limbs.last!.leadingZeroBitCount) }

    static func compareMagnitude(_ a: [UInt32], _ b: [UInt32]) -> Int {
        if a.count != b.count { return a.count < b.count ? -1 : 1 }
        for k in stride(from: a.count - 1, through: 0, by: -1) where a[k] != b[k] { return a[k] < b[k] ? -1 : 1 }
        return 0
    }

    static func addMagnitude(_ a: [UInt32], _ b: [UInt32]) -> [UInt32] {
        var out = [UInt32](repeating: 0, count: max(a.count, b.count) + 1)
        var carry: UInt64 = 0
        for k in 0..<out.count {
            let s = UInt64(k < a.count ? a[k] : 0) + UInt64(k < b.count ? b[k] : 0) + carry
            out[k] = UInt32(truncatingIfNeeded: s); carry = s >> 32
        }
        return out
    }

    /// a − b for |a| ≥ |b|.
    static func subtractMagnitude(_ a: [UInt32], _ b: [UInt32]) -> [UInt32] {
        var out = a
        var borrow: Int64 = 0
        for k in 0..<out.count {
            var d = Int64(a[k]) - Int64(k < b.count ? b[k] : 0) - borrow
            borrow = 0
            if d < 0 { d += 1 << 32; borrow = 1 }
            out[k] = UInt32(d)
        }
        return out
    }

    static func + (a: BigInt, b: BigInt) -> BigInt {
        if a.negative == b.negative { return BigInt(limbs: addMagnitude(a.limbs, b.limbs), negative: a.negative) }
        let c = compareMagnitude(a.limbs, b.limbs)
        if c == 0 { return .zero }
        return c > 0 ? BigInt(limbs: subtractMagnitude(a.limbs, b.limbs), negative: a.negative)
            : BigInt(limbs: subtractMagnitude(b.limbs, a.limbs), negative: b.negative)
    }

    static prefix func - (a: BigInt) -> BigInt { BigInt(limbs: a.limbs, negative: !a.negative) }
    static func - (a: BigInt, b: BigInt) -> BigInt { a + (-b) }

    static func * (a: BigInt, b: BigInt) -> BigInt {
        if a.isZero || b.isZero { return .zero }
        var out = [UInt32](repeating: 0, count: a.limbs.count + b.limbs.count)
        for i in 0..<a.limbs.count {
            var carry: UInt64 = 0
            for j in 0..<b.limbs.count {
                let t = UInt64(a.limbs[i]) * UInt64(b.limbs[j]) + UInt64(out[i + j]) + carry
                out[i + j] = UInt32(truncatingIfNeeded: t); carry = t >> 32
            }
            var k = i + b.limbs.count
            while carry != 0 {
                let t = UInt64(out[k]) + carry
                out[k] = UInt32(truncatingIfNeeded: t); carry = t >> 32; k += 1
            }
        }
        return BigInt(limbs: out, negative: a.negative != b.negative)
    }

    /// self · 2^bits, bits ≥ 0.
    func shifted(by bits: Int) -> BigInt {
        if isZero || bits == 0 { return self }
        let whole = bits / 32, part = bits % 32
        var out = [UInt32](repeating: 0, count: whole) + limbs + [0]
        if part > 0 {
            var carry: UInt32 = 0
            for k in whole..<out.count {
                let v = out[k]
                out[k] = (v << UInt32(part)) | carry
                carry = v >> UInt32(32 - part)
            }
        }
        return BigInt(limbs: out, negative: negative)
    }

    /// (m, e) with |self| ≈ m·2^e, m < 2^64 the leading bits (truncated).
    var leading: (mantissa: UInt64, exponent: Int) {
        let w = bitWidth
        if w <= 64 {
            var m: UInt64 = 0
            for k in stride(from: limbs.count - 1, through: 0, by: -1) { m = m << 32 | UInt64(limbs[k]) }
            return (m, 0)
        }
        let drop = w - 64
        var m: UInt64 = 0
        for bit in stride(from: w - 1, through: drop, by: -1) {
            let limb = limbs[bit / 32]
            m = m << 1 | UInt64((limb >> UInt32(bit % 32)) & 1)
        }
        return (m, drop)
    }

    var description: String { (negative ? "-" : "") + "0x" + limbs.reversed().map { String($0, radix: 16) }.joined(separator: "_") }
}

/// m · 2^e, exact.
struct Dyadic: CustomStringConvertible {
    var mantissa: BigInt
    var exponent: Int

    static let zero = Dyadic(mantissa: .zero, exponent: 0)
    static let one = Dyadic(mantissa: BigInt(1), exponent: 0)

    init(mantissa: BigInt, exponent: Int) { self.mantissa = mantissa; self.exponent = exponent }

    /// The double's exact value.
    init(_ x: Double) {
        precondition(x.isFinite)
        if x == 0 { self = .zero; return }
        // x = significandBitPattern-based integer · 2^(exponent − 52) (subnormals included).
        let bits = x.significandBitPattern | (x.isNormal ? 1 << 52 : 0)
        let e = x.isNormal ? Int(x.exponent) - 52 : -1074
        self.init(mantissa: BigInt(bits, negative: x < 0), exponent: e)
    }

    static func + (a: Dyadic, b: Dyadic) -> Dyadic {
        if a.mantissa.isZero { return b }
        if b.mantissa.isZero { return a }
        let e = min(a.exponent, b.exponent)
        return Dyadic(mantissa: a.mantissa.shifted(by: a.exponent - e) + b.mantissa.shifted(by: b.exponent - e), exponent: e)
    }
    static prefix func - (a: Dyadic) -> Dyadic { Dyadic(mantissa: -a.mantissa, exponent: a.exponent) }
    static func - (a: Dyadic, b: Dyadic) -> Dyadic { a + (-b) }
    static func * (a: Dyadic, b: Dyadic) -> Dyadic { Dyadic(mantissa: a.mantissa * b.mantissa, exponent: a.exponent + b.exponent) }

    /// −1, 0 or 1 as a < b, a = b, a > b.
    static func compare(_ a: Dyadic, _ b: Dyadic) -> Int {
        let d = a - b
        return d.mantissa.isZero ? 0 : d.mantissa.negative ? -1 : 1
    }

    var description: String { "\(mantissa)·2^\(exponent)" }
}

/// num / den with den > 0, exact.
struct ExactFraction {
    var num: Dyadic
    var den: Dyadic

    static func compare(_ a: ExactFraction, _ b: ExactFraction) -> Int { Dyadic.compare(a.num * b.den, b.num * a.den) }
    static func - (a: ExactFraction, b: ExactFraction) -> ExactFraction {
        ExactFraction(num: a.num * b.den - b.num * a.den, den: a.den * b.den)
    }

    /// The nearest double up to two roundings (about 2e-16 relative).
    var approximate: Double {
        if num.mantissa.isZero { return 0 }
        let n = num.mantissa.leading, d = den.mantissa.leading
        let ratio = Double(n.mantissa) / Double(d.mantissa)
        let e = n.exponent + num.exponent - d.exponent - den.exponent
        let v = ratio * pow(2, Double(e))
        return num.mantissa.negative != den.mantissa.negative ? -v : v
    }
}
