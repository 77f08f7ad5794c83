/// A ``LinearProgram`` that passed validation, in the flat form backends load.
///
/// Building one is the single place where input is checked, so a backend that
/// only accepts a `ValidatedProgram` can hand it to C code that aborts on bad
/// input. Guarantees:
/// - every bound pair is free of NaN, has lower ≤ upper, lower < +∞, upper > −∞;
/// - every objective and matrix coefficient, and the objective constant, is finite;
/// - each row lists each column at most once (duplicates summed), with no zeros,
///   and every column index is in range;
/// - integer columns have integral bounds (binary ones within [0, 1]).
struct ValidatedProgram: Sendable {
    let maximize: Bool
    let objectiveConstant: Double
    let columnLower: [Double]
    let columnUpper: [Double]
    let objective: [Double]
    let isInteger: [Bool]
    let rowLower: [Double]
    let rowUpper: [Double]
    /// CSR matrix: row i holds `columns`/`values` at `rowStarts[i] ..< rowStarts[i + 1]`.
    let rowStarts: [Int]
    let columns: [Int]
    let values: [Double]
    /// An integer variable whose rounded bounds are empty (e.g. [0.2, 0.8]): the
    /// program is infeasible, which is a result rather than an input error.
    let emptyIntegerDomain: LPReference?

    var columnCount: Int { columnLower.count }
    var rowCount: Int { rowLower.count }
    var nonzeroCount: Int { values.count }
    var hasIntegerColumns: Bool { isInteger.contains(true) }

    /// Bounds of an integer column within this (relative) distance of an integer are snapped to it.
    static let integralityTolerance = 1e-9

    init(_ program: LinearProgram) throws {
        guard program.objectiveConstant.isFinite else {
            throw LPError.nonFiniteObjectiveConstant(program.objectiveConstant)
        }
        let n = program.variableCount
        var lower = program.lowerBounds
        var upper = program.upperBounds
        var isInteger = [Bool](repeating: false, count: n)
        var emptyDomain: LPReference?
        for j in 0..<n {
            try Self.checkBounds(lower[j], upper[j]) { program.reference(ofVariable: j) }
            let c = program.objectiveCoefficients[j]
            guard c.isFinite else {
                throw LPError.nonFiniteObjective(variable: program.reference(ofVariable: j), value: c)
            }
            switch program.kinds[j] {
            case .continuous:
                continue
            case .binary:
                lower[j] = max(lower[j], 0)
                upper[j] = min(upper[j], 1)
            case .integer:
                break
            }
            isInteger[j] = true
            lower[j] = Self.roundedInwards(lower[j], up: true)
            upper[j] = Self.roundedInwards(upper[j], up: false)
            if lower[j] > upper[j], emptyDomain == nil {
                emptyDomain = program.reference(ofVariable: j)
            }
        }

        let m = program.constraintCount
        var rowLower = [Double](repeating: 0, count: m)
        var rowUpper = [Double](repeating: 0, count: m)
        var rowStarts = [Int](repeating: 0, count: m + 1)
        var columns: [Int] = []
        var values: [Double] = []
        columns.reserveCapacity(program.termVariables.count)
        values.reserveCapacity(program.termVariables.count)
        // Where column j sits in the current row's output, valid when lastRow[j] == i.
        var lastRow = [Int](repeating: -1, count: n)
        var slot = [Int](repeating: 0, count: n)
        for i in 0..<m {
            let (l, u) = program.rowBounds[i].interval
            try Self.checkBounds(l, u) { program.reference(ofConstraint: i) }
            rowLower[i] = l
            rowUpper[i] = u
            let start = columns.count
            for k in program.rowStarts[i]..<program.rowStarts[i + 1] {
                let j = program.termVariables[k]
                let a = program.termCoefficients[k]
                guard j >= 0 && j < n else {
                    throw LPError.variableIndexOutOfRange(
                        constraint: program.reference(ofConstraint: i), index: j, variableCount: n)
                }
                guard a.isFinite else {
                    throw LPError.nonFiniteCoefficient(
                        constraint: program.reference(ofConstraint: i),
                        variable: program.reference(ofVariable: j), value: a)
                }
                if lastRow[j] == i {
                    values[slot[j]] += a
                } else {
                    lastRow[j] = i
                    slot[j] = columns.count
                    columns.append(j)
                    values.append(a)
                }
            }
            // Drop zeros (given or produced by merging); reject overflowed sums.
            var write = start
            for k in start..<columns.count {
                guard values[k].isFinite else {
                    throw LPError.nonFiniteCoefficient(
                        constraint: program.reference(ofConstraint: i),
                        variable: program.reference(ofVariable: columns[k]), value: values[k])
                }
                if values[k] != 0 {
                    columns[write] = columns[k]
                    values[write] = values[k]
                    write += 1
                }
            }
            columns.removeLast(columns.count - write)
            values.removeLast(values.count - write)
            rowStarts[i + 1] = write
        }

        self.maximize = program.direction == .maximize
        self.objectiveConstant = program.objectiveConstant
        self.columnLower = lower
        self.columnUpper = upper
        self.objective = program.objectiveCoefficients
        self.isInteger = isInteger
        self.rowLower = rowLower
        self.rowUpper = rowUpper
        self.rowStarts = rowStarts
        self.columns = columns
        self.values = values
        self.emptyIntegerDomain = emptyDomain
    }

    private static func checkBounds(
        _ lower: Double, _ upper: Double, _ element: () -> LPReference
    ) throws {
        let reason: String
        if lower.isNaN || upper.isNaN {
            reason = "a bound is NaN"
        } else if lower == .infinity {
            reason = "lower bound is +infinity"
        } else if upper == -.infinity {
            reason = "upper bound is -infinity"
        } else if lower > upper {
            reason = "lower bound exceeds upper bound"
        } else {
            return
        }
        throw LPError.invalidBounds(element(), lower: lower, upper: upper, reason: reason)
    }

    private static func roundedInwards(_ bound: Double, up: Bool) -> Double {
        guard bound.isFinite else { return bound }
        let nearest = bound.rounded()
        if abs(bound - nearest) <= integralityTolerance * max(1, abs(bound)) { return nearest }
        return up ? bound.rounded(.up) : bound.rounded(.down)
    }
}
