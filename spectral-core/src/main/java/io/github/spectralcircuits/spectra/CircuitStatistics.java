package io.github.spectralcircuits.spectra;

import java.util.Arrays;

/**
 * The statistics of SPEC section 4 for one V x V circuit, from its k listed eigenvalues and singular
 * values; the V - k eigenvalues and singular values not listed are the circuit's structural zeros
 * and are counted where a statistic runs over the full spectrum (mean, std, median, nearZeroRatio).
 *
 * <p>A circuit that is exactly zero has no scale, so the ratios are defined by their limits for a
 * vanishing matrix instead of 0/0: nearZeroRatio 1 (every eigenvalue is zero), numericalRank,
 * effectiveRank and stableRank 0 (a zero matrix has rank 0), positivity 0 (neither copying nor
 * anti-copying). The report therefore never holds NaN.
 */
public final class CircuitStatistics {
    private CircuitStatistics() {
    }

    public static CircuitStats of(int dimension, Eigenvalues eigenvalues, double[] singularValues,
                                  double nearZeroTolerance, double rankTolerance) {
        double[] re = eigenvalues.re();
        double[] im = eigenvalues.im();
        int k = re.length;
        if (k > dimension || singularValues.length > dimension) {
            throw new IllegalArgumentException(k + " eigenvalues / " + singularValues.length
                    + " singular values listed for a " + dimension + "-dimensional circuit");
        }
        int zeros = dimension - k;

        double trace = 0;
        double sumAbs = 0;
        double maxAbs = 0;
        double[] abs = new double[k];
        for (int i = 0; i < k; i++) {
            trace += re[i];
            abs[i] = Math.hypot(re[i], im[i]);
            sumAbs += abs[i];
            maxAbs = Math.max(maxAbs, abs[i]);
        }
        double mean = trace / dimension;
        double squares = zeros * mean * mean;
        for (int i = 0; i < k; i++) {
            double dev = re[i] - mean;
            squares += dev * dev;
        }
        double std = Math.sqrt(squares / dimension);

        double[] sorted = re.clone();
        Arrays.sort(sorted);
        double median = dimension % 2 == 1 ? orderStatistic(sorted, zeros, dimension / 2)
                : 0.5 * (orderStatistic(sorted, zeros, dimension / 2 - 1) + orderStatistic(sorted, zeros, dimension / 2));

        int nearZero = zeros;
        double zeroBound = nearZeroTolerance * maxAbs;
        for (int i = 0; i < k; i++) {
            if (abs[i] <= zeroBound) {
                nearZero++;
            }
        }

        double s1 = 0;
        double sumS = 0;
        double sumS2 = 0;
        for (double s : singularValues) {
            s1 = Math.max(s1, s);
            sumS += s;
            sumS2 += s * s;
        }
        int rank = 0;
        double entropy = 0;
        for (double s : singularValues) {
            if (s > rankTolerance * s1) {
                rank++;
            }
            if (s > 0) {
                double p = s / sumS;
                entropy -= p * Math.log(p);
            }
        }
        double effectiveRank = sumS > 0 ? Math.exp(entropy) : 0;
        double stableRank = s1 > 0 ? sumS2 / (s1 * s1) : 0;
        double positivity = sumAbs > 0 ? Math.max(-1, Math.min(1, trace / sumAbs)) : 0;

        return new CircuitStats(trace, mean, std, median, (double) nearZero / dimension, rank,
                effectiveRank, stableRank, s1, Math.sqrt(sumS2), positivity);
    }

    /**
     * The i-th smallest of the listed values (sorted) together with {@code zeros} structural zeros, without
     * materialising all V of them (V is the vocabulary, k is d_head): negatives, then the zeros, then the rest.
     */
    private static double orderStatistic(double[] sorted, int zeros, int i) {
        int negatives = 0;
        while (negatives < sorted.length && sorted[negatives] < 0) {
            negatives++;
        }
        if (i < negatives) {
            return sorted[i];
        }
        if (i < negatives + zeros) {
            return 0.0;
        }
        return sorted[i - zeros];
    }
}
