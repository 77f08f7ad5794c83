import Foundation
import GavelCore

/// The synthetic 40 × 25 instance behind the paper's Table 2
/// (shared/data/mohaf-ablation, exported from the authors' notebook cell 0).
public enum AblationInstance {
    static let resourceColumns = ["index", "id", "type", "capacity", "cost_per_unit", "loc_x", "loc_y",
                                  "availability", "reliability", "energy_efficiency", "owner_id"]
    static let requestColumns = ["index", "id", "requester_id", "type", "amount", "max_price", "priority",
                                 "loc_x", "loc_y", "min_reliability", "max_latency", "min_availability"]

    /// Reads the resources and requests CSV files (the exported columns, in order).
    /// - Throws: `InputError` at the offending file, line and field.
    public static func load(resources: String, requests: String) throws -> IoTInstance {
        let res = try CSVTable(path: resources, expectedHeader: resourceColumns)
        let req = try CSVTable(path: requests, expectedHeader: requestColumns)
        let positive = "a finite number > 0", unit = "a probability in [0, 1]", finite = "a finite number"
        var resourceList: [IoTResource] = []
        var resourceIDs: [String: Int] = [:]
        for row in res.rows {
            let id = try row.identifier("id", seen: &resourceIDs)
            resourceList.append(IoTResource(
                id: id, type: try row.type("type"), capacity: try row.double("capacity", positive) { $0 > 0 },
                costPerUnit: try row.double("cost_per_unit", "a finite number ≥ 0") { $0 >= 0 },
                x: try row.double("loc_x", finite), y: try row.double("loc_y", finite),
                availability: try row.double("availability", unit) { (0...1).contains($0) },
                reliability: try row.double("reliability", unit) { (0...1).contains($0) },
                energyEfficiency: try row.double("energy_efficiency", unit) { (0...1).contains($0) }, owner: row.text("owner_id")))
        }
        var names: [String] = []
        var index: [String: Int] = [:]
        var requestIDs: [String: Int] = [:]
        var requestList: [IoTRequest] = []
        for row in req.rows {
            let id = try row.identifier("id", seen: &requestIDs)
            let name = row.text("requester_id")
            guard !name.isEmpty else { throw row.fail("requester_id", "a requester id") }
            let k = index[name] ?? names.count
            if index[name] == nil { index[name] = k; names.append(name) }
            requestList.append(IoTRequest(
                id: id, requester: k, type: try row.type("type"), amount: try row.double("amount", positive) { $0 > 0 },
                budget: try row.double("max_price", "a finite number ≥ 0") { $0 >= 0 }, priority: try row.int("priority"),
                x: try row.double("loc_x", finite), y: try row.double("loc_y", finite),
                qos: QoSRequirement(minReliability: try row.double("min_reliability", unit) { (0...1).contains($0) },
                                    minAvailability: try row.double("min_availability", unit) { (0...1).contains($0) },
                                    maxLatency: try row.double("max_latency", "a finite number ≥ 0") { $0 >= 0 })))
        }
        return IoTInstance(resources: resourceList, requests: requestList, requesterNames: names)
    }
}

/// A small headed CSV file (no quoting), with errors naming file, line, column and field.
struct CSVTable {
    struct Row {
        let file: String
        let line: Int
        let fields: [Substring]
        let columnIndex: [String: Int]
        let offsets: [Int]

        func text(_ name: String) -> String { String(fields[columnIndex[name]!]) }

        func fail(_ name: String, _ expectation: String) -> ExperimentError {
            let k = columnIndex[name]!
            return ExperimentError("\(file):\(line):\(offsets[k] + 1): field '\(name)': expected \(expectation), found \(String(reflecting: String(fields[k])))")
        }
        /// A finite number that `ok` accepts (`expectation` says what that is).
        func double(_ name: String, _ expectation: String = "a finite number", _ ok: (Double) -> Bool = { _ in true }) throws -> Double {
            let field = fields[columnIndex[name]!]
            // Swift's Double(_:) reads a C string: a NUL would end the number early.
            guard !field.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }),
                  let v = Double(field), v.isFinite, ok(v) else { throw fail(name, expectation) }
            return v
        }
        /// A non-empty id not seen before in this file.
        func identifier(_ name: String, seen: inout [String: Int]) throws -> String {
            let id = text(name)
            guard !id.isEmpty else { throw fail(name, "a non-empty id") }
            if let first = seen[id] { throw fail(name, "an id not used before (first at line \(first))") }
            seen[id] = line
            return id
        }
        func int(_ name: String) throws -> Int {
            guard let v = Int(fields[columnIndex[name]!]) else { throw fail(name, "an integer") }
            return v
        }
        func type(_ name: String) throws -> IoTResourceType {
            guard let t = IoTResourceType(rawValue: text(name)) else {
                throw fail(name, "one of \(IoTResourceType.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            return t
        }
    }

    let rows: [Row]

    init(path: String, expectedHeader: [String]) throws {
        guard let data = FileManager.default.contents(atPath: path), var text = String(data: data, encoding: .utf8) else {
            throw ExperimentError("\(path): cannot read the file (expected a UTF-8 CSV file)")
        }
        if text.first == "\u{FEFF}" { text.removeFirst() }   // a byte-order mark, dropped as every Gavel reader does
        // "\r\n" is one Character in Swift, so this splits CRLF and LF files alike.
        var lines = text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline)
        if lines.last == "" { lines.removeLast() }
        guard let header = lines.first else {
            throw ExperimentError("\(path):1: empty file (expected the header \(expectedHeader.joined(separator: ",")))")
        }
        let names = header.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        guard names == expectedHeader else {
            throw ExperimentError("\(path):1: expected the header \(expectedHeader.joined(separator: ",")), found \(header)")
        }
        var index: [String: Int] = [:]
        for (k, n) in names.enumerated() { index[n] = k }
        var rows: [Row] = []
        for (k, line) in lines.enumerated().dropFirst() {
            let fields = line.split(separator: ",", omittingEmptySubsequences: false)
            guard fields.count == names.count else {
                throw ExperimentError("\(path):\(k + 1): expected \(names.count) comma-separated fields, found \(fields.count)")
            }
            var offsets: [Int] = []
            var at = 0
            for f in fields { offsets.append(at); at += f.utf8.count + 1 }
            rows.append(Row(file: path, line: k + 1, fields: fields, columnIndex: index, offsets: offsets))
        }
        guard !rows.isEmpty else {
            throw ExperimentError("\(path):2: expected at least one row after the header, found none")
        }
        self.rows = rows
    }
}
