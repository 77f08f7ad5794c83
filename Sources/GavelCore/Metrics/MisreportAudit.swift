/// The truthfulness auditor's core, shared by every family: the largest utility gain a
/// participant gets from any of a set of misreports over reporting the truth.
///
/// A family supplies the utility of a report (the rest of the market held fixed); the figure is
/// the `max_gain_from_misreport` metric. A dominant-strategy truthful mechanism (VCG, second price,
/// Myerson) shows no gain beyond rounding; first price and GSP show gains.
public enum MisreportAudit {
    /// The best misreport found: its gain over the truth (0 when none helps) and how many were tried.
    public struct Finding: Sendable, Equatable {
        /// utility(misreport) − utility(truth), in the family's utility unit; 0 when no misreport helps.
        public var gain: Double
        /// The misreport that gave `gain` (nil when none beat the truth).
        public var misreport: Double?
        /// Misreports evaluated.
        public var tried: Int
        /// A finding given field by field (the defaults: nothing tried yet).
        public init(gain: Double = 0, misreport: Double? = nil, tried: Int = 0) {
            self.gain = gain; self.misreport = misreport; self.tried = tried
        }
    }

    /// The multiples of the true value the families try by default: 0, 0.05, …, 3.
    public static let defaultFactors = (0...60).map { Double($0) / 20 }

    /// Misreports worth trying for a true value `v`: multiples of `v` (`factors`), and each other
    /// participant's report, just below and just above it (×(1 ∓ 1e-6)), where allocations change.
    /// Negative reports and the truth itself are left out; the order is fixed.
    public static func candidates(truth v: Double, factors: [Double], others: [Double]) -> [Double] {
        var reports = factors.map { $0 * v }
        for o in others { reports += [o, o * (1 - 1e-6), o * (1 + 1e-6)] }
        return reports.filter { $0 >= 0 && $0 != v }
    }

    /// The largest `utility(r) − utility(truth)` over `misreports` (first best kept on ties).
    public static func maxGain(truth: Double, misreports: [Double], utility: (Double) throws -> Double) rethrows -> Finding {
        let honest = try utility(truth)
        var best = Finding()
        for r in misreports {
            let u = try utility(r)
            best.tried += 1
            if u - honest > best.gain { best.gain = u - honest; best.misreport = r }
        }
        return best
    }
}
