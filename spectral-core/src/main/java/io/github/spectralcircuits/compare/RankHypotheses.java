package io.github.spectralcircuits.compare;

import io.github.spectralcircuits.spectra.CircuitSpectrum;
import io.github.spectralcircuits.spectra.CircuitType;
import io.github.spectralcircuits.spectra.HeadSpectra;
import java.util.ArrayList;
import java.util.List;

/** Tests SPEC section 5's rank hypothesis for one circuit type over all head pairs. */
final class RankHypotheses {
    private RankHypotheses() {
    }

    static RankHypothesis test(HeadPairs pairs, CircuitType type, double highRankFraction) {
        List<HeadRank> heads = new ArrayList<>();
        int n = pairs.size();
        double[] tEff = new double[n];
        double[] cEff = new double[n];
        int rejected = 0;
        boolean allByConstruction = true;
        int dimension = 0;
        int bound = 0;
        for (int i = 0; i < n; i++) {
            HeadSpectra th = pairs.trained().get(i);
            CircuitSpectrum t = th.circuit(type);
            CircuitSpectrum c = pairs.control().get(i).circuit(type);
            dimension = Math.max(dimension, t.dimension());
            bound = Math.max(bound, t.rankBound());
            double threshold = highRankFraction * t.dimension();
            boolean reject = t.stats().numericalRank() < threshold;
            allByConstruction &= t.rankBound() < threshold;
            if (reject) {
                rejected++;
            }
            tEff[i] = t.stats().effectiveRank();
            cEff[i] = c.stats().effectiveRank();
            heads.add(new HeadRank(th.layer(), th.head(), t.rankBound(), t.stats().numericalRank(),
                    c.stats().numericalRank(), tEff[i], cEff[i], reject));
        }
        String hypothesis = "H0: the " + type + " circuit is high-rank (numericalRank >= " + highRankFraction
                + " * V)";
        return new RankHypothesis(hypothesis, highRankFraction, dimension, highRankFraction * dimension, bound,
                allByConstruction, n, rejected, WilcoxonPairedTest.test("effectiveRank", tEff, cEff), heads);
    }
}
