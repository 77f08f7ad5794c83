import Foundation
import GavelCore

/// A campaign's training and test summary (`info.json` of `han-cai/rlb-dp`):
/// what RLB and its baselines need besides the log itself.
public struct CampaignInfo: Sendable, Equatable {
    /// Impressions in the training log (`imp_train`).
    public var impressionsTrain: Int
    /// Clicks in the training log (`clk_train`).
    public var clicksTrain: Int
    /// Sum of market prices in the training log (`cost_train`), in the log's price unit.
    public var costTrain: Int
    /// Impressions in the test log (`imp_test`).
    public var impressionsTest: Int
    /// Clicks in the test log (`clk_test`).
    public var clicksTest: Int
    /// Sum of market prices in the test log (`cost_test`).
    public var costTest: Int
    /// Histogram of training market prices 0…(count−1); sums to `impressionsTrain`.
    public var priceCountsTrain: [Int]

    /// A summary given field by field (tests; `read(path:)` for a file).
    public init(impressionsTrain: Int, clicksTrain: Int, costTrain: Int, impressionsTest: Int = 0,
                clicksTest: Int = 0, costTest: Int = 0, priceCountsTrain: [Int]) {
        self.impressionsTrain = impressionsTrain
        self.clicksTrain = clicksTrain
        self.costTrain = costTrain
        self.impressionsTest = impressionsTest
        self.clicksTest = clicksTest
        self.costTest = costTest
        self.priceCountsTrain = priceCountsTrain
    }

    /// θ_avg = clk_train / imp_train (Python true division: correctly rounded, as here).
    public var averageCTR: Double { Double(clicksTrain) / Double(impressionsTrain) }
    /// CPM_train = cost_train / imp_train: average market price per impression.
    public var costPerImpression: Double { Double(costTrain) / Double(impressionsTrain) }
    /// CPC_train = cost_train / clk_train.
    public var costPerClick: Double { Double(costTrain) / Double(clicksTrain) }

    /// Per-episode budget B = int(CPM_train · c0 · T), evaluated left to right as in the authors' code.
    public func budget(c0: Double, episodeLength t: Int) -> Int {
        Int(costPerImpression * c0 * Double(t))
    }

    /// Reads and checks `info.json`.
    public static func read(path: String) throws -> CampaignInfo {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw InputError(file: path, "cannot read the file (expected an existing, readable info.json)")
        }
        let object: Any
        do {
            object = try JSONSerialization.jsonObject(with: data)
        } catch {
            throw InputError(file: path, "invalid JSON: \(error.localizedDescription)")
        }
        guard let dict = object as? [String: Any] else {
            throw InputError(file: path, "expected a JSON object at the top level")
        }
        func integer(_ key: String, minimum: Int) throws -> Int {
            guard let raw = dict[key] else { throw InputError(file: path, field: key, "missing (expected an integer ≥ \(minimum))") }
            // JSON true/false also arrive as NSNumber; their Objective-C type code is "c".
            guard let number = raw as? NSNumber, String(cString: number.objCType) != "c",
                  let value = Int(exactly: number.doubleValue), value >= minimum else {
                throw InputError(file: path, field: key, "expected an integer ≥ \(minimum), found \(raw)")
            }
            return value
        }
        let imp = try integer("imp_train", minimum: 1)
        let clk = try integer("clk_train", minimum: 1)
        let cost = try integer("cost_train", minimum: 0)
        guard let rawCounts = dict["price_counter_train"] as? [Any], !rawCounts.isEmpty else {
            throw InputError(file: path, field: "price_counter_train", "expected a non-empty list of counts")
        }
        var counts: [Int] = []
        for (i, raw) in rawCounts.enumerated() {
            guard let n = raw as? NSNumber, let v = Int(exactly: n.doubleValue), v >= 0 else {
                throw InputError(file: path, field: "price_counter_train.\(i)", "expected a non-negative integer, found \(raw)")
            }
            counts.append(v)
        }
        // Summed with overflow reported, not trapped: counts up to 2^53 each are valid JSON integers.
        var total = 0
        for v in counts {
            let (sum, overflow) = total.addingReportingOverflow(v)
            guard !overflow else { throw InputError(file: path, field: "price_counter_train", "the price histogram's sum overflows (expected counts of impressions)") }
            total = sum
        }
        guard total == imp else {
            throw InputError(file: path, field: "price_counter_train",
                                "the price histogram sums to \(total), expected imp_train = \(imp)")
        }
        return CampaignInfo(
            impressionsTrain: imp, clicksTrain: clk, costTrain: cost,
            impressionsTest: try dict["imp_test"] == nil ? 0 : integer("imp_test", minimum: 0),
            clicksTest: try dict["clk_test"] == nil ? 0 : integer("clk_test", minimum: 0),
            costTest: try dict["cost_test"] == nil ? 0 : integer("cost_test", minimum: 0),
            priceCountsTrain: counts)
    }
}
