import GavelCore
import GavelConfig
/// A bipartite instance of online matching with stochastic rewards (spec B.1).
///
/// Offline vertices u (indices 0..<offlineCount) carry weights w_u ≥ 0; online
/// vertices arrive in index order, each with edges (u, p_uv), p_uv ∈ [0, 1].
/// Edges are stored in compressed rows (one row per arrival) so a million
/// arrivals cost three flat arrays. Within an arrival, edges are sorted by
/// offline index: that order is the documented tie-break of every rule.
public struct MatchingInstance: Sendable, Equatable {
    /// Offline vertex names (from the file, or `u0`, `u1`, ...).
    public let offlineIDs: [String]
    public let weights: [Double]
    /// Arrival names from a file; nil for generated instances (`t0`, `t1`, ...).
    let arrivalNames: [String]?
    /// Edges of arrival t are at `edgeStart[t] ..< edgeStart[t + 1]`.
    public let edgeStart: [Int]
    public let edgeOffline: [Int32]
    public let edgeProbability: [Double]

    public var offlineCount: Int { weights.count }
    public var arrivalCount: Int { edgeStart.count - 1 }
    public var edgeCount: Int { edgeOffline.count }

    public func arrivalID(_ t: Int) -> String { arrivalNames?[t] ?? "t\(t)" }

    /// The edges of arrival t as (offline index, p), in offline-index order.
    public func edges(of t: Int) -> [(u: Int, p: Double)] {
        (edgeStart[t]..<edgeStart[t + 1]).map { (Int(edgeOffline[$0]), edgeProbability[$0]) }
    }

    /// Builds and validates an instance. Arrival edges may come in any order;
    /// they are sorted by offline index.
    /// - Throws: `InputError` for a negative or non-finite weight, a
    ///   probability outside [0, 1], an edge to an unknown vertex, a repeated
    ///   edge, or repeated names.
    public init(weights: [Double], arrivals: [[(u: Int, p: Double)]],
                offlineIDs: [String]? = nil, arrivalIDs: [String]? = nil) throws {
        let ids = offlineIDs ?? (0..<weights.count).map { "u\($0)" }
        guard ids.count == weights.count else { throw InputError("offline ids: \(ids.count) names for \(weights.count) weights") }
        if let a = arrivalIDs, a.count != arrivals.count { throw InputError("arrival ids: \(a.count) names for \(arrivals.count) arrivals") }
        for (u, w) in weights.enumerated() where !(w >= 0 && w.isFinite) {
            throw InputError("offline \(ids[u]): weight \(w) (expected a finite number ≥ 0)")
        }
        if let dup = Self.firstDuplicate(ids) { throw InputError("offline id '\(dup)' appears twice") }
        if let a = arrivalIDs, let dup = Self.firstDuplicate(a) { throw InputError("arrival id '\(dup)' appears twice") }
        var start = [0], offline: [Int32] = [], prob: [Double] = []
        start.reserveCapacity(arrivals.count + 1)
        for (t, edges) in arrivals.enumerated() {
            let sorted = edges.sorted { $0.u < $1.u }
            for (k, e) in sorted.enumerated() {
                let name = arrivalIDs?[t] ?? "t\(t)"
                guard e.u >= 0 && e.u < weights.count else { throw InputError("arrival \(name): edge to unknown offline vertex \(e.u)") }
                guard e.p >= 0 && e.p <= 1 else { throw InputError("arrival \(name): p = \(e.p) on edge to \(ids[e.u]) (expected a number in [0, 1])") }
                if k > 0 && sorted[k - 1].u == e.u { throw InputError("arrival \(name): two edges to \(ids[e.u])") }
                offline.append(Int32(e.u)); prob.append(e.p)
            }
            start.append(offline.count)
        }
        self.offlineIDs = ids
        self.weights = weights
        self.arrivalNames = arrivalIDs
        edgeStart = start; edgeOffline = offline; edgeProbability = prob
    }

    /// First name that occurs twice, in order of second occurrence (deterministic).
    static func firstDuplicate(_ names: [String]) -> String? {
        var seen = Set<String>()
        for n in names { if !seen.insert(n).inserted { return n } }
        return nil
    }

    /// Equal graphs, weights, probabilities and names (generated names `t0`... equal the same names given explicitly).
    public static func == (a: MatchingInstance, b: MatchingInstance) -> Bool {
        a.offlineIDs == b.offlineIDs && a.weights == b.weights && a.edgeStart == b.edgeStart && a.edgeOffline == b.edgeOffline
            && a.edgeProbability == b.edgeProbability && (0..<a.arrivalCount).allSatisfy { a.arrivalID($0) == b.arrivalID($0) }
    }

    /// Neighbours of each offline vertex as (arrival, p), in arrival order.
    public var offlineNeighbourhoods: [[(t: Int, p: Double)]] {
        var out = Array(repeating: [(t: Int, p: Double)](), count: offlineCount)
        for t in 0..<arrivalCount { for (u, p) in edges(of: t) { out[u].append((t, p)) } }
        return out
    }

    /// True when every edge probability is the same value.
    public var hasEqualProbabilities: Bool { edgeProbability.allSatisfy { $0 == edgeProbability.first } }
}

