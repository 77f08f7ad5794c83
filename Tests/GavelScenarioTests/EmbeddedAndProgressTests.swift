import Foundation
import Testing
@testable import GavelScenario
import GavelCore

@Suite("Embedded quickstart")
struct EmbeddedScenarioTests {
    static let repoRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// (Fails today: Scenarios/quickstart.yaml ends with an extra blank line, "0.5\n\n",
    /// while the embedded literal ends "0.5\n".)
    @Test("The embedded quickstart equals Scenarios/quickstart.yaml byte for byte")
    func quickstartMatchesFile() throws {
        let file = Self.repoRoot.appendingPathComponent("Scenarios/quickstart.yaml")
        let data = try Data(contentsOf: file)
        #expect(data == Data(EmbeddedScenarios.quickstart.utf8))
    }

    @Test("The embedded quickstart loads and plans 2 × 4 × 10 runs")
    func quickstartLoads() throws {
        let s = try Scenario.load(text: EmbeddedScenarios.quickstart, file: EmbeddedScenarios.quickstartName,
                                  directory: "/tmp", environment: [:])
        #expect(s.header.name == "quickstart")
        #expect(s.header.seed == 42)
        #expect(RunPlanner.plan(s).count == 80)
        #expect(s.source == "<embedded quickstart>")
    }
}

@Suite("Progress lines")
struct ProgressReporterTests {
    @Test("Bar style: 30-wide bar, counts, rate and ETA, redrawn with a carriage return")
    func bar() {
        let p = ProgressReporter(total: 10, style: .bar)
        #expect(p.line(done: 5, elapsed: 2) == "\r[###############...............] 5/10 runs  2.5 runs/s  ETA 2s   ")
        #expect(p.line(done: 10, elapsed: 4) == "\r[##############################] 10/10 runs  2.5 runs/s  ETA 0s   ")
        #expect(p.line(done: 0, elapsed: 0) == "\r[..............................] 0/10 runs  0.0 runs/s  ETA --   ")
    }

    @Test("Lines style: one newline-terminated line, custom unit")
    func lines() {
        let p = ProgressReporter(total: 200, unit: "cells", style: .lines)
        #expect(p.line(done: 50, elapsed: 10) == "progress: 50/200 cells  5.0 cells/s  ETA 30s\n")
        #expect(ProgressReporter(total: 3, style: .quiet).line(done: 1, elapsed: 1) == "")
    }

    @Test("ETA formatting", arguments: [
        (0.0, "0s"), (59.4, "59s"), (59.6, "1m0s"), (61, "1m1s"), (3599, "59m59s"), (3600, "1h0m"), (3725, "1h2m"),
        (Double.infinity, "--"), (Double.nan, "--"),
    ])
    func eta(seconds: Double, text: String) {
        #expect(ProgressReporter.format(seconds) == text)
    }

    @Test("Quiet style is chosen when asked")
    func quietDefault() {
        #expect(ProgressReporter.defaultStyle(quiet: true) == .quiet)
    }
}

@Suite("JSONValue serialisation")
struct JSONValueTests {
    @Test("Object keys keep the given order; non-finite doubles are null")
    func orderAndNaN() {
        let v = JSONValue.object([("z", .int(1)), ("a", .double(.nan)), ("m", .array([.double(.infinity), .double(-.infinity), .double(0.1)]))])
        #expect(v.serialized() == #"{"z":1,"a":null,"m":[null,null,0.1]}"#)
    }

    @Test("Strings are escaped")
    func escaping() {
        #expect(JSONValue.string("a\"b\\c\nd\te\u{1}").serialized() == #""a\"b\\c\nd\te\u0001""#)
    }

    @Test("Pretty form indents with two spaces and round-trips through JSONSerialization")
    func pretty() throws {
        let v = JSONValue.object([("a", .array([.int(1), .bool(true), .null])), ("b", .object([])), ("c", .array([]))])
        #expect(v.prettySerialized() == "{\n  \"a\": [\n    1,\n    true,\n    null\n  ],\n  \"b\": {},\n  \"c\": []\n}")
        #expect(try JSONSerialization.jsonObject(with: Data(v.prettySerialized().utf8)) is [String: Any])
    }

    @Test("Doubles print in shortest round-trip form; CSV spells non-finite values")
    func numbers() {
        #expect(NumberFormat.json(0.1) == "0.1")
        #expect(Double(NumberFormat.json(1.0 / 3)) == 1.0 / 3)
        #expect(NumberFormat.csv(.nan) == "nan")
        #expect(NumberFormat.csv(-.infinity) == "-inf")
        #expect(NumberFormat.csv(.infinity) == "inf")
    }
}
