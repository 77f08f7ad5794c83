import Foundation
import Testing
@testable import GavelIoT

/// Ablation CSVs a hostile user tried (issue 21): each is refused with its file, line,
/// column and field, instead of running.
@Suite("Ablation instance files: every field validated")
struct AblationInputTests {
    static let resources = """
    index,id,type,capacity,cost_per_unit,loc_x,loc_y,availability,reliability,energy_efficiency,owner_id
    0,resource_0,compute,87.2,0.94,-21.2,-45.2,0.99,0.74,0.59,owner_0
    1,resource_1,storage,77.4,0.99,9.1,-22.6,0.86,0.78,0.67,owner_1

    """
    static let requests = """
    index,id,requester_id,type,amount,max_price,priority,loc_x,loc_y,min_reliability,max_latency,min_availability
    0,request_0,requester_0,compute,30.7,44.2,3,24.9,32.2,0.72,69.6,0.67

    """

    func load(resources: String = Self.resources, requests: String = Self.requests) throws -> IoTInstance {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("gavel-ablation-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let r = dir.appendingPathComponent("res.csv").path, q = dir.appendingPathComponent("req.csv").path
        try Data(resources.utf8).write(to: URL(fileURLWithPath: r))
        try Data(requests.utf8).write(to: URL(fileURLWithPath: q))
        return try AblationInstance.load(resources: r, requests: q)
    }

    @Test("The well-formed files load")
    func good() throws {
        let x = try load()
        #expect(x.resources.count == 2 && x.requests.count == 1)
    }

    @Test("Bad resource fields", arguments: [
        ("87.2", "-5", "res.csv:2:", "field 'capacity'"),
        ("0.99,0.74", "1.7,0.74", "res.csv:2:", "field 'availability'"),
        ("compute", "quantum", "res.csv:2:", "field 'type'"),
        ("resource_1", "resource_0", "res.csv:3:", "first at line 2"),
        ("0.94", "0.\u{0}5", "res.csv:2:", "field 'cost_per_unit'"),
    ])
    func badResources(old: String, new: String, place: String, field: String) throws {
        let text = Self.resources.replacingOccurrences(of: old, with: new, options: [], range: Self.resources.range(of: old))
        #expect { _ = try load(resources: text) } throws: { error in
            let d = "\(error)"
            return d.contains(place) && d.contains(field) && !d.contains("\n")
        }
    }

    @Test("Bad request fields and a file with only its header", arguments: [
        ("30.7", "-1", "field 'amount'"), ("30.7", "0", "field 'amount'"), ("0.72,69.6", "2,69.6", "field 'min_reliability'"),
    ])
    func badRequests(old: String, new: String, field: String) throws {
        #expect { _ = try load(requests: Self.requests.replacingOccurrences(of: old, with: new)) } throws: { "\($0)".contains(field) }
    }

    /// Issue 21: a byte-order mark is dropped as in every reader (else the header would not match).
    @Test("A UTF-8 byte-order mark before the header reads the same instance")
    func byteOrderMark() throws {
        let plain = try load()
        let marked = try load(resources: "\u{FEFF}" + Self.resources, requests: "\u{FEFF}" + Self.requests)
        #expect(marked.resources.count == plain.resources.count && marked.requests.count == plain.requests.count)
        #expect(marked.resources.map(\.id) == plain.resources.map(\.id))
    }

    @Test("A file with only its header is an error")
    func headerOnly() throws {
        let header = String(Self.requests.prefix { $0 != "\n" }) + "\n"
        #expect { _ = try load(requests: header) } throws: { "\($0)".contains("req.csv:2: expected at least one row") }
    }
}
