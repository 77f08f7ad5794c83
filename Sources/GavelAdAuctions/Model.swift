import GavelCore

// Position auctions inside AI-generated content (MNL and cascade click models): see docs/aigc.md.
// Model: ../shared/spec/position_auctions.md A.1–A.2. The MNL denominator's completion and the whole
// cascade model are the spec's reconstructions ([DER]/[REC]): the paper's text was not readable.

/// An n × m matrix of doubles, row-major (advertiser × position).
public struct AdMatrix: Sendable, Equatable {
    /// n.
    public let rows: Int
    /// m.
    public let columns: Int
    /// The entries, row-major: (i, j) at i·columns + j.
    public var values: [Double]

    /// A matrix over `values`, row-major.
    public init(rows: Int, columns: Int, values: [Double]) {
        self.rows = rows
        self.columns = columns
        self.values = values
    }

    /// From a list of equal-length rows (checked by the callers that read user input).
    public init(_ rows: [[Double]]) {
        self.rows = rows.count
        self.columns = rows.first?.count ?? 0
        self.values = rows.flatMap { $0 }
    }

    /// A matrix with every entry `x`.
    public static func filled(rows: Int, columns: Int, with x: Double) -> AdMatrix {
        AdMatrix(rows: rows, columns: columns, values: Array(repeating: x, count: rows * columns))
    }

    /// Entry (i, j).
    @inlinable public subscript(i: Int, j: Int) -> Double {
        get { values[i * columns + j] }
        set { values[i * columns + j] = newValue }
    }

    /// The rows as arrays.
    public var asRows: [[Double]] { (0..<rows).map { Array(values[$0 * columns..<($0 + 1) * columns]) } }
}

/// One shown creative: advertiser i at position j.
public struct Slot: Sendable, Hashable, CustomStringConvertible {
    /// i, the advertiser's index.
    public let advertiser: Int
    /// j, the position's index.
    public let position: Int
    /// Advertiser `advertiser` at position `position`.
    public init(_ advertiser: Int, _ position: Int) { self.advertiser = advertiser; self.position = position }
    /// `[i, j]`.
    public var description: String { "[\(advertiser), \(position)]" }
}

/// How the rendering order σ is set in the cascade model. The spec leaves Σ open (open question 1):
/// both readings are implemented.
public enum RenderingOrder: String, Sendable, CaseIterable {
    /// The mechanism chooses σ (any permutation of the shown slots).
    case chosen
    /// The text fixes σ: positions are read in index order 0, 1, ..., m − 1.
    case text
}

/// The user-behaviour model (spec A.2).
public enum ClickModel: Sendable, Equatable {
    /// MNL with an outside option [SUM; the "1 +" completion is DER]:
    /// π_i = Σ_j x_ij w_ij / (1 + Σ x w). Order-insensitive.
    case mnl(weights: AdMatrix)
    /// Cascade [REC, KM08-style]: π_{i_k} = p_{i_k j_k} · Π_{l<k} q_{i_l j_l} along the rendering order.
    case cascade(ctr: AdMatrix, continuation: AdMatrix, order: RenderingOrder)

    /// `mnl` or `cascade`.
    public var name: String {
        switch self {
        case .mnl: return "mnl"
        case .cascade: return "cascade"
        }
    }
}

/// One auction: n advertisers, m positions, at most K ads, a click model. Bids are not part of the
/// instance (mechanisms and the truthfulness auditor vary them); `separable` keeps (α, β) when the
/// instance was built as p_ij = α_i·β_j (or w_ij = α_i·β_j under MNL), for the classic baselines.
public struct PositionAuction: Sendable, Equatable {
    /// n.
    public let advertisers: Int
    /// m.
    public let positions: Int
    /// K, the most ads shown.
    public let maxAds: Int
    /// The click model with its matrices.
    public let model: ClickModel
    /// (α, β) when the instance is separable (w or p = α_i·β_j); nil otherwise.
    public let separable: (alpha: [Double], beta: [Double])?

    /// Field by field.
    public static func == (a: PositionAuction, b: PositionAuction) -> Bool {
        a.advertisers == b.advertisers && a.positions == b.positions && a.maxAds == b.maxAds && a.model == b.model
            && a.separable?.alpha == b.separable?.alpha && a.separable?.beta == b.separable?.beta
    }

    /// Checks shapes and ranges; every violation is an `InputError` naming the field.
    public init(model: ClickModel, maxAds: Int, separable: (alpha: [Double], beta: [Double])? = nil) throws {
        let n: Int, m: Int
        switch model {
        case .mnl(let w):
            n = w.rows; m = w.columns
            try Self.check(w, "weights", "an attraction weight w_ij = exp(rho_ij): a finite number in [0, 1e250]") { $0 >= 0 && $0 <= Self.maxWeight }
        case .cascade(let p, let q, _):
            n = p.rows; m = p.columns
            try Self.check(p, "ctr", "a click-through rate in [0, 1]") { $0 >= 0 && $0 <= 1 }
            guard q.rows == n && q.columns == m else {
                throw InputError("expected a \(n) × \(m) matrix like 'ctr', found \(q.rows) × \(q.columns)", field: "continuation")
            }
            try Self.check(q, "continuation", "a continuation probability in [0, 1]") { $0 >= 0 && $0 <= 1 }
        }
        guard n >= 1 else { throw InputError("expected at least one advertiser", field: "") }
        guard m >= 1 else { throw InputError("expected at least one position", field: "") }
        guard maxAds >= 1 else { throw InputError("expected an integer ≥ 1, found \(maxAds)", field: "max_ads") }
        guard maxAds <= m else {
            throw InputError("K = \(maxAds) is larger than the number of positions (\(m)); expected 1 ≤ K ≤ \(m)", field: "max_ads")
        }
        if let s = separable {
            guard s.alpha.count == n, s.beta.count == m else {
                throw InputError("expected \(n) alphas and \(m) betas, found \(s.alpha.count) and \(s.beta.count)", field: "separable")
            }
        }
        advertisers = n
        positions = m
        self.maxAds = maxAds
        self.model = model
        self.separable = separable
    }

    /// The largest MNL attraction weight: 1 + Σ w over K ads and c·w (values rescaled to about 1,
    /// `AdMechanism.run`) stay far from a double's 1.8e308.
    public static let maxWeight = 1e250

    static func check(_ x: AdMatrix, _ field: String, _ expectation: String, _ ok: (Double) -> Bool) throws {
        for i in 0..<x.rows {
            for j in 0..<x.columns where !ok(x[i, j]) {
                throw InputError("expected \(expectation), found \(x[i, j])", field: "\(field)[\(i)][\(j)]")
            }
        }
    }

    /// Each advertiser's click-through rate under the allocation (slots in rendering order).
    public func ctr(of slots: [Slot]) -> [Double] {
        var out = Array(repeating: 0.0, count: advertisers)
        switch model {
        case .mnl(let w):
            var denominator = 1.0
            for s in slots { denominator += w[s.advertiser, s.position] }
            for s in slots { out[s.advertiser] = w[s.advertiser, s.position] / denominator }
        case .cascade(let p, let q, _):
            var reach = 1.0
            for s in slots {
                out[s.advertiser] = p[s.advertiser, s.position] * reach
                reach *= q[s.advertiser, s.position]
            }
        }
        return out
    }

    /// Σ_i c_i π_i: welfare for c = bids, virtual welfare for c = virtual values.
    public func objective(of slots: [Slot], coefficients c: [Double]) -> Double {
        let pi = ctr(of: slots)
        var total = 0.0
        for s in slots { total += c[s.advertiser] * pi[s.advertiser] }
        return total
    }

    /// The rendering order the instance prescribes for a set of slots: MNL is order-free (slots are
    /// listed by position, the text order); cascade with `text` order reads positions in index order;
    /// cascade with a chosen order sorts by the KM08 index r = c·p/(1 − q), largest first (spec A.3:
    /// optimal for a fixed set of pairs by adjacent exchange; q = 1 gives +∞). Ties: larger c·p, then
    /// lower advertiser index.
    public func renderingOrder(_ slots: [Slot], coefficients c: [Double]) -> [Slot] {
        switch model {
        case .mnl, .cascade(_, _, .text):
            return slots.sorted { $0.position < $1.position }
        case .cascade(let p, let q, .chosen):
            func key(_ s: Slot) -> (Bool, Double, Double) {
                let a = c[s.advertiser] * p[s.advertiser, s.position]
                let stop = 1 - q[s.advertiser, s.position]
                return stop <= 0 ? (true, a, a) : (false, a / stop, a)
            }
            return slots.sorted { x, y in
                let kx = key(x), ky = key(y)
                if kx.0 != ky.0 { return kx.0 }
                if kx.1 != ky.1 { return kx.1 > ky.1 }
                if kx.2 != ky.2 { return kx.2 > ky.2 }
                return x.advertiser < y.advertiser
            }
        }
    }
}
