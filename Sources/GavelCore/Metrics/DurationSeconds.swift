extension Duration {
    /// The duration as a number of seconds (wall times in manifests and benchmarks).
    public var inSeconds: Double {
        let (seconds, attoseconds) = components   // once: each reading divides a 128-bit count
        return Double(seconds) + Double(attoseconds) * 1e-18
    }
}
