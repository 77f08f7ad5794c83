/// A compensated (Neumaier) sum: the rounding error of each addition is carried and added back
/// at the end, so the result is as if summed in about twice the precision. Used where a figure is
/// a small difference of large sums: the LP dual certificate's bound, the MNL certificate.
public struct CompensatedSum: Sendable {
    private var sum: Double, carry = 0.0
    /// A sum starting at `start`.
    public init(_ start: Double = 0) { sum = start }
    /// Adds `x`, carrying the rounding error of the addition (Neumaier's branch on the larger magnitude).
    public mutating func add(_ x: Double) {
        let t = sum + x
        carry += abs(sum) >= abs(x) ? (sum - t) + x : (x - t) + sum
        sum = t
    }
    /// The sum with the carried error added back.
    public var value: Double { sum + carry }
}
