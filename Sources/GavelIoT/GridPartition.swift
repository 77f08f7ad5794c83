/// Splits requests among groups of resources, so that each request bids only
/// within its group (MOHAF's hierarchical step). Implemented by k-means
/// (`LocationClustering`) and by a balanced grid (`GridPartition`).
public protocol ResourcePartition: Sendable {
    /// Group labels of every resource and every request (a request may use only the resources of its group).
    func assign(_ inst: IoTInstance) -> (resources: [Int], requests: [Int])
    /// For each request, the resources of its group, in index order.
    func resourcesByRequest(_ inst: IoTInstance) -> [[Int]]
}

extension ResourcePartition {
    /// For each request, the resources of its group, in index order.
    public func resourcesByRequest(_ inst: IoTInstance) -> [[Int]] {
        let (resources, requests) = assign(inst)
        let members = PartitionLabels.members(of: resources, clusters: ((resources + requests).max() ?? -1) + 1)
        return requests.map { members[$0] }
    }
}

/// Grouping by label, shared by the partitions and the cluster auctions.
enum PartitionLabels {
    /// Indices by label, each list in index order; labels outside 0..<clusters are ignored.
    static func members(of labels: [Int], clusters: Int) -> [[Int]] {
        var out = [[Int]](repeating: [], count: max(clusters, 0))
        for (i, c) in labels.enumerated() where c >= 0 && c < clusters { out[c].append(i) }
        return out
    }
}

extension LocationClustering: ResourcePartition {}

/// A near-linear alternative to k-means: a balanced two-level grid on the
/// resources' locations, O(M log M + N log K) instead of k-means' O((N+M)·K) per round.
///
/// Resources are sorted by (x, index) and cut into g = ⌊√K⌋ vertical strips;
/// strip s has ⌊K/g⌋ cells (the first K mod g strips one more) and the
/// resources of those cells; it is sorted by (y, index) and cut into its cells.
/// Cell c holds ⌊(c+1)·M/K⌋ − ⌊c·M/K⌋ resources, so there are exactly K cells of
/// ⌊M/K⌋ or ⌈M/K⌉ resources each, none empty while K ≤ M. Cuts at quantiles do not
/// change under an affine rescaling of x or y, so this equals the same grid on
/// standardised coordinates. A request goes to the strip whose x-range holds it
/// and then to the cell whose y-range holds it: with cut values c_1 ≤ … ≤ c_{g−1}
/// it goes to the number of cuts ≤ its coordinate (ties with a cut go to the upper
/// side). Deterministic: no random draws, ties by index.
public struct GridPartition: ResourcePartition {
    /// Groups in all (the grid's cells).
    public var cells: Int

    /// A grid of `cells` groups (≥ 1).
    public init(cells: Int) {
        precondition(cells >= 1)
        self.cells = cells
    }

    /// Cell label of every resource and every request.
    public func assign(_ inst: IoTInstance) -> (resources: [Int], requests: [Int]) {
        let m = inst.resources.count
        let k = max(1, min(cells, m))
        let strips = max(1, Int(Double(k).squareRoot()))
        let byX = inst.resources.indices.sorted { a, b in
            let xa = inst.resources[a].x, xb = inst.resources[b].x
            return xa != xb ? xa < xb : a < b
        }
        var resourceCell = [Int](repeating: 0, count: m)
        var xCuts: [Double] = []
        var yCuts: [[Double]] = []
        var firstCell: [Int] = []
        var cell = 0
        for s in 0..<strips {
            // Cell c holds sorted positions [c·m/k, (c+1)·m/k): strips take whole runs of cells.
            let rows = k / strips + (s < k % strips ? 1 : 0)
            let lo = cell * m / k, hi = (cell + rows) * m / k
            if s > 0 { xCuts.append(inst.resources[byX[lo]].x) }
            let byY = byX[lo..<hi].sorted { a, b in
                let ya = inst.resources[a].y, yb = inst.resources[b].y
                return ya != yb ? ya < yb : a < b
            }
            var cuts: [Double] = []
            firstCell.append(cell)
            for r in 0..<rows {
                let a = (cell + r) * m / k - lo, b = (cell + r + 1) * m / k - lo
                if r > 0 { cuts.append(inst.resources[byY[a]].y) }
                for j in byY[a..<b] { resourceCell[j] = cell + r }
            }
            yCuts.append(cuts)
            cell += rows
        }
        let requestCell = inst.requests.map { q -> Int in
            let s = Self.countNotAbove(xCuts, q.x)
            return firstCell[s] + Self.countNotAbove(yCuts[s], q.y)
        }
        return (resourceCell, requestCell)
    }

    /// The number of sorted cuts ≤ v (binary search).
    static func countNotAbove(_ cuts: [Double], _ v: Double) -> Int {
        var lo = 0, hi = cuts.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if cuts[mid] <= v { lo = mid + 1 } else { hi = mid }
        }
        return lo
    }

}
