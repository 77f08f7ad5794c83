import GavelCore
import GavelLP

/// `gavel bench infoacq`: the mechanism LP at 3 agents × 3 efforts × 3 signals × 3 states
/// (27 profiles, 27 signal profiles; random instance, seed 1), and simulated rounds per second
/// of the kernel on the same instance's optimal mechanism. Best and median of 5 (after a warm-up).
public enum InfoAcqBenchmarks {
    public static func run() throws -> [BenchmarkFigure] {
        let x = try InfoAcqFamilies.random(agents: 3, actions: 3, signals: 3, states: 3, maxCost: 0.1, cap: 1, seed: 1)
        let clock = ContinuousClock()
        var result = try InfoAcqLP.solve(x)
        var times: [Double] = []
        for _ in 0..<5 {
            let t0 = clock.now
            result = try InfoAcqLP.solve(x)
            times.append((clock.now - t0).inSeconds)
        }
        times.sort()
        guard let m = result.mechanism, let value = result.value else { throw ExperimentError("bench infoacq: LP ended \(result.status)") }
        let cert = InfoAcqCertificate.check(x, m)
        var figures = [BenchmarkFigure(name: "infoacq.lp_3x3x3x3", details: [
            ("agents", .int(3)), ("efforts", .int(3)), ("signals", .int(3)), ("states", .int(3)),
            ("variables", .int(Int64(result.variableCount))), ("constraints", .int(Int64(result.constraintCount))),
            ("value", .double(value)), ("max_deviation_gain", .double(cert.maxGain)),
            ("repeats", .int(5)), ("median", .double(times[2])), ("all", .array(times.map { .double($0) })),
        ], unit: "seconds", value: times[0])]

        let tables = try InfoAcqRepeatedRounds.Tables(x, m)
        let rounds = 2_000_000
        _ = InfoAcqRepeatedRounds.run(tables, rounds: 200_000, seed: 7)
        var rates: [Double] = []
        var last: InfoAcqRoundsResult?
        for k in 0..<5 {
            let t0 = clock.now
            last = InfoAcqRepeatedRounds.run(tables, rounds: rounds, seed: UInt64(11 + k))
            rates.append(Double(rounds) / (clock.now - t0).inSeconds)
        }
        rates.sort()
        figures.append(BenchmarkFigure(name: "infoacq.rounds", details: [
            ("instance", .string("random 3x3x3x3 seed 1, optimal mechanism")), ("rounds", .int(Int64(rounds))),
            ("simulated_utility", .double(last?.principal.mean ?? .nan)), ("lp_value", .double(value)),
            ("repeats", .int(5)), ("median", .double(rates[2].rounded())), ("all", .array(rates.map { .double($0.rounded()) })),
        ], unit: "rounds/s", value: rates[4].rounded()))
        return figures
    }
}
