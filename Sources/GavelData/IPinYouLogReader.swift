/// One impression of an iPinYou log (`train.log.txt` / `test.log.txt` as made by
/// `wnzhang/make-ipinyou-data`): the columns a bidding replay needs.
public struct IPinYouImpression: Sendable, Equatable {
    /// 1 if the impression was clicked, else 0.
    public var click: UInt8
    /// `yyyyMMddHHmmssSSS` as an integer: orders requests by time.
    public var timestamp: Int64
    /// Market price (column 23, `payprice`).
    public var payPrice: Int32
    /// The winning bid recorded in the log (column `bidprice`).
    public var bidPrice: Int32
    /// Floor price (column 20, `slotprice`).
    public var slotPrice: Int32
    /// The advertiser's ID (column `advertiser`).
    public var advertiser: String
}

/// Reads iPinYou logs: tab-separated, a header row naming the columns (the
/// spec's 0-based layout: 0 click … 23 payprice … 25 advertiser 26 usertag, and
/// 27 nclick, 28 nconversation in test logs). Columns are found by header name,
/// so both layouts read; every row must have as many fields as the header.
public enum IPinYouLogReader {
    static let required = ["click", "timestamp", "slotprice", "bidprice", "payprice", "advertiser"]

    /// - Parameter advertiser: keep only this advertiser's rows (the logs are per
    ///   advertiser after make-ipinyou-data, but raw season logs are not).
    public static func read(path: String, advertiser: String? = nil) throws -> [IPinYouImpression] {
        let file = try TextFile(path: path)
        var columns: [String: Int] = [:]
        var width = 0
        var rows: [IPinYouImpression] = []
        try file.forEachLine(separator: UInt8(ascii: "\t")) { line, fields in
            if line == 1 {
                width = fields.count
                for (i, f) in fields.enumerated() { columns[file.text(f)] = i }
                let missing = required.filter { columns[$0] == nil }
                guard missing.isEmpty else {
                    throw file.error(line: 1, field: fields.first, name: "header",
                                     "missing column(s) \(missing.joined(separator: ", ")) (expected an iPinYou log header)")
                }
                return
            }
            guard fields.count == width else {
                throw file.error(line: line, field: fields.last, name: "row",
                                 "expected \(width) tab-separated fields as in the header, found \(fields.count)")
            }
            func int(_ name: String, _ range: ClosedRange<Int>) throws -> Int {
                let f = fields[columns[name]!]
                guard let v = file.integer(f), range.contains(v) else {
                    throw file.error(line: line, field: f, name: name, "expected an integer in \(range.lowerBound)…\(range.upperBound), found '\(file.text(f))'")
                }
                return v
            }
            let adv = file.text(fields[columns["advertiser"]!])
            if let advertiser, adv != advertiser { return }
            let tsField = fields[columns["timestamp"]!]
            guard tsField.count == 17, let ts = file.integer(tsField) else {
                throw file.error(line: line, field: tsField, name: "timestamp", "expected 17 digits yyyyMMddHHmmssSSS, found '\(file.text(tsField))'")
            }
            rows.append(IPinYouImpression(
                click: UInt8(try int("click", 0...1)), timestamp: Int64(ts),
                payPrice: Int32(try int("payprice", 0...1_000_000)), bidPrice: Int32(try int("bidprice", 0...1_000_000)),
                slotPrice: Int32(try int("slotprice", 0...1_000_000)), advertiser: adv))
        }
        return rows
    }

    /// The replay log of `impressions`, in log order or by timestamp (stable, so
    /// equal timestamps keep log order). θ(x) comes from `ctrs` (one per
    /// impression, e.g. a CTR model's output) or is the constant `constantCTR`.
    public static func bidLog(_ impressions: [IPinYouImpression], byTimestamp: Bool = false,
                              ctrs: [Double]? = nil, constantCTR: Double = 0) -> BidRequestLog {
        precondition(ctrs == nil || ctrs!.count == impressions.count, "one CTR per impression")
        var order = Array(impressions.indices)
        if byTimestamp {
            order.sort { (impressions[$0].timestamp, $0) < (impressions[$1].timestamp, $1) }
        }
        var log = BidRequestLog()
        for i in order {
            log.append(click: impressions[i].click, price: impressions[i].payPrice, ctr: ctrs?[i] ?? constantCTR)
        }
        return log
    }
}
