@testable import GavelLP
import Testing

/// A malformed program and the error it must produce.
struct InvalidProgram: Sendable, CustomTestStringConvertible {
    let testDescription: String
    let build: @Sendable () -> LinearProgram
    let expected: LPError

    static let cases: [InvalidProgram] = [
        InvalidProgram(testDescription: "variable index out of range", build: {
            var lp = LinearProgram()
            let x = lp.addVariable(name: "x")
            lp.addConstraint([(x, 1)], .lessOrEqual(1), name: "ok")
            lp.addConstraint([(x, 1), (LPVariable(index: 5), 2)], .lessOrEqual(1), name: "budget")
            return lp
        }, expected: .variableIndexOutOfRange(
            constraint: LPReference(kind: .constraint, index: 1, name: "budget"), index: 5, variableCount: 1)),

        InvalidProgram(testDescription: "negative variable index", build: {
            var lp = LinearProgram()
            lp.addVariable()
            lp.addConstraint([(LPVariable(index: -1), 1)], .equal(0))
            return lp
        }, expected: .variableIndexOutOfRange(
            constraint: LPReference(kind: .constraint, index: 0, name: nil), index: -1, variableCount: 1)),

        InvalidProgram(testDescription: "NaN coefficient", build: {
            var lp = LinearProgram()
            let x = lp.addVariable(name: "x")
            let y = lp.addVariable(name: "y")
            lp.addConstraint([(x, 1), (y, .nan)], .greaterOrEqual(0), name: "mix")
            return lp
        }, expected: .nonFiniteCoefficient(
            constraint: LPReference(kind: .constraint, index: 0, name: "mix"),
            variable: LPReference(kind: .variable, index: 1, name: "y"), value: .nan)),

        InvalidProgram(testDescription: "infinite coefficient", build: {
            var lp = LinearProgram()
            let x = lp.addVariable()
            lp.addConstraint([(x, -.infinity)], .lessOrEqual(0))
            return lp
        }, expected: .nonFiniteCoefficient(
            constraint: LPReference(kind: .constraint, index: 0, name: nil),
            variable: LPReference(kind: .variable, index: 0, name: nil), value: -.infinity)),

        InvalidProgram(testDescription: "merged duplicate overflows", build: {
            var lp = LinearProgram()
            let x = lp.addVariable(name: "x")
            lp.addConstraint([(x, 1e308), (x, 1e308)], .lessOrEqual(0), name: "huge")
            return lp
        }, expected: .nonFiniteCoefficient(
            constraint: LPReference(kind: .constraint, index: 0, name: "huge"),
            variable: LPReference(kind: .variable, index: 0, name: "x"), value: .infinity)),

        InvalidProgram(testDescription: "lower bound above upper bound", build: {
            var lp = LinearProgram()
            lp.addVariable()
            lp.addVariable(lower: 3, upper: 1, name: "price")
            return lp
        }, expected: .invalidBounds(LPReference(kind: .variable, index: 1, name: "price"),
                                    lower: 3, upper: 1, reason: "lower bound exceeds upper bound")),

        InvalidProgram(testDescription: "NaN variable bound", build: {
            var lp = LinearProgram()
            lp.addVariable(lower: .nan, name: "q")
            return lp
        }, expected: .invalidBounds(LPReference(kind: .variable, index: 0, name: "q"),
                                    lower: .nan, upper: .infinity, reason: "a bound is NaN")),

        InvalidProgram(testDescription: "lower bound +infinity", build: {
            var lp = LinearProgram()
            lp.addVariable(lower: .infinity, upper: .infinity)
            return lp
        }, expected: .invalidBounds(LPReference(kind: .variable, index: 0, name: nil),
                                    lower: .infinity, upper: .infinity, reason: "lower bound is +infinity")),

        InvalidProgram(testDescription: "inverted range row", build: {
            var lp = LinearProgram()
            let x = lp.addVariable()
            lp.addConstraint([(x, 1)], .range(5, 4), name: "window")
            return lp
        }, expected: .invalidBounds(LPReference(kind: .constraint, index: 0, name: "window"),
                                    lower: 5, upper: 4, reason: "lower bound exceeds upper bound")),

        InvalidProgram(testDescription: "row bound -infinity", build: {
            var lp = LinearProgram()
            let x = lp.addVariable()
            lp.addConstraint([(x, 1)], .lessOrEqual(-.infinity))
            return lp
        }, expected: .invalidBounds(LPReference(kind: .constraint, index: 0, name: nil),
                                    lower: -.infinity, upper: -.infinity, reason: "upper bound is -infinity")),

        InvalidProgram(testDescription: "NaN objective coefficient", build: {
            var lp = LinearProgram()
            lp.addVariable(objective: .nan, name: "bid")
            return lp
        }, expected: .nonFiniteObjective(variable: LPReference(kind: .variable, index: 0, name: "bid"), value: .nan)),

        InvalidProgram(testDescription: "infinite objective constant", build: {
            var lp = LinearProgram()
            lp.objectiveConstant = .infinity
            return lp
        }, expected: .nonFiniteObjectiveConstant(.infinity)),
    ]
}

@Suite("Invalid input is a thrown LPError, never a GLPK abort")
struct ValidationTests {
    @Test(arguments: InvalidProgram.cases)
    func invalidProgramThrows(invalid: InvalidProgram) throws {
        let lp = invalid.build()
        #expect(throws: invalid.expected) { try lp.validate() }
        for configuration in SolverConfiguration.all {
            #expect(throws: invalid.expected) { try configuration.solver.solve(lp) }
        }
    }

    @Test func messagesNameTheElement() {
        var lp = LinearProgram()
        let x = lp.addVariable(name: "x")
        lp.addConstraint([(x, 1), (LPVariable(index: 5), 2)], .lessOrEqual(1), name: "budget")
        do {
            try lp.validate()
            Issue.record("expected an error")
        } catch {
            #expect(String(describing: error)
                == "constraint #0 \"budget\" refers to variable index 5, but the program has 1 variable(s)")
        }
    }

    @Test func invalidOptionsThrow() {
        var lp = LinearProgram()
        lp.addVariable(upper: 1, objective: 1)
        let negativeTime = GLPKSolver(options: .init(timeLimit: .seconds(-1)))
        #expect(throws: LPError.self) { try negativeTime.solve(lp) }
        let badGap = GLPKSolver(options: .init(mipRelativeGap: .nan))
        #expect(throws: LPError.self) { try badGap.solve(lp) }
    }

    /// A GLPK-level error (here: a column index out of range, made on purpose
    /// inside the shim) is caught by the error hook and surfaces as a thrown
    /// error carrying GLPK's message; the process survives and GLPK still works
    /// afterwards on the same thread (its environment was freed and re-created).
    @Test func trappedGLPKErrorBecomesThrownError() throws {
        do {
            try GLPKSolver.triggerTrappedErrorForTesting()
            Issue.record("expected a trapped GLPK error")
        } catch let LPError.solverFailure(message) {
            #expect(message.contains("glp_set_col_bnds"))
            #expect(message.contains("out of range"))
        }
        var lp = LinearProgram(direction: .maximize)
        let x = lp.addVariable(upper: 2, objective: 1)
        lp.addConstraint([(x, 1)], .lessOrEqual(1.5))
        let solution = try GLPKSolver().solve(lp)
        #expect(solution.status == .optimal)
        #expect(solution.value(of: x) == 1.5)
    }
}
