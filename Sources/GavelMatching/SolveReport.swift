import GavelCore
import GavelLP

/// The JSON `gavel solve matching INSTANCE.yaml` is meant to print (issue 5 item 7):
/// `benchmarks` (each benchmark's value, or `null` with the limit that excluded it)
/// and `algorithms` (expected value: exact when small enough, else Monte Carlo with
/// `ci95`), and `lp_solvers` (the backend and method behind each LP bound). Key order is fixed;
/// no dictionary order reaches the output.
public enum MatchingSolveReport {
    public static let benchmarks: [MatchingBenchmark] = [.budgetLP, .configLP, .stochasticConfigLP, .pathBased, .fullyOffline, .clairvoyant]

    public static func json(for instance: MatchingInstance, runs: Int = 10_000, seed: UInt64 = 1, lp: LPSolverChoice = .automatic,
                            stage: (String) -> Void = { _ in }) throws -> JSONValue {
        var solvers: [(String, JSONValue)] = []
        var bench: [(String, JSONValue)] = []
        for b in benchmarks {
            stage("benchmark \(b.rawValue)")
            do {
                let v = try MatchingBenchmarks.value(b, of: instance, lp: lp)
                bench.append((b.rawValue, .double(v.value)))
                if let solver = v.solver {
                    solvers.append((b.rawValue, .object([("solver", .string(solver.backend.rawValue)), ("method", .string(solver.method.rawValue)),
                                                         ("lp_solves", .int(Int64(v.solves)))])))
                }
            } catch let e as LPError {
                guard case .backendUnavailable = e else { bench.append((b.rawValue, .object([("value", .null), ("skipped", .string("\(e)"))]))); continue }
                throw e   // a missing backend is the run's error, not a skipped benchmark
            } catch {
                bench.append((b.rawValue, .object([("value", .null), ("skipped", .string("\(error)"))])))
            }
        }
        // Every algorithm of the registry, built-in and registered. One that fails is reported
        // with its error (`value: null`); the others' values are not lost.
        let algs: [(String, JSONValue)] = OnlineMatchingAlgorithms.registry.all.map { a in
            stage("algorithm \(a.name)")
            do {
                do {
                    let e = try ExactEvaluation.evaluate(a, on: instance)
                    return (a.name, .object([("value", .double(e.value)), ("method", .string("exact"))]))
                } catch let e as ExperimentError where e.isBeyondLimit {}
                let mc = try MonteCarloEstimate.estimate(a, on: instance, runs: runs, seed: seed)
                return (a.name, .object([("value", .double(mc.value.mean)), ("ci95", .double(mc.value.confidenceHalfWidth95)),
                                         ("runs", .int(Int64(runs))), ("method", .string("monte_carlo"))]))
            } catch {
                return (a.name, .object([("value", .null), ("failed", .string("\(error)"))]))
            }
        }
        return .object([
            ("instance", .object([("offline", .int(Int64(instance.offlineCount))), ("arrivals", .int(Int64(instance.arrivalCount))),
                                  ("edges", .int(Int64(instance.edgeCount)))])),
            ("benchmarks", .object(bench)), ("algorithms", .object(algs)),
            // Which LP backend and method produced each LP bound (issue 16).
            ("lp_solvers", .object(solvers)),
        ])
    }
}
