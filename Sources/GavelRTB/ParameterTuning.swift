/// The parameter search of the authors' Lin bidder (`lin_bid.py`, spec/rtb.md §B.4):
/// try p = step, 2·step, … up to `maximum`, keep the best (a tie goes to the
/// later p), stop after 5 evaluations in a row without improvement; if the best
/// is exactly `maximum`, keep stepping up while it improves.
/// Used for Lin's b0 and, by the same rule, for Const's bid and Rand's upper bound.
public enum ParameterTuning {
    public struct Outcome: Sendable, Equatable {
        public let best: Int
        public let bestObjective: Double
        /// Every (parameter, objective) tried, in order.
        public let tried: [Pair]
        public struct Pair: Sendable, Equatable { public let parameter: Int; public let objective: Double }
    }

    public static func tune(step: Int = 6, maximum: Int = 300, patience: Int = 5,
                            _ objective: (Int) throws -> Double) rethrows -> Outcome {
        precondition(step >= 1 && maximum >= step)
        var best = 0, bestValue = 0.0, misses = 0
        var tried: [Outcome.Pair] = []
        func evaluate(_ p: Int) throws -> Double {
            let v = try objective(p)
            tried.append(.init(parameter: p, objective: v))
            return v
        }
        for p in stride(from: step, to: maximum + step, by: step) {
            let v = try evaluate(p)
            if v >= bestValue { bestValue = v; best = p; misses = 0 } else { misses += 1 }
            if misses >= patience { break }
        }
        if best == maximum {
            var p = best + step
            while true {
                let v = try evaluate(p)
                if v >= bestValue { bestValue = v; best = p; p += step } else { break }
            }
        }
        return Outcome(best: best, bestObjective: bestValue, tried: tried)
    }
}
