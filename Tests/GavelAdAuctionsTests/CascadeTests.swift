import Foundation
import GavelCore
@testable import GavelAdAuctions
import Testing

@Suite("Cascade: exact search, index order, monotone approximations, the classic special case")
struct CascadeTests {
    static func permutations(_ x: [Slot]) -> [[Slot]] {
        guard x.count > 1 else { return [x] }
        return x.indices.flatMap { k -> [[Slot]] in
            var rest = x; let head = rest.remove(at: k)
            return permutations(rest).map { [head] + $0 }
        }
    }

    @Test("the KM08 index order is the best order of a fixed set of slots (spec A.3), against all permutations")
    func indexOrderIsOptimal() throws {
        for k in 0..<200 {
            let (a, v) = try Random.cascade(k, n: 5, m: 4, K: 4)
            var s = Random.stream("sets", k)
            var slots: [Slot] = []
            var positions = Array(0..<4)
            for i in 0..<5 where s.nextUnitDouble() < 0.7 && !positions.isEmpty {
                slots.append(Slot(i, positions.remove(at: Int(s.nextUnitDouble() * Double(positions.count)))))
            }
            let indexed = a.objective(of: a.renderingOrder(slots, coefficients: v), coefficients: v)
            let best = Self.permutations(slots).map { a.objective(of: $0, coefficients: v) }.max() ?? 0
            #expect(close(indexed, best, 1e-12), "instance \(k)")
        }
    }

    @Test("exact search (matchings in index order) equals the optimum over all ordered allocations")
    func exactSearch() throws {
        for k in 0..<60 {
            let (a, v) = try Random.cascade(k, n: 4, m: 3, K: 3, stopAfterClick: k % 2 == 0)
            let exact = MNLOptimizer.bruteForce(a, coefficients: v).objective
            var best = 0.0
            MNLOptimizer.enumerateMatchings(advertisers: 4, positions: 3, maxEdges: 3) { slots in
                for p in Self.permutations(slots) { best = max(best, a.objective(of: p, coefficients: v)) }
            }
            #expect(close(exact, best, 1e-12), "instance \(k)")
        }
    }

    @Test("text order: positions are read in index order, and exact search respects it")
    func textOrder() throws {
        for k in 0..<30 {
            let (a, v) = try Random.cascade(k, n: 4, m: 3, K: 3, order: .text)
            let x = MNLOptimizer.bruteForce(a, coefficients: v)
            #expect(x.slots.map(\.position) == x.slots.map(\.position).sorted())
            let g = CascadeRules.greedy(a, coefficients: v)
            #expect(g.map(\.position) == g.map(\.position).sorted())
        }
    }

    @Test("greedy is monotone (π_i nondecreasing in b_i), chosen and text order; with Myerson payments no misreport gains more than 1e-9")
    func greedyMonotoneAndTruthful() throws {
        let mech = try AdMechanism(rule: .greedy, payment: .myerson)
        let auditor = TruthfulnessAuditor(factors: (0...15).map { Double($0) / 5 })
        var worst = 0.0
        for k in 0..<120 {
            let order: RenderingOrder = k % 2 == 0 ? .chosen : .text
            let (a, v) = try Random.cascade(k, n: 5, m: 4, K: 3, order: order)
            let count = try MonotonicityCheck(grid: (0...60).map { Double($0) * 0.25 }, tolerance: 1e-15).check(.greedy, on: a, bids: v)
            #expect(count.checks == 61 * a.advertisers)
            #expect(count.violations == 0, "instance \(k) (\(order)): π fell at \(String(describing: count.witness))")
            if k < 8 { worst = max(worst, try auditor.audit(mech, on: a, values: v).gain) }
        }
        #expect(worst <= 1e-9)
    }

    @Test("exact cascade (brute force + VCG, and + Myerson) is truthful on the auditor's grid; VCG = Myerson to 1e-9")
    func exactTruthful() throws {
        let vcg = try AdMechanism(rule: .bruteForce, payment: .vcg), my = try AdMechanism(rule: .bruteForce, payment: .myerson)
        let auditor = TruthfulnessAuditor(factors: (0...15).map { Double($0) / 5 })
        for k in 0..<8 {
            let (a, v) = try Random.cascade(k, n: 4, m: 3, K: 2)
            let x = try vcg.run(a, bids: v), y = try my.run(a, bids: v)
            for i in 0..<4 { #expect(abs(x.paymentPerImpression[i] - y.paymentPerImpression[i]) <= 1e-9) }
            #expect(try auditor.audit(vcg, on: a, values: v).gain <= 1e-9)
        }
    }

    /// Spec "Properties": cascade with q ≡ 1 and p = α β is the classic position auction: sort by v α
    /// onto the largest β; VCG equals the classic formula (Varian 2007; EOS 2007).
    @Test("q ≡ 1 and p = α β: the exact optimum is the classic ranking, and VCG equals the classic formula")
    func classicSpecialCase() throws {
        for k in 0..<100 {
            let (a, v) = try Random.separable(k, n: 5, m: 4, K: 1 + k % 4)
            let exact = try AdMechanism(rule: .bruteForce, payment: .vcg).run(a, bids: v)
            let classic = try AdMechanism(rule: .separableRanking, payment: .vcgSeparable).run(a, bids: v)
            #expect(close(exact.welfare, classic.welfare, 1e-12), "instance \(k)")
            for i in 0..<5 {
                #expect(abs(exact.paymentPerImpression[i] - classic.paymentPerImpression[i]) <= 1e-9, "instance \(k) bidder \(i)")
                #expect(abs(exact.ctr[i] - classic.ctr[i]) <= 1e-12)
            }
        }
    }

    @Test("the auditor finds profitable deviations under GSP, none beyond 1e-9 under VCG and Myerson")
    func auditorSeparatesGSP() throws {
        let auditor = TruthfulnessAuditor(factors: (0...30).map { Double($0) / 10 })
        let coarse = TruthfulnessAuditor(factors: (0...15).map { Double($0) / 5 })
        let gsp = try AdMechanism(rule: .separableRanking, payment: .gsp)
        let vcg = try AdMechanism(rule: .separableRanking, payment: .vcgSeparable)
        let exact = try AdMechanism(rule: .bruteForce, payment: .myerson)
        var gspGain = 0.0, vcgGain = 0.0, myersonGain = 0.0, gspProfitable = 0
        for k in 0..<12 {
            let (a, v) = try Random.separable(k, n: 4, m: 3, K: 3)
            let g = try auditor.audit(gsp, on: a, values: v).gain
            gspGain = max(gspGain, g)
            if g > 1e-6 { gspProfitable += 1 }
            vcgGain = max(vcgGain, try auditor.audit(vcg, on: a, values: v).gain)
            myersonGain = max(myersonGain, try coarse.audit(exact, on: a, values: v).gain)
        }
        #expect(gspGain > 0.01)
        #expect(gspProfitable >= 5)
        #expect(vcgGain <= 1e-9)
        #expect(myersonGain <= 1e-9)
    }

    @Test("approximations never beat the optimum; best_of_K is the optimum")
    func approximationsBelowOptimum() throws {
        for k in 0..<80 {
            let (a, v) = try Random.cascade(k, n: 5, m: 4, K: 3, order: k % 2 == 0 ? .chosen : .text)
            let opt = MNLOptimizer.bruteForce(a, coefficients: v).objective
            for rule in [AllocationRule.greedy, .localSearch, .tailSearch(1), .tailSearch(2), .bestOfSize(1), .ignoreSubstitution] {
                let x = a.objective(of: try rule.allocate(a, coefficients: v), coefficients: v)
                #expect(x <= opt + 1e-12, "\(rule.name) instance \(k)")
            }
            let ls = a.objective(of: CascadeRules.localSearch(a, coefficients: v), coefficients: v)
            #expect(ls >= a.objective(of: CascadeRules.greedy(a, coefficients: v), coefficients: v) - 1e-12)
            #expect(close(CascadeRules.bestOfSize(a, coefficients: v, limit: 3).objective, opt, 1e-12))
            let greedy = a.objective(of: CascadeRules.greedy(a, coefficients: v), coefficients: v)
            var previous = greedy
            for l in 0...3 {
                // A longer tail is a larger neighbourhood (it contains the shorter tail's completions):
                // L = 0 is greedy, L = K the optimum, and the value never falls in between.
                let x = a.objective(of: CascadeRules.tailSearch(a, coefficients: v, tail: l), coefficients: v)
                #expect(x >= previous - 1e-12, "tail \(l) instance \(k)")
                if l == 0 { #expect(close(x, greedy, 1e-15)) }
                if l == 3 { #expect(close(x, opt, 1e-12)) }
                previous = x
            }
        }
    }
}

/// `tail_search_L`, the monotone local search: greedy's first K − L slots kept, the best completion of
/// ≤ L slots appended (proof at `CascadeRules.tailSearch`). Checked on random instances of every family
/// and both rendering orders, as a property of the rule.
@Suite("Cascade tail search: monotone, so Myerson payments make it truthful")
struct TailSearchTests {
    struct Family: Sendable, CustomTestStringConvertible {
        let order: RenderingOrder, stopAfterClick: Bool, tail: Int
        var testDescription: String { "\(order.rawValue)\(stopAfterClick ? ", stop after click" : ""), L = \(tail)" }
    }
    static let families = [
        Family(order: .chosen, stopAfterClick: false, tail: 2), Family(order: .text, stopAfterClick: false, tail: 2),
        Family(order: .chosen, stopAfterClick: true, tail: 2), Family(order: .chosen, stopAfterClick: false, tail: 1),
        Family(order: .text, stopAfterClick: false, tail: 1),
    ]

    /// 120 instances × 6 bidders × 41 bids = 29,520 checks per family, on instances from the same
    /// generator as Scenarios/aigc-cascade.yaml (where local search shows 3–11 violations per 9,840);
    /// K varies (2–4) so the prefix is empty, one slot or two.
    @Test("π_i never falls as b_i rises (41-point grid, others fixed)", arguments: families)
    func monotone(_ f: Family) throws {
        var checks = 0
        for k in 0..<120 {
            let (a, v) = try Random.cascade(k, n: 6, m: 4, K: 2 + k % 3, order: f.order, stopAfterClick: f.stopAfterClick)
            let count = try MonotonicityCheck().check(.tailSearch(f.tail), on: a, bids: v)
            #expect(count.violations == 0, "instance \(k): π fell at \(String(describing: count.witness))")
            checks += count.checks
        }
        #expect(checks == 120 * 6 * 41)
    }

    /// The auditor tries every multiple 0, 0.2, …, 3 of the value and both sides of every other bid
    /// (where thresholds sit); Myerson's jumps are located to adjacent doubles, so a truthful rule
    /// leaves only rounding (≤ 1e-9).
    @Test("Myerson payments from the exact breakpoints: no misreport gains more than 1e-9", arguments: families)
    func truthful(_ f: Family) throws {
        let mech = try AdMechanism(rule: .tailSearch(f.tail), payment: .myerson)
        let auditor = TruthfulnessAuditor(factors: (0...15).map { Double($0) / 5 })
        for k in 0..<4 {
            let (a, v) = try Random.cascade(k, n: 5, m: 4, K: 3, order: f.order, stopAfterClick: f.stopAfterClick)
            let finding = try auditor.audit(mech, on: a, values: v)
            #expect(finding.tried > 0)
            #expect(finding.gain <= 1e-9, "instance \(k): bidder \(finding.bidder) gains \(finding.gain) by bidding \(finding.misreport)")
        }
    }
}

@Suite("Cascade regression fixtures: the worst instances found by Scenarios/aigc-cascade.yaml")
struct CascadeFixtureTests {
    static func fixture(_ name: String) throws -> AdInstanceFile {
        // Outside the test target (no Package.swift resources needed): Tests/Fixtures/aigc/.
        let path = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Fixtures/aigc/\(name)").path
        return try AdInstanceFile.read(path: path)
    }

    /// Regression pins, not oracles: ratio_min of each cell of Results/aigc-cascade/summary.csv (seed
    /// 42, 2,000 instances), the instance that gave it committed as a fixture. The oracle is
    /// `independentRatio` below, computed in the test from the cascade model's definition.
    struct Case: Sendable, CustomTestStringConvertible {
        let file: String, rule: AllocationRule, ratio: Double
        var testDescription: String { file }
    }
    static let cases = [
        Case(file: "worst-greedy-chosen.yaml", rule: .greedy, ratio: 0.2311178848561682),
        Case(file: "worst-greedy-text.yaml", rule: .greedy, ratio: 0.039867579458772354),
        Case(file: "worst-local-search-chosen.yaml", rule: .localSearch, ratio: 0.732933781558807),
        // The monotone local search keeps greedy's first slot: on text order its worst instance is
        // greedy's (a q ≈ 1 ad in the last position first leaves nothing to complete).
        Case(file: "worst-tail-search-chosen.yaml", rule: .tailSearch(2), ratio: 0.4627386313451957),
        Case(file: "worst-tail-search-text.yaml", rule: .tailSearch(2), ratio: 0.039867579458772354),
    ]

    /// Σ_k c_{i_k} p_{i_k j_k} Π_{l<k} q_{i_l j_l} along `slots` as listed (the cascade model's
    /// definition, spec A.2), written here independently of `PositionAuction.ctr`.
    static func cascadeValue(_ slots: [(i: Int, j: Int)], p: [[Double]], q: [[Double]], c: [Double]) -> Double {
        var reach = 1.0, total = 0.0
        for (i, j) in slots { total += c[i] * p[i][j] * reach; reach *= q[i][j] }
        return total
    }

    /// OPT by brute force over every sequence of ≤ K distinct advertisers on distinct positions: in
    /// `chosen` order every sequence is a rendering the mechanism may pick; in `text` order only
    /// sequences with increasing positions are renderings. (No use of the KM08 index.)
    static func bruteForceOptimum(p: [[Double]], q: [[Double]], c: [Double], maxAds: Int, text: Bool) -> Double {
        let n = p.count, m = p[0].count
        var best = 0.0
        func extend(_ seq: [(i: Int, j: Int)]) {
            best = max(best, cascadeValue(seq, p: p, q: q, c: c))
            guard seq.count < maxAds else { return }
            for i in 0..<n where !seq.contains(where: { $0.i == i }) {
                for j in 0..<m where !seq.contains(where: { $0.j == j }) && (!text || seq.last.map { $0.j < j } ?? true) {
                    extend(seq + [(i, j)])
                }
            }
        }
        extend([])
        return best
    }

    @Test("the worst instance's ALG/OPT: the code's against an independent brute force, and the pinned value", arguments: cases)
    func worstRatio(_ c: Case) throws {
        let x = try Self.fixture(c.file)
        #expect(x.rule == c.rule)
        guard case .cascade(let pm, let qm, let order) = x.auction.model else { Issue.record("not a cascade fixture"); return }
        let p = pm.asRows, q = qm.asRows
        let opt = MNLOptimizer.bruteForce(x.auction, coefficients: x.values).objective
        let slots = try c.rule.allocate(x.auction, coefficients: x.values)
        let alg = x.auction.objective(of: slots, coefficients: x.values)
        // The oracle: ALG's slots valued along the rendering they get (chosen: as the rule lists
        // them; text: by position), OPT over every rendering.
        let shown = slots.map { (i: $0.advertiser, j: $0.position) }
        let rendered = order == .text ? shown.sorted { $0.j < $1.j } : shown
        let independentALG = Self.cascadeValue(rendered, p: p, q: q, c: x.values)
        let independentOPT = Self.bruteForceOptimum(p: p, q: q, c: x.values, maxAds: x.auction.maxAds, text: order == .text)
        #expect(close(alg, independentALG, 1e-12), "ALG \(alg) vs \(independentALG)")
        #expect(close(opt, independentOPT, 1e-12), "OPT \(opt) vs \(independentOPT)")
        // Regression pin (see `cases`).
        #expect(close(independentALG / independentOPT, c.ratio, 1e-12), "ALG/OPT = \(independentALG / independentOPT)")
    }
}

@Suite("Cascade local search: a known limitation")
struct LocalSearchMonotonicityTests {
    /// Scenarios/aigc-cascade.yaml counts 7 / 9,840 violations (chosen order) and an auditor gain of
    /// 0.018: local search is not monotone, so Myerson payments do not make it truthful. This test
    /// keeps a witness so the limitation stays documented (it fails if local search became monotone
    /// on these instances, and then the docs should say so).
    @Test("a witness that local search's π_i can fall when b_i rises")
    func witness() throws {
        var found = false
        for k in 0..<40 where !found {
            let (a, v) = try Random.cascade(k, n: 6, m: 4, K: 3)
            found = try MonotonicityCheck().check(.localSearch, on: a, bids: v).violations > 0
        }
        #expect(found)
    }
}
