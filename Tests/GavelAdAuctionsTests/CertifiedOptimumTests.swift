import Foundation
import GavelCore
import GavelData
import Testing
@testable import GavelAdAuctions
import GavelConfig

/// The regression files of issue 21 (Tests/RegressionCorpus/wrong-number/, outside the test target).
enum CertificateFixtures {
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("RegressionCorpus/wrong-number")
    static func path(_ name: String) -> String { folder.appendingPathComponent(name).path }
}

/// Issue 21: every MNL optimum behind a reported number carries a certificate (`MNLCertifier`)
/// checked before it is reported. The oracle here is exact arithmetic (`ExactMNL`: every
/// allocation enumerated by the test itself, W compared as exact fractions), which shares no
/// code with Dinkelbach, the LP or the certifier.
///
/// Tolerances, from the method: a certificate by enumeration replaces the allocation whenever
/// the oracle's is better by more than 64 ulps of the largest coefficient (`repairMargin`), and
/// the reported numbers are sums of at most K + 2 rounded terms, so W, welfare and each VCG
/// payment are within 1e-12 of the largest coefficient taking part (about 4,500 ulps: the margin
/// plus the roundings, with room). A certificate by the assignment LP guarantees its relative
/// tolerance, 1e-9. Myerson payments add the envelope's line intersections: 1e-9.
@Suite("Extreme attraction weights: certified MNL optima against exact arithmetic")
struct CertifiedOptimumTests {
    typealias Allocation = ExactMNL.Allocation

    static func allocation(_ slots: [Slot]) -> Allocation { slots.map { ($0.advertiser, $0.position) } }

    /// Checks one certified outcome against the exact oracle: the allocation's exact W is within
    /// `tolerance`·scale of the exact optimum, the reported welfare is its W, and each payment is
    /// the exact VCG payment for the reported allocation within `tolerance` of the largest other bid.
    static func expectExact(_ out: MechanismOutcome, rows: [[Double]], bids: [Double], K: Int, tolerance: Double,
                            payments: Double? = nil, _ note: String, sourceLocation: Testing.SourceLocation = #_sourceLocation) {
        let scale = bids.max() ?? 0
        let x = allocation(out.slots)
        let optimum = ExactMNL.optimum(weights: rows, coefficients: bids, maxAds: K).value.approximate
        let own = ExactMNL.value(x, weights: rows, coefficients: bids).approximate
        #expect(own >= optimum - tolerance * scale, "\(note): allocation W \(own), optimum \(optimum)", sourceLocation: sourceLocation)
        #expect(abs(out.welfare - own) <= tolerance * scale, "\(note): welfare \(out.welfare), exact \(own)", sourceLocation: sourceLocation)
        let exact = ExactMNL.vcg(weights: rows, coefficients: bids, maxAds: K, allocation: x)
        for i in bids.indices {
            let others = bids.indices.filter { $0 != i }.map { bids[$0] }.max() ?? 0
            #expect(abs(out.paymentPerImpression[i] - exact[i]) <= (payments ?? tolerance) * max(others, .leastNormalMagnitude),
                    "\(note), advertiser \(i): payment \(out.paymentPerImpression[i]), exact \(exact[i])", sourceLocation: sourceLocation)
        }
    }

    @Test("Exact arithmetic: products, sums and comparisons decided exactly")
    func exactArithmetic() {
        let big = BigInt(UInt64.max) * BigInt(UInt64.max)   // (2^64 − 1)^2 = 2^128 − 2^65 + 1
        #expect(big.limbs == [1, 0, 0xFFFF_FFFE, 0xFFFF_FFFF])
        #expect((big - big).isZero)
        // 0.1 + 0.2 exceeds the double 0.3 in exact arithmetic (and 0.30000000000000004 exceeds the sum).
        #expect(Dyadic.compare(Dyadic(0.1) + Dyadic(0.2), Dyadic(0.3)) == 1)
        #expect(Dyadic.compare(Dyadic(0.1) + Dyadic(0.2), Dyadic(0.30000000000000004)) == -1)
        #expect(Dyadic.compare(Dyadic(1e16) + Dyadic(1) - Dyadic(1e16), Dyadic.one) == 0)
        // The worked example of docs/aigc.md: W* = (10·0.5 + 8·0.3)/(1 + 0.5 + 0.3) ≈ 37/9.
        let w = [[0.5, 0.2], [0.4, 0.3], [0.6, 0.6]], v = [10.0, 8, 5]
        let best = ExactMNL.optimum(weights: w, coefficients: v, maxAds: 2)
        #expect(best.allocation.map(\.advertiser) == [0, 1] && best.allocation.map(\.position) == [0, 1])
        #expect(abs(best.value.approximate - 37.0 / 9) < 1e-15)
    }

    /// The issue's inputs (regression files): revenue 3.3333 (1e12, 1e14) and 4.0 (1e16) instead of 4.1111.
    @Test("The issue's instances: one weight 1e12, 1e14, 1e16, solved as gavel solve does", arguments: ["1e12", "1e14", "1e16"])
    func issueInstances(weight: String) throws {
        let file = try AdInstanceFile.read(path: CertificateFixtures.path("aigc-mnl-weight-\(weight).yaml"))
        let report = try AdSolveReport.json(for: file).serialized()
        let fields = try #require(try JSONSerialization.jsonObject(with: Data(report.utf8)) as? [String: Any])
        let revenue = try #require(fields["revenue"] as? Double)
        // Showing ad 2 leaves the others the example's optimum, W*_{−2} = 37/9, which is nearly all of the revenue.
        let rows = [[0.5, 0.2], [0.4, 0.3], [0.6, Double(weight)!]]
        let slots = try #require(fields["allocation"] as? [[Int]])
        let exact = ExactMNL.vcg(weights: rows, coefficients: [10, 8, 5], maxAds: 2, allocation: slots.map { ($0[0], $0[1]) })
        #expect(abs(revenue - exact.reduce(0, +)) <= 1e-12 * 10, "revenue \(revenue), exact \(exact.reduce(0, +))")
        #expect(abs(revenue - 37.0 / 9) < 1e-10)
        let cert = try #require(fields["certificate"] as? [String: Any])
        #expect(cert["optima_checked"] as? Int == 1 + slots.count)   // the allocation and each W*_{−i}
        #expect((cert["largest_relative_gap"] as? Double ?? 1) <= MNLCertifier.relativeTolerance)
    }

    /// Found by the stress below: uncertified Dinkelbach shows the 1e16-weight ad (welfare 3.1995,
    /// exact optimum 4.9236): λ's rounding (1e-16 of c) times the weight is a gain of about 4 on
    /// its row, as large as the real ones. The certificate finds it and the oracle repairs it.
    @Test("A heavy ad that fools Dinkelbach: caught and repaired")
    func heavyAd() throws {
        let file = try AdInstanceFile.read(path: CertificateFixtures.path("aigc-mnl-heavy-ad-1e16.yaml"))
        guard case .mnl(let w) = file.auction.model else { Issue.record("not MNL"); return }
        var raw = try file.mechanism()
        raw.certification = MNLCertification(when: .never)
        let wrong = try raw.run(file.auction, bids: file.values)
        #expect(wrong.welfare < 3.2)   // what the uncertified solver says
        var certified = try file.mechanism()
        let log = MNLCertificateLog()
        certified.certification = MNLCertification(when: .always, log: log)
        let out = try certified.run(file.auction, bids: file.values)
        Self.expectExact(out, rows: w.asRows, bids: file.values, K: file.auction.maxAds, tolerance: 1e-12, "heavy ad")
        #expect(abs(out.welfare - 4.923587254197576) < 1e-12)
        #expect(log.certificates.contains { $0.repaired })
    }

    /// The Charnes–Cooper LP's wrong allocation (welfare 0.5717 for 6.2951), repaired the same way;
    /// or, where GLPK fails on the range, a one-line error (never a number).
    @Test("The LP rule on a 1e15 weight: repaired, or refused")
    func lpRule() throws {
        let file = try AdInstanceFile.read(path: CertificateFixtures.path("aigc-mnl-lp-1e15.yaml"))
        guard case .mnl(let w) = file.auction.model else { Issue.record("not MNL"); return }
        do {
            var mech = try file.mechanism()
            mech.certification = MNLCertification(when: .always)
            Self.expectExact(try mech.run(file.auction, bids: file.values), rows: w.asRows, bids: file.values, K: file.auction.maxAds,
                             tolerance: 1e-12, "lp rule")
        } catch let e as ExperimentError {
            #expect(!e.description.contains("\n"))
        }
    }

    /// Values near 1e300 with a weight of 1e16 (c·w overflows): run on rescaled values, certified.
    @Test("Values near 1e300 and 1e-300: rescaled by a power of two, certified, exact")
    func extremeValues() throws {
        let file = try AdInstanceFile.read(path: CertificateFixtures.path("aigc-mnl-huge-values.yaml"))
        guard case .mnl(let w) = file.auction.model else { Issue.record("not MNL"); return }
        for rule in [AllocationRule.dinkelbach, .bruteForce] {
            var mech = try AdMechanism(rule: rule, payment: .vcg)
            mech.certification = MNLCertification(when: .always)
            let out = try mech.run(file.auction, bids: file.values)
            Self.expectExact(out, rows: w.asRows, bids: file.values, K: 2, tolerance: 1e-12, "1e300, \(rule.name)")
            #expect(abs(out.paymentPerImpression[0] - 5) < 1e-12)
            // Tiny values: 1e-300 with the others 1e-20 of it (subnormal), and a subnormal largest value.
            for tiny in [[1e-300, 8e-320, 5e-320], [1e-310, 8e-311, 5e-311]] {
                let small = try mech.run(file.auction, bids: tiny)
                Self.expectExact(small, rows: w.asRows, bids: tiny, K: 2, tolerance: 1e-12, "tiny values \(tiny), \(rule.name)")
            }
        }
        // The revenue objective cannot be rescaled: refused in one line.
        let revenue = try AdMechanism(rule: .dinkelbach, payment: .myerson, virtualValues: [
            VirtualValueFunction(.uniform(lower: 0, upper: 2e300)), VirtualValueFunction(.uniform(lower: 0, upper: 10)),
            VirtualValueFunction(.uniform(lower: 0, upper: 10)),
        ])
        #expect(throws: ExperimentError.self) { try revenue.run(file.auction, bids: file.values) }
    }

    @Test("A weight above 1e250 is refused at its entry")
    func weightLimit() throws {
        #expect { _ = try AdInstanceFile.read(path: CertificateFixtures.path("aigc-mnl-weight-above-limit.yaml")) } throws: { e in
            "\(e)".contains("aigc-mnl-weight-above-limit.yaml:") && "\(e)".contains("field 'weights[0][1]'") && "\(e)".contains("1e250")
        }
    }

    /// Weights in four families over [1e-12, 1e16], values U[0.5, 10] (and log-uniform on [1e-3, 1e3]
    /// in the last): Dinkelbach + VCG and + Myerson, and the LP rule, certified as gavel solve does.
    @Test("Random instances with weights from 1e-12 to 1e16 against exact arithmetic", arguments: 0..<8)
    func randomExtreme(chunk: Int) throws {
        for k in (chunk * 75)..<(chunk * 75 + 75) {
            var s = Xoshiro256StarStar(seed: 21).stream(named: "extreme-exact-\(k)")
            let family = k % 4
            let n = 2 + s.nextInt(below: 4), m = 1 + s.nextInt(below: 3), K = 1 + s.nextInt(below: m)
            func weight() -> Double {
                switch family {
                case 0: return pow(10, -12 + 28 * s.nextUnitDouble())
                case 1: return s.nextUnitDouble() < 0.2 ? pow(10, Double(12 + s.nextInt(below: 5))) : 0.1 + s.nextUnitDouble()
                case 2: return [1e-12, 1.0, 1e16][s.nextInt(below: 3)] * (0.5 + s.nextUnitDouble())
                default: return s.nextUnitDouble() < 0.3 ? pow(10, -12 + 4 * s.nextUnitDouble()) : pow(10, 8 + 8 * s.nextUnitDouble())
                }
            }
            let rows = (0..<n).map { _ in (0..<m).map { _ in weight() } }
            let bids = (0..<n).map { _ in family == 3 ? pow(10, -3 + 6 * s.nextUnitDouble()) : 0.5 + 9.5 * s.nextUnitDouble() }
            let a = try PositionAuction(model: .mnl(weights: AdMatrix(rows)), maxAds: K)
            for (rule, payment) in [(AllocationRule.dinkelbach, PaymentRule.vcg), (.dinkelbach, .myerson), (.charnesCooper, .vcg)] {
                var mech = try AdMechanism(rule: rule, payment: payment)
                mech.certification = MNLCertification(when: .always)
                let out: MechanismOutcome
                do { out = try mech.run(a, bids: bids) } catch let e as ExperimentError {
                    // Only the LP rule may refuse (GLPK on the normalisation row); Dinkelbach always certifies.
                    #expect(rule == .charnesCooper && !e.description.contains("\n"), "instance \(k): \(e)")
                    continue
                }
                Self.expectExact(out, rows: rows, bids: bids, K: K, tolerance: 1e-12, payments: payment == .myerson ? 1e-9 : nil,
                                 "instance \(k), \(rule.name)+\(payment.rawValue), weights \(rows), bids \(bids)")
            }
        }
    }

    /// The assignment-LP oracle on its own (what certifies instances above 20,000 allocations), on
    /// small instances where exact arithmetic can check it: from Dinkelbach's uncertified allocation
    /// it certifies or repairs, its value is within its tolerance of the exact optimum, and its bound
    /// is a true upper bound.
    @Test("The assignment-LP oracle against exact arithmetic", arguments: 0..<4)
    func assignmentOracle(chunk: Int) throws {
        for k in (chunk * 75)..<(chunk * 75 + 75) {
            var s = Xoshiro256StarStar(seed: 21).stream(named: "extreme-lp-\(k)")
            let n = 2 + s.nextInt(below: 4), m = 1 + s.nextInt(below: 3), K = 1 + s.nextInt(below: m)
            let rows = (0..<n).map { _ in (0..<m).map { _ in pow(10, -12 + 28 * s.nextUnitDouble()) } }
            let bids = (0..<n).map { _ in 0.5 + 9.5 * s.nextUnitDouble() }
            let w = AdMatrix(rows)
            for excluded in [-1, 0] {
                let start = MNLOptimizer.dinkelbach(weights: w, coefficients: excluded < 0 ? bids : bids.enumerated().map { $0.offset == excluded ? 0 : $0.element },
                                                    maxAds: K).slots
                let active = (0..<n).filter { $0 != excluded }
                let scale = active.map { bids[$0] }.max()!
                let cert = try MNLCertifier.assignmentLP(w, bids, K, active: active, given: start, tolerance: MNLCertifier.relativeTolerance * scale)
                let exact = ExactMNL.optimum(weights: rows, coefficients: bids, maxAds: K, excluded: excluded).value.approximate
                let own = ExactMNL.value(Self.allocation(cert.slots), weights: rows, coefficients: bids).approximate
                #expect(!cert.slots.contains { $0.advertiser == excluded })
                #expect(own >= exact - MNLCertifier.relativeTolerance * scale, "instance \(k): \(own) vs \(exact)")
                #expect(cert.bound >= exact - 1e-12 * scale, "instance \(k): bound \(cert.bound) below the optimum \(exact)")
            }
        }
    }

    /// Above 20,000 allocations the oracle is the assignment LP: instances of 9–10 advertisers ×
    /// 5 positions, K = 4, weights over [1e-12, 1e16], against enumeration in doubles (the library's
    /// brute force, which shares no code with Dinkelbach or the certifier's LP).
    @Test("Large instances: certified by the assignment LP, equal to enumeration", arguments: 0..<6)
    func largeInstances(k: Int) throws {
        var s = Xoshiro256StarStar(seed: 21).stream(named: "extreme-large-\(k)")
        let n = 9 + k % 2, m = 5, K = 4
        let rows = (0..<n).map { _ in (0..<m).map { _ in pow(10, -12 + 28 * s.nextUnitDouble()) } }
        let bids = (0..<n).map { _ in 0.5 + 9.5 * s.nextUnitDouble() }
        let a = try PositionAuction(model: .mnl(weights: AdMatrix(rows)), maxAds: K)
        #expect(MNLOptimizer.matchingCount(advertisers: n, positions: m, maxEdges: K) > MNLCertifier.bruteForceLimit)
        var mech = try AdMechanism(rule: .dinkelbach, payment: .vcg)
        let log = MNLCertificateLog()
        mech.certification = MNLCertification(when: .always, log: log)
        let out = try mech.run(a, bids: bids)
        let enumeration = try AdMechanism(rule: .bruteForce, payment: .vcg).run(a, bids: bids)
        let scale = bids.max()!
        // The allocation's certificate is the LP's (each W*_{−i} has n − 1 advertisers, maybe few enough to enumerate).
        #expect(log.certificates.first?.oracle == .assignmentLP)
        #expect(abs(out.welfare - enumeration.welfare) <= 1e-9 * scale, "welfare \(out.welfare) vs \(enumeration.welfare)")
        #expect(abs(out.revenue - enumeration.revenue) <= 2 * Double(K) * 1e-9 * scale, "revenue \(out.revenue) vs \(enumeration.revenue)")
    }

    /// Ordinary weights at the size of the benchmark (50 advertisers × 20 positions, K = 5): every
    /// certificate of `gavel solve` (the allocation and five W*_{−i}) comes from the assignment LP,
    /// and the numbers are Dinkelbach's own (nothing repaired).
    @Test("A 50 × 20 instance with ordinary weights: certified by the LP, nothing repaired", arguments: 0..<3)
    func benchmarkSize(k: Int) throws {
        var s = Xoshiro256StarStar(seed: 21).stream(named: "benchmark-size-\(k)")
        let a = try AdInstanceGenerator(family: .mnl, advertisers: 50, positions: 20, maxAds: 5).make(using: &s)
        let bids = (0..<50).map { _ in 10 * s.nextUnitDouble() }
        var mech = try AdMechanism(rule: .dinkelbach, payment: .vcg)
        let plain = try mech.run(a, bids: bids)
        let log = MNLCertificateLog()
        mech.certification = MNLCertification(when: .always, log: log)
        let certified = try mech.run(a, bids: bids)
        #expect(log.certificates.count == 1 + certified.slots.count)
        #expect(log.certificates.allSatisfy { $0.oracle == .assignmentLP && !$0.repaired })
        #expect(certified.slots == plain.slots && certified.welfare == plain.welfare)
        for i in 0..<50 { #expect(abs(certified.paymentPerImpression[i] - plain.paymentPerImpression[i]) <= 1e-12 * 10) }
    }
}
