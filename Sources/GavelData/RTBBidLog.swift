import GavelCore
/// Bid requests in log order, as parallel arrays (the replay's hot loop reads
/// them sequentially): whether the impression was clicked, the market price
/// (iPinYou `payprice`, an integer in the log's price unit) and the predicted
/// click-through rate θ(x).
public struct BidRequestLog: Sendable, Equatable {
    /// Per request: 1 if clicked, else 0.
    public var clicks: [UInt8] = []
    /// Per request: the market price, in the log's price unit.
    public var prices: [Int32] = []
    /// Per request: the predicted click-through rate θ(x).
    public var ctrs: [Double] = []

    /// An empty log.
    public init() {}

    /// A log of parallel columns, which must have the same length.
    public init(clicks: [UInt8], prices: [Int32], ctrs: [Double]) {
        precondition(clicks.count == prices.count && prices.count == ctrs.count)
        self.clicks = clicks
        self.prices = prices
        self.ctrs = ctrs
    }

    /// Number of requests.
    public var count: Int { prices.count }

    /// Appends one request.
    public mutating func append(click: UInt8, price: Int32, ctr: Double) {
        clicks.append(click)
        prices.append(price)
        ctrs.append(ctr)
    }

    /// The first `n` requests (the authors' README replays the first 350,000 rows).
    public func prefix(_ n: Int) -> BidRequestLog {
        BidRequestLog(clicks: Array(clicks.prefix(n)), prices: Array(prices.prefix(n)), ctrs: Array(ctrs.prefix(n)))
    }

    /// Checksums of the kind the data README states: rows, clicks, sum of prices, mean θ.
    public var totalClicks: Int { clicks.reduce(0) { $0 + Int($1) } }
    /// Sum of the market prices.
    public var totalPrice: Int { prices.reduce(0) { $0 + Int($1) } }
    /// Mean predicted CTR θ; NaN for an empty log.
    public var meanCTR: Double { ctrs.isEmpty ? .nan : ctrs.reduce(0, +) / Double(ctrs.count) }
}

/// Readers for the files of Cai et al.'s RLB code (`han-cai/rlb-dp`).
public enum RLBReplayFile {
    /// `test.theta.txt`: one request per line, `click market_price pCTR`, space-separated.
    public static func readTheta(path: String) throws -> BidRequestLog {
        let file = try TextFile(path: path)
        var log = BidRequestLog()
        log.clicks.reserveCapacity(file.bytes.count / 20)
        try file.forEachLine(separator: UInt8(ascii: " ")) { line, fields in
            let request = try parseRequest(file, line, fields)
            log.append(click: request.click, price: request.price, ctr: request.ctr)
        }
        guard log.count > 0 else {
            throw InputError(file: path, line: 1, field: "click", "the log has no requests (expected lines 'click market_price pCTR')")
        }
        return log
    }

    /// A validation file of the old RLB code: a header `feature_dim<TAB>T`, then
    /// episodes, each an index line followed by T rows `click<TAB>price<TAB>pCTR`.
    /// - Returns: the rows in order (episodes concatenated) and T.
    public static func readValidation(path: String) throws -> (log: BidRequestLog, episodeLength: Int) {
        let file = try TextFile(path: path)
        var log = BidRequestLog()
        var episodeLength: Int?
        var rowsLeft = 0
        var lastLine = 0
        try file.forEachLine(separator: UInt8(ascii: "\t")) { line, fields in
            lastLine = line
            guard let t = episodeLength else {
                guard fields.count == 2, file.integer(fields[0]).map({ $0 >= 0 }) == true,
                      let t = file.integer(fields[1]), t >= 1 else {
                    throw file.error(line: line, field: fields.first, name: "header",
                                     "expected 'feature_dim<TAB>T' with integers, T ≥ 1")
                }
                episodeLength = t
                return
            }
            if rowsLeft == 0 {
                guard fields.count == 1, file.integer(fields[0]) != nil else {
                    throw file.error(line: line, field: fields.first, name: "episode",
                                     "expected an episode index line before the next \(t) rows, found \(fields.count) fields")
                }
                rowsLeft = t
                return
            }
            let request = try parseRequest(file, line, fields)
            log.append(click: request.click, price: request.price, ctr: request.ctr)
            rowsLeft -= 1
        }
        guard let t = episodeLength else {
            throw InputError(file: path, line: 1, field: "header", "the file is empty (expected 'feature_dim<TAB>T')")
        }
        guard rowsLeft == 0 else {
            throw InputError(file: path, line: lastLine, field: "episode", "the last episode has \(t - rowsLeft) rows (expected \(t))")
        }
        return (log, t)
    }

    static func parseRequest(_ file: TextFile, _ line: Int, _ fields: [Range<Int>]) throws -> (click: UInt8, price: Int32, ctr: Double) {
        guard fields.count == 3 else {
            let expectation = "expected 3 fields 'click market_price pCTR', found \(fields.count)"
            if fields.count > 3 { throw file.error(line: line, field: fields[3], name: "row", expectation) }
            // A missing field is reported where it should have started.
            let last = fields[fields.count - 1]
            let column = file.column(of: last) + last.count + (last.isEmpty ? 0 : 1)
            throw InputError(file: file.path, line: line, column: column, field: ["click", "market_price", "pCTR"][fields.count], expectation)
        }
        guard let click = file.integer(fields[0]), click == 0 || click == 1 else {
            throw file.error(line: line, field: fields[0], name: "click", "expected 0 or 1, found '\(file.text(fields[0]))'")
        }
        guard let price = file.integer(fields[1]), price >= 0, price <= Int(Int32.max) else {
            throw file.error(line: line, field: fields[1], name: "market_price", "expected a non-negative integer, found '\(file.text(fields[1]))'")
        }
        guard let ctr = file.double(fields[2]), ctr >= 0, ctr <= 1 else {
            throw file.error(line: line, field: fields[2], name: "pCTR", "expected a probability in [0, 1], found '\(file.text(fields[2]))'")
        }
        return (UInt8(click), Int32(price), ctr)
    }
}
