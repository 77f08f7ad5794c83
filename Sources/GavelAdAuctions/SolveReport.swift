import GavelCore

/// The JSON of `gavel solve aigc INSTANCE.yaml` (issue item 8). Keys in fixed order:
/// `welfare` (or `revenue` first for the revenue objective), `allocation` ([advertiser, position]
/// in rendering order, 0-based), `ctr`, `payments_per_impression`, `payments_per_click`, then context.
public enum AdSolveReport {
    /// The report of `gavel solve aigc` on `file`, every MNL optimum certified first.
    /// - Throws: `InputError` for a bad instance, or an error when a certificate fails.
    public static func json(for file: AdInstanceFile) throws -> JSONValue {
        var mech = try file.mechanism()
        // Every MNL optimum behind the numbers (allocation, each W*_{−i}, each Myerson threshold's
        // allocation) is certified against an independent oracle before anything is printed.
        let log = MNLCertificateLog()
        mech.certification = MNLCertification(when: .always, log: log)
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
        if case .mnl(let w) = file.auction.model, file.rule == .dinkelbach || file.rule == .charnesCooper {
            fields.append(("certificate", certificateJSON(log.certificates, weights: w)))
        }
        return .object(fields)
    }

    /// What certified the numbers: how many optima were checked (the allocation, each W*_{−i}, each
    /// allocation behind a Myerson threshold), by which oracles, the largest gap to an oracle's
    /// bound relative to the largest coefficient taking part, how many allocations the oracle
    /// replaced, the weights' dynamic range and the relative tolerance.
    static func certificateJSON(_ certificates: [MNLCertificate], weights w: AdMatrix) -> JSONValue {
        var oracles: [String] = []
        for x in certificates where !oracles.contains(x.oracle.rawValue) { oracles.append(x.oracle.rawValue) }
        return .object([
            ("optima_checked", .int(Int64(certificates.count))),
            ("oracles", .array(oracles.map { .string($0) })),
            ("largest_relative_gap", .double(certificates.reduce(0) { max($0, $1.relativeGap) })),
            ("repaired", .int(Int64(certificates.filter(\.repaired).count))),
            ("weight_range", .double(MNLCertifier.dynamicRange(w))),
            ("relative_tolerance", .double(MNLCertifier.relativeTolerance)),
        ])
    }
}
