import Foundation

/// Axis ticks at 1, 2 or 5 × 10^k (Heckbert, "Nice numbers for graph labels", Graphics Gems, 1990),
/// all printed with the same number of decimals, as few as the step needs.
public struct NiceScale: Sendable, Equatable {
    /// The first tick, a multiple of `step` at or below the data.
    public let lower: Double
    /// The last tick, a multiple of `step` at or above the data.
    public let upper: Double
    /// The tick spacing: 1, 2 or 5 × 10^k.
    public let step: Double
    /// `lower`, `lower + step`, … `upper`.
    public var ticks: [Double] {
        let n = Int(((upper - lower) / step).rounded())
        return (0...n).map { lower + Double($0) * step }
    }

    /// The nice scale covering [low, high] with at most `maxTicks` ticks (≥ 2).
    public init(_ low: Double, _ high: Double, maxTicks: Int = 6) {
        var lo = low.isFinite ? low : 0, hi = high.isFinite ? high : 1
        if lo > hi { swap(&lo, &hi) }
        if lo == hi {   // a flat series: a unit (or 10%) around it
            let pad = lo == 0 ? 1 : abs(lo) * 0.1
            lo -= pad; hi += pad
        }
        let intervals = Double(max(1, maxTicks - 1))
        var step = NiceScale.nice((hi - lo) / intervals)
        // Rounding outward may need one more interval than allowed: take the next nice step.
        // Whole steps outward, forgiving a quotient that rounding put a hair past an integer
        // (0.3333 / 2e-5 = 16664.999…).
        func down(_ x: Double, _ s: Double) -> Double { (x / s + 1e-9).rounded(.down) }
        func up(_ x: Double, _ s: Double) -> Double { (x / s - 1e-9).rounded(.up) }
        while up(hi, step) - down(lo, step) > intervals { step = NiceScale.next(step) }
        self.step = step
        self.lower = down(lo, step) * step
        self.upper = up(hi, step) * step
    }

    /// The smallest of 1, 2, 5 × 10^k at least x.
    static func nice(_ x: Double) -> Double {
        guard x > 0, x.isFinite else { return 1 }
        let p = pow(10, (log10(x)).rounded(.down))
        for m in [1.0, 2, 5, 10] where m * p >= x * (1 - 1e-12) { return m * p }
        return 10 * p
    }

    static func next(_ step: Double) -> Double {
        let p = pow(10, (log10(step)).rounded(.down)), m = (step / p).rounded()
        return m < 2 ? 2 * p : m < 5 ? 5 * p : 10 * p
    }

    /// Tick labels: one number format for the whole axis. Large values take a k/M/G suffix,
    /// tiny values (below 0.01, step below 0.001) scientific notation; otherwise as many decimals
    /// as the step has.
    public func labels() -> [String] {
        let values = ticks
        let top = values.map(abs).max() ?? 0
        if top >= 1e4 {
            let (divisor, suffix): (Double, String) = top >= 1e12 ? (1e12, "T") : top >= 1e9 ? (1e9, "G") : top >= 1e6 ? (1e6, "M") : (1e3, "k")
            let d = NiceScale.decimals(step / divisor)
            return values.map { $0 == 0 ? "0" : NiceScale.format($0 / divisor, d) + suffix }
        }
        if step < 1e-3 && top < 1e-2 {
            let e = Int((log10(step)).rounded(.down))
            let scale = pow(10, Double(e))
            return values.map { $0 == 0 ? "0" : NiceScale.format($0 / scale, 0) + "e" + String(e) }
        }
        let d = NiceScale.decimals(step)
        return values.map { NiceScale.format($0, d) }
    }

    static func decimals(_ step: Double) -> Int { max(0, -Int((log10(step) + 1e-9).rounded(.down))) }

    static func format(_ x: Double, _ decimals: Int) -> String {
        let s = String(format: "%.\(decimals)f", x)
        return s.hasPrefix("-") && Double(s) == 0 ? String(s.dropFirst()) : s   // no "-0.0"
    }
}
