import GavelCore

/// The resource types of the MOHAF model (paper §3; `ResourceType` in the authors' code).
public enum IoTResourceType: String, Sendable, CaseIterable {
    case compute, storage, bandwidth, energy
}

/// An IoT resource j: capacity C_j and attributes a_j (MOHAF paper §3).
public struct IoTResource: Sendable, Equatable {
    /// The resource's ID in the source data.
    public var id: String
    /// Only requests of the same type may use it.
    public var type: IoTResourceType
    /// C_j, in the requests' demand units.
    public var capacity: Double
    /// Cost per unit of demand.
    public var costPerUnit: Double
    /// Location x (the Google instance draws it in [−100, 100]).
    public var x: Double
    /// Location y.
    public var y: Double
    /// In [0, 1].
    public var availability: Double
    /// In [0, 1].
    public var reliability: Double
    /// e_j, in [0, 1].
    public var energyEfficiency: Double
    /// The owner's ID in the source data.
    public var owner: String

    /// A resource given field by field.
    public init(id: String, type: IoTResourceType, capacity: Double, costPerUnit: Double, x: Double, y: Double,
                availability: Double, reliability: Double, energyEfficiency: Double, owner: String) {
        self.id = id; self.type = type; self.capacity = capacity; self.costPerUnit = costPerUnit
        self.x = x; self.y = y; self.availability = availability; self.reliability = reliability
        self.energyEfficiency = energyEfficiency; self.owner = owner
    }
}

/// QoS needs q_i of a request (paper §3). The authors' code draws them but never checks them.
public struct QoSRequirement: Sendable, Equatable {
    /// Least acceptable resource reliability.
    public var minReliability: Double
    /// Least acceptable resource availability.
    public var minAvailability: Double
    /// Largest acceptable latency, taken as the Euclidean distance between locations (the paper leaves lat(ℓ_i, ℓ_j) open).
    public var maxLatency: Double
    /// Requirements given field by field.
    public init(minReliability: Double, minAvailability: Double, maxLatency: Double) {
        self.minReliability = minReliability; self.minAvailability = minAvailability; self.maxLatency = maxLatency
    }
}

/// A request i: demand d_i, budget B_i, priority p_i, location and QoS needs.
public struct IoTRequest: Sendable, Equatable {
    /// The request's ID in the source data.
    public var id: String
    /// Dense index of the requester (the trace's user), in order of first appearance.
    public var requester: Int
    /// The resource type it needs.
    public var type: IoTResourceType
    /// d_i, the demand.
    public var amount: Double
    /// B_i, the most it pays.
    public var budget: Double
    /// p_i (0–11 in the trace; 8 for every job_events request).
    public var priority: Int
    /// Location x.
    public var x: Double
    /// Location y.
    public var y: Double
    /// QoS needs; nil when it has none.
    public var qos: QoSRequirement?

    /// A request given field by field.
    public init(id: String, requester: Int, type: IoTResourceType, amount: Double, budget: Double, priority: Int,
                x: Double, y: Double, qos: QoSRequirement? = nil) {
        self.id = id; self.requester = requester; self.type = type; self.amount = amount; self.budget = budget
        self.priority = priority; self.x = x; self.y = y; self.qos = qos
    }
}

/// Resources, requests and the names of the requesters the requests point to.
public struct IoTInstance: Sendable {
    /// The resources, by index j.
    public var resources: [IoTResource]
    /// The requests, by index i.
    public var requests: [IoTRequest]
    /// Requester names, indexed by ``IoTRequest/requester``.
    public var requesterNames: [String]

    /// An instance given directly.
    public init(resources: [IoTResource], requests: [IoTRequest], requesterNames: [String]) {
        self.resources = resources
        self.requests = requests
        self.requesterNames = requesterNames
    }

    /// Type match and C_j ≥ d_i: the feasibility test every as-run mechanism applies.
    @inline(__always)
    public func compatible(request i: Int, resource j: Int) -> Bool {
        resources[j].type == requests[i].type && resources[j].capacity >= requests[i].amount
    }

    /// Euclidean distance between request i and resource j (used as latency).
    @inline(__always)
    public func distance(request i: Int, resource j: Int) -> Double {
        let dx = resources[j].x - requests[i].x, dy = resources[j].y - requests[i].y
        return (dx * dx + dy * dy).squareRoot()
    }
}

/// One accepted (request, resource) pair, as a mechanism reports it.
public struct IoTAllocation: Sendable, Equatable {
    /// The request's index.
    public var request: Int
    /// The resource's index.
    public var resource: Int
    /// What the request pays.
    public var price: Double
    /// The amount allocated.
    public var amount: Double
    /// The mechanism's *own* utility label: U_ij for MOHAF, a random or constant
    /// number for the paper's baselines (spec §2.3). The paper's metrics use it;
    /// the honest metrics do not.
    public var utility: Double

    /// An allocation given field by field.
    public init(request: Int, resource: Int, price: Double, amount: Double, utility: Double) {
        self.request = request; self.resource = resource; self.price = price; self.amount = amount; self.utility = utility
    }
}

/// What a mechanism returned: allocations in acceptance order, and the
/// denominator the paper's efficiency uses for it (spec §2.4).
public struct IoTAllocationResult: Sendable {
    /// The accepted pairs, in acceptance order.
    public var allocations: [IoTAllocation]
    /// The denominator of the paper's allocation efficiency for this mechanism (spec §2.4).
    public var maxPossibleUtility: Double
    /// Bids (feasible pairs) the mechanism generated.
    public var bids: Int

    /// A result given directly.
    public init(allocations: [IoTAllocation], maxPossibleUtility: Double, bids: Int) {
        self.allocations = allocations
        self.maxPossibleUtility = maxPossibleUtility
        self.bids = bids
    }
}
