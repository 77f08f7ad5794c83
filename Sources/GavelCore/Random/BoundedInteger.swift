extension RandomStream {
    /// A uniform integer in 0..<bound by Lemire's multiply-and-reject method
    /// (ACM TOMACS 2019): unbiased, and owned here so that results do not depend
    /// on the standard library's algorithm for `Int.random(in:using:)`.
    @inlinable
    public mutating func nextInt(below bound: Int) -> Int {
        precondition(bound > 0, "bound must be positive")
        let s = UInt64(bound)
        var m = next().multipliedFullWidth(by: s)
        if m.low < s {
            let threshold = (0 &- s) % s
            while m.low < threshold { m = next().multipliedFullWidth(by: s) }
        }
        return Int(m.high)
    }
}
