import Foundation
import Testing

/// Runs the built `gavel` executable as a subprocess.
enum Gavel {
    struct Result {
        let status: Int32
        let stdout: String
        let stderr: String
        /// stderr split into lines (a trailing newline does not make an extra empty line).
        var stderrLines: [String] {
            stderr.split(separator: "\n", omittingEmptySubsequences: false).map(String.init).filter { !$0.isEmpty }
        }
    }

    /// The `gavel` binary in the build products folder: next to the test bundle
    /// (Linux: the test executable; macOS: the `.xctest` bundle inside the products folder).
    static let executable: URL? = {
        var folders: [URL] = []
        folders.append(Bundle.main.bundleURL)
        folders.append(Bundle.main.bundleURL.deletingLastPathComponent())
        if let exe = Bundle.main.executableURL { folders.append(exe.deletingLastPathComponent()) }
        if let first = CommandLine.arguments.first {
            folders.append(URL(fileURLWithPath: first).deletingLastPathComponent())
        }
        for bundle in Bundle.allBundles where bundle.bundlePath.hasSuffix(".xctest") {
            folders.append(bundle.bundleURL.deletingLastPathComponent())
        }
        for folder in folders {
            let candidate = folder.appendingPathComponent("gavel")
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: candidate.path, isDirectory: &isDirectory), !isDirectory.boolValue,
               FileManager.default.isExecutableFile(atPath: candidate.path) {
                return candidate
            }
        }
        return nil
    }()

    /// Runs `gavel arguments...` in `directory`, capturing stdout and stderr through files
    /// (no pipe buffer can fill up and block the child).
    static func run(_ arguments: [String], in directory: URL, environment: [String: String]? = nil) throws -> Result {
        let exe = try #require(executable, "cannot find the gavel executable next to the test bundle")
        let capture = FileManager.default.temporaryDirectory.appendingPathComponent("gavel-cli-capture-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: capture, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: capture) }
        let outURL = capture.appendingPathComponent("stdout"), errURL = capture.appendingPathComponent("stderr")
        FileManager.default.createFile(atPath: outURL.path, contents: nil)
        FileManager.default.createFile(atPath: errURL.path, contents: nil)
        let out = try FileHandle(forWritingTo: outURL), err = try FileHandle(forWritingTo: errURL)
        let process = Process()
        process.executableURL = exe
        process.arguments = arguments
        process.currentDirectoryURL = directory
        if let environment { process.environment = environment }
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = out
        process.standardError = err
        try process.run()
        process.waitUntilExit()
        try out.close(); try err.close()
        return Result(status: process.terminationStatus,
                      stdout: try String(contentsOf: outURL, encoding: .utf8),
                      stderr: try String(contentsOf: errURL, encoding: .utf8))
    }
}

/// A temporary working folder for one test.
struct Workspace {
    let root: URL

    init() throws {
        root = FileManager.default.temporaryDirectory.appendingPathComponent("gavel-cli-tests-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
    }

    func remove() { try? FileManager.default.removeItem(at: root) }

    func path(_ name: String) -> String { root.appendingPathComponent(name).path }

    @discardableResult
    func write(_ name: String, _ text: String) throws -> String {
        let url = root.appendingPathComponent(name)
        try Data(text.utf8).write(to: url)
        return url.path
    }

    func read(_ name: String) throws -> Data { try Data(contentsOf: root.appendingPathComponent(name)) }

    func exists(_ name: String) -> Bool { FileManager.default.fileExists(atPath: path(name)) }

    /// Names in `folder` (relative to the root) that look like staging or backup folders.
    func leftovers(in folder: String = "") -> [String] {
        let url = folder.isEmpty ? root : root.appendingPathComponent(folder)
        let names = (try? FileManager.default.contentsOfDirectory(atPath: url.path)) ?? []
        return names.filter { $0.contains(".partial-") || $0.contains(".old-") }
    }
}

/// Scenario text for CLI tests; line numbers matter to the error tests.
enum CLIScenario {
    static let lines = [
        "schema_version: 1",                        // 1
        "name: cli",                                // 2
        "kind: single_item_auction",                // 3
        "seed: 11",                                 // 4
        "replications: 2",                          // 5
        "mechanisms: [first_price, second_price]",  // 6
        "bidders: [2, 3]",                          // 7
        "auctions: 2000",                           // 8
    ]
    static var text: String { lines.joined(separator: "\n") + "\n" }
    static func replacing(line: Int, with replacement: String) -> String {
        var l = lines
        l[line - 1] = replacement
        return l.joined(separator: "\n") + "\n"
    }
}
