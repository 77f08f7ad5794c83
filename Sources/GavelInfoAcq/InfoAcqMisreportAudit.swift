import GavelCore

/// The information-acquisition truthfulness auditor (`audit_misreports: true`, metric
/// `max_gain_from_misreport`): a check of the IC certificate through the misreport search every
/// family shares (``MisreportAudit``).
///
/// For every agent i and recommendation a_i it can receive, every effort a'_i it could exert
/// instead (a'_i = a_i: pure misreports) and every signal s_i it could observe, the search tries
/// each report r ≠ s_i against reporting s_i; the best report per signal makes the best reporting
/// map (the payoff is a sum over s_i of terms in ρ(s_i) alone). The gain of a deviation is its
/// expected utility (payments less the effort's cost), weighted by P(told a_i), minus obeying and
/// reporting truthfully, the others obedient and truthful: spec A.2's deviations exactly. The
/// metric is the largest gain, ≥ 0 (obeying is a candidate); an IC mechanism shows ≤ 1e-9 (the
/// LP's rounding), one that pays for a particular report shows what the report earns.
public enum InfoAcqMisreportAudit {
    /// The largest gain over every agent, recommendation, effort and reporting map; 0 when none helps.
    public static func maxGain(_ x: InfoAcqInstance, _ m: InfoAcqMechanism) -> Double {
        var best = 0.0
        for i in 0..<x.agentCount {
            let nSi = x.signalCounts[i], costs = x.agents[i].costs
            for ai in 0..<x.actionCounts[i] {
                let told = m.marginal(x, agent: i, action: ai)
                guard told > 0 else { continue }
                // w[s_i][r]: expected payment (weighted by P(told a_i)) of observing s_i and reporting r.
                let truthful = InfoAcqEvaluation.reportPayoffs(x, m, agent: i, told: ai, exerts: ai, others: nil)
                let obey = (0..<nSi).reduce(0) { $0 + truthful[$1][$1] } - costs[ai] * told
                for effort in 0..<x.actionCounts[i] {
                    let w = effort == ai ? truthful : InfoAcqEvaluation.reportPayoffs(x, m, agent: i, told: ai, exerts: effort, others: nil)
                    var deviation = -costs[effort] * told
                    for si in 0..<nSi {
                        let found = MisreportAudit.maxGain(truth: Double(si), misreports: (0..<nSi).filter { $0 != si }.map(Double.init)) {
                            w[si][Int($0)]
                        }
                        deviation += w[si][si] + found.gain
                    }
                    best = max(best, deviation - obey)
                }
            }
        }
        return best
    }
}
