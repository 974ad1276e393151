package io.github.spectralcircuits.compare;

/** One head's circuit under the rank hypothesis: numerical rank against its bound d_head, trained and control. */
public record HeadRank(
        int layer,
        int head,
        int rankBound,
        int trainedNumericalRank,
        int controlNumericalRank,
        double trainedEffectiveRank,
        double controlEffectiveRank,
        boolean highRankRejected) {
}
