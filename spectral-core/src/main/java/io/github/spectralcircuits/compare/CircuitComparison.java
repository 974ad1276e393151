package io.github.spectralcircuits.compare;

import io.github.spectralcircuits.spectra.CircuitType;
import java.util.List;

/**
 * Trained vs control for one circuit type: pooled over heads (the mean and nearZeroRatio
 * differences averaged over heads, which, all heads having the same V, are the differences over all
 * pooled eigenvalues; the densities of all heads' core values pooled), the rank hypothesis, and the
 * same comparison per head.
 */
public record CircuitComparison(
        CircuitType circuit,
        double meanDifference,
        double nearZeroRatioDifference,
        DensityComparison eigenvalueModuli,
        DensityComparison singularValues,
        RankHypothesis rankHypothesis,
        List<HeadComparison> heads) {

    public CircuitComparison {
        heads = List.copyOf(heads);
    }
}
