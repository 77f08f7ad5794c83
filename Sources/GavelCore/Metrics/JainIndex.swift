/// Jain's fairness index J(x) = (Σx)² / (n·Σx²) (Jain, Chiu, Hawe 1984).
///
/// J is 1 when every entity gets the same and 1/n when one entity gets
/// everything. The number depends on *who counts*: the MOHAF paper reports 1.0
/// because it averages over winners only, so the domain is explicit here.
public enum JainDomain: String, CaseIterable, Sendable, Encodable {
    /// Every entity of the population; an unserved entity counts as zero (the default).
    case perEntity = "per_entity"
    /// Only entities with a non-zero amount (what "Jain over winners" means in some papers).
    case servedOnly = "served_only"
}

/// Jain's fairness index over a population, with the domain (who counts) explicit: see ``JainDomain``.
public enum JainIndex {
    /// Jain's index of `amounts` over `domain`.
    ///
    /// - Parameter amounts: one value per entity of the population (zeros for
    ///   the unserved), each non-negative.
    /// - Returns: a value in [1/n, 1]; 1 when every amount in the domain is zero
    ///   (everyone is treated equally); NaN for an empty domain or a negative amount.
    public static func compute<C: Collection>(_ amounts: C, domain: JainDomain = .perEntity) -> Double
    where C.Element == Double {
        var n = 0
        var sum = 0.0
        var sumSquares = 0.0
        for x in amounts {
            if x < 0 || x.isNaN { return .nan }
            if domain == .servedOnly && x == 0 { continue }
            n += 1
            sum += x
            sumSquares += x * x
        }
        if n == 0 { return .nan }
        if sumSquares == 0 { return 1 }
        return (sum * sum) / (Double(n) * sumSquares)
    }
}
