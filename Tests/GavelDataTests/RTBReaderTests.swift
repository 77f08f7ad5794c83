import GavelCore
import Foundation
import Testing
@testable import GavelData
import GavelConfig

/// Writes `text` to a fresh temporary file and returns its path.
func temporaryFile(_ text: String, name: String = "data.txt") throws -> String {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("gavel-data-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    let url = dir.appendingPathComponent(name)
    try Data(text.utf8).write(to: url)
    return url.path
}

@Suite struct RLBReplayFileTests {
    @Test func readsRowsInOrder() throws {
        let path = try temporaryFile("0 23 0.0012\n1 0 0.5\n0 300 1e-3\n")
        let log = try RLBReplayFile.readTheta(path: path)
        #expect(log.clicks == [0, 1, 0])
        #expect(log.prices == [23, 0, 300])
        #expect(log.ctrs == [0.0012, 0.5, 0.001])
        #expect(log.totalPrice == 323)
    }

    @Test(arguments: [
        ("0 23 0.1\n1 5\n", 2, 5, "pCTR", "expected 3 fields"),              // missing column
        ("0 23 0.1\n0 -4 0.2\n", 2, 3, "market_price", "non-negative"),     // negative price
        ("2 23 0.1\n", 1, 1, "click", "0 or 1"),
        ("0 23 abc\n", 1, 6, "pCTR", "probability"),
        ("0 23 1.5\n", 1, 6, "pCTR", "probability"),
        ("0 23 0.1\n\n0 1 0.1\n", 2, 1, "market_price", "expected 3 fields"),  // blank line is not skipped
        ("0 23 0.1 7\n", 1, 10, "row", "found 4"),
    ])
    func badRowsAreErrorsWithPosition(text: String, line: Int, column: Int, field: String, message: String) throws {
        let path = try temporaryFile(text)
        do {
            _ = try RLBReplayFile.readTheta(path: path)
            Issue.record("no error for \(text.debugDescription)")
        } catch let error as InputError {
            #expect(error.line == line)
            #expect(error.column == column)
            #expect(error.field == field)
            #expect(error.message.contains(message))
            #expect(error.description.hasPrefix("\(path):\(line):\(column): field '\(field)'"))
        }
    }

    @Test("An empty log (or one of blank space only) is an error, not a run over nothing", arguments: ["", "\n"])
    func emptyLogIsAnError(text: String) throws {
        let path = try temporaryFile(text)
        #expect { _ = try RLBReplayFile.readTheta(path: path) } throws: { error in
            let e = error as? InputError
            return e?.line == 1 && e?.field == "click" || (e?.message.contains("expected 3 fields") ?? false)
        }
    }

    @Test func missingFileIsAnError() {
        #expect(throws: InputError.self) { try RLBReplayFile.readTheta(path: "/nonexistent/test.theta.txt") }
    }

    @Test func validationFileEpisodes() throws {
        let ok = try temporaryFile("133541\t2\n0\n0\t10\t0.1\n1\t20\t0.2\n1\n0\t30\t0.3\n0\t40\t0.4\n")
        let (log, t) = try RLBReplayFile.readValidation(path: ok)
        #expect(t == 2)
        #expect(log.prices == [10, 20, 30, 40])
        let truncated = try temporaryFile("133541\t2\n0\n0\t10\t0.1\n1\t20\t0.2\n1\n0\t30\t0.3\n")
        #expect { try RLBReplayFile.readValidation(path: truncated) } throws: { error in
            (error as? InputError)?.message.contains("has 1 rows (expected 2)") == true
        }
        let badHeader = try temporaryFile("x\ty\n")
        #expect { try RLBReplayFile.readValidation(path: badHeader) } throws: { error in
            (error as? InputError)?.field == "header" && (error as? InputError)?.line == 1
        }
    }
}

@Suite struct CampaignInfoTests {
    static let valid = #"{"imp_train": 6, "clk_train": 2, "cost_train": 300, "imp_test": 3, "clk_test": 1, "cost_test": 90, "field": 16, "dim": 100, "price_counter_train": [1, 2, 3]}"#

    @Test func readsAndDerives() throws {
        let info = try CampaignInfo.read(path: try temporaryFile(Self.valid, name: "info.json"))
        #expect(info.averageCTR == 2.0 / 6.0)
        #expect(info.costPerImpression == 50)
        #expect(info.costPerClick == 150)
        #expect(info.budget(c0: 0.5, episodeLength: 10) == 250)
    }

    @Test func histogramMustSumToImpressions() throws {
        let bad = Self.valid.replacingOccurrences(of: "[1, 2, 3]", with: "[1, 2, 4]")
        let path = try temporaryFile(bad, name: "info.json")
        #expect { try CampaignInfo.read(path: path) } throws: { error in
            let e = error as? InputError
            return e?.field == "price_counter_train" && e?.message.contains("sums to 7, expected imp_train = 6") == true
        }
    }

    @Test(arguments: [
        (#""imp_train": 6"#, #""imp_train": 0"#, "imp_train"),
        (#""clk_train": 2"#, #""clk_train": "two""#, "clk_train"),
        (#"[1, 2, 3]"#, #"[1, -2, 7]"#, "price_counter_train.1"),
        (#""cost_train": 300, "#, "", "cost_train"),
    ])
    func badFieldsAreNamed(original: String, replacement: String, field: String) throws {
        let path = try temporaryFile(Self.valid.replacingOccurrences(of: original, with: replacement), name: "info.json")
        #expect { try CampaignInfo.read(path: path) } throws: { error in (error as? InputError)?.field == field }
    }
}

@Suite struct IPinYouLogReaderTests {
    static let header = "click\tweekday\thour\tbidid\ttimestamp\tlogtype\tipinyouid\tuseragent\tIP\tregion\tcity\tadexchange\tdomain\turl\turlid\tslotid\tslotwidth\tslotheight\tslotvisibility\tslotformat\tslotprice\tcreative\tbidprice\tpayprice\tkeypage\tadvertiser\tusertag"

    static func row(click: Int, ts: String, pay: Int, adv: String = "1458") -> String {
        "\(click)\t6\t00\tb\(ts)\t\(ts)\t1\tV\twindows_ie\t1.2.3.*\t216\t219\t1\td\tu\tnull\ts\t336\t280\t2\t1\t0\tc\t300\t\(pay)\tk\t\(adv)\t10006,10110"
    }

    @Test func readsColumnsByHeaderAndOrdersByTimestamp() throws {
        let text = [Self.header, Self.row(click: 0, ts: "20130606000104828", pay: 51),
                    Self.row(click: 1, ts: "20130606000001000", pay: 77), Self.row(click: 0, ts: "20130606000002000", pay: 9, adv: "2259")]
            .joined(separator: "\n") + "\n"
        let path = try temporaryFile(text)
        let rows = try IPinYouLogReader.read(path: path)
        #expect(rows.map(\.payPrice) == [51, 77, 9])
        #expect(rows[0].timestamp == 20130606000104828)
        #expect(try IPinYouLogReader.read(path: path, advertiser: "1458").count == 2)
        let byTime = IPinYouLogReader.bidLog(rows, byTimestamp: true, constantCTR: 0.001)
        #expect(byTime.prices == [77, 9, 51])
        #expect(byTime.clicks == [1, 0, 0])
    }

    @Test func wrongFieldCountAndBadValuesAreErrors() throws {
        let short = try temporaryFile(Self.header + "\n" + "0\t6\t00\n")
        #expect { try IPinYouLogReader.read(path: short) } throws: { error in
            let e = error as? InputError
            return e?.line == 2 && e?.message.contains("expected 27 tab-separated fields") == true
        }
        let badPrice = try temporaryFile(Self.header + "\n" + Self.row(click: 0, ts: "20130606000104828", pay: 5).replacingOccurrences(of: "\t300\t5\t", with: "\t300\t-5\t") + "\n")
        #expect { try IPinYouLogReader.read(path: badPrice) } throws: { error in (error as? InputError)?.field == "payprice" }
        let badTime = try temporaryFile(Self.header + "\n" + Self.row(click: 0, ts: "2013060600010x828", pay: 5) + "\n")
        #expect { try IPinYouLogReader.read(path: badTime) } throws: { error in (error as? InputError)?.field == "timestamp" }
        let noHeader = try temporaryFile("a\tb\n")
        #expect { try IPinYouLogReader.read(path: noHeader) } throws: { error in (error as? InputError)?.message.contains("missing column") == true }
    }
}
