import Testing
@testable import GavelCore

@Suite struct SHA256Tests {
    // FIPS 180-4 examples (and the empty string).
    @Test(arguments: [
        ("", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
        ("abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
        ("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
         "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"),
    ])
    func knownDigests(input: String, digest: String) {
        #expect(SHA256.hex(input) == digest)
    }

    @Test func millionAsSpansManyBlocks() {
        #expect(SHA256.hex(String(repeating: "a", count: 1_000_000))
                == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
    }

    /// The blocks through the CPU's SHA extensions (where it has them) and through the Swift rounds give one digest.
    @Test func extensionsAndSwiftRoundsAgree() {
        var state: UInt64 = 0x9e37_79b9_7f4a_7c15
        for length in [0, 1, 55, 56, 63, 64, 65, 127, 128, 1000, 4099] {
            let bytes = (0..<length).map { _ -> UInt8 in
                state = state &* 6364136223846793005 &+ 1442695040888963407
                return UInt8(truncatingIfNeeded: state >> 56)
            }
            var fast = SHA256(), swift = SHA256(extensions: false)
            fast.update(bytes)
            swift.update(bytes)
            #expect(fast.finalize() == swift.finalize(), "length \(length)")
        }
        var abc = SHA256(extensions: false)
        abc.update("abc")
        #expect(SHA256.hexString(abc.finalize()) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    }
}

@Suite struct JSONValueTests {
    @Test func serialisationKeepsKeyOrderAndPrintsRoundTripDoubles() {
        let v = JSONValue.object([("z", .int(1)), ("a", .array([.double(0.1), .double(.nan), .bool(true), .null])),
                                  ("s", .string("q\"\\\n\u{1}"))])
        #expect(v.serialized() == #"{"z":1,"a":[0.1,null,true,null],"s":"q\"\\\n\u0001"}"#)
        let third = 1.0 / 3.0
        #expect(Double(NumberFormat.csv(third)) == third)
        #expect(NumberFormat.csv(-.infinity) == "-inf")
    }
}

@Suite struct JSONWriterTests {
    /// `NumberFormat.json` as it read before `JSONWriter` (shortest round-trip
    /// `description`, integral values below 2^53 as integers, `null` when not finite).
    static func previousNumberText(_ x: Double) -> String {
        guard x.isFinite else { return "null" }
        if x == x.rounded(), abs(x) < 0x1p53 { return x == 0 ? "0" : String(Int64(x)) }
        return x.description
    }

    static let doubles: [Double] = [
        0, -0.0, 1, -1, 0.1, 0.2 + 0.1, 1.0 / 3, -2.5, 1e-300, -1e-300, 5e-324, .leastNormalMagnitude,
        .greatestFiniteMagnitude, -.greatestFiniteMagnitude, 0x1p53 - 1, 0x1p53, 0x1p53 + 2, -0x1p53, 1e16, 1e22,
        123456789.125, 0.000001, 12345678.9, 0.33366600231259304, .nan, -.nan, .infinity, -.infinity,
    ]

    @Test(arguments: doubles)
    func doublesPrintAsBeforeAndRoundTrip(x: Double) throws {
        var out = JSONWriter()
        out.double(x)
        #expect(out.text == Self.previousNumberText(x))
        #expect(NumberFormat.json(x) == Self.previousNumberText(x))
        #expect(JSONValue.double(x).serialized() == Self.previousNumberText(x))
        if x.isFinite { #expect(try #require(Double(out.text)) == x) }
    }

    @Test func integersPrintAsStringDoes() {
        for i: Int64 in [0, 1, -1, 9, 10, -10, 1234567890, 9_007_199_254_740_993, .max, .min, .max - 1, .min + 1] {
            var out = JSONWriter()
            out.int(i)
            #expect(out.text == String(i))
        }
        var out = JSONWriter()
        out.digits(.max)
        #expect(out.text == String(UInt64.max))
    }

    @Test(arguments: [
        ("", #""""#),
        ("plain", #""plain""#),
        ("q\"uote and back\\slash", #""q\"uote and back\\slash""#),
        ("new\nline\rreturn\ttab", #""new\nline\rreturn\ttab""#),
        ("\u{0}\u{1}\u{1f} \u{7f}", #""\u0000\u0001\u001f "# + "\u{7f}\""),
        ("é漢字🎉", "\"é漢字🎉\""),
        ("\"é\"\n🎉\u{8}", #""\"é\"\n🎉\u0008""#),
    ])
    func stringsEscapeAsBefore(text: String, json: String) {
        var out = JSONWriter()
        out.string(text)
        #expect(out.text == json)
        #expect(JSONValue.string(text).serialized() == json)
    }

    @Test func nestedValuesCompactAndPretty() {
        let v = JSONValue.object([("a", .array([.int(1), .double(-0.0), .null, .bool(false), .array([]), .object([])])),
                                  ("b\n", .object([("c", .string("é")), ("d", .double(1e-300))])), ("e", .bool(true))])
        #expect(v.serialized() == #"{"a":[1,0,null,false,[],{}],"b\n":{"c":"é","d":1e-300},"e":true}"#)
        #expect(v.prettySerialized() == """
        {
          "a": [
            1,
            0,
            null,
            false,
            [],
            {}
          ],
          "b\\n": {
            "c": "é",
            "d": 1e-300
          },
          "e": true
        }
        """)
    }

    @Test func resetKeepsNothingOfTheLastLine() {
        var out = JSONWriter(capacity: 16)
        out.string("a long first line, longer than the capacity")
        out.reset()
        out.raw("[")
        out.int(-7)
        out.raw("]")
        #expect(out.text == "[-7]")
    }
}

@Suite struct SHA256CopyTests {
    /// A hasher copied part-way (as the run planner does per cell) continues as one fed the whole text.
    @Test(arguments: [0, 1, 55, 56, 63, 64, 65, 119, 120, 128, 200])
    func copyPartWayEqualsWhole(split: Int) {
        let text = Array((0..<200).map { UInt8(truncatingIfNeeded: $0 &* 7 &+ 3) })
        var head = SHA256()
        head.update(text[..<split])
        var copy = head
        copy.update(text[split...])
        let whole = SHA256.hex(bytes: text)
        #expect(SHA256.hexString(copy.finalize()) == whole)
        var again = head
        again.update(text[split...])
        #expect(again.finalizePrefix64() == UInt64(whole.prefix(16), radix: 16))
    }
}
