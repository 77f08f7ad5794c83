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
    /// `stdin`: a file to read standard input from (nil: /dev/null).
    static func run(_ arguments: [String], in directory: URL, environment: [String: String]? = nil,
                    stdin: String? = nil, timeout: Double = 300) throws -> Result {
        let exe = try #require(executable, "cannot find the gavel executable next to the test bundle")
        let capture = FileManager.default.temporaryDirectory.appendingPathComponent("gavel-cli-capture-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: capture, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: capture) }
        let outPath = capture.appendingPathComponent("stdout").path, errPath = capture.appendingPathComponent("stderr").path
        let child = try Subprocess.spawn(exe.path, arguments, directory: directory.path, environment: environment,
                                         stdin: stdin, stdout: outPath, stderr: errPath)
        let status = try child.wait(timeout: timeout)
        return Result(status: status.code,
                      stdout: try String(contentsOf: URL(fileURLWithPath: outPath), encoding: .utf8),
                      stderr: try String(contentsOf: URL(fileURLWithPath: errPath), encoding: .utf8))
    }
}

/// A child process started with posix_spawn and reaped with waitpid on its own pid.
///
/// Why not Foundation's `Process`: on Linux its `waitUntilExit()` can miss a
/// child's exit when tests spawn processes from several threads at once (the
/// child stays a zombie and the wait never returns: CI hung there for 90 minutes
/// on `scripts/slurm-local start`). Here every wait has a deadline, after which
/// the child is killed and the test fails instead of hanging.
struct Subprocess {
    struct Exit: Equatable {
        /// Exit status, or 128 + signal number when killed by a signal.
        let code: Int32
        let signal: Int32?
    }
    struct TimedOut: Error, CustomStringConvertible {
        let command: String
        let seconds: Double
        var description: String { "\(command) did not finish within \(seconds) s (killed)" }
    }
    struct SpawnFailed: Error, CustomStringConvertible {
        let command: String
        let errno: Int32
        var description: String { "cannot start \(command): \(String(cString: strerror(errno)))" }
    }

    let pid: pid_t
    let command: String

    /// Starts `executable` (a path, or a name looked up in PATH) with stdin from the given file
    /// and stdout/stderr to the given files (nil: /dev/null). `environment` nil inherits ours.
    static func spawn(_ executable: String, _ arguments: [String], directory: String? = nil,
                      environment: [String: String]? = nil, stdin: String? = nil, stdout: String? = nil, stderr: String? = nil) throws -> Subprocess {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, stdin ?? "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, stdout ?? "/dev/null", O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        posix_spawn_file_actions_addopen(&actions, 2, stderr ?? "/dev/null", O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        let env = (environment ?? ProcessInfo.processInfo.environment).sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }
        var argv = [executable] + arguments
        let display = argv.joined(separator: " ")
        // posix_spawn_file_actions_addchdir_np is not in Swift's Glibc module: change directory through sh.
        if let directory { argv = ["/bin/sh", "-c", "cd -- \"$1\" && shift && exec \"$@\"", "sh", directory] + argv }
        let program = argv[0]
        var cArgs = argv.map { strdup($0) } + [nil]
        var cEnv = env.map { strdup($0) } + [nil]
        defer { cArgs.forEach { free($0) }; cEnv.forEach { free($0) } }
        // The child starts with no blocked signals and default dispositions (the test
        // runner's threads may block or ignore some, and both are inherited across exec).
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var none = sigset_t(), all = sigset_t()
        sigemptyset(&none)
        sigfillset(&all)
        posix_spawnattr_setsigmask(&attributes, &none)
        posix_spawnattr_setsigdefault(&attributes, &all)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
        var pid: pid_t = 0
        let rc = program.contains("/")
            ? posix_spawn(&pid, program, &actions, &attributes, &cArgs, &cEnv)
            : posix_spawnp(&pid, program, &actions, &attributes, &cArgs, &cEnv)
        guard rc == 0 else { throw SpawnFailed(command: display, errno: rc) }
        return Subprocess(pid: pid, command: display)
    }

    /// Waits for the child; past `timeout` seconds it is killed and `TimedOut` thrown.
    func wait(timeout: Double) throws -> Exit {
        let deadline = Date().addingTimeInterval(timeout)
        var status: Int32 = 0
        while true {
            let r = waitpid(pid, &status, WNOHANG)
            if r == pid { break }
            if r < 0 && errno != EINTR { throw SpawnFailed(command: command, errno: errno) }
            if Date() > deadline {
                kill(pid, SIGKILL)
                _ = waitpid(pid, &status, 0)
                throw TimedOut(command: command, seconds: timeout)
            }
            usleep(5_000)
        }
        // Decode the wait status by hand (the WIFEXITED family are C macros).
        let signal = status & 0x7f
        if signal == 0 { return Exit(code: (status >> 8) & 0xff, signal: nil) }
        return Exit(code: 128 + signal, signal: signal)
    }

    /// Starts and waits in one call.
    static func run(_ executable: String, _ arguments: [String], directory: String? = nil, environment: [String: String]? = nil,
                    stdout: String? = nil, stderr: String? = nil, timeout: Double) throws -> Exit {
        try spawn(executable, arguments, directory: directory, environment: environment, stdout: stdout, stderr: stderr).wait(timeout: timeout)
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

    /// Lines in `name` now (0 while it does not exist).
    func lineCount(_ name: String) -> Int {
        (FileManager.default.contents(atPath: path(name)).map { String(decoding: $0, as: UTF8.self) } ?? "").split(separator: "\n").count
    }

    /// Waits until `name` holds at least `lines` lines, or `timeout` seconds have passed
    /// (for stopping a sweep mid-way: the shard file grows one line per finished run).
    func waitForLines(_ name: String, _ lines: Int, timeout: Double = 60) {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline && lineCount(name) < lines { Thread.sleep(forTimeInterval: 0.02) }
    }

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
