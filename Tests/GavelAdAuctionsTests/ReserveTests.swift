import Foundation
import GavelCore
import Testing
@testable import GavelAdAuctions

/// Reserve prices (issue 14's reserve × budget sweep of the market).
@Suite("Reserve prices")
struct ReserveTests {
    /// One position, one ad shown, MNL: showing i gives CTR s_i = w_i/(1+w_i) and welfare b_i s_i.
    /// The optimum shows the eligible (b ≥ r) ad of largest b·s; it keeps the slot down to the
    /// bid z with z s_i = max over the other eligible ads of b_j s_j, and not below r: per
    /// click it pays max(r, that critical bid) (Myerson 1981, one item with a reserve).
    @Test("one slot: per-click price max(r, critical bid); ineligible bids are not shown",
          arguments: [0.0, 2.0, 3.5, 6.0, 9.0])
    func oneSlot(reserve: Double) throws {
        let w = [1.0, 3.0, 0.5, 2.0]
        let bids = [8.0, 3.0, 7.0, 5.0]
        let a = try PositionAuction(model: .mnl(weights: AdMatrix(w.map { [$0] })), maxAds: 1)
        let s = w.map { $0 / (1 + $0) }
        let eligible = bids.indices.filter { bids[$0] >= reserve }
        let mech = try AdMechanism(rule: .dinkelbach, payment: .myerson, reserve: reserve)
        let out = try mech.run(a, bids: bids)
        guard let winner = eligible.max(by: { bids[$0] * s[$0] < bids[$1] * s[$1] }) else {
            #expect(out.slots.isEmpty)
            return
        }
        #expect(out.slots.map(\.advertiser) == [winner])
        let rival = eligible.filter { $0 != winner }.map { bids[$0] * s[$0] }.max() ?? 0
        let expected = max(reserve, rival / s[winner])
        #expect(abs(out.paymentPerClick[winner] - expected) <= 1e-9 * expected, "\(out.paymentPerClick[winner]) vs \(expected)")
        #expect(out.paymentPerClick[winner] <= bids[winner] + 1e-12)
    }

    @Test("no reserve: the Myerson payment equals VCG for the exact optimum (several slots)")
    func zeroReserveIsVCG() throws {
        let a = try PositionAuction(model: .mnl(weights: AdMatrix([[1, 0.6], [0.8, 0.5], [1.2, 0.4]])), maxAds: 2)
        let bids = [3.0, 5.0, 2.0]
        let vcg = try AdMechanism(rule: .dinkelbach, payment: .vcg).run(a, bids: bids)
        let myerson = try AdMechanism(rule: .dinkelbach, payment: .myerson, reserve: 0).run(a, bids: bids)
        for i in 0..<3 { #expect(abs(vcg.paymentPerImpression[i] - myerson.paymentPerImpression[i]) <= 1e-9) }
    }

    @Test("a reserve with VCG or a negative reserve is refused")
    func badReserve() {
        #expect(throws: InputError.self) { try AdMechanism(rule: .dinkelbach, payment: .vcg, reserve: 1) }
        #expect(throws: InputError.self) { try AdMechanism(rule: .dinkelbach, payment: .myerson, reserve: -1) }
    }
}
