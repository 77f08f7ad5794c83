import GavelData

/// One task request of the live market, from `task_events` (issue 3, item 5).
///
/// A task's SUBMIT opens a request with the trace's real priority and CPU and
/// memory requests; the next terminal event of the same (job, task index) —
/// EVICT, FAIL, FINISH, KILL or LOST — closes it and gives its finish time. A
/// task resubmitted after an eviction opens a new request (a new `attempt`).
public struct LiveTask: Sendable, Equatable {
    /// The trace job ID.
    public var jobID: Int64
    /// The task's index within its job.
    public var taskIndex: Int
    /// 0 for the first SUBMIT of (job, task index), then 1, 2, … for resubmissions.
    public var attempt: Int
    /// Dense index of the trace user, in order of first appearance.
    public var requester: Int
    /// Seconds (trace µs / 10^6); 0 = already present when the trace began.
    public var arrival: Double
    /// Seconds of the closing terminal event; `.infinity` when none falls in the parts read.
    public var finish: Double
    /// 0–11 (0–1 free, 9–11 production).
    public var priority: Int
    /// CPU and memory requests, normalised to the largest machine (0–1).
    public var cpu: Double
    /// Normalised to the largest machine (0–1).
    public var memory: Double
    /// Index of the part file the SUBMIT came from.
    public var part: Int

    /// `job-task`, with `#attempt` for a resubmission.
    public var id: String { "\(jobID)-\(taskIndex)" + (attempt > 0 ? "#\(attempt)" : "") }
}

/// The task requests of some `task_events` parts, in arrival order.
public struct LiveTaskTrace: Sendable {
    /// Sorted by (arrival, order of the SUBMIT row in the files): explicit, so equal times keep file order.
    public var tasks: [LiveTask]
    /// Requester (user) names, indexed by ``LiveTask/requester``.
    public var requesterNames: [String]
    /// SUBMIT rows per part file that became requests.
    public var requestsPerPart: [Int]
    /// SUBMIT rows without a CPU or memory request (the trace leaves a few empty); not requests.
    public var submitsWithoutRequest: Int
    /// The latest event time in the parts (seconds): where the live market stops.
    public var horizon: Double

    /// A trace given directly.
    public init(tasks: [LiveTask], requesterNames: [String], requestsPerPart: [Int], submitsWithoutRequest: Int, horizon: Double) {
        self.tasks = tasks; self.requesterNames = requesterNames; self.requestsPerPart = requestsPerPart
        self.submitsWithoutRequest = submitsWithoutRequest; self.horizon = horizon
    }

    private struct TaskKey: Hashable { var job: Int64; var index: Int }

    /// Reads the first `parts` part files of a `task_events` folder (streamed, strict).
    public static func read(taskEvents directory: String, parts: Int) throws -> LiveTaskTrace {
        let reader = try GoogleTraceReader<TaskEvent>(directory: directory, parts: parts)
        var tasks: [LiveTask] = []
        var perPart = [Int](repeating: 0, count: parts)
        // Lookups only: neither dictionary is ever iterated, so its order cannot reach output.
        var open: [TaskKey: Int] = [:]
        var attempts: [TaskKey: Int] = [:]
        var requesterIndex: [String: Int] = [:]
        var names: [String] = []
        var without = 0
        var latest: Int64 = 0
        try reader.forEach { e, part in
            latest = max(latest, e.time)
            let key = TaskKey(job: e.jobID, index: e.taskIndex)
            switch e.eventType {
            case .submit:
                guard let cpu = e.cpuRequest, let memory = e.memoryRequest else { without += 1; return .next }
                let requester: Int
                if let k = requesterIndex[e.user] { requester = k } else {
                    requester = names.count
                    requesterIndex[e.user] = requester
                    names.append(e.user)
                }
                let attempt = attempts[key, default: 0]
                attempts[key] = attempt + 1
                open[key] = tasks.count
                tasks.append(LiveTask(jobID: e.jobID, taskIndex: e.taskIndex, attempt: attempt, requester: requester,
                                      arrival: Double(e.time) / 1e6, finish: .infinity, priority: e.priority,
                                      cpu: cpu, memory: memory, part: part))
                perPart[part] += 1
            case .evict, .fail, .finish, .kill, .lost:
                if let k = open.removeValue(forKey: key) { tasks[k].finish = max(tasks[k].arrival, Double(e.time) / 1e6) }
            case .schedule, .updatePending, .updateRunning:
                break
            }
            return .next
        }
        // Arrival order; equal arrivals keep the order of their SUBMIT rows.
        let order = tasks.indices.sorted { a, b in
            tasks[a].arrival != tasks[b].arrival ? tasks[a].arrival < tasks[b].arrival : a < b
        }
        return LiveTaskTrace(tasks: order.map { tasks[$0] }, requesterNames: names, requestsPerPart: perPart,
                             submitsWithoutRequest: without, horizon: Double(latest) / 1e6)
    }
}
