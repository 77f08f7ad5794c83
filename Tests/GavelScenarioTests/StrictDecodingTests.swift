import Foundation
import Testing
@testable import GavelScenario
import GavelCore
import GavelSingleItem
import GavelConfig

@Suite("Strict decoding: unknown keys, types, domains, header")
struct StrictDecodingTests {
    // MARK: Unknown keys

    @Test("A misspelled key names file:line:col, the key, a hint and the allowed keys")
    func misspelledKey() throws {
        let error = try loadError(Tiny.replacing(line: 8, with: "auctons: 100"), file: "scen.yaml")
        let text = error.description
        #expect(text.contains("scen.yaml:8:"), "\(text)")
        #expect(error.location?.line == 8)
        #expect(text.contains("'auctons'"))
        #expect(text.contains("did you mean 'auctions'"))
        #expect(text.contains("allowed here:"))
        for key in ["schema_version", "name", "kind", "seed", "replications", "description",
                    "mechanisms", "bidders", "auctions", "reserve", "arrival_rate", "bidding_window"] {
            #expect(text.contains(key), "allowed keys should list \(key): \(text)")
        }
        #expect(!text.contains("\n"))
    }

    @Test("A misspelled header key is caught too (header keys are checked with the kind's keys)")
    func misspelledHeaderKey() throws {
        let error = try loadError(Tiny.replacing(line: 5, with: "replicatons: 2"))
        #expect(error.location?.line == 5)
        #expect(error.description.contains("did you mean 'replications'"))
    }

    @Test("A key far from every allowed key gets no hint but still the allowed list")
    func unknownKeyWithoutHint() throws {
        let error = try loadError(Tiny.appending("zzzzzzzz: 1"))
        #expect(error.location?.line == 9)
        #expect(!error.description.contains("did you mean"))
        #expect(error.description.contains("allowed here: schema_version"))
    }

    /// The only nested structures a scenario has are lists; a mapping where a scalar
    /// is expected (`reserve: {low: 0}`) is a type error naming the field.
    @Test("A mapping where a scalar is expected is rejected at its line")
    func nestedMappingRejected() throws {
        let error = try loadError(Tiny.appending("reserve: {low: 0}"))
        #expect(error.field == "reserve")
        #expect(error.location?.line == 9)
        #expect(error.message.contains("a number"))
    }

    /// The error should point at the misspelled key, not at its value: for a
    /// block-style value the value starts on the next line.
    /// (Fails today: NodeDecoder.keyLocation returns the value's location.)
    @Test("An unknown key with a block value is reported at the key's line")
    func unknownKeyWithBlockValueReportedAtKey() throws {
        let error = try loadError(Tiny.appending("bidderz:\n  - 2\n  - 3"))
        #expect(error.description.contains("'bidderz'"))
        #expect(error.location?.line == 9, "expected the key's line 9, got \(String(describing: error.location))")
    }

    // MARK: Types

    @Test("A word where an integer is expected names the field, the line and 'an integer'")
    func wordForInteger() throws {
        let error = try loadError(Tiny.replacing(line: 8, with: "auctions: many"), file: "scen.yaml")
        #expect(error.field == "auctions")
        #expect(error.description.contains("scen.yaml:8:11"))
        #expect(error.description.contains("field 'auctions'"))
        #expect(error.description.contains("an integer"))
        #expect(error.description.contains("'many'"))
    }

    @Test("Quoted numbers are rejected where a number is expected", arguments: [
        (8, "auctions: \"100\"", "auctions", "an integer"),
        (8, "auctions: '100'", "auctions", "an integer"),
        (4, "seed: \"7\"", "seed", "a non-negative integer"),
        (5, "replications: \"2\"", "replications", "an integer"),
    ])
    func quotedNumberRejected(line: Int, text: String, field: String, expectation: String) throws {
        let error = try loadError(Tiny.replacing(line: line, with: text))
        #expect(error.field == field)
        #expect(error.location?.line == line)
        #expect(error.message.contains(expectation), "\(error)")
    }

    @Test("Quoted numbers are rejected for Double fields too")
    func quotedDoubleRejected() throws {
        let error = try loadError(Tiny.appending("reserve: \"0.1\""))
        #expect(error.field == "reserve")
        #expect(error.location?.line == 9)
        #expect(error.message.contains("a number"))
    }

    @Test("Other type errors", arguments: [
        (8, "auctions: 1.5", "auctions", "an integer"),
        (8, "auctions: ~", "auctions", "an integer"),
        (8, "auctions: [1]", "auctions", "an integer"),
        (4, "seed: -1", "seed", "a non-negative integer"),
        (7, "bidders: [2, x]", "bidders.1", "an integer"),
    ])
    func otherTypeErrors(line: Int, text: String, field: String, expectation: String) throws {
        let error = try loadError(Tiny.replacing(line: line, with: text))
        #expect(error.field == field, "\(error)")
        #expect(error.location?.line == line, "\(error)")
        #expect(error.message.contains(expectation), "\(error)")
    }

    @Test("Integers written with an exponent or underscores are accepted")
    func integerForms() throws {
        let a = try load(Tiny.replacing(line: 8, with: "auctions: 1e3"))
        let b = try load(Tiny.replacing(line: 8, with: "auctions: 1_000"))
        let configA = try #require(a.experiment as? SingleItemMarket)
        let configB = try #require(b.experiment as? SingleItemMarket)
        #expect(configA.config.auctions == 1000)
        #expect(configB.config.auctions == 1000)
    }

    /// "Every type error names ... what was expected": an unknown mechanism should list the mechanisms.
    /// (Fails today: the message is Swift's "Cannot initialize Format from invalid String value ...".)
    @Test("An unknown mechanism names the field, its line and the known mechanisms")
    func unknownMechanism() throws {
        let error = try loadError(Tiny.replacing(line: 6, with: "mechanisms: [first_price, third_price]"))
        #expect(error.field == "mechanisms.1")
        #expect(error.location?.line == 6)
        #expect(error.description.contains("third_price"))
        #expect(error.description.contains("first_price") && error.description.contains("second_price"),
                "the message should list the known mechanisms: \(error)")
    }

    /// Messages are one line (`file:line:col: field 'x': ...`), even when the offending value spans lines.
    /// (Fails today: kindDescription and the `found \(value)` texts embed the raw value.)
    @Test("An error about a multi-line value is still one line", arguments: [
        Tiny.replacing(line: 8, with: "auctions: \"many\\nmore\""),
        Tiny.replacing(line: 2, with: "name: \"a\\nb\""),
    ])
    func multiLineValueGivesOneLineError(text: String) throws {
        let error = try loadError(text)
        #expect(!error.description.contains("\n"), "\(error.description)")
    }

    // MARK: Domains

    @Test("Domain errors name the value's line and the expectation", arguments: [
        (8, "auctions: -5", "auctions", "an integer ≥ 1", "-5"),
        (8, "auctions: 0", "auctions", "an integer ≥ 1", "0"),
        (7, "bidders: [2, 0]", "bidders", "bidder counts ≥ 1", "0"),
        (7, "bidders: []", "bidders", "at least one bidder count", ""),
        (7, "bidders: -1", "bidders", "bidder counts ≥ 1", "-1"),
        (5, "replications: 0", "replications", "an integer ≥ 1", "0"),
        (6, "mechanisms: []", "mechanisms", "a non-empty list", ""),
    ])
    func domainErrors(line: Int, text: String, field: String, expectation: String, found: String) throws {
        let error = try loadError(Tiny.replacing(line: line, with: text), file: "d.yaml")
        #expect(error.field == field, "\(error)")
        #expect(error.location?.line == line, "\(error)")
        #expect(error.description.hasPrefix("d.yaml:\(line):"), "\(error)")
        #expect(error.message.contains(expectation), "\(error)")
        if !found.isEmpty { #expect(error.message.contains("found \(found)"), "\(error)") }
    }

    @Test("Optional numeric keys are range-checked", arguments: [
        ("reserve: 1", "reserve", "[0, 1)"),
        ("reserve: -0.1", "reserve", "[0, 1)"),
        ("reserve: .nan", "reserve", "[0, 1)"),
        ("arrival_rate: 0", "arrival_rate", "a finite number > 0"),
        ("arrival_rate: .inf", "arrival_rate", "a finite number > 0"),
        ("bidding_window: -1", "bidding_window", "a finite number > 0"),
    ])
    func optionalRanges(text: String, field: String, expectation: String) throws {
        let error = try loadError(Tiny.appending(text))
        #expect(error.field == field)
        #expect(error.location?.line == 9)
        #expect(error.message.contains(expectation), "\(error)")
    }

    /// Two identical cells would get the same run key and seed (the same run twice),
    /// and summary.csv would fold them into one row with twice the replications.
    /// (Fails today: SingleItemMarket.Config accepts repeated bidder counts and mechanisms.)
    @Test("Repeated bidder counts or mechanisms are rejected", arguments: [
        (7, "bidders: [2, 2]", "bidders"),
        (6, "mechanisms: [first_price, first_price]", "mechanisms"),
    ])
    func duplicateCells(line: Int, text: String, field: String) throws {
        let error = try loadError(Tiny.replacing(line: line, with: text))
        #expect(error.field == field)
        #expect(error.location?.line == line)
    }

    // MARK: Header

    @Test("An unknown kind lists the known kinds")
    func unknownKind() throws {
        let error = try loadError(Tiny.replacing(line: 3, with: "kind: combinatorial"), file: "k.yaml")
        #expect(error.field == "kind")
        #expect(error.description.hasPrefix("k.yaml:3:"))
        #expect(error.message.contains("'combinatorial'"))
        #expect(error.message.contains("single_item_auction"))
    }

    @Test("An unsupported schema version is rejected at its line")
    func schemaVersion() throws {
        let error = try loadError(Tiny.replacing(line: 1, with: "schema_version: 2"))
        #expect(error.field == "schema_version")
        #expect(error.location?.line == 1)
        #expect(error.message.contains("supported schema version (1)"))
        #expect(error.message.contains("found 2"))
    }

    @Test("Names that cannot name a result folder are rejected", arguments: [
        "name: a/b", "name: ..", "name: \"\"", "name: has space", "name: \".\"",
    ])
    func badName(line: String) throws {
        let error = try loadError(Tiny.replacing(line: 2, with: line))
        #expect(error.field == "name")
        #expect(error.location?.line == 2)
        #expect(error.message.contains("letters, digits"))
    }

    @Test("Good names are accepted", arguments: ["run-1", "a_b.c", "Q2"])
    func goodName(name: String) throws {
        #expect(try load(Tiny.replacing(line: 2, with: "name: \(name)")).header.name == name)
    }

    @Test("A missing required key is named", arguments: [
        (8, "auctions"), (7, "bidders"), (3, "kind"), (2, "name"), (1, "schema_version"),
    ])
    func missingRequiredKey(line: Int, key: String) throws {
        var lines = Tiny.lines
        lines.remove(at: line - 1)
        let error = try loadError(lines.joined(separator: "\n") + "\n", file: "m.yaml")
        #expect(error.field == key)
        #expect(error.message.contains("missing required key '\(key)'"))
        #expect(error.description.hasPrefix("m.yaml:"))
    }

    @Test("Header defaults: seed 1, one replication")
    func headerDefaults() throws {
        var lines = Tiny.lines
        lines.removeAll { $0.hasPrefix("seed") || $0.hasPrefix("replications") }
        let s = try load(lines.joined(separator: "\n"))
        #expect(s.header.seed == 1)
        #expect(s.header.replications == 1)
    }

    // MARK: Duplicates

    @Test("A duplicate key is an error naming the key and a line")
    func duplicateKey() throws {
        let error = try loadError(Tiny.appending("auctions: 60"), file: "dup.yaml")
        #expect(error.description.hasPrefix("dup.yaml:"))
        #expect(error.message.contains("duplicate"))
        #expect(error.message.contains("auctions"))
        #expect([8, 9].contains(error.location?.line ?? 0))
        #expect(!error.description.contains("\n"))
    }

    /// The second occurrence is the mistake (and YAMLNode.convert's own check reports it there),
    /// but Yams detects duplicates first and reports the first occurrence's mark.
    /// (Fails today: the error points at line 8.)
    @Test("A duplicate key is reported at the duplicate (second) occurrence")
    func duplicateKeyAtSecondOccurrence() throws {
        let error = try loadError(Tiny.appending("auctions: 60"), file: "dup.yaml")
        #expect(error.location?.line == 9, "expected the duplicate's line 9, got \(String(describing: error.location))")
    }

    @Test("A duplicate key inside a JSON object is an error too")
    func duplicateKeyJSON() throws {
        let json = Tiny.json.replacingOccurrences(of: "\"auctions\": 50", with: "\"auctions\": 50, \"auctions\": 60")
        let error = try loadError(json, file: "dup.json")
        #expect(error.message.contains("duplicate"))
        #expect(error.message.contains("auctions"))
        #expect(error.location != nil && error.location!.line > 0)
    }
}
