import Foundation
import GavelCore
import GavelLP
import GavelScenario
@testable import GavelAdAuctions
import Testing

/// Autobidding (issue 17; docs/autobidding.md): the auction formats against brute force, the
/// liquid-welfare LP against closed forms, and the published guarantees as properties.
@Suite("Autobidding: formats, liquid-welfare LP, ABM's 1/2, Hedge's bound, adaptive pacing's √T")
struct AutobiddingTests {
    /// A random market of n advertisers and T auctions from its own stream.
    static func market(_ k: Int, n: Int, t: Int, budgetRatio: Double?, roi: Double?, outside: Bool = false) -> AutobidEpisodeData {
        var s = Random.stream("autobid", k)
        let values = (0..<n).map { _ in (0..<t).map { _ in s.nextUnitDouble() } }
        let out = (0..<t).map { _ in outside ? 0.8 * s.nextUnitDouble() : 0 }
        let budgets = values.map { v in budgetRatio.map { $0 * v.reduce(0, +) / Double(n) } ?? .infinity }
        return AutobidEpisodeData(values: values, outside: out, budgets: budgets, roiTargets: Array(repeating: roi, count: n))
    }

    // MARK: formats

    /// VCG's payment is the externality: others' best welfare without the bidder minus with it
    /// (brute force over rankings of the bids, the reserve as a floor); GSP's is β_j × next bid.
    @Test("GSP and VCG payments on random multi-slot auctions: VCG = brute-force externality; counterfactual(own bid) = the clearing")
    func multiSlotPayments() {
        for k in 0..<300 {
            var s = Random.stream("slots", k)
            let n = 1 + Int(s.nextUnitDouble() * 5), slots = 1 + Int(s.nextUnitDouble() * 3)
            var beta = (0..<slots).map { _ in s.nextUnitDouble() }.sorted(by: >); beta[0] = 1
            let bids = (0..<n).map { _ in s.nextUnitDouble() }
            let reserve = s.nextUnitDouble() < 0.5 ? 0 : 0.3 * s.nextUnitDouble()
            for var format in [SeparableSlotFormat.gsp, .vcg] {
                let auction = AutobidAuctionInput(terms: AutobidAuctionTerms(clickFactors: beta, reserve: reserve), bids: bids,
                                                  values: Array(repeating: 1, count: n))
                var r = AuctionClearing(slots: slots, advertisers: n)
                format.clear(auction, into: &r)
                // Brute force: the best welfare (by bids) of a set of entrants on the slots.
                func best(_ who: [Int]) -> Double {
                    let sorted = who.filter { bids[$0] >= reserve }.map { bids[$0] }.sorted(by: >)
                    return zip(beta, sorted).reduce(0) { $0 + $1.0 * $1.1 } + beta.dropFirst(sorted.count).reduce(0) { $0 + $1 * reserve }
                }
                for a in 0..<n {
                    guard let j = r.slotHolder.firstIndex(of: a) else { #expect(r.payment[a] == 0); continue }
                    let others = (0..<n).filter { $0 != a }
                    // With the reserve as infinitely many phantom bids, "others' welfare" counts reserve-filled slots too.
                    let withA = best(Array(0..<n)) - beta[j] * bids[a]
                    // GSP: β_j times the bid ranked just below (the reserve when there is none).
                    let entrants = bids.filter { $0 >= reserve }.sorted(by: >)
                    let next = j + 1 < entrants.count ? entrants[j + 1] : reserve
                    let expected = format.name == "vcg" ? best(others) - withA : beta[j] * max(reserve, next)
                    #expect(abs(r.payment[a] - expected) <= 1e-12, "\(format.name) auction \(k) bidder \(a): \(r.payment[a]) vs \(expected)")
                    #expect(r.valueWon[a] == beta[j])
                    let cf = format.counterfactual(bid: bids[a], advertiser: a, in: auction)
                    #expect(abs(cf.payment - r.payment[a]) <= 1e-12 && abs(cf.value - beta[j]) <= 1e-15)
                }
            }
        }
    }

    /// The MNL page: per-click bids b/α, attraction w_aj = s·α_a·β_j. Against brute force over
    /// every assignment of ≤ K ads to distinct positions: the chosen page's declared welfare
    /// Σ (b_a/α_a)·π_a is the maximum, VCG payments are the externalities, and the value won is
    /// V_a·π_a.
    @Test("MNL page: welfare optimum and VCG payments against brute force over all pages (200 random auctions)")
    func mnlPage() throws {
        for k in 0..<200 {
            var s = Random.stream("mnl-page", k)
            let n = 1 + Int(s.nextUnitDouble() * 4), slots = 1 + Int(s.nextUnitDouble() * 3)
            var beta = (0..<slots).map { _ in 0.2 + 0.8 * s.nextUnitDouble() }.sorted(by: >); beta[0] = 1
            let alpha = (0..<n).map { _ in s.nextUnitDouble() < 0.1 ? 0 : 0.05 + s.nextUnitDouble() }
            let perClick = (0..<n).map { _ in 0.5 + s.nextUnitDouble() }
            let bids = (0..<n).map { a in perClick[a] * alpha[a] * (0.5 + s.nextUnitDouble()) }
            var format = MNLOptimumFormat()
            // α_a = v_a / V_a: the values are V_a·α_a.
            let auction = AutobidAuctionInput(terms: AutobidAuctionTerms(clickFactors: beta, attraction: 2), bids: bids,
                                              values: (0..<n).map { perClick[$0] * alpha[$0] }, perClickValues: perClick)
            #expect((0..<n).allSatisfy { abs(auction.attraction(of: $0) - alpha[$0]) <= 1e-15 })
            var r = AuctionClearing(slots: slots, advertisers: n)
            try format.clear(auction, into: &r)
            let won = r.valueWon
            let c = (0..<n).map { auction.attraction(of: $0) > 0 ? bids[$0] / auction.attraction(of: $0) : 0 }
            // Brute force: position j holds ad page[j] (−1: empty), ads distinct.
            func pages(_ j: Int, _ used: Set<Int>) -> [[Int]] {
                guard j < slots else { return [[]] }
                var out: [[Int]] = []
                let free = (0..<n).filter { b in !used.contains(b) && alpha[b] > 0 }
                for a in [-1] + free {
                    for rest in pages(j + 1, a >= 0 ? used.union([a]) : used) { out.append([a] + rest) }
                }
                return out
            }
            func ctr(_ page: [Int]) -> [Double] {
                var pi = [Double](repeating: 0, count: n), total = 1.0
                for (j, a) in page.enumerated() where a >= 0 { total += 2 * alpha[a] * beta[j] }
                for (j, a) in page.enumerated() where a >= 0 { pi[a] = 2 * alpha[a] * beta[j] / total }
                return pi
            }
            func welfare(_ page: [Int], without: Int? = nil) -> Double {
                let pi = ctr(page)
                var total = 0.0
                for a in 0..<n where a != without { total += c[a] * pi[a] }
                return total
            }
            let all = pages(0, [])
            let best = all.map { welfare($0) }.max()!
            let chosen = (0..<slots).map { r.slotHolder[$0] == -2 ? -1 : r.slotHolder[$0] }
            #expect(abs(welfare(chosen) - best) <= 1e-9 * max(1, best), "auction \(k): \(welfare(chosen)) vs brute force \(best)")
            let pi = ctr(chosen)
            for a in 0..<n {
                #expect(abs(won[a] - perClick[a] * pi[a]) <= 1e-12)
                let othersBest = all.filter { !$0.contains(a) }.map { welfare($0) }.max()!
                let externality = othersBest - welfare(chosen, without: a)
                #expect(abs(r.payment[a] - externality) <= 1e-9 * max(1, best), "auction \(k) ad \(a): VCG \(r.payment[a]) vs \(externality)")
                let cf = try format.counterfactual(bid: bids[a], advertiser: a, in: auction)
                #expect(abs(cf.value - won[a]) <= 1e-12 && abs(cf.payment - r.payment[a]) <= 1e-12)
            }
        }
    }

    @Test("one slot: second price pays the highest other bid (outside bid and reserve included), first price its bid; ties go to the outside bid, then the lower index")
    func oneSlot() {
        var sp = SeparableSlotFormat.secondPrice, fp = SeparableSlotFormat.firstPrice
        var r = AuctionClearing(slots: 1, advertisers: 3)
        func auction(_ bids: [Double], outside: Double) -> AutobidAuctionInput {
            AutobidAuctionInput(terms: AutobidAuctionTerms(clickFactors: [1], reserve: 0.2), bids: bids, values: [1, 2, 3], outside: outside)
        }
        sp.clear(auction([0.5, 0.9, 0.1], outside: 0.6), into: &r)
        #expect(r.slotHolder == [1] && r.payment == [0, 0.6, 0] && r.valueWon == [0, 2, 0] && r.outsideValue == 0)
        fp.clear(auction([0.5, 0.9, 0.1], outside: 0.6), into: &r)
        #expect(r.slotHolder == [1] && r.payment == [0, 0.9, 0])
        sp.clear(auction([0.5, 0.5, 0.1], outside: 0), into: &r)
        #expect(r.slotHolder == [0] && r.payment == [0.5, 0, 0] && r.valueWon == [1, 0, 0])
        sp.clear(auction([0.6, 0.5, 0.1], outside: 0.6), into: &r)
        #expect(r.slotHolder == [-1] && r.payment == [0, 0, 0] && r.valueWon == [0, 0, 0] && r.outsideValue == 0.6)
        sp.clear(auction([0.1, 0.15, 0], outside: 0), into: &r)   // all under the reserve
        #expect(r.slotHolder == [-2] && r.payment == [0, 0, 0] && r.outsideValue == 0)
        sp.clear(auction([0.3, 0.1, 0], outside: 0), into: &r)    // alone above the reserve: pays it
        #expect(r.slotHolder == [0] && r.payment == [0.2, 0, 0])
    }

    // MARK: liquid-welfare LP

    /// Closed forms: without budgets the LP is Σ_i max(max_a v_ai, d_i); with one advertiser and
    /// no outside bid it is min(B, Σ v). With budgets it lies between the best integral
    /// allocation (brute force over 3^T assignments) and min(Σ B + outside, the unbudgeted value).
    @Test("liquid-welfare LP: closed forms and the brute-force integral optimum, GLPK and Clp", arguments: [LPSolverChoice.Backend.glpk, .clp])
    func liquidWelfareLP(backend: LPSolverChoice.Backend) throws {
        let choice = LPSolverChoice(backend: backend)
        for k in 0..<30 {
            let free = Self.market(k, n: 3, t: 6, budgetRatio: nil, roi: nil, outside: true)
            let expected = (0..<6).reduce(0.0) { acc, i in acc + max((0..<3).map { free.values[$0][i] }.max()!, free.outside[i]) }
            #expect(abs(try LiquidWelfareLP.solve(free, clickFactors: [1], lp: choice).value - expected) <= 1e-9)
            let one = Self.market(k, n: 1, t: 6, budgetRatio: 0.4, roi: nil)
            #expect(abs(try LiquidWelfareLP.solve(one, clickFactors: [1], lp: choice).value - min(one.budgets[0], one.values[0].reduce(0, +))) <= 1e-9)
            let d = Self.market(k, n: 2, t: 6, budgetRatio: 0.6, roi: nil, outside: true)
            let lp = try LiquidWelfareLP.solve(d, clickFactors: [1], lp: choice).value
            var integral = 0.0
            for code in 0..<729 {   // each auction to advertiser 0, 1 or the outside bid
                var c = code, value = [0.0, 0.0], out = 0.0
                for i in 0..<6 { let w = c % 3; c /= 3; if w < 2 { value[w] += d.values[w][i] } else { out += d.outside[i] } }
                integral = max(integral, min(value[0], d.budgets[0]) + min(value[1], d.budgets[1]) + out)
            }
            #expect(lp >= integral - 1e-9)
            let cap = (0..<6).reduce(0.0) { $0 + max(d.values[0][$1], d.values[1][$1], d.outside[$1]) }
            #expect(lp <= min(cap, d.budgets.reduce(0, +) + d.outside.reduce(0, +)) + 1e-9)
        }
    }

    // MARK: published guarantees

    /// Aggarwal, Badanidiyuru & Mehta (WINE 2019), Theorem 3.2 / §4: in a truthful auction, value
    /// maximisers with budgets and tCPA targets that bid uniformly at least their value reach at
    /// least half the optimal liquid welfare. Two checks on each of 100 random markets (2–5
    /// advertisers, 30–80 auctions, tCPA ⇔ roi = 1, budget ratio U(0.2, 2)):
    /// - the theorem's hypothesis directly: fixed multipliers κ_a ~ U(1, 3), kept when every
    ///   target is met;
    /// - the dual-descent value maximisers, learning over the episode.
    /// Each is measured against the LP optimum (certified; LP tolerance 1e-9).
    @Test("ABM 2019: liquid welfare ≥ 1/2 of the LP optimum for value maximisers in second price and VCG (100 random markets each)")
    func halfOfLiquidWelfare() throws {
        var worstFixed = Double.infinity, worstLearned = Double.infinity, markets = 0, k = 0
        while markets < 100 {
            k += 1
            var s = Random.stream("abm", k)
            let n = 2 + Int(s.nextUnitDouble() * 4), t = 30 + Int(s.nextUnitDouble() * 51)
            let d = Self.market(10_000 + k, n: n, t: t, budgetRatio: 0.2 + 1.8 * s.nextUnitDouble(), roi: 1)
            let format = k % 2 == 0 ? SeparableSlotFormat.secondPrice : .vcg, terms = AutobidAuctionTerms(clickFactors: [1])
            let opt = try LiquidWelfareLP.solve(d, clickFactors: [1]).value
            var fixed: [any Autobidder] = (0..<n).map { _ in LinearBidder(multiplier: 1 + 2 * s.nextUnitDouble()) }
            let e = try AutobidMarket.run(d, bidders: &fixed, format: format, terms: terms, controlInterval: 10, bidderSeed: 1)
            guard AutobidMetrics.roiViolation(e, d) <= 1e-12 else { continue }
            markets += 1
            let ratio = AutobidMetrics.liquidWelfare(e, d) / opt
            worstFixed = min(worstFixed, ratio)
            #expect(ratio >= 0.5 - 1e-9, "market \(k): fixed multipliers reach \(ratio) of OPT")
            var learners: [any Autobidder] = (0..<n).map { DualValueMaximiser(setup: d.setup($0)) }
            let l = try AutobidMarket.run(d, bidders: &learners, format: format, terms: terms, controlInterval: 10, bidderSeed: 1)
            let learned = AutobidMetrics.liquidWelfare(l, d) / opt
            worstLearned = min(worstLearned, learned)
            #expect(learned >= 0.5 - 1e-9, "market \(k): dual-descent value maximisers reach \(learned) of OPT")
        }
        print("ABM 1/2 check: 100 markets (of \(k) drawn); worst LW/OPT fixed multipliers \(worstFixed), dual-descent \(worstLearned)")
    }

    /// Cesa-Bianchi & Lugosi (2006), Theorem 2.2: Hedge with η = √(8 ln K / T) has regret at most
    /// √(T ln K / 2) against the best fixed action, for any gain sequence in [0, 1]. Here the
    /// regret is the exact expected one (Hedge's own probabilities), against each grid multiplier's
    /// cumulative gain, in second and first price with truthful and Hedge opponents.
    @Test("Hedge's expected regret ≤ √(T ln K / 2) (Cesa-Bianchi & Lugosi Thm 2.2)", arguments: [SeparableSlotFormat.secondPrice, .firstPrice, .gsp])
    func hedgeRegretBound(format: SeparableSlotFormat) throws {
        let t = 3000
        let d = Self.market(7, n: 4, t: t, budgetRatio: nil, roi: nil, outside: true)
        let grid = [0.25, 0.5, 0.75, 1, 1.25, 1.5]
        var bidders: [any Autobidder] = [HedgeBidder(grid: grid, setup: d.setup(0)), HedgeBidder(grid: grid, setup: d.setup(1)), TruthfulBidder(), LinearBidder(multiplier: 0.7)]
        let beta = format.accepts(slots: 2) ? [1, 0.6] : [1.0]
        _ = try AutobidMarket.run(d, bidders: &bidders, format: format, terms: AutobidAuctionTerms(clickFactors: beta),
                              controlInterval: 100, bidderSeed: 3)
        let bound = (Double(t) * log(Double(grid.count)) / 2).squareRoot()
        for h in bidders.prefix(2).map({ $0 as! HedgeBidder }) {
            let regret = h.cumulativeGains.max()! - h.expectedGain
            #expect(regret <= bound, "\(format.name): regret \(regret) > bound \(bound)")
            #expect(regret > -bound)   // the best fixed arm cannot trail Hedge by more than the bound either way here
        }
    }

    /// Balseiro & Gur (2019), Theorem 3.3: adaptive pacing's regret against the hindsight optimum
    /// grows as O(√T) in stationary (i.i.d.) markets. One pacing bidder, values U(0, 1), the highest
    /// competing bid d ~ U(0, 1) i.i.d., budget ρT with ρ = 0.1, second price. The hindsight
    /// optimum is the fractional knapsack max Σ (v − d)x s.t. Σ d·x ≤ ρT (an upper bound on every
    /// policy, B&G §2). Regret is averaged over 8 seeds at T = 1,000 … 64,000; the least-squares
    /// slope of log regret on log T must have its 95 % interval below 1 and include 0.5 or less.
    @Test("adaptive pacing: regret vs the hindsight optimum grows as √T (log–log slope and its interval)")
    func adaptivePacingRegretSlope() throws {
        var xs: [Double] = [], ys: [Double] = []
        for exponent in 0...6 {
            let t = 1000 << exponent
            var total = 0.0
            for seed in 0..<8 {
                var s = Random.stream("pacing-\(t)", seed)
                let v = (0..<t).map { _ in s.nextUnitDouble() }, dd = (0..<t).map { _ in s.nextUnitDouble() }
                let budget = 0.1 * Double(t)
                let data = AutobidEpisodeData(values: [v], outside: dd, budgets: [budget], roiTargets: [nil])
                var bidders: [any Autobidder] = [AdaptivePacing(setup: data.setup(0))]
                let e = try AutobidMarket.run(data, bidders: &bidders, format: SeparableSlotFormat.secondPrice, terms: AutobidAuctionTerms(clickFactors: [1]),
                                          controlInterval: t, bidderSeed: 1)
                // Fractional knapsack: items with v > d by (v − d)/d descending.
                let ratio: [Double] = (0..<t).map { (v[$0] - dd[$0]) / dd[$0] }
                let items = (0..<t).filter { v[$0] > dd[$0] }.sorted { ratio[$0] > ratio[$1] }
                var left = budget, opt = 0.0
                for i in items { let take = min(1, left / dd[i]); opt += take * (v[i] - dd[i]); left -= take * dd[i]; if left <= 0 { break } }
                total += opt - (e.valueWon[0] - e.spend[0])
            }
            xs.append(log(Double(t))); ys.append(log(total / 8))
        }
        let n = Double(xs.count), mx = xs.reduce(0, +) / n, my = ys.reduce(0, +) / n
        let sxx = xs.reduce(0) { $0 + ($1 - mx) * ($1 - mx) }
        let slope = zip(xs, ys).reduce(0) { $0 + ($1.0 - mx) * ($1.1 - my) } / sxx
        let residual = zip(xs, ys).reduce(0) { let r = $1.1 - my - slope * ($1.0 - mx); return $0 + r * r }
        let se = (residual / (n - 2) / sxx).squareRoot()
        let half = 2.571 * se   // t quantile, 5 degrees of freedom, 95 %
        print("adaptive pacing regret slope \(slope) ± \(half) (95 %), regrets \(ys.map { exp($0) })")
        #expect(slope + half < 1, "regret is not sublinear: slope \(slope) ± \(half)")
        #expect(slope - half <= 0.5, "regret grows faster than √T: slope \(slope) ± \(half)")
    }

    /// On one slot GSP and VCG are second price (the payment rules coincide), so with the bidders'
    /// coins common to every format (workload streams) every metric of every population must be
    /// identical; first price must differ. Runs each cell through the experiment itself.
    @Test("one slot: GSP and VCG give second price's results metric for metric, every population; first price differs")
    func oneSlotFormatsCoincide() throws {
        let text = "mechanisms: [second_price, first_price, gsp, vcg]\nmarket: {advertisers: 4, auctions: 600, budget_ratio: 0.4, roi: 1}\n"
            + "liquid_welfare_lp: true\naudit: true\ncontrol_interval: 50\npopulations:\n"
            + AutobidderKind.allCases.filter { $0 != .linear && $0 != .constant }.map { "  - {name: \($0.rawValue), bidders: [{type: \($0.rawValue)}]}\n" }.joined()
        let experiment = try Self.load(text).experiment
        let context = RunContext(workloadSeed: 5, mechanismSeed: 9, replicate: 0)
        var byCell: [String: [(String, Double)]] = [:]
        for (i, cell) in experiment.renderedCells.enumerated() {
            let population = "\(cell.parameters[0].1)"
            byCell[cell.mechanism + "/" + population] = try experiment.run(cellAt: i, context: RunContext(
                workloadSeed: context.workloadSeed, mechanismSeed: UInt64(cell.mechanism.count), replicate: 0)).metrics
        }
        #expect(byCell.count == 4 * 9)
        for (key, metrics) in byCell where key.hasPrefix("second_price/") {
            let population = key.dropFirst("second_price/".count)
            for other in ["gsp", "vcg"] {
                let m = byCell["\(other)/\(population)"]!
                #expect(m.map(\.0) == metrics.map(\.0))
                for (a, b) in zip(m, metrics) { #expect(a.1 == b.1 || (a.1.isNaN && b.1.isNaN), "\(other)/\(population) \(a.0): \(a.1) vs \(b.1)") }
            }
            let first = byCell["first_price/\(population)"]!
            #expect(zip(first, metrics).contains { $0.1 != $1.1 }, "first price equals second price for \(population)")
        }
    }

    // MARK: bad input

    static func load(_ body: String) throws -> Scenario {
        try Scenario.load(text: "schema_version: 1\nname: t\nkind: autobidding\nseed: 1\n" + body, file: "t.yaml", directory: "/tmp")
    }
    static let base = "mechanisms: [second_price]\nmarket: {advertisers: 3, auctions: 100, budget_ratio: 0.5}\npopulations: [{name: p, bidders: [{type: adaptive_pacing}]}]\n"

    @Test("bad input: negative budget, tCPA 0, unknown bidder or mechanism, a one-point grid, counts that do not add up, a one-slot format on several slots")
    func badInput() throws {
        #expect(try Self.load(Self.base).experiment.cells.count == 1)
        let cases: [(String, String)] = [
            (Self.base.replacingOccurrences(of: "budget_ratio: 0.5", with: "budget_ratio: -1"), "budget_ratio"),
            (Self.base.replacingOccurrences(of: "budget_ratio: 0.5", with: "tcpa: 0"), "tcpa"),
            (Self.base.replacingOccurrences(of: "adaptive_pacing", with: "oracle"), "expected one of truthful"),
            (Self.base.replacingOccurrences(of: "[second_price]", with: "[english]"), "expected one of second_price"),
            (Self.base + "grid: [1]\n", "grid"),
            (Self.base.replacingOccurrences(of: "{type: adaptive_pacing}", with: "{type: hedge, count: 2}"), "add up to 2"),
            (Self.base.replacingOccurrences(of: "budget_ratio: 0.5", with: "slots: [1, 0.5]"), "one-slot format"),
            (Self.base.replacingOccurrences(of: "[second_price]", with: "[mnl_optimum]").replacingOccurrences(of: "budget_ratio: 0.5", with: "outside_mean: 1"), "no outside bid"),
        ]
        for (text, fragment) in cases {
            do { _ = try Self.load(text); Issue.record("accepted: \(text)") } catch {
                #expect("\(error)".contains(fragment), "\(error)")
                #expect("\(error)".contains("t.yaml:"), "no location: \(error)")
            }
        }
    }
}
