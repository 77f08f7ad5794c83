import GavelCore

/// An online algorithm for matching with stochastic rewards: the extension point of the
/// matching family. Gavel's own algorithms (``MatchingAlgorithm``) implement it, and so does
/// any algorithm a program registers in ``OnlineMatchingAlgorithms/registry``; the run loop,
/// exact evaluation, Monte Carlo, the benchmarks and `kind: matching` only ever call this.
///
/// The model (spec B.1): offline vertices u with weights w_u; arrivals t in order, each with
/// edges (u, p_ut). On each arrival the algorithm looks at the state (which vertices are still
/// unmatched, each vertex's load ℓ_u = Σ of the probabilities already tried on it) and
/// decides: try one edge (the match succeeds with probability p_ut, drawn by the simulator),
/// skip, simulate a try on a vertex already matched (MWZ15's simulated probes), or, for a
/// fractional algorithm, raise loads.
///
/// An algorithm must be a pure function of what it is given: its own randomness comes
/// only from ``draws(for:using:)``, made once per run from the mechanism's stream, so runs
/// are reproducible and algorithms compare on common random numbers.
public protocol OnlineMatchingAlgorithm: Sendable {
    /// The name a scenario uses (`algorithms: [my_rule]`), snake_case.
    var name: String { get }
    /// One line for `gavel list`.
    var summary: String { get }
    /// Whether the algorithm is fractional: it answers ``MatchingChoice/raiseLoads(_:)`` and
    /// its value is Σ w_u·ℓ_u with no success coins (water-filling). Default: false.
    var isFractional: Bool { get }
    /// The run's own draws, made once before the first arrival from the mechanism's stream
    /// "ranks" (Ranking's permutation, perturbed greedy's y_u); handed back in
    /// ``OnlineMatchingState/draws``. Default: none.
    func draws(for instance: MatchingInstance, using random: inout Xoshiro256StarStar) -> [Double]
    /// Whether ``draws(for:using:)`` is a function of the instance alone (it reads no randomness):
    /// Monte Carlo then computes it once for all runs. Default: false.
    var drawsDependOnlyOnInstance: Bool { get }
    /// For exact evaluation: calls `body` once with each equally likely value of the draws
    /// (Ranking: every permutation). Throw ``ExperimentError/beyondLimit(_:)`` when they are
    /// continuous or too many, so callers fall back to Monte Carlo. Default: `body([])` once.
    func forEachExactDraw(for instance: MatchingInstance, _ body: ([Double]) throws -> Void) throws
    /// The decision for the arrival in `state`. A tried edge must be one of the arrival's,
    /// to an unmatched vertex with p > 0; anything else stops the run with an ``ExperimentError``.
    func choose(_ state: OnlineMatchingState) throws -> MatchingChoice
}

extension OnlineMatchingAlgorithm {
    /// Default: integral.
    public var isFractional: Bool { false }
    /// Default: no draws.
    public func draws(for instance: MatchingInstance, using random: inout Xoshiro256StarStar) -> [Double] { [] }
    /// Default: false (draws are made every run).
    public var drawsDependOnlyOnInstance: Bool { false }
    /// Default: deterministic, one empty draw.
    public func forEachExactDraw(for instance: MatchingInstance, _ body: ([Double]) throws -> Void) throws { try body([]) }
}

/// What an online algorithm sees when an arrival comes.
///
/// The simulator owns it and updates it between arrivals; an algorithm reads it (it is
/// passed borrowed, so handing it over copies nothing).
public struct OnlineMatchingState: Sendable {
    /// The instance being run.
    public let instance: MatchingInstance
    /// The run's own draws (``OnlineMatchingAlgorithm/draws(for:using:)``).
    public let draws: [Double]
    /// The arrival being decided, 0-based.
    public internal(set) var arrival: Int
    /// available[u]: u has not been matched yet.
    public internal(set) var available: [Bool]
    /// loads[u] = ℓ_u, the sum of the probabilities tried on u so far (a fractional
    /// algorithm's level).
    public internal(set) var loads: [Double]
    /// matchedBy[u]: the arrival whose try matched u; −1 while u is available (and for a vertex
    /// the caller marks unavailable when constructing a state).
    public internal(set) var matchedBy: [Int32]
    /// simulatedSuccess[u]: a simulated try on u (``MatchingChoice/simulateTry(_:)``) has succeeded.
    public internal(set) var simulatedSuccess: [Bool]
    /// The offline vertex of the last (real) try, −1 before the first: MP12's round-robin tie-break.
    public internal(set) var lastTried: Int = -1

    /// The state before the first arrival: every vertex unmatched, every load 0.
    public init(instance: MatchingInstance, draws: [Double] = [], arrival: Int = 0,
                available: [Bool]? = nil, loads: [Double]? = nil) {
        self.instance = instance
        self.draws = draws
        self.arrival = arrival
        self.available = available ?? Array(repeating: true, count: instance.offlineCount)
        self.loads = loads ?? Array(repeating: 0, count: instance.offlineCount)
        self.matchedBy = Array(repeating: -1, count: instance.offlineCount)
        self.simulatedSuccess = Array(repeating: false, count: instance.offlineCount)
    }

    /// The current arrival's edges: positions into `instance.edgeOffline` and
    /// `instance.edgeProbability`, in offline-index order.
    @inlinable public var edges: Range<Int> { instance.edgeStart[arrival]..<instance.edgeStart[arrival + 1] }
    /// The offline vertex of edge `e`.
    @inlinable public func offline(_ e: Int) -> Int { Int(instance.edgeOffline[e]) }
    /// The success probability p_ut of edge `e`.
    @inlinable public func probability(_ e: Int) -> Double { instance.edgeProbability[e] }
    /// The weight w_u of offline vertex `u`.
    @inlinable public func weight(_ u: Int) -> Double { instance.weights[u] }
}

/// An online algorithm's decision on one arrival.
public enum MatchingChoice: Sendable, Equatable {
    /// Leave the arrival unmatched.
    case skip
    /// Try edge `e` (one of ``OnlineMatchingState/edges``): it succeeds with probability p_e.
    case tryEdge(Int)
    /// Flip edge `e`'s success coin without matching: `e` is one of the arrival's edges, to a
    /// vertex already matched, with p > 0. The arrival stays unmatched, no value or load is
    /// added; a success sets ``OnlineMatchingState/simulatedSuccess``. MWZ15's SemiAdaptive
    /// (Alg. 2.4) uses it to learn whether a first-choice edge "would have" succeeded.
    case simulateTry(Int)
    /// Fractional: set each listed neighbour's load to a new level. Levels only rise, stay
    /// at most 1, and use at most the arrival's one unit of mass: Σ (new − old)/p ≤ 1.
    case raiseLoads([LoadLevel])
}

/// A fractional algorithm's new level for one neighbour of the arrival.
public struct LoadLevel: Sendable, Equatable {
    /// The offline vertex.
    public let offline: Int
    /// Its load after this arrival.
    public let load: Double
    /// Vertex `offline` at level `load`.
    public init(offline: Int, load: Double) { self.offline = offline; self.load = load }
}

/// The matching family's registry: Gavel's algorithms, then any a program registers.
/// A scenario's `algorithms:` names resolve here.
public enum OnlineMatchingAlgorithms: MechanismFamily {
    /// Built-in first, in `gavel list` order (``MatchingAlgorithm``'s cases).
    public static let registry = MechanismRegistry<any OnlineMatchingAlgorithm>(
        family: "matching algorithm", builtIn: MatchingAlgorithm.allCases, name: { $0.name }, summary: { $0.summary })
}
