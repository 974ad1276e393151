package io.github.spectralcircuits.compare;

import java.util.Arrays;
import org.apache.commons.math3.stat.inference.WilcoxonSignedRankTest;

/**
 * Paired Wilcoxon signed-rank test (commons-math3) of trained against control values. Pairs with a
 * zero difference are dropped first (Wilcoxon's own treatment; commons-math3 would rank them and
 * count them as negative). The p-value is exact for up to {@link #EXACT_LIMIT} pairs (commons-math3
 * enumerates all 2^n sign patterns, so beyond that it takes seconds to minutes) and the normal
 * approximation with continuity correction above.
 */
final class WilcoxonPairedTest {
    static final int EXACT_LIMIT = 20;

    private WilcoxonPairedTest() {
    }

    static PairedTest test(String metric, double[] trained, double[] control) {
        if (trained.length != control.length || trained.length == 0) {
            throw new IllegalArgumentException("a paired test needs two samples of one non-zero length, not "
                    + trained.length + " and " + control.length);
        }
        int n = trained.length;
        int zeros = 0;
        int below = 0;
        for (int i = 0; i < n; i++) {
            if (trained[i] == control[i]) {
                zeros++;
            } else if (trained[i] < control[i]) {
                below++;
            }
        }
        double[] x = new double[n - zeros];
        double[] y = new double[n - zeros];
        int at = 0;
        for (int i = 0; i < n; i++) {
            if (trained[i] != control[i]) {
                x[at] = trained[i];
                y[at++] = control[i];
            }
        }
        double statistic;
        double p;
        String method;
        if (x.length == 0) {
            statistic = 0;
            p = 1;
            method = "no non-zero differences";
        } else {
            WilcoxonSignedRankTest w = new WilcoxonSignedRankTest();
            boolean exact = x.length <= EXACT_LIMIT;
            statistic = w.wilcoxonSignedRank(x, y);
            p = w.wilcoxonSignedRankTest(x, y, exact);
            method = exact ? "exact" : "normal approximation";
        }
        return new PairedTest("Wilcoxon signed-rank, two-sided", metric, n, zeros, below,
                median(trained), median(control), statistic, p, method);
    }

    static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        int n = s.length;
        return n % 2 == 1 ? s[n / 2] : 0.5 * (s[n / 2 - 1] + s[n / 2]);
    }
}
