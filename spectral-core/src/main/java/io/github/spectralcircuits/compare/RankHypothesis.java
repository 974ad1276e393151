package io.github.spectralcircuits.compare;

import java.util.List;

/**
 * SPEC section 5's rank hypothesis for one circuit type. H0: "the circuit is high-rank", i.e.
 * numericalRank >= highRankFraction * V. It is rejected for a head when its trained circuit's
 * numerical rank falls below that threshold; since numericalRank <= rankBound = d_head, it is rejected
 * by construction, whatever the weights, when d_head < highRankFraction * V (the usual case: the
 * circuits are products through a d_head-wide bottleneck). The paired Wilcoxon test over heads says
 * whether the trained effective ranks differ from the control's.
 */
public record RankHypothesis(
        String hypothesis,
        double highRankFraction,
        int dimension,
        double highRankThreshold,
        int rankBound,
        boolean rejectedByConstruction,
        int headsTested,
        int headsRejected,
        PairedTest effectiveRankTest,
        List<HeadRank> heads) {

    public RankHypothesis {
        heads = List.copyOf(heads);
    }
}
