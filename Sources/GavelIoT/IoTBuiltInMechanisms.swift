import GavelCore

// Gavel's own IoT allocation mechanisms as values of the family's public protocol: each is
// a thin adapter from `IoTMarket` to the algorithm's own type (MOHAFAsRun, MOHAFAsDescribed,
// the notebook's baselines, OptimalAssignment), which keep their hot loops.

/// MOHAF in the scenario's mode: `as_run` (notebook cell 4), `package` (the `mohaf/` package)
/// or `as_described` (``MOHAFAsDescribed``, optionally in clusters).
public struct MOHAFMechanism: IoTAllocationMechanism {
    /// `mohaf`.
    public var name: String { "mohaf" }
    /// One line for `gavel list`.
    public var summary: String { "MOHAF (mode as_run = notebook cell 4, package = mohaf/ package, as_described = submodular lazy greedy)" }
    /// MOHAF is what the `mohaf:` block configures.
    public var readsMOHAFSettings: Bool { true }
    /// MOHAF with the market's settings (no draws from the notebook's stream).
    public init() {}

    /// Runs the mode; `as_described` also reports F(S), its guarantee and the gain evaluations,
    /// and shares capacity (not one-to-one).
    public func allocate(_ market: IoTMarket) throws -> IoTMechanismOutcome {
        let inst = market.instance, s = market.mohaf
        switch s.mode {
        case .asRun: return IoTMechanismOutcome(MOHAFAsRun(weights: s.weights, version: .notebookCell4).run(inst))
        case .package: return IoTMechanismOutcome(MOHAFAsRun(weights: s.weights, version: .package).run(inst))
        case .asDescribed:
            let d = s.asDescribed
            let mechanism = MOHAFAsDescribed(valuation: market.valuation, theta: (d.thetaUtility, d.thetaFairness, d.thetaEnergy),
                                             enforceQoS: d.enforceQoS)
            let partition = d.partition.partition(clusters: d.clusters, seed: market.mechanismSeed)
            let (r, outcome): (IoTAllocationResult, MOHAFAsDescribed.Outcome)
            switch (d.clusters > 1, d.clusterAuctions) {
            case (false, _): (r, outcome) = mechanism.run(inst)
            case (true, .joint):
                let byRequest = partition.resourcesByRequest(inst)
                (r, outcome) = mechanism.run(inst, resourcesOf: { byRequest[$0] })
            case (true, .separate):
                let labels = partition.assign(inst)
                (r, outcome) = mechanism.runInClusters(inst, resourceCluster: labels.resources, requestCluster: labels.requests)
            }
            return IoTMechanismOutcome(r, metrics: [("objective_f", outcome.objective), ("guarantee", outcome.guarantee),
                                                    ("gain_evaluations", Double(outcome.gainEvaluations))], isOneToOne: false)
        }
    }
}

/// Notebook cell 4's "priority auction" (``GreedyAsRun``).
public struct GreedyBaseline: IoTAllocationMechanism {
    /// `greedy`.
    public var name: String { "greedy" }
    /// One line for `gavel list`.
    public var summary: String { "cell 4 'priority auction': budget order, cheapest available resource, label 0.5 + 0.3·p/10" }
    /// The baseline (no draws).
    public init() {}
    /// Runs ``GreedyAsRun``.
    public func allocate(_ market: IoTMarket) throws -> IoTMechanismOutcome {
        IoTMechanismOutcome(GreedyAsRun.run(market.instance))
    }
}

/// Notebook cell 4's First-Price (``FirstPriceAsRun``), drawing its labels from the notebook's stream.
public struct FirstPriceBaseline: IoTAllocationMechanism {
    /// `first_price`.
    public var name: String { "first_price" }
    /// One line for `gavel list`.
    public var summary: String { "cell 4 first price: highest cost·d first, label U(0.3, 0.8) per pair" }
    /// The baseline.
    public init() {}
    /// Runs ``FirstPriceAsRun`` on a copy of the notebook's stream (it draws first in the notebook).
    public func allocate(_ market: IoTMarket) throws -> IoTMechanismOutcome {
        var random = market.notebookRandom
        return IoTMechanismOutcome(FirstPriceAsRun.run(market.instance, random: &random))
    }
}

/// Notebook cell 4's Random (``RandomAsRun``), which sees the stream First-Price left; with the
/// package's code (``IoTMarket/notebookCode`` = `.package`, cell 0) it shuffles the resources first.
public struct RandomBaseline: IoTAllocationMechanism {
    /// `random`.
    public var name: String { "random" }
    /// One line for `gavel list`.
    public var summary: String { "cell 4 random: random.sample order, random.choice resource, label U(0.2, 0.6) (cell 0: resources shuffled first)" }
    /// The baseline.
    public init() {}
    /// Replays First-Price's draws, then runs ``RandomAsRun``.
    public func allocate(_ market: IoTMarket) throws -> IoTMechanismOutcome {
        var random = market.notebookRandom
        FirstPriceAsRun.consumeDraws(market.instance, random: &random)
        return IoTMechanismOutcome(try RandomAsRun.run(market.instance, random: &random, shuffleResources: market.notebookCode == .package))
    }
}

/// Notebook cell 0's Vickrey (``VickreyAsRun``): per request the highest-priced compatible resource, second price.
public struct VickreyBaseline: IoTAllocationMechanism {
    /// `vickrey`.
    public var name: String { "vickrey" }
    /// One line for `gavel list`.
    public var summary: String { "cell 0 Vickrey: per request the highest min(cost·d, B) wins if free, pays the second; label 0.6 + 0.3·reliability" }
    /// The baseline (no draws).
    public init() {}
    /// Runs ``VickreyAsRun``.
    public func allocate(_ market: IoTMarket) throws -> IoTMechanismOutcome {
        IoTMechanismOutcome(VickreyAsRun.run(market.instance))
    }
}

/// Notebook cell 0's "Hungarian Algorithm" (``HungarianAsRun``): scipy's `linear_sum_assignment` on
/// the authors' cost matrix. When scipy would raise "cost matrix is infeasible" the run is recorded
/// as failed (metric `infeasible` = 1, the paper's metrics NaN), not thrown.
public struct HungarianBaseline: IoTAllocationMechanism {
    /// `hungarian`.
    public var name: String { "hungarian" }
    /// One line for `gavel list`.
    public var summary: String { "cell 0 Hungarian: scipy linear_sum_assignment minimising cost·d (∞ if incompatible or over budget), label 0.7; infeasible recorded" }
    /// The baseline (no draws).
    public init() {}
    /// Runs ``HungarianAsRun``; its infeasible outcome is a recorded failure.
    public func allocate(_ market: IoTMarket) throws -> IoTMechanismOutcome {
        switch HungarianAsRun.run(market.instance) {
        case .assigned(let r): return IoTMechanismOutcome(r, metrics: [("infeasible", 0)])
        case .infeasible(let finite): return .failed(HungarianAsRun.infeasibleMessage, bids: finite, metrics: [("infeasible", 1)])
        }
    }
}

/// The welfare-optimal one-to-one assignment under the common valuation, each pair paying cost·d.
public struct OptimalBaseline: IoTAllocationMechanism {
    /// `optimal`.
    public var name: String { "optimal" }
    /// One line for `gavel list`.
    public var summary: String { "welfare-optimal one-to-one assignment under the common valuation (Hungarian)" }
    /// The reference.
    public init() {}
    /// The Hungarian optimum (the kind's cached one when the market has it); labels are v_ij.
    public func allocate(_ market: IoTMarket) throws -> IoTMechanismOutcome {
        let inst = market.instance, valuation = market.valuation
        let opt = market.optimalAssignment()
        return IoTMechanismOutcome(IoTAllocationResult(allocations: opt.pairs.map { p in
            IoTAllocation(request: p.request, resource: p.resource, price: inst.resources[p.resource].costPerUnit * inst.requests[p.request].amount,
                          amount: inst.requests[p.request].amount, utility: valuation.value(inst, request: p.request, resource: p.resource))
        }, maxPossibleUtility: Double(inst.requests.count), bids: 0))
    }
}
