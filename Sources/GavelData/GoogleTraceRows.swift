/// Typed rows of Google's clusterdata-2011-2 trace (schema: google/cluster-data,
/// `ClusterData2011_2.md`; summarised in shared/data/google-cluster/README.md).

/// Event types shared by the job and task tables.
public enum TraceEventType: Int, Sendable, CaseIterable {
    case submit = 0, schedule = 1, evict = 2, fail = 3, finish = 4, kill = 5, lost = 6
    case updatePending = 7, updateRunning = 8
}

/// One row of `job_events` (8 columns).
public struct JobEvent: Sendable, Equatable {
    /// Microseconds; 0 = before the trace window, 2^63−1 = after it.
    public var time: Int64
    /// The trace's `missing info` column (see the schema); nil when empty.
    public var missingInfo: Int?
    /// The job's ID.
    public var jobID: Int64
    /// What happened to the job.
    public var eventType: TraceEventType
    /// Base64 SHA hash of the user name.
    public var user: String
    /// 0–3; 3 is the most latency-sensitive.
    public var schedulingClass: Int
    /// The job's name, as in the trace (hashed).
    public var jobName: String
    /// The logical job name, as in the trace (hashed).
    public var logicalJobName: String
}

/// One row of `task_events` (13 columns).
public struct TaskEvent: Sendable, Equatable {
    /// Microseconds; 0 = before the trace window, 2^63−1 = after it.
    public var time: Int64
    /// The trace's `missing info` column (see the schema); nil when empty.
    public var missingInfo: Int?
    /// The task's job ID.
    public var jobID: Int64
    /// The task's index within its job.
    public var taskIndex: Int
    /// Empty for events of unscheduled tasks.
    public var machineID: Int64?
    /// What happened to the task.
    public var eventType: TraceEventType
    /// Base64 SHA hash of the user name.
    public var user: String
    /// 0–3; 3 is the most latency-sensitive.
    public var schedulingClass: Int
    /// 0–11: 0–1 free, 9–11 production.
    public var priority: Int
    /// Normalised to the largest machine (0–1); empty in a few rows.
    public var cpuRequest: Double?
    /// Normalised to the largest machine (0–1); empty in a few rows.
    public var memoryRequest: Double?
    /// Local disk space, normalised to the largest machine (0–1); empty in a few rows.
    public var diskRequest: Double?
    /// The different-machines restriction (a task of the job per machine); nil when empty.
    public var differentMachines: Bool?
}
