import Foundation
import GavelCore
import GavelLP
import Testing
@testable import GavelInfoAcq

/// Spec A.6: the paper's comparison class of uncorrelated mechanisms (product recommendations,
/// payments γ_i(s, θ) independent of the recommended profile). Expected values come from hand
/// derivations (docs/infoacq.md, "Sanity values") or from an oracle LP written here in another
/// form (conditional IC rows per recommendation actually made, every reporting map enumerated, no
/// z variables, no penalty), never from the code under test.
@Suite("Best uncorrelated mechanism (spec A.6)")
struct UncorrelatedTests {
    typealias F = InfoAcqFamilies

    // MARK: the oracle

    /// The best uncorrelated mechanism for fixed marginals, by an independent LP: variables
    /// g_i(s, θ) ∈ [0, B]; for every agent i, recommendation k with P_i(k) > 0, effort e and
    /// reporting map ρ, the conditional IC row
    ///   Σ_{a_-i} φ_-i(a_-i) Σ_{s,θ} μ q_{(k,a_-i)}(s|θ) g_i(s,θ) − c_i(k)
    ///     ≥ Σ_{a_-i} φ_-i(a_-i) Σ_{s,θ} μ q_{(e,a_-i)}(s|θ) g_i((ρ(s_i), s_-i), θ) − c_i(e);
    /// objective Σ_a φ(a) [Σ_s max_d Σ_θ μ q_a(s|θ) u(d,θ) − Σ_i Σ_{s,θ} μ q_a(s|θ) g_i(s,θ)].
    /// Nil when infeasible.
    static func oracle(_ x: InfoAcqInstance, marginals p: [[Double]]) throws -> Double? {
        let n = x.agentCount, nA = x.profileCount, nS = x.signalProfileCount, nT = x.stateCount
        func phi(_ a: Int) -> Double { (0..<n).reduce(1.0) { $0 * p[$1][x.action(of: $1, in: a)] } }
        func phiOthers(_ i: Int, _ a: Int) -> Double { (0..<n).reduce(1.0) { $1 == i ? $0 : $0 * p[$1][x.action(of: $1, in: a)] } }
        var lp = LinearProgram(direction: .maximize)
        var decisions = 0.0
        for a in 0..<nA {
            for s in 0..<nS {
                var best = -Double.infinity
                for d in 0..<x.decisionCount {
                    var v = 0.0
                    for t in 0..<nT { v += x.prior[t] * x.q(a, t, s) * x.utility[d][t] }
                    best = max(best, v)
                }
                decisions += phi(a) * best
            }
        }
        lp.objectiveConstant = decisions
        var g: [[LPVariable]] = []   // g[i][s * nT + t]
        for _ in 0..<n {
            var row: [LPVariable] = []
            for s in 0..<nS {
                for t in 0..<nT {
                    var w = 0.0
                    for a in 0..<nA { w += phi(a) * x.prior[t] * x.q(a, t, s) }
                    row.append(lp.addVariable(lower: 0, upper: x.paymentCap, objective: -w))
                }
            }
            g.append(row)
        }
        for i in 0..<n {
            let nSi = x.signalCounts[i]
            var maps = 1
            for _ in 0..<nSi { maps *= nSi }
            for k in 0..<x.actionCounts[i] where p[i][k] > 0 {
                // Profiles a with a_i = k stand for a_-i.
                let others = (0..<nA).filter { x.action(of: i, in: $0) == k }
                for e in 0..<x.actionCounts[i] {
                    for code in 0..<maps {
                        var rho = [Int](repeating: 0, count: nSi), c = code
                        for si in 0..<nSi { rho[si] = c % nSi; c /= nSi }
                        var coef = [Double](repeating: 0, count: nS * nT)
                        for a in others {
                            let w = phiOthers(i, a), dev = x.profile(a, replacing: i, with: e)
                            for s in 0..<nS {
                                let r = x.signals(s, replacing: i, with: rho[x.signal(of: i, in: s)])
                                for t in 0..<nT {
                                    coef[s * nT + t] += w * x.prior[t] * x.q(a, t, s)
                                    coef[r * nT + t] -= w * x.prior[t] * x.q(dev, t, s)
                                }
                            }
                        }
                        let costs = x.agents[i].costs
                        lp.addConstraint((0..<(nS * nT)).filter { coef[$0] != 0 }.map { (g[i][$0], coef[$0]) },
                                         .greaterOrEqual(costs[k] - costs[e]))
                    }
                }
            }
        }
        let solution = try GLPKSolver().solve(lp)
        return solution.status == .optimal ? solution.objectiveValue : nil
    }

    static func commonNoise(cap: Double) throws -> InfoAcqInstance {
        let agents = ["a1", "a2"].map { F.AgentSpec($0, [F.ActionSpec("shirk", cost: 0, 0), F.ActionSpec("work", cost: 0.05, 1)]) }
        return try F.commonNoise(noise: 0.3, agents: agents, cap: cap)
    }

    /// Every agent's γ_i(a, s, θ) is the same number in every profile a, read off the design.
    static func paymentsIgnoreProfile(_ x: InfoAcqInstance, _ m: InfoAcqMechanism) -> Bool {
        for i in 0..<x.agentCount {
            for s in 0..<x.signalProfileCount {
                for t in 0..<x.stateCount {
                    let first = m.gamma(x, agent: i, profile: 0, signals: s, state: t)
                    for a in 1..<x.profileCount where m.gamma(x, agent: i, profile: a, signals: s, state: t) != first { return false }
                }
            }
        }
        return true
    }

    /// Recommendations are a product: φ(a) = Π_i P_i(a_i) for the design's own marginals.
    static func isProduct(_ x: InfoAcqInstance, _ m: InfoAcqMechanism) -> Bool {
        (0..<x.profileCount).allSatisfy { a in
            abs(m.recommendation[a] - (0..<x.agentCount).reduce(1.0) { $0 * m.marginal(x, agent: $1, action: x.action(of: $1, in: a)) }) <= 1e-12
        }
    }

    // MARK: hand-derived single-agent values

    /// One agent: the LP over correlated recommendations is linear in φ (each IC row involves
    /// one profile only), so its optimum is a point mass, and at a point mass "payments do not
    /// depend on the recommended profile" restricts nothing (only one profile is ever sent).
    /// Hence uncorrelated = correlated = deterministic: the hand-derived 0.8 (perfect), 8/15
    /// (noisy, flip 0.2) and 0.5 (one-sided: not hiring beats forced work at 0.45), cap 0.4.
    @Test("one agent: the class restriction is vacuous, so the values are the hand-derived 0.8, 8/15, 0.5")
    func singleAgent() throws {
        let agent = { (accuracy: Double) in [F.AgentSpec("a1", [F.ActionSpec("shirk", cost: 0, 0.5), F.ActionSpec("work", cost: 0.1, accuracy)])] }
        let cases: [(InfoAcqInstance, Double)] = [
            (try F.independentNoisy(agents: agent(1), cap: 0.4), 0.8),
            (try F.independentNoisy(agents: agent(0.8), cap: 0.4), 8.0 / 15.0),
            (try F.oneSided(agents: [F.AgentSpec("a1", [F.ActionSpec("shirk", cost: 0, 0), F.ActionSpec("work", cost: 0.1, 0.5)])], cap: 0.4), 0.5),
        ]
        for (x, expected) in cases {
            let u = try InfoAcqUncorrelatedBest.solve(x, classUpperBound: .infinity)
            #expect(u.method == "branch_and_bound")
            #expect(abs(u.lowerBound - expected) <= 1e-9, "lower \(u.lowerBound) vs \(expected)")
            #expect(abs(u.upperBound - expected) <= 1e-6, "upper \(u.upperBound) vs \(expected)")
            let m = try #require(u.mechanism)
            #expect(InfoAcqCertificate.check(x, m).maxGain <= 1e-9)
        }
        // Forced work on the one-sided instance (spec A.3: 0.45) through the fixed-φ LP.
        let oneSided = cases[2].0
        let forced = try InfoAcqUncorrelatedLP(oneSided).solve(phi: [0, 1], penalty: nil)
        #expect(abs(try #require(forced.value) - 0.45) <= 1e-9)
    }

    // MARK: brute force over product marginals

    /// 2 agents × 2 actions: a 21 × 21 grid of marginals, each solved by the oracle LP. No grid
    /// value may exceed the certified upper bound; the oracle at the search's own marginals
    /// reproduces its lower bound; the bounds are within the stated tolerance (1e-6, or the
    /// budget's gap, reported).
    @Test("2×2 brute force: grid of marginals × oracle LP never exceeds the upper bound; the lower bound is reproduced",
          arguments: ["common_noise_cap", "common_noise_loose_cap", "random_3", "random_8", "random_21"])
    func bruteForce(instance: String) throws {
        let x: InfoAcqInstance
        switch instance {
        case "common_noise_cap": x = try Self.commonNoise(cap: 0.12)
        case "common_noise_loose_cap": x = try Self.commonNoise(cap: 1)
        default: x = try F.random(agents: 2, actions: 2, signals: 2, states: 2, maxCost: 0.2, cap: 0.5, seed: UInt64(instance.dropFirst(7))!)
        }
        let u = try InfoAcqUncorrelatedBest.solve(x, classUpperBound: .infinity, maxLPs: 4000)
        #expect(u.lowerBound <= u.upperBound)
        #expect(u.upperBound - u.lowerBound <= 1e-5, "gap \(u.upperBound - u.lowerBound) after \(u.lpSolves) LPs")
        var gridBest = -Double.infinity
        let steps = 20
        for k1 in 0...steps {
            for k2 in 0...steps {
                let p1 = Double(k1) / Double(steps), p2 = Double(k2) / Double(steps)
                guard let v = try Self.oracle(x, marginals: [[1 - p1, p1], [1 - p2, p2]]) else { continue }
                gridBest = max(gridBest, v)
                #expect(v <= u.upperBound + 1e-7, "grid point (\(p1), \(p2)) = \(v) above the upper bound \(u.upperBound)")
            }
        }
        #expect(gridBest > -.infinity)
        // The lower bound is what the oracle gives at the search's marginals (the mechanism is feasible and that good).
        let atBest = try #require(try Self.oracle(x, marginals: u.marginals))
        #expect(abs(atBest - u.lowerBound) <= 1e-7, "oracle \(atBest) vs lower bound \(u.lowerBound)")
    }

    // MARK: necessary consequences of the nesting

    /// deterministic ⊂ uncorrelated ⊂ product ⊂ correlated, so (necessary consequences, not a
    /// proof of optimality) deterministic ≤ uncorrelated lower ≤ product upper and uncorrelated
    /// lower ≤ correlated, on random small instances; each design is IC and payment-independent.
    @Test("ordering deterministic ≤ uncorrelated ≤ product ≤ correlated on random 2×2×2×2 instances (necessary consequences)")
    func ordering() throws {
        for seed in UInt64(1)...10 {
            let x = try F.random(agents: 2, actions: 2, signals: 2, states: 2, maxCost: 0.2, cap: 0.5, seed: seed)
            let correlated = try #require(try InfoAcqLP.solve(x).value)
            let product = try InfoAcqProductBest.solve(x, correlatedValue: correlated, maxLPs: 800)
            let deterministic = try InfoAcqDeterministicBest.solve(x)
            let u = try InfoAcqUncorrelatedBest.solve(x, classUpperBound: .infinity, maxLPs: 800)
            #expect(deterministic.value <= u.lowerBound + 1e-7, "seed \(seed)")
            #expect(u.lowerBound <= u.upperBound, "seed \(seed)")
            #expect(u.lowerBound <= product.upperBound + 1e-7, "seed \(seed)")
            #expect(product.lowerBound <= correlated + 1e-7, "seed \(seed)")
            #expect(u.upperBound >= deterministic.value - 1e-7, "seed \(seed)")
            let m = try #require(u.mechanism)
            #expect(InfoAcqCertificate.check(x, m).maxGain <= 1e-9, "seed \(seed)")
            #expect(Self.paymentsIgnoreProfile(x, m), "seed \(seed)")
            #expect(Self.isProduct(x, m), "seed \(seed)")
            // The value claimed is the mechanism's exact value under obedience.
            #expect(abs(InfoAcqEvaluation.utilities(x, m).principal - u.lowerBound) <= 1e-12, "seed \(seed)")
        }
    }

    // MARK: the registered designer's output

    /// Through the registry and the public protocol, on the scenario's two-agent instances: the
    /// design's φ is a product, its payments are the same in every profile (read from the design),
    /// the certificate finds no gain above 1e-9, and the exact value is the one claimed.
    @Test("the registered 'uncorrelated' design: product φ, payments independent of the profile, IC certificate ≤ 1e-9",
          arguments: [0.12, 1.0])
    func registeredDesign(cap: Double) throws {
        let x = try Self.commonNoise(cap: cap)
        let analysis = try InfoAcqAnalysis.run(x, equilibria: false)
        let designer = try InfoAcqMechanisms.registry.resolve("uncorrelated")
        let design = try designer.design(analysis)
        let m = design.mechanism
        #expect(Self.paymentsIgnoreProfile(x, m))
        #expect(Self.isProduct(x, m))
        #expect(InfoAcqCertificate.check(x, m).maxGain <= 1e-9)
        #expect(InfoAcqMisreportAudit.maxGain(x, m) <= 1e-9)
        #expect(abs(InfoAcqEvaluation.utilities(x, m).principal - design.value) <= 1e-12)
        // Nesting against the other classes of the same analysis.
        let u = try #require(analysis.uncorrelated)
        #expect(u.lowerBound >= analysis.deterministic.value - 1e-9)
        let product = try #require(analysis.product)
        #expect(u.upperBound <= product.upperBound + 1e-12)
        #expect(analysis.value - u.upperBound >= 0)
    }

    /// The example file (common noise η = 0.4, cap 0.5). A lone worker observes c, which equals θ
    /// w.p. 0.6 + 0.4/2 = 0.8, and the shirker's uniform signal carries nothing: the single noisy
    /// agent of the sanity values, 8/15 (hand-derived), so 8/15 ≤ deterministic ≤ uncorrelated.
    /// The product class's certified upper bound (another search) caps it from above.
    @Test("example file: 8/15 (a lone worker, hand-derived) ≤ uncorrelated ≤ product upper bound")
    func exampleFile() throws {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Scenarios/instances/infoacq-two-agents.yaml")
        let x = try InfoAcqInstanceFile.read(path: url.path)
        let correlated = try #require(try InfoAcqLP.solve(x).value)
        let product = try InfoAcqProductBest.solve(x, correlatedValue: correlated)
        let u = try InfoAcqUncorrelatedBest.solve(x, classUpperBound: .infinity)
        #expect(u.lowerBound >= 8.0 / 15.0 - 1e-9)
        #expect(u.lowerBound <= product.upperBound + 1e-9)
        #expect(u.upperBound - u.lowerBound <= 1e-6)
    }
}
