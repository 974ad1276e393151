package io.github.spectralcircuits.composition;

import java.util.Arrays;

/**
 * Every composition score of a model: scores[mode][from][to] with heads numbered layer * nHeads + head,
 * NaN where the pair is not earlier layer -> later layer or was not analysed. O(L^2 H^2) numbers: kept in
 * memory for the charts, never written whole to the report.
 */
public record CompositionMatrices(int nLayers, int nHeads, double[][][] scores) {

    static CompositionMatrices empty(int nLayers, int nHeads) {
        int n = nLayers * nHeads;
        double[][][] s = new double[CompositionMode.values().length][n][n];
        for (double[][] m : s) {
            for (double[] row : m) {
                Arrays.fill(row, Double.NaN);
            }
        }
        return new CompositionMatrices(nLayers, nHeads, s);
    }

    public double score(CompositionMode mode, int fromLayer, int fromHead, int toLayer, int toHead) {
        return scores[mode.ordinal()][fromLayer * nHeads + fromHead][toLayer * nHeads + toHead];
    }

    void set(CompositionMode mode, int fromLayer, int fromHead, int toLayer, int toHead, double value) {
        scores[mode.ordinal()][fromLayer * nHeads + fromHead][toLayer * nHeads + toHead] = value;
    }
}
