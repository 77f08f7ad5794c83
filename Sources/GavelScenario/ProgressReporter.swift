import Foundation
import Synchronization

/// Progress on stderr: a live bar with rate and ETA on a terminal, a plain
/// line every few seconds otherwise (CI logs), nothing when quiet.
public final class ProgressReporter: Sendable {
    /// A live bar (terminal), a plain line every few seconds (logs), or nothing.
    public enum Style: Sendable { case bar, lines, quiet }

    let total: Int
    let unit: String
    let style: Style
    let start = ContinuousClock.now
    let lastDraw = Mutex<ContinuousClock.Instant?>(nil)

    /// A reporter for `total` items of `unit` (`runs` by default).
    public init(total: Int, unit: String = "runs", style: Style) {
        self.total = total
        self.unit = unit
        self.style = style
    }

    /// `.bar` when stderr is a terminal, `.lines` otherwise, `.quiet` if asked.
    public static func defaultStyle(quiet: Bool) -> Style {
        quiet ? .quiet : (isatty(2) != 0 ? .bar : .lines)
    }

    /// Reports `done` items finished (`failures` of them failed); redraws at most every 0.1 s (bar) or 5 s (lines).
    public func update(done: Int, failures: Int = 0) {
        guard style != .quiet else { return }
        let now = ContinuousClock.now
        let interval: Duration = style == .bar ? .milliseconds(100) : .seconds(5)
        let shouldDraw = lastDraw.withLock { last in
            if done < total, let l = last, now - l < interval { return false }
            last = now
            return true
        }
        guard shouldDraw else { return }
        FileHandle.standardError.write(Data(line(done: done, elapsed: (now - start).inSeconds, failures: failures).utf8))
    }

    /// Ends the bar's line.
    public func finish() {
        if style == .bar { FileHandle.standardError.write(Data("\n".utf8)) }
    }

    func line(done: Int, elapsed: Double, failures: Int = 0) -> String {
        let rate = elapsed > 0 ? Double(done) / elapsed : 0
        let eta = rate > 0 ? Double(total - done) / rate : .infinity
        let figures = "\(done)/\(total) \(unit)  \(String(format: "%.1f", rate)) \(unit)/s  ETA \(Self.format(eta))"
            + (failures > 0 ? "  \(failures) failed" : "")
        switch style {
        case .bar:
            let width = 30
            let filled = total > 0 ? width * done / total : width
            return "\r[" + String(repeating: "#", count: filled) + String(repeating: ".", count: width - filled) + "] " + figures + "   "
        case .lines:
            return "progress: " + figures + "\n"
        case .quiet:
            return ""
        }
    }

    static func format(_ seconds: Double) -> String {
        guard seconds.isFinite else { return "--" }
        let s = Int(seconds.rounded())
        return s >= 3600 ? "\(s / 3600)h\(s % 3600 / 60)m" : s >= 60 ? "\(s / 60)m\(s % 60)s" : "\(s)s"
    }
}
