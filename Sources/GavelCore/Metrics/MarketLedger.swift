/// Accumulates what a market did: who got what, at what value, for what payment.
///
/// Welfare is the sum of the values of what was allocated (the buyers' values,
/// whatever the prices); revenue is the sum of payments; an entity's utility is
/// its value minus its payment. Entities are dense indices 0..<entityCount so
/// that per-entity figures (and Jain's index over them) include the unserved.
public struct MarketLedger: Sendable {
    /// Sum of the values of what was allocated.
    public private(set) var welfare: Double = 0
    /// Sum of payments.
    public private(set) var revenue: Double = 0
    /// Number of recorded allocations.
    public private(set) var allocations: Int = 0
    /// Total value received, per entity index.
    public private(set) var valueByEntity: [Double]
    /// Total payment, per entity index.
    public private(set) var paymentByEntity: [Double]

    /// An empty ledger for entities `0..<entityCount`.
    public init(entityCount: Int) {
        precondition(entityCount >= 0)
        valueByEntity = Array(repeating: 0, count: entityCount)
        paymentByEntity = Array(repeating: 0, count: entityCount)
    }

    /// Number of entities (served or not).
    public var entityCount: Int { valueByEntity.count }

    /// Records that `entity` received something worth `value` to it and paid `payment`.
    public mutating func record(entity: Int, value: Double, payment: Double) {
        welfare += value
        revenue += payment
        allocations += 1
        valueByEntity[entity] += value
        paymentByEntity[entity] += payment
    }

    /// Value minus payment, per entity.
    public var utilityByEntity: [Double] {
        zip(valueByEntity, paymentByEntity).map { $0 - $1 }
    }

    /// Jain's index over the entities' utilities (negative utilities are clamped to zero:
    /// Jain's index is defined for non-negative amounts).
    public func jainOverUtilities(domain: JainDomain = .perEntity) -> Double {
        JainIndex.compute(utilityByEntity.map { max(0, $0) }, domain: domain)
    }
}
