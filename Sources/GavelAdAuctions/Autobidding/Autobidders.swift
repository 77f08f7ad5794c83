import Foundation
import GavelCore

/// What an autobidder is told before the episode: its constraints and the scales it needs.
public struct AutobidderSetup: Sendable {
    /// Budget for the episode (`.infinity`: none).
    public var budget: Double
    /// Auctions in the episode, T.
    public var horizon: Int
    /// Return-on-spend target γ: spend ≤ value / γ (nil: no such constraint). A tCPA bidder whose
    /// value per conversion is V has γ = V / tCPA.
    public var roiTarget: Double?
    /// An upper bound on one auction's value (normalises learners' gains and pacing steps).
    public var valueScale: Double

    /// A setup for an episode of `horizon` auctions (no budget and no return-on-spend target by default).
    public init(budget: Double = .infinity, horizon: Int, roiTarget: Double? = nil, valueScale: Double) {
        self.budget = budget; self.horizon = horizon; self.roiTarget = roiTarget; self.valueScale = valueScale
    }
    /// The per-auction spend target ρ = B / T.
    var spendRate: Double { budget / Double(horizon) }
}

/// One auction's outcome as the bidder sees it.
public struct BidderFeedback: Sendable {
    /// The bidder's slot-1 value this auction.
    public var value: Double
    /// What the bidder bid.
    public var bid: Double
    /// β_j · value of the slot won (0 without one).
    public var wonValue: Double
    /// What it paid (0 without a slot).
    public var payment: Double
}

/// A bidder in a repeated auction (docs/autobidding.md). The market asks for a bid per auction
/// (capped by the budget left), reports the outcome, and ticks the controllers every control
/// interval. `counterfactual(b)` answers what bid b would have got in the auction just run
/// (the others' bids fixed): full-feedback learners use it, bandit ones do not.
public protocol Autobidder: Sendable {
    /// The rule's name (an ``AutobidderKind`` raw value).
    var name: String { get }
    /// The current bid / value ratio (tracked for convergence).
    var multiplier: Double { get }
    /// The bid for an auction where the bidder's value is `value`; `random` is the bidder's own stream.
    mutating func bid(value: Double, random: inout Xoshiro256StarStar) -> Double
    /// Learns from the auction just run; `counterfactual(b)` gives the value won and payment a bid b
    /// would have had. It throws when the format's counterfactual fails (the MNL optimiser's
    /// certificate): a learner passes the failure on (`rethrows`), and the run fails with it
    /// rather than learning from a made-up outcome.
    mutating func observe(_ feedback: BidderFeedback, counterfactual: (Double) throws -> (value: Double, payment: Double)) rethrows
    /// A control tick (every `control_interval` auctions); default: nothing.
    mutating func control()
}

extension Autobidder {
    /// Nothing: only controllers act on ticks.
    public mutating func control() {}
}

// MARK: - Fixed rules

/// Bids its value (a dominant strategy in second price and VCG without a budget).
public struct TruthfulBidder: Autobidder {
    /// `truthful`.
    public let name = "truthful"
    /// Always 1.
    public var multiplier: Double { 1 }
    /// The truthful bidder.
    public init() {}
    /// The value.
    public mutating func bid(value: Double, random: inout Xoshiro256StarStar) -> Double { value }
    /// Nothing to learn.
    public mutating func observe(_ feedback: BidderFeedback, counterfactual: (Double) throws -> (value: Double, payment: Double)) {}
}

/// Bids m · value (a fixed multiplier; m = 1 is truthful).
public struct LinearBidder: Autobidder {
    /// `linear`.
    public let name = "linear"
    /// m, the fixed bid / value ratio.
    public let multiplier: Double
    /// A bidder bidding `multiplier` × value.
    public init(multiplier: Double) { self.multiplier = multiplier }
    /// m · value.
    public mutating func bid(value: Double, random: inout Xoshiro256StarStar) -> Double { multiplier * value }
    /// Nothing to learn.
    public mutating func observe(_ feedback: BidderFeedback, counterfactual: (Double) throws -> (value: Double, payment: Double)) {}
}

/// Bids a constant.
public struct ConstantBidder: Autobidder {
    /// `constant`.
    public let name = "constant"
    /// The constant bid.
    public let amount: Double
    /// amount / value of the last bid (0 for a zero value).
    public private(set) var multiplier: Double = 0
    /// A bidder bidding `amount` every auction.
    public init(amount: Double) { self.amount = amount }
    /// `amount`, whatever the value.
    public mutating func bid(value: Double, random: inout Xoshiro256StarStar) -> Double {
        multiplier = value > 0 ? amount / value : 0
        return amount
    }
    /// Nothing to learn.
    public mutating func observe(_ feedback: BidderFeedback, counterfactual: (Double) throws -> (value: Double, payment: Double)) {}
}

// MARK: - Budget pacing (utility maximisers with a budget)

/// Adaptive pacing (Balseiro & Gur, Management Science 2019, Algorithm 1): bid v / (1 + μ) and
/// update μ ← Proj_[0, μ̄](μ − ε(ρ − z)) after each auction, z the spend, ρ = B / T.
/// ε = step / valueScale (the paper's ε is in inverse money units); the default step T^(−1/2)
/// is the paper's order for O(√T) regret. μ̄ = valueScale / ρ (the paper asks μ̄ ≥ v̄ / ρ).
public struct AdaptivePacing: Autobidder {
    /// `adaptive_pacing`.
    public let name = "adaptive_pacing"
    /// μ, the budget constraint's dual variable, in [0, μ̄].
    public private(set) var mu = 0.0
    let rate: Double, epsilon: Double, muMax: Double
    /// 1 / (1 + μ).
    public var multiplier: Double { 1 / (1 + mu) }

    /// Pacing for `setup`'s budget; `step` overrides the default step T^(−1/2).
    public init(setup: AutobidderSetup, step: Double? = nil) {
        rate = setup.spendRate
        epsilon = (step ?? 1 / Double(setup.horizon).squareRoot()) / setup.valueScale
        muMax = rate > 0 && rate.isFinite ? setup.valueScale / rate : 0
    }
    /// v / (1 + μ).
    public mutating func bid(value: Double, random: inout Xoshiro256StarStar) -> Double { value / (1 + mu) }
    /// The dual step on the spend just observed (nothing without a finite budget).
    public mutating func observe(_ feedback: BidderFeedback, counterfactual: (Double) throws -> (value: Double, payment: Double)) {
        guard rate.isFinite else { return }
        mu = min(max(mu - epsilon * (rate - feedback.payment), 0), muMax)
    }
}

/// The relative spend-rate error the pacing controllers act on: e = (ρ − r) / ρ at a control tick,
/// r the spend per auction since the previous tick (then the window restarts).
struct SpendRateWindow: Sendable {
    let rate: Double
    private var spent = 0.0, auctions = 0
    init(rate: Double) { self.rate = rate }
    mutating func record(payment: Double) { spent += payment; auctions += 1 }
    /// Nil without a finite positive target or without auctions since the last tick.
    mutating func take() -> Double? {
        guard rate.isFinite, rate > 0, auctions > 0 else { return nil }
        let e = (rate - spent / Double(auctions)) / rate
        spent = 0; auctions = 0
        return e
    }
}

/// Proportional–integral–derivative control of the spend rate on the log of the bid multiplier:
/// every control tick e = (ρ − r) / ρ with r the spend per auction since the last tick, and
/// λ = clamp(exp(k_p e + k_i Σe + k_d Δe), λ_min, 1). Bids λ · v.
public struct PIDPacing: Autobidder {
    /// `pid_pacing`.
    public let name = "pid_pacing"
    /// λ, in [0.01, 1].
    public private(set) var multiplier = 1.0
    let gains: (p: Double, i: Double, d: Double)
    var error: SpendRateWindow
    var integral = 0.0, previous = 0.0
    static let floor = 0.01

    /// PID pacing with gains k_p, k_i, k_d on `setup`'s spend rate.
    public init(setup: AutobidderSetup, kp: Double = 0.5, ki: Double = 0.05, kd: Double = 0) {
        error = SpendRateWindow(rate: setup.spendRate); gains = (kp, ki, kd)
    }
    /// λ · v.
    public mutating func bid(value: Double, random: inout Xoshiro256StarStar) -> Double { multiplier * value }
    /// Records the payment in the spend-rate window.
    public mutating func observe(_ feedback: BidderFeedback, counterfactual: (Double) throws -> (value: Double, payment: Double)) {
        error.record(payment: feedback.payment)
    }
    /// Updates λ from the window's relative error (nothing without a finite positive target or auctions since the last tick).
    public mutating func control() {
        guard let e = error.take() else { return }
        integral += e
        multiplier = min(max(exp(gains.p * e + gains.i * integral + gains.d * (e - previous)), Self.floor), 1)
        previous = e
    }
}

/// Probabilistic throttling: enter each auction with probability π (bidding the value), with
/// π ← clamp(π · exp(k e), π_min, 1) at each control tick, e = (ρ − r) / ρ as in `PIDPacing`.
/// The coin comes from the bidder's own stream.
public struct ThrottledPacing: Autobidder {
    /// `throttling`.
    public let name = "throttling"
    /// π, the probability of entering an auction, in [0.01, 1].
    public private(set) var probability = 1.0
    /// π: the bid / value ratio in expectation.
    public private(set) var multiplier = 1.0
    let gain: Double
    var error: SpendRateWindow
    static let floor = 0.01

    /// Throttling with gain k on `setup`'s spend rate.
    public init(setup: AutobidderSetup, gain: Double = 1) { error = SpendRateWindow(rate: setup.spendRate); self.gain = gain }
    /// The value with probability π, else 0 (one draw from `random`).
    public mutating func bid(value: Double, random: inout Xoshiro256StarStar) -> Double {
        let enter = random.nextUnitDouble() < probability
        multiplier = probability
        return enter ? value : 0
    }
    /// Records the payment in the spend-rate window.
    public mutating func observe(_ feedback: BidderFeedback, counterfactual: (Double) throws -> (value: Double, payment: Double)) {
        error.record(payment: feedback.payment)
    }
    /// π ← clamp(π · exp(k e), 0.01, 1).
    public mutating func control() {
        guard let e = error.take() else { return }
        probability = min(max(probability * exp(gain * e), Self.floor), 1)
    }
}

// MARK: - Value maximisers (budget and return-on-spend constraints)

/// Uniform bid scaling by dual descent (the value maximiser of Aggarwal, Badanidiyuru & Mehta,
/// WINE 2019; the dual update of Balseiro, Lu & Mirrokni 2020): maximise Σ value subject to
/// Σ spend ≤ B and Σ spend ≤ Σ value / γ. The Lagrangian per auction is
/// x·v·(1 + λ/γ) − p·(μ + λ), so in a truthful auction the bid is κ·v with
/// κ = (1 + λ/γ) / (μ + λ), capped at `maxMultiplier`. After each auction, with spend z and
/// value won g: μ ← max(0, μ + η(z − ρ)), λ ← max(0, λ + η(z − g/γ)), η = step / valueScale.
public struct DualValueMaximiser: Autobidder {
    /// `value_maximiser`.
    public let name = "value_maximiser"
    /// λ starts at 10, so the first bids are κ ≈ 1 + 1/(10γ)·… ≈ v (for γ = 1, κ = 1.1): bidding about
    /// the value meets a return-on-spend target in a truthful auction, and the descent relaxes λ
    /// from there. (Starting at λ = 1, κ = 2, the targets were missed by 9–73 % over 4,000-auction
    /// episodes.)
    public private(set) var mu = 0.0, lambda = 10.0
    let rate: Double, gamma: Double, eta: Double, maxMultiplier: Double, hasROI: Bool

    /// The maximiser for `setup`'s budget and target; `step` overrides the default step, bids are capped at `maxMultiplier` × value.
    public init(setup: AutobidderSetup, step: Double? = nil, maxMultiplier: Double = 10) {
        rate = setup.spendRate
        gamma = setup.roiTarget ?? 1
        hasROI = setup.roiTarget != nil
        eta = (step ?? 1 / Double(setup.horizon).squareRoot()) / setup.valueScale
        self.maxMultiplier = maxMultiplier
        // No return-on-spend constraint: λ stays 0 and only the budget's μ scales bids.
        if setup.roiTarget == nil { lambda = 0; mu = 1 }
    }
    /// κ = (1 + λ/γ) / (μ + λ), capped at `maxMultiplier`.
    public var multiplier: Double {
        let d = mu + lambda
        return d > 0 ? min((1 + lambda / gamma) / d, maxMultiplier) : maxMultiplier
    }
    /// κ · v.
    public mutating func bid(value: Double, random: inout Xoshiro256StarStar) -> Double { multiplier * value }
    /// The dual steps on the spend and the value won.
    public mutating func observe(_ feedback: BidderFeedback, counterfactual: (Double) throws -> (value: Double, payment: Double)) {
        let z = feedback.payment
        if rate.isFinite { mu = max(0, mu + eta * (z - rate)) }
        if hasROI { lambda = max(0, lambda + eta * (z - feedback.wonValue / gamma)) }
    }
}

/// The PID variant of the value maximiser: bid κ·v, with log κ driven every control tick by the
/// tighter of the two constraints' relative errors: budget e_B = (ρ − r)/ρ, return on spend
/// e_R = (g/γ − z)/(g/γ) over the interval (z spend, g value won). κ ∈ [0.01, maxMultiplier].
public struct PIDValueMaximiser: Autobidder {
    /// `value_maximiser_pid`.
    public let name = "value_maximiser_pid"
    /// κ, in [0.01, `maxMultiplier`].
    public private(set) var multiplier = 1.0
    let rate: Double, gamma: Double?, gains: (p: Double, i: Double), maxMultiplier: Double
    var integral = 0.0, spent = 0.0, won = 0.0, auctions = 0

    /// PI control with gains k_p, k_i; κ at most `maxMultiplier`.
    public init(setup: AutobidderSetup, kp: Double = 0.5, ki: Double = 0.05, maxMultiplier: Double = 10) {
        rate = setup.spendRate; gamma = setup.roiTarget; gains = (kp, ki); self.maxMultiplier = maxMultiplier
    }
    /// κ · v.
    public mutating func bid(value: Double, random: inout Xoshiro256StarStar) -> Double { multiplier * value }
    /// Adds the spend and value won to the interval's totals.
    public mutating func observe(_ feedback: BidderFeedback, counterfactual: (Double) throws -> (value: Double, payment: Double)) {
        spent += feedback.payment; won += feedback.wonValue; auctions += 1
    }
    /// Updates log κ from the tighter constraint's relative error (1 when neither binds) and restarts the interval.
    public mutating func control() {
        guard auctions > 0 else { return }
        var e = 1.0   // no binding constraint: push bids up
        if rate.isFinite && rate > 0 { e = min(e, (rate - spent / Double(auctions)) / rate) }
        if let gamma, won > 0 { e = min(e, (won / gamma - spent) / (won / gamma)) }
        integral += e
        multiplier = min(max(exp(gains.p * e + gains.i * integral), 0.01), maxMultiplier)
        spent = 0; won = 0; auctions = 0
    }
}

// MARK: - No-regret learners over a grid of bid multipliers

/// Gains of a grid learner: quasi-linear utility (value won − payment) mapped into [0, 1] by
/// g = (u / valueScale + m_max) / (1 + m_max), which holds whenever values are at most
/// valueScale (payments never exceed the bid m·v ≤ m_max·v).
struct GridGain: Sendable {
    let scale: Double, maxMultiplier: Double
    func callAsFunction(value: Double, payment: Double) -> Double {
        min(max(((value - payment) / scale + maxMultiplier) / (1 + maxMultiplier), 0), 1)
    }
}

/// Hedge (exponential weights; Freund & Schapire 1997) with full feedback: every multiplier's
/// gain is computed from the auction just run. η = √(8 ln K / T), so the expected regret against
/// the best fixed multiplier is at most √(T ln K / 2) (Cesa-Bianchi & Lugosi 2006, Thm 2.2).
public struct HedgeBidder: Autobidder {
    /// `hedge`.
    public let name = "hedge"
    /// The bid multipliers learned over.
    public let grid: [Double]
    /// Σ_t g_t(k) per multiplier, each gain in [0, 1].
    public private(set) var cumulativeGains: [Double]
    /// Σ_t Σ_k p_t(k) g_t(k): the gain in expectation over the bidder's own draws.
    public private(set) var expectedGain = 0.0
    /// The multiplier drawn for the last bid (the grid's first before any).
    public private(set) var multiplier: Double
    let eta: Double, gain: GridGain
    var probabilities: [Double]

    /// Hedge over `grid` (at least two multipliers); `eta` overrides √(8 ln K / T).
    public init(grid: [Double], setup: AutobidderSetup, eta: Double? = nil) {
        precondition(grid.count >= 2)
        self.grid = grid
        cumulativeGains = Array(repeating: 0, count: grid.count)
        probabilities = Array(repeating: 1 / Double(grid.count), count: grid.count)
        self.eta = eta ?? (8 * log(Double(grid.count)) / Double(setup.horizon)).squareRoot()
        gain = GridGain(scale: setup.valueScale, maxMultiplier: grid.max()!)
        multiplier = grid[0]
    }
    /// Draws a multiplier from the weights (one draw from `random`) and bids it × value.
    public mutating func bid(value: Double, random: inout Xoshiro256StarStar) -> Double {
        multiplier = grid[Self.draw(probabilities, random.nextUnitDouble())]
        return multiplier * value
    }
    /// Adds every multiplier's counterfactual gain and reweights.
    public mutating func observe(_ feedback: BidderFeedback, counterfactual: (Double) throws -> (value: Double, payment: Double)) rethrows {
        for k in grid.indices {
            let (v, p) = try counterfactual(grid[k] * feedback.value)
            let g = gain(value: v, payment: p)
            expectedGain += probabilities[k] * g
            cumulativeGains[k] += g
        }
        probabilities = Self.softmax(cumulativeGains, eta)
    }
    static func softmax(_ s: [Double], _ eta: Double) -> [Double] {
        let top = s.max()!
        let w = s.map { exp(eta * ($0 - top)) }
        let total = w.reduce(0, +)
        return w.map { $0 / total }
    }
    /// Inverse-CDF draw; ties of the cumulative sum resolve to the lower index.
    static func draw(_ p: [Double], _ u: Double) -> Int {
        var c = 0.0
        for (k, q) in p.enumerated() { c += q; if u < c { return k } }
        return p.count - 1
    }
}

/// EXP3 (Auer, Cesa-Bianchi, Freund & Schapire 2002) with bandit feedback: only the multiplier
/// played is observed; gains are importance-weighted. p = (1 − γ)·w/Σw + γ/K,
/// γ = min(1, √(K ln K / ((e − 1) T))).
public struct EXP3Bidder: Autobidder {
    /// `exp3`.
    public let name = "exp3"
    /// The bid multipliers learned over.
    public let grid: [Double]
    /// The multiplier drawn for the last bid (the grid's first before any).
    public private(set) var multiplier: Double
    var logWeights: [Double], probabilities: [Double], played = 0
    let gammaMix: Double, gain: GridGain

    /// EXP3 over `grid` (at least two multipliers) for `setup`'s horizon.
    public init(grid: [Double], setup: AutobidderSetup) {
        precondition(grid.count >= 2)
        self.grid = grid
        let k = Double(grid.count)
        gammaMix = min(1, (k * log(k) / ((M_E - 1) * Double(setup.horizon))).squareRoot())
        logWeights = Array(repeating: 0, count: grid.count)
        probabilities = Array(repeating: 1 / k, count: grid.count)
        gain = GridGain(scale: setup.valueScale, maxMultiplier: grid.max()!)
        multiplier = grid[0]
    }
    /// Draws a multiplier from p (one draw from `random`) and bids it × value.
    public mutating func bid(value: Double, random: inout Xoshiro256StarStar) -> Double {
        played = HedgeBidder.draw(probabilities, random.nextUnitDouble())
        multiplier = grid[played]
        return multiplier * value
    }
    /// The importance-weighted update of the played multiplier.
    public mutating func observe(_ feedback: BidderFeedback, counterfactual: (Double) throws -> (value: Double, payment: Double)) {
        let g = gain(value: feedback.wonValue, payment: feedback.payment)
        let k = Double(grid.count)
        logWeights[played] += gammaMix * (g / probabilities[played]) / k
        let soft = HedgeBidder.softmax(logWeights, 1)
        probabilities = soft.map { (1 - gammaMix) * $0 + gammaMix / k }
    }
}

/// UCB1 (Auer, Cesa-Bianchi & Fischer 2002) with bandit feedback: play the multiplier with the
/// largest mean gain + √(2 ln t / n); untried multipliers first, lowest index on ties.
public struct UCBBidder: Autobidder {
    /// `ucb`.
    public let name = "ucb"
    /// The bid multipliers learned over.
    public let grid: [Double]
    /// The multiplier played last (the grid's first before any).
    public private(set) var multiplier: Double
    var sums: [Double], counts: [Int], t = 0, played = 0
    let gain: GridGain

    /// UCB1 over `grid` (at least two multipliers).
    public init(grid: [Double], setup: AutobidderSetup) {
        precondition(grid.count >= 2)
        self.grid = grid
        sums = Array(repeating: 0, count: grid.count); counts = Array(repeating: 0, count: grid.count)
        gain = GridGain(scale: setup.valueScale, maxMultiplier: grid.max()!)
        multiplier = grid[0]
    }
    /// Plays the untried multiplier, else the largest upper confidence bound (no draw).
    public mutating func bid(value: Double, random: inout Xoshiro256StarStar) -> Double {
        t += 1
        if let untried = counts.firstIndex(of: 0) { played = untried } else {
            var best = -Double.infinity
            for k in grid.indices {
                let index = sums[k] / Double(counts[k]) + (2 * log(Double(t)) / Double(counts[k])).squareRoot()
                if index > best { best = index; played = k }
            }
        }
        multiplier = grid[played]
        return multiplier * value
    }
    /// Adds the played multiplier's gain.
    public mutating func observe(_ feedback: BidderFeedback, counterfactual: (Double) throws -> (value: Double, payment: Double)) {
        sums[played] += gain(value: feedback.wonValue, payment: feedback.payment); counts[played] += 1
    }
}
