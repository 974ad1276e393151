package io.github.spectralcircuits.compare;

/**
 * A paired two-sided test over heads of a trained metric against the control's at the same
 * (layer, head). For the Wilcoxon signed-rank test, statistic is commons-math3's max(W+, W-) over
 * the non-zero differences; pValueMethod says whether the p-value is exact or the normal
 * approximation.
 */
public record PairedTest(
        String test,
        String metric,
        int pairs,
        int zeroDifferences,
        int trainedBelowControl,
        double trainedMedian,
        double controlMedian,
        double statistic,
        double pValue,
        String pValueMethod) {
}
