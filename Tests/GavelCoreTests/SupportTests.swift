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
