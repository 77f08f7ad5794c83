import GavelCore
import Testing
@testable import GavelIoT

@Suite struct GridPartitionTests {
    /// Exactly K cells, each with ⌊M/K⌋ or ⌈M/K⌉ resources, and a request's cell
    /// is the one whose strip and row hold its coordinates.
    @Test(arguments: [(100, 1), (100, 7), (100, 16), (37, 5), (50, 50)])
    func cellsAreBalancedAndRequestsLandInTheirRanges(resources m: Int, cells k: Int) {
        let inst = MOHAFBenchmark.synthetic(requests: 400, resources: m, seed: UInt64(m * 31 + k))
        let grid = GridPartition(cells: k)
        let (res, req) = grid.assign(inst)
        var counts = [Int](repeating: 0, count: k)
        for c in res { counts[c] += 1 }
        #expect(counts.allSatisfy { $0 == m / k || $0 == (m + k - 1) / k })
        #expect(req.allSatisfy { (0..<k).contains($0) })
        // A request's candidates are exactly its cell's resources, and no cell is empty.
        let members = grid.resourcesByRequest(inst)
        for i in inst.requests.indices {
            #expect(!members[i].isEmpty)
            #expect(members[i] == res.indices.filter { res[$0] == req[i] })
        }
        // Deterministic.
        #expect(grid.assign(inst).requests == req)
    }

    /// Scoring requests grouped by cluster gives exactly the request-major elements
    /// of the plain visit (same pairs, same doubles, same order), for a grid and for k-means.
    @Test(arguments: [4, 25])
    func groupedElementsEqualPlain(cells k: Int) {
        let inst = MOHAFBenchmark.synthetic(requests: 3000, resources: 200, seed: UInt64(k))
        let described = MOHAFAsDescribed(valuation: CommonValuation(weights: .asRun, distanceScale: 200))
        for table in [GridPartition(cells: k).resourcesByRequest(inst), LocationClustering(clusters: k, seed: 5).resourcesByRequest(inst)] {
            let plain = described.elements(inst, resourcesOf: { table[$0] }, groupAbove: .max)
            let grouped = described.elements(inst, resourcesOf: { table[$0] }, groupAbove: 0)
            #expect(plain.count == grouped.count && plain.count > 1000)
            #expect(zip(plain, grouped).allSatisfy { a, b in
                a.request == b.request && a.resource == b.resource && a.value.bitPattern == b.value.bitPattern
                    && a.energyShare.bitPattern == b.energyShare.bitPattern && a.price.bitPattern == b.price.bitPattern
            })
        }
    }

    /// With one cell the grid gives every request every resource (the unclustered auction).
    @Test func oneCellIsTheWholeMarket() {
        let inst = MOHAFBenchmark.synthetic(requests: 50, resources: 20, seed: 3)
        #expect(GridPartition(cells: 1).resourcesByRequest(inst).allSatisfy { $0 == Array(0..<20) })
    }

    /// Points are placed in the cell that contains them: a 2 × 2 grid on four corner resources.
    @Test func requestsGoToTheCellContainingThem() {
        func r(_ x: Double, _ y: Double, _ j: Int) -> IoTResource {
            IoTResource(id: "r\(j)", type: .compute, capacity: 1, costPerUnit: 0.5, x: x, y: y, availability: 1, reliability: 1, energyEfficiency: 1, owner: "o")
        }
        func q(_ x: Double, _ y: Double) -> IoTRequest {
            IoTRequest(id: "q", requester: 0, type: .compute, amount: 0.1, budget: 1, priority: 1, x: x, y: y)
        }
        let inst = IoTInstance(resources: [r(-1, -1, 0), r(-1, 1, 1), r(1, -1, 2), r(1, 1, 3)],
                               requests: [q(-5, -5), q(-0.5, 2), q(3, -0.2), q(1, 1), q(0.99, 0.99)], requesterNames: ["u"])
        let (res, req) = GridPartition(cells: 4).assign(inst)
        #expect(res == [0, 1, 2, 3])
        #expect(req == [0, 1, 2, 3, 0])   // cuts at x = 1 and y = 1 (the upper strip's/row's first value): (1, 1) goes up, (0.99, 0.99) stays
    }
}
