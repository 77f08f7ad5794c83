import Foundation
import Testing
@testable import GavelReport

/// Expected ticks worked by hand from the rule (step = the smallest 1, 2 or 5 × 10^k at least
/// range / (maxTicks − 1), then the range rounded outward to whole steps; one more nice step
/// when that needs too many intervals).
@Suite("Nice axis scales")
struct NiceScaleTests {
    @Test("Ticks and labels by hand", arguments: [
        // [0, 1], 6 ticks: 1/5 = 0.2.
        (0.0, 1.0, 6, ["0.0", "0.2", "0.4", "0.6", "0.8", "1.0"]),
        // The axis (−8.08 to −0.0131): 8.07/5 = 1.61 → 2; [−10, 0].
        (-8.08, -0.0131, 6, ["-10", "-8", "-6", "-4", "-2", "0"]),
        // Impressions: 150,000/5 = 30,000 → 50,000; k suffix, 0 plain.
        (0.0, 150_000.0, 6, ["0", "50k", "100k", "150k"]),
        // Close values keep their digits: 1e-4/5 = 2e-5.
        (0.3333, 0.3334, 6, ["0.33330", "0.33332", "0.33334", "0.33336", "0.33338", "0.33340"]),
        // A flat series gets ±10%: [4.5, 5.5]; 0.2 steps would need 6 intervals, so 0.5.
        (5.0, 5.0, 6, ["4.5", "5.0", "5.5"]),
        // Tiny values: scientific.
        (0.0, 0.0004, 5, ["0", "1e-4", "2e-4", "3e-4", "4e-4"]),
        // Millions.
        (0.0, 4_800_000.0, 6, ["0", "1M", "2M", "3M", "4M", "5M"]),
    ])
    func ticks(low: Double, high: Double, maxTicks: Int, labels: [String]) {
        let s = NiceScale(low, high, maxTicks: maxTicks)
        #expect(s.labels() == labels, "\(s)")
        #expect(s.ticks.count <= maxTicks)
        #expect(s.lower <= min(low, high) + 1e-9 * s.step && s.upper >= max(low, high) - 1e-9 * s.step)
    }

    @Test("Every step is 1, 2 or 5 × 10^k, on random ranges")
    func steps() {
        var x: UInt64 = 7
        for _ in 0..<2000 {
            x = x &* 6364136223846793005 &+ 1442695040888963407
            let a = Double(Int64(bitPattern: x) % 1_000_000) / 1000
            x = x &* 6364136223846793005 &+ 1442695040888963407
            let b = a + Double(x % 1_000_000 + 1) * pow(10, Double(Int(x >> 60) - 8))
            let s = NiceScale(a, b, maxTicks: 6)
            let mantissa = s.step / pow(10, (log10(s.step)).rounded(.down))
            #expect([1, 2, 5].contains { abs(mantissa - $0) < 1e-9 }, "\(s)")
            // Covering up to rounding (1e-9 of a step).
            #expect(s.ticks.count <= 6 && s.lower <= a + 1e-9 * s.step && s.upper >= b - 1e-9 * s.step, "\(s) for [\(a), \(b)]")
        }
    }

    @Test("Palette: fixed per name in first-seen order, Okabe–Ito, dashes past eight")
    func palette() {
        var p = Palette(["rlb", "lin"])
        p.add("rlb")
        #expect(p.colour("rlb") == "#0072B2" && p.colour("lin") == "#D55E00")
        for i in 0..<8 { p.add("m\(i)") }
        #expect(p.colour("m6") == p.colour("rlb") && p.dash("m6") != p.dash("rlb"))
    }

    @Test("CSV: quoted fields with commas, quotes and newlines survive a round trip")
    func csv() {
        let rows = [["a,b", "say \"hi\"", "x\ny"], ["1", "", "3"]]
        let text = CSVTable.text(header: ["p", "q", "r"], rows: rows)
        #expect(CSVTable.parse(text) == [["p", "q", "r"]] + rows)
    }
}
