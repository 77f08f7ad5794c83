import Testing
import GavelCore

/// Reference values come from the independent Python port in
/// scripts/gen_python_random_vectors.py (which itself asserts the published
/// SplitMix64 and FNV-1a check values).
@Suite("Xoshiro256StarStar, SplitMix64 and fnv1a64")
struct Xoshiro256StarStarTests {
    @Test("SplitMix64 matches the reference outputs")
    func splitMix() throws {
        for fixture in try RandomFixtures.xoshiro().splitmix64 {
            var g = SplitMix64(seed: UInt64(fixture.seed)!)
            #expect(fixture.out.map { _ in String(g.next()) } == fixture.out, "seed \(fixture.seed)")
            #expect(String(SplitMix64.mix(UInt64(fixture.seed)!)) == fixture.out[0])
        }
        var zero = SplitMix64(seed: 0)
        #expect(zero.next() == 0xE220_A839_7B1D_CDAF)  // published first output for seed 0
    }

    @Test("xoshiro256** matches the reference outputs and unit doubles")
    func xoshiro() throws {
        for fixture in try RandomFixtures.xoshiro().xoshiro256starstar {
            var bits = Xoshiro256StarStar(seed: UInt64(fixture.seed)!)
            var units = bits
            #expect(fixture.out.map { _ in String(bits.next()) } == fixture.out, "seed \(fixture.seed)")
            #expect(bitPatterns(fixture.unit.map { _ in units.nextUnitDouble() }) == bitPatterns(fixture.unit),
                    "seed \(fixture.seed)")
        }
    }

    @Test("fnv1a64 matches the reference hashes")
    func fnv() throws {
        for fixture in try RandomFixtures.xoshiro().fnv1a64 {
            #expect(String(fnv1a64(fixture.text)) == fixture.hash, "\"\(fixture.text)\"")
        }
        #expect(fnv1a64("") == 0xCBF2_9CE4_8422_2325)
        #expect(fnv1a64("a") == 0xAF63_DC4C_8601_EC8C)
        #expect(fnv1a64("foobar") == 0x8594_4171_F739_67E8)
    }

    @Test("Named streams match the reference seeds and outputs", arguments: try RandomFixtures.xoshiro().streams)
    func namedStreams(_ fixture: RandomFixtures.StreamCase) {
        let parent = Xoshiro256StarStar(seed: UInt64(fixture.seed)!)
        var stream = parent.stream(named: fixture.name)
        #expect(String(stream.seed) == fixture.derivedSeed)
        #expect(String(Xoshiro256StarStar.derivedSeed(parent.seed, fixture.name)) == fixture.derivedSeed)
        #expect(fixture.out.map { _ in String(stream.next()) } == fixture.out)
    }

    @Test("Same name gives the same stream, whatever the parent has drawn")
    func streamsAreStable() {
        var parent = Xoshiro256StarStar(seed: 42)
        var first = parent.stream(named: "bidders")
        for _ in 0..<1000 { _ = parent.next() }
        var second = parent.stream(named: "bidders")
        #expect((0..<100).map { _ in first.next() } == (0..<100).map { _ in second.next() })
    }

    @Test("Different names or parent seeds give different streams")
    func streamsAreDistinct() {
        let names = ["bidders", "valuations", "reserve", "Bidders", "bidders ", ""]
        let parent = Xoshiro256StarStar(seed: 42)
        var prefixes: Set<[UInt64]> = []
        for name in names {
            var s = parent.stream(named: name)
            prefixes.insert((0..<4).map { _ in s.next() })
        }
        var other = Xoshiro256StarStar(seed: 43).stream(named: "bidders")
        prefixes.insert((0..<4).map { _ in other.next() })
        var base = Xoshiro256StarStar(seed: 42)
        prefixes.insert((0..<4).map { _ in base.next() })
        #expect(prefixes.count == names.count + 2)
    }

    @Test("nextUnitDouble is the top 53 bits of next() over 2^53")
    func unitDouble() {
        var a = Xoshiro256StarStar(seed: 7), b = a
        for _ in 0..<1000 {
            let u = a.nextUnitDouble()
            #expect(u == Double(b.next() >> 11) / 9_007_199_254_740_992)
            #expect(u >= 0 && u < 1)
        }
    }
}
