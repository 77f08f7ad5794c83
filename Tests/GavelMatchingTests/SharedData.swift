import Foundation

/// Where the shared data lives: $GAVEL_DATA, else ../shared/data next to the checkout.
/// Tests that need it fail (never skip) when it is missing.
enum SharedData {
    static var root: String {
        if let env = ProcessInfo.processInfo.environment["GAVEL_DATA"], !env.isEmpty { return env }
        return URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("shared/data").path
    }
    static var rtbFolder: String { root + "/rtb/rlb-dp/ipinyou-data" }
}
