/// The MOHAF paper's dynamic price rule, eq. (4):
///
///     ρ_j(t+1) = Proj_[ρmin, ρmax]( ρ_j(t) + η · (util_j(t)/C_j − τ) )
///
/// A resource above the target utilisation τ gets dearer, one below it cheaper,
/// and the result is clipped to [ρmin, ρmax]. The paper leaves η_t, ρmin and
/// ρmax open (spec §6); Gavel uses a constant step η and takes the bounds from
/// the scenario. util_j(t) is the capacity held on j after round t clears.
public struct DynamicPriceRule: Sendable, Equatable {
    /// η, the price step per unit of utilisation gap.
    public var step: Double
    /// τ, the target utilisation.
    public var target: Double
    /// ρmin.
    public var minimum: Double
    /// ρmax.
    public var maximum: Double

    /// The rule with step η, target τ and bounds [ρmin, ρmax]; requires ρmin ≤ ρmax.
    public init(step: Double, target: Double, minimum: Double, maximum: Double) {
        precondition(minimum <= maximum, "ρmin must not exceed ρmax")
        self.step = step; self.target = target; self.minimum = minimum; self.maximum = maximum
    }

    /// ρ_j(t+1) from ρ_j(t) and the utilisation fraction util_j(t)/C_j.
    @inline(__always)
    public func next(price: Double, utilisation: Double) -> Double {
        project(price + step * (utilisation - target))
    }

    /// Clips to [ρmin, ρmax].
    @inline(__always)
    public func project(_ price: Double) -> Double { min(maximum, max(minimum, price)) }
}
