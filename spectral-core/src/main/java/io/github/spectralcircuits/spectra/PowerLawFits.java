package io.github.spectralcircuits.spectra;

import java.util.Arrays;

/**
 * Clauset-Shalizi-Newman power-law fits: for each candidate xmin (every distinct value leaving at least minTail
 * values in the tail) the maximum-likelihood alpha and the Kolmogorov-Smirnov distance D of the tail from the
 * fitted law; the xmin with the smallest D wins (ties: the smaller xmin, which keeps more data).
 *
 * <p>Written here, not taken from a library: commons-math3 and Hipparchus have no power-law estimator with
 * an xmin search, and the method is a dozen lines over a sorted sample. O(n^2) over n values (one KS pass per
 * candidate), as WeightWatcher's; a 7B layer's 32 x 128 pooled values take milliseconds.
 */
public final class PowerLawFits {
    /** The smallest tail a fit is made on: below it alpha's standard error exceeds a third of alpha - 1. */
    public static final int DEFAULT_MIN_TAIL = 10;

    private PowerLawFits() {
    }

    /**
     * The fit to the positive values of x (zeros, negatives and non-finite values are left out); null when
     * fewer than minTail distinct-enough values remain for any candidate.
     */
    public static PowerLawFit fit(double[] x, int minTail) {
        if (minTail < 2) {
            throw new IllegalArgumentException("a tail of fewer than 2 values has no fit, not " + minTail);
        }
        double[] v = Arrays.stream(x).filter(d -> d > 0 && Double.isFinite(d)).sorted().toArray();
        int n = v.length;
        if (n < minTail) {
            return null;
        }
        // suffix sums of ln x: the likelihood of every candidate in O(1)
        double[] logSuffix = new double[n + 1];
        for (int i = n - 1; i >= 0; i--) {
            logSuffix[i] = logSuffix[i + 1] + Math.log(v[i]);
        }
        PowerLawFit best = null;
        for (int i = 0; i + minTail <= n; i++) {
            if (i > 0 && v[i] == v[i - 1]) {
                continue; // the same xmin as the previous candidate
            }
            int tail = n - i;
            double xmin = v[i];
            double sumLog = logSuffix[i] - tail * Math.log(xmin);
            if (!(sumLog > 0)) {
                continue; // a tail of equal values: no finite exponent
            }
            double alpha = 1 + tail / sumLog;
            double d = ksDistance(v, i, alpha);
            if (best == null || d < best.ksDistance()) {
                best = new PowerLawFit(n, tail, xmin, alpha, (alpha - 1) / Math.sqrt(tail), d);
            }
        }
        return best;
    }

    /**
     * sup |F_empirical - F_fit| over the tail v[from..], F_fit(x) = 1 - (x / xmin)^(1 - alpha): checked just
     * before and just after each jump of the empirical CDF. With ties the before-value of the first and the
     * after-value of the last of them are the CDF's limits there, so the sup is still found.
     */
    static double ksDistance(double[] v, int from, double alpha) {
        int tail = v.length - from;
        double xmin = v[from];
        double d = 0;
        for (int k = 0; k < tail; k++) {
            double f = 1 - Math.pow(v[from + k] / xmin, 1 - alpha);
            d = Math.max(d, Math.max(Math.abs((k + 1.0) / tail - f), Math.abs((double) k / tail - f)));
        }
        return d;
    }
}
