import GavelCore
import GavelData

/// The Table 1 instance of the MOHAF paper, built exactly as the authors'
/// notebook (cell 4, `load_google_cluster_data(num_files_to_process=2,
/// max_requests_per_file=2500)`) built it: spec mohaf.md §2.1.
///
/// 1. From each job_events part, in file order, the first `maxRequestsPerFile`
///    SUBMIT (event type 0) rows → N requests (3,553 for parts 00000–00001).
/// 2. M = N div 4 resources, drawn *first* from CPython's `random` seeded 42, each in
///    the order C ~ U(0.5,1), cost ~ U(0.3,0.8), x, y ~ U(−100,100),
///    availability ~ U(0.95,1), reliability ~ U(0.95,1), energy ~ U(0.6,0.9).
/// 3. Then per request: x, y ~ U(−100,100). Demand d = scheduling class / 3,
///    priority 8 (job_events has no priority column), budget B = 20d + 5p.
///
/// The generator is returned in the state the notebook's mechanisms found it in,
/// because First-Price and Random keep drawing from the same global stream.
public struct GoogleTraceInstance: Sendable {
    /// The resources and requests.
    public var instance: IoTInstance
    /// The notebook's generator after the instance's draws.
    public var random: PythonRandom
    /// Trace time (µs) of each request's SUBMIT event.
    public var submitTimes: [Int64]
    /// The trace job ID behind each request.
    public var jobIDs: [Int64]

    /// p of every request (job_events has no priority column).
    public static let defaultPriority = 8

    /// Builds the instance from the first `files` job_events parts in `directory`, with CPython's `random` seeded `seed`.
    /// - Throws: `InputError` for a missing or malformed trace file.
    public static func build(jobEvents directory: String, files: Int = 2, maxRequestsPerFile: Int = 2500,
                             seed: Int = 42) throws -> GoogleTraceInstance {
        let reader = try GoogleTraceReader<JobEvent>(directory: directory, parts: files)
        var submits: [JobEvent] = []
        var taken = [Int](repeating: 0, count: files)
        try reader.forEach { event, file in
            guard event.eventType == .submit else { return .next }
            submits.append(event)
            taken[file] += 1
            return taken[file] == maxRequestsPerFile ? .nextFile : .next
        }
        let n = submits.count
        let m = n / 4
        var rng = PythonRandom(seed: seed)
        var resources: [IoTResource] = []
        resources.reserveCapacity(m)
        for i in 0..<m {
            let c = rng.uniform(0.5, 1.0)
            let cost = rng.uniform(0.3, 0.8)
            let x = rng.uniform(-100, 100)
            let y = rng.uniform(-100, 100)
            let availability = rng.uniform(0.95, 1.0)
            let reliability = rng.uniform(0.95, 1.0)
            let energy = rng.uniform(0.6, 0.9)
            resources.append(IoTResource(id: "resource_\(i)", type: .compute, capacity: c, costPerUnit: cost, x: x, y: y,
                                         availability: availability, reliability: reliability,
                                         energyEfficiency: energy, owner: "owner_\(i % 50)"))
        }
        var requesterIndex: [String: Int] = [:]   // lookups only; names kept in first-appearance order
        var requesterNames: [String] = []
        var requests: [IoTRequest] = []
        requests.reserveCapacity(n)
        for e in submits {
            let requester: Int
            if let k = requesterIndex[e.user] { requester = k } else {
                requester = requesterNames.count
                requesterIndex[e.user] = requester
                requesterNames.append(e.user)
            }
            let d = Double(e.schedulingClass) / 3.0
            let p = defaultPriority
            let budget = d * 20 + Double(p) * 5
            let x = rng.uniform(-100, 100)
            let y = rng.uniform(-100, 100)
            requests.append(IoTRequest(id: "job_\(e.jobID)", requester: requester, type: .compute, amount: d,
                                       budget: budget, priority: p, x: x, y: y))
        }
        return GoogleTraceInstance(instance: IoTInstance(resources: resources, requests: requests, requesterNames: requesterNames),
                                   random: rng, submitTimes: submits.map(\.time), jobIDs: submits.map(\.jobID))
    }
}
