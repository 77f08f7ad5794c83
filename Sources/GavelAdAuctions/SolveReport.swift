import GavelCore

/// The JSON of `gavel solve aigc INSTANCE.yaml` (issue item 8). Keys in fixed order:
/// `welfare` (or `revenue` first for the revenue objective), `allocation` ([advertiser, position]
/// in rendering order, 0-based), `ctr`, `payments_per_impression`, `payments_per_click`, then context.
public enum AdSolveReport {
    public static func json(for file: AdInstanceFile) throws -> JSONValue {
        let mech = try file.mechanism()
        let out = try mech.run(file.auction, bids: file.values)
        func numbers(_ x: [Double]) -> JSONValue { .array(x.map { .double($0) }) }
        var fields: [(String, JSONValue)] = []
        if file.objective == .revenue {
            fields.append(("revenue", .double(out.revenue)))
            fields.append(("virtual_welfare", .double(out.objective)))
        }
        fields.append(("welfare", .double(out.welfare)))
        if file.objective == .welfare { fields.append(("revenue", .double(out.revenue))) }
        fields += [
            ("allocation", .array(out.slots.map { .array([.int(Int64($0.advertiser)), .int(Int64($0.position))]) })),
            ("ctr", numbers(out.ctr)),
            ("payments_per_impression", numbers(out.paymentPerImpression)),
            ("payments_per_click", numbers(out.paymentPerClick)),
            ("model", .string(file.auction.model.name)),
            ("objective", .string(file.objective.rawValue)),
            ("mechanism", .string(file.rule.name)),
            ("payments", .string(file.payment.rawValue)),
        ]
        if let phi = mech.virtualValues {
            fields.append(("virtual_values", numbers(zip(phi, file.values).map { $0($1) })))
            fields.append(("reserve_prices", numbers(phi.map(\.reserve))))
        }
        return .object(fields)
    }
}
