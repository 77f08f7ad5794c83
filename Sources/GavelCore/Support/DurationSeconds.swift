extension Duration {
    /// The duration as a number of seconds (wall times in manifests and benchmarks).
    public var inSeconds: Double {
        Double(components.seconds) + Double(components.attoseconds) * 1e-18
    }
}
