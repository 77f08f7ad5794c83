import GavelLP
import Testing

/// An independent oracle for tiny LPs (≤ 3 variables, every variable bounded below, so the
/// polyhedron is pointed): enumerate every vertex (n tight hyperplanes out of the rows' and
/// columns' finite bounds, solved by Gaussian elimination) to decide feasibility and the optimum;
/// unboundedness is max c·d over the recession cone cut by d ≤ 1, again by vertex enumeration.
struct VertexOracle {
    enum Answer: Equatable { case infeasible, unbounded, optimal(Double) }

    struct Halfspaces {
        /// a·x ≤ b rows (equalities as two rows).
        var a: [[Double]] = []
        var b: [Double] = []
        mutating func add(_ row: [Double], atMost bound: Double) { a.append(row); b.append(bound) }
    }

    /// The best of c·x over the vertices of {x : a x ≤ b}; nil if there are none.
    static func bestVertex(_ h: Halfspaces, c: [Double], n: Int, tolerance: Double = 1e-9) -> Double? {
        var best: Double?
        let m = h.a.count
        var chosen: [Int] = []
        func visit(_ from: Int) {
            if chosen.count == n {
                guard let x = solve(chosen.map { h.a[$0] }, chosen.map { h.b[$0] }) else { return }
                for i in 0..<m {
                    var lhs = 0.0
                    for j in 0..<n { lhs += h.a[i][j] * x[j] }
                    if lhs > h.b[i] + tolerance * max(1, abs(h.b[i])) { return }
                }
                var value = 0.0
                for j in 0..<n { value += c[j] * x[j] }
                best = max(best ?? value, value)
                return
            }
            guard from < m else { return }
            for i in from..<m { chosen.append(i); visit(i + 1); chosen.removeLast() }
        }
        visit(0)
        return best
    }

    /// Gaussian elimination with partial pivoting; nil when singular.
    static func solve(_ a: [[Double]], _ b: [Double]) -> [Double]? {
        let n = b.count
        var m = a.enumerated().map { $0.element + [b[$0.offset]] }
        for col in 0..<n {
            let pivot = (col..<n).max { abs(m[$0][col]) < abs(m[$1][col]) }!
            guard abs(m[pivot][col]) > 1e-9 else { return nil }
            m.swapAt(col, pivot)
            for r in 0..<n where r != col {
                let f = m[r][col] / m[col][col]
                if f != 0 { for k in col...n { m[r][k] -= f * m[col][k] } }
            }
        }
        return (0..<n).map { m[$0][n] / m[$0][$0] }
    }

    /// Maximises (minimisation is maximising −c); `program` must have finite lower bounds.
    static func answer(rows: [([Double], Double, Double)], lower: [Double], upper: [Double], c: [Double]) -> Answer {
        let n = c.count
        var h = Halfspaces(), cone = Halfspaces()
        for (a, l, u) in rows {
            if u.isFinite { h.add(a, atMost: u); cone.add(a, atMost: 0) }
            if l.isFinite { h.add(a.map { -$0 }, atMost: -l); cone.add(a.map { -$0 }, atMost: 0) }
        }
        for j in 0..<n {
            var e = [Double](repeating: 0, count: n); e[j] = 1
            h.add(e.map { -$0 }, atMost: -lower[j]); cone.add(e.map { -$0 }, atMost: 0)
            if upper[j].isFinite { h.add(e, atMost: upper[j]); cone.add(e, atMost: 0) } else { cone.add(e, atMost: 1) }
        }
        guard let best = bestVertex(h, c: c, n: n) else { return .infeasible }
        if let ray = bestVertex(cone, c: c, n: n), ray > 1e-9 { return .unbounded }
        return .optimal(best)
    }
}

/// SplitMix64: the tests' own deterministic draws.
struct TestRandom {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    mutating func int(_ range: ClosedRange<Int>) -> Int { range.lowerBound + Int(next() % UInt64(range.count)) }
}

@Suite("GLPK and Clp against a vertex-enumeration oracle")
struct CrossBackendTests {
    /// A random tiny LP: integer data in small ranges, so ties, redundant and duplicated rows
    /// (degeneracy) are common; about a third infeasible or unbounded.
    static func randomProgram(_ seed: UInt64) -> (LinearProgram, VertexOracle.Answer) {
        var r = TestRandom(state: seed)
        let n = r.int(1...3), m = r.int(0...4)
        let maximize = r.int(0...1) == 0
        var lp = LinearProgram(direction: maximize ? .maximize : .minimize)
        var lower: [Double] = [], upper: [Double] = [], c: [Double] = []
        for _ in 0..<n {
            let l = Double(r.int(-2...0)), u: Double = r.int(0...9) < 4 ? .infinity : l + Double(r.int(0...4))
            let cj = Double(r.int(-3...3))
            lp.addVariable(lower: l, upper: u, objective: cj)
            lower.append(l); upper.append(u); c.append(cj)
        }
        var rows: [([Double], Double, Double)] = []
        for i in 0..<m {
            var a = (0..<n).map { _ in Double(r.int(-3...3)) }
            if i > 0 && r.int(0...4) == 0 { a = rows[i - 1].0 }   // a duplicated row: degenerate vertices
            let b = Double(r.int(-2...6))
            let bound: LPConstraintBound
            switch r.int(0...3) {
            case 0: bound = .lessOrEqual(b)
            case 1: bound = .greaterOrEqual(b)
            case 2: bound = .equal(b)
            default: bound = .range(b, b + Double(r.int(0...3)))
            }
            lp.addConstraint(a.enumerated().map { (LPVariable(index: $0.offset), $0.element) }, bound)
            rows.append((a, bound.interval.lower, bound.interval.upper))
        }
        var answer = VertexOracle.answer(rows: rows, lower: lower, upper: upper, c: maximize ? c : c.map { -$0 })
        if !maximize, case .optimal(let v) = answer { answer = .optimal(-v) }
        return (lp, answer)
    }

    static let backends: [(String, any LPSolver)] = [
        ("GLPK dual", GLPKSolver(method: .dualSimplex)), ("GLPK primal", GLPKSolver(method: .primalSimplex, presolve: true)),
        ("Clp dual", ClpSolver(method: .dualSimplex, presolve: false)), ("Clp dual+presolve", ClpSolver(method: .dualSimplex)),
        ("Clp primal", ClpSolver(method: .primalSimplex)), ("Clp barrier", ClpSolver(method: .barrier)),
    ]

    @Test("500 random small LPs (feasible, infeasible, unbounded, degenerate): same status and objective as the oracle, to 1e-7 relative")
    func randomPrograms() throws {
        var counts = [0, 0, 0]
        for seed in 1...500 {
            let (lp, expected) = Self.randomProgram(UInt64(seed))
            switch expected { case .infeasible: counts[0] += 1; case .unbounded: counts[1] += 1; case .optimal: counts[2] += 1 }
            for (name, solver) in Self.backends {
                let s = try solver.solve(lp)
                switch expected {
                case .infeasible: #expect(s.status == .infeasible, "seed \(seed) \(name): \(s.status), oracle infeasible")
                case .unbounded: #expect(s.status == .unbounded, "seed \(seed) \(name): \(s.status), oracle unbounded")
                case .optimal(let v):
                    #expect(s.status == .optimal, "seed \(seed) \(name): \(s.status), oracle optimum \(v)")
                    if let got = s.objectiveValue {
                        #expect(abs(got - v) <= 1e-7 * max(1, abs(v)), "seed \(seed) \(name): \(got) vs oracle \(v)")
                        #expect(try s.dualCheck(lp)?.holds(tolerance: 1e-7) == true, "seed \(seed) \(name): duals fail the certificate")
                    }
                }
            }
        }
        // The generator must actually produce every kind (else the test checks less than it says).
        #expect(counts.allSatisfy { $0 >= 40 }, "infeasible/unbounded/optimal counts \(counts)")
    }

    /// max x1 + x2 s.t. x1 + 2·x2 ≤ 4, 3·x1 + x2 ≤ 6, x ≥ 0: optimum at (8/5, 6/5), value 14/5.
    /// Adding a column x3 with objective 2 and entries (1, 1) gives the vertex x3 = 4 (row 1 tight,
    /// row 2 slack 2): value 8 (x3 alone: min(4/1, 6/1) = 4, 2·4 = 8 > 14/5; mixing cannot beat
    /// it since x3 has the best ratio 2 per unit of row 1).
    @Test("column model: warm and cold re-solves after adding a column give the hand-derived optimum",
          arguments: [ResolvedLPSolver.Backend.glpk, .clp], [true, false])
    func columnModel(backend: ResolvedLPSolver.Backend, warm: Bool) throws {
        var lp = LinearProgram(direction: .maximize)
        let x1 = lp.addVariable(objective: 1), x2 = lp.addVariable(objective: 1)
        let r1 = lp.addConstraint([(x1, 1), (x2, 2)], .lessOrEqual(4))
        let r2 = lp.addConstraint([(x1, 3), (x2, 1)], .lessOrEqual(6))
        let model = try LPColumnModel(lp, solver: ResolvedLPSolver(backend: backend, method: .dual), warm: warm)
        let first = try model.solve()
        #expect(first.status == .optimal)
        #expect(abs(first.objectiveValue! - 14.0 / 5) <= 1e-9)
        let x3 = model.addColumn(LPColumn(objective: 2, entries: [(r1, 1), (r2, 1)]))
        let second = try model.solve()
        #expect(second.status == .optimal)
        #expect(abs(second.objectiveValue! - 8) <= 1e-9)
        #expect(abs(second.value(of: x3) - 4) <= 1e-9)
        try second.requireDualCertificate(model.program(), what: "column model")
    }

    @Test("Clp rejects integer variables with an error naming the variable")
    func clpRejectsIntegers() {
        var lp = LinearProgram()
        lp.addVariable(kind: .integer, name: "n")
        #expect(throws: LPError.invalidOption("Clp solves linear programs only: variable #0 \"n\" is integer (use GLPK for mixed-integer programs)")) {
            try ClpSolver().solve(lp)
        }
    }

    @Test("solver names: unknown ones are an error listing the valid ones")
    func solverNames() throws {
        #expect(try LPSolverChoice.parse("clp/barrier") == LPSolverChoice(backend: .clp, method: .barrier))
        #expect(throws: LPError.invalidOption("unknown LP solver 'gurobi' (expected one of: auto, glpk, clp)")) { try LPSolverChoice.parse("gurobi") }
        #expect(throws: LPError.invalidOption("unknown LP method 'simplex' (expected one of: auto, dual, primal, barrier)")) { try LPSolverChoice.parse("glpk/simplex") }
    }
}
