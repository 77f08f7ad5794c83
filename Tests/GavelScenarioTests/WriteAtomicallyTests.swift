import Foundation
import Testing
@testable import GavelScenario
import GavelCore

@Suite("ResultFiles.writeAtomically")
struct WriteAtomicallyTests {
    @Test("Writes every file into a new folder (creating missing parents) and leaves no staging folder")
    func newFolder() throws {
        let root = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: root) }
        let target = root.appendingPathComponent("a/b/results")
        try ResultFiles.writeAtomically([("x.csv", "1,2\n"), ("y.jsonl", "{}\n")], to: target.path)
        #expect(contentsOfDirectory(target) == ["x.csv", "y.jsonl"])
        #expect(try String(contentsOf: target.appendingPathComponent("x.csv"), encoding: .utf8) == "1,2\n")
        #expect(contentsOfDirectory(target.deletingLastPathComponent()) == ["results"])
    }

    @Test("Replaces an existing folder's files entirely")
    func replaces() throws {
        let root = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: root) }
        let target = root.appendingPathComponent("out")
        try ResultFiles.writeAtomically([("x.csv", "old\n"), ("stale.txt", "stale\n"), ("manifest.json", "{}\n")], to: target.path)
        try ResultFiles.writeAtomically([("x.csv", "new\n"), ("manifest.json", "{}\n")], to: target.path)
        #expect(contentsOfDirectory(target) == ["manifest.json", "x.csv"])
        #expect(try String(contentsOf: target.appendingPathComponent("x.csv"), encoding: .utf8) == "new\n")
        #expect(contentsOfDirectory(root) == ["out"])
    }

    @Test("A parent that is a regular file: throws, and leaves no .partial- folder")
    func parentIsAFile() throws {
        let root = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: root) }
        let blocker = root.appendingPathComponent("blocker")
        try Data("not a folder".utf8).write(to: blocker)
        let target = blocker.appendingPathComponent("sub/out")
        let error = try #require(throws: (any Error).self) {
            try ResultFiles.writeAtomically([("x.csv", "1\n")], to: target.path)
        }
        #expect("\(error)".contains("cannot create the output folder"))
        #expect(!"\(error)".contains("\n"))
        #expect(contentsOfDirectory(root) == ["blocker"])
        #expect(try String(contentsOf: blocker, encoding: .utf8) == "not a folder")
    }

    @Test("A failure while writing a file keeps the previous complete folder and removes the staging folder")
    func failureKeepsOldResults() throws {
        let root = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: root) }
        let target = root.appendingPathComponent("out")
        try ResultFiles.writeAtomically([("x.csv", "old\n")], to: target.path)
        // A file name with a folder that does not exist inside the staging folder cannot be written.
        #expect(throws: (any Error).self) {
            try ResultFiles.writeAtomically([("x.csv", "new\n"), ("missing/y.csv", "y\n")], to: target.path)
        }
        #expect(contentsOfDirectory(root) == ["out"])
        #expect(try String(contentsOf: target.appendingPathComponent("x.csv"), encoding: .utf8) == "old\n")
    }

    /// "An older complete one is replaced": the target may be an earlier result folder,
    /// but a regular file in its place is the user's data, not results.
    /// (Fails today: writeAtomically moves the file aside and deletes it, then puts the folder there.)
    @Test("An existing regular file at the target is not deleted")
    func regularFileAtTargetKept() throws {
        let root = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: root) }
        let target = root.appendingPathComponent("notes.txt")
        try Data("precious".utf8).write(to: target)
        #expect(throws: (any Error).self) {
            try ResultFiles.writeAtomically([("x.csv", "1\n")], to: target.path)
        }
        var isDirectory: ObjCBool = false
        #expect(FileManager.default.fileExists(atPath: target.path, isDirectory: &isDirectory) && !isDirectory.boolValue)
        #expect((try? String(contentsOf: target, encoding: .utf8)) == "precious")
        #expect(contentsOfDirectory(root) == ["notes.txt"])
    }
}
