import Foundation
import Testing
@testable import GavelScenario
import GavelCore
import GavelConfig

private struct Cfg: Decodable {
    let file: DataFile
    enum CodingKeys: String, CodingKey, CaseIterable { case file }
}

@Suite("DataFile decoding")
struct DataFileTests {
    @Test("A missing file is an error with file:line and field 'file'")
    func missingFile() throws {
        let dir = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let text = "# comment\nfile: nope/trace.csv\n"
        let error = try #require(throws: InputError.self) {
            _ = try YAMLNode.parse(text, file: "data.yaml").decode(Cfg.self, userInfo: [.scenarioDirectory: dir.path])
        }
        #expect(error.field == "file")
        #expect(error.description.hasPrefix("data.yaml:2:7"), "\(error)")
        #expect(error.message.contains("file not found"))
        #expect(error.message.contains(dir.path + "/nope/trace.csv"))
    }

    @Test("An existing relative path resolves against the scenario directory")
    func relativePathResolves() throws {
        let dir = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        try FileManager.default.createDirectory(at: dir.appendingPathComponent("sub"), withIntermediateDirectories: true)
        try Data("x".utf8).write(to: dir.appendingPathComponent("sub/trace.csv"))
        let cfg = try YAMLNode.parse("file: sub/trace.csv\n", file: "data.yaml")
            .decode(Cfg.self, userInfo: [.scenarioDirectory: dir.path])
        #expect(cfg.file.path == dir.path + "/sub/trace.csv")
        #expect(FileManager.default.fileExists(atPath: cfg.file.path))
    }

    @Test("An absolute path is kept as is")
    func absolutePath() throws {
        let dir = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent("t.csv")
        try Data("x".utf8).write(to: file)
        let cfg = try YAMLNode.parse("file: \(file.path)\n", file: "d.yaml")
            .decode(Cfg.self, userInfo: [.scenarioDirectory: "/somewhere/else"])
        #expect(cfg.file.path == file.path)
    }

    @Test("Strictness applies around a DataFile too")
    func strict() throws {
        let error = try #require(throws: InputError.self) {
            _ = try YAMLNode.parse("file: /\nfiel: x\n", file: "d.yaml").decode(Cfg.self)
        }
        #expect(error.location?.line == 2)
        #expect(error.message.contains("did you mean 'file'"))
    }

    /// An empty path resolves to the scenario folder itself, which exists.
    /// (Fails today: DataFile accepts `""` as `<directory>/`.)
    @Test("An empty path is rejected")
    func emptyPath() throws {
        let dir = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let error = try #require(throws: InputError.self) {
            _ = try YAMLNode.parse("file: ''\n", file: "d.yaml").decode(Cfg.self, userInfo: [.scenarioDirectory: dir.path])
        }
        #expect(error.field == "file")
        #expect(error.location?.line == 1)
    }
}
