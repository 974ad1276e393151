package io.github.spectralcircuits.compare;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.apache.commons.math3.distribution.NormalDistribution;
import org.junit.jupiter.api.Test;

class StatisticalTestsTest {
    @Test
    void kolmogorovSmirnovOnHandBuiltSamples() {
        double[] x = {0.1, 0.2, 0.3, 0.4};
        double[] y = {0.35, 0.5, 0.6, 0.7};
        DensityComparison c = DensityTests.compare("q", x, y);
        // F_x - F_y reaches 3/4 at t = 0.3 (3/4 - 0) and t = 0.4 (1 - 1/4)
        assertEquals(0.75, c.ksStatistic(), 1e-15);
        assertTrue(c.ksPValueMethod().startsWith("exact"));
        assertEquals(permutationP(x, y, 0.75), c.ksPValue(), 1e-12);
        // equal sizes: W1 = mean |x_(i) - y_(i)| = (.25 + .3 + .3 + .3) / 4
        assertEquals(0.2875, c.wasserstein1(), 1e-15);
        assertEquals(0.25 - 0.5375, c.sampleMeanDifference(), 1e-15);
        // fully separated samples of three: D = 1, p = 2 / C(6, 3)
        DensityComparison s = DensityTests.compare("q", new double[] {1, 2, 3}, new double[] {4, 5, 6});
        assertEquals(1.0, s.ksStatistic(), 0.0);
        assertEquals(0.1, s.ksPValue(), 1e-12);
        assertEquals(3.0, s.wasserstein1(), 1e-15);
    }

    @Test
    void largeSamplesUseTheAsymptoticDistribution() {
        double[] x = new double[200];
        double[] y = new double[200];
        for (int i = 0; i < 200; i++) {
            x[i] = i / 256.0; // dyadic: the shifted values coincide exactly with x's where they overlap
            y[i] = i / 256.0 + 0.25;
        }
        DensityComparison c = DensityTests.compare("q", x, y);
        assertEquals("asymptotic", c.ksPValueMethod());
        // at t = k/256, 64 <= k < 200: F_x = (k + 1)/200, F_y = (k - 63)/200, a gap of 64/200
        assertEquals(0.32, c.ksStatistic(), 1e-12);
        // Kolmogorov's limit: P(D > d) ~ 2 sum (-1)^(j-1) exp(-2 j^2 lambda^2), lambda = d sqrt(nm/(n+m))
        double lambda = 0.32 * Math.sqrt(100);
        double tail = 2 * (Math.exp(-2 * lambda * lambda) - Math.exp(-8 * lambda * lambda));
        assertEquals(tail, c.ksPValue(), 0.3 * tail);
        assertEquals(0.25, c.wasserstein1(), 1e-12);
    }

    @Test
    void tinyAsymptoticPValuesKeepTheirSize() {
        double[] x = new double[300];
        double[] y = new double[300];
        for (int i = 0; i < 300; i++) {
            x[i] = i;
            y[i] = i + 150; // D = 1/2 (reached at t = 299), lambda = 0.5 sqrt(150)
        }
        DensityComparison c = DensityTests.compare("q", x, y);
        assertEquals(0.5, c.ksStatistic(), 1e-12);
        double lambda = 0.5 * Math.sqrt(150);
        assertEquals(2 * Math.exp(-2 * lambda * lambda), c.ksPValue(), 1e-6 * c.ksPValue());
        assertTrue(c.ksPValue() > 0 && c.ksPValue() < 1e-30, "p = " + c.ksPValue());
        // where commons-math3's own value is representable the two agree
        assertEquals(new org.apache.commons.math3.stat.inference.KolmogorovSmirnovTest().approximateP(0.2, 300, 300),
                DensityTests.asymptoticP(new org.apache.commons.math3.stat.inference.KolmogorovSmirnovTest(), 0.2, 300, 300),
                0.0);
    }

    /** Exact two-sample KS p-value by enumerating every split of the pooled sample. */
    private static double permutationP(double[] x, double[] y, double d) {
        double[] pooled = new double[x.length + y.length];
        System.arraycopy(x, 0, pooled, 0, x.length);
        System.arraycopy(y, 0, pooled, x.length, y.length);
        int n = pooled.length;
        int hits = 0;
        int total = 0;
        for (int mask = 0; mask < (1 << n); mask++) {
            if (Integer.bitCount(mask) != x.length) {
                continue;
            }
            double[] a = new double[x.length];
            double[] b = new double[y.length];
            int ia = 0;
            int ib = 0;
            for (int i = 0; i < n; i++) {
                if ((mask >> i & 1) == 1) {
                    a[ia++] = pooled[i];
                } else {
                    b[ib++] = pooled[i];
                }
            }
            total++;
            if (ksD(a, b) >= d - 1e-12) {
                hits++;
            }
        }
        return (double) hits / total;
    }

    private static double ksD(double[] a, double[] b) {
        double[] all = new double[a.length + b.length];
        System.arraycopy(a, 0, all, 0, a.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        double d = 0;
        for (double t : all) {
            double fa = Arrays.stream(a).filter(v -> v <= t).count() / (double) a.length;
            double fb = Arrays.stream(b).filter(v -> v <= t).count() / (double) b.length;
            d = Math.max(d, Math.abs(fa - fb));
        }
        return d;
    }

    @Test
    void wilcoxonOnAKnownCase() {
        // differences 1, -2, 3, 4, 5 (and one zero pair, dropped): W+ = 13, W- = 2;
        // exact two-sided p = 2 * #{sign patterns with W- <= 2} / 2^5 = 2 * 3 / 32
        double[] control = {10, 10, 10, 10, 10, 7};
        double[] trained = {11, 8, 13, 14, 15, 7};
        PairedTest t = WilcoxonPairedTest.test("effectiveRank", trained, control);
        assertEquals(6, t.pairs());
        assertEquals(1, t.zeroDifferences());
        assertEquals(1, t.trainedBelowControl());
        assertEquals(13.0, t.statistic(), 0.0);
        assertEquals(6.0 / 32, t.pValue(), 1e-12);
        assertEquals("exact", t.pValueMethod());
        assertEquals(12.0, t.trainedMedian(), 0.0);
        assertEquals(10.0, t.controlMedian(), 0.0);
    }

    @Test
    void wilcoxonNormalApproximationAboveTheExactLimit() {
        int n = 25;
        double[] control = new double[n];
        double[] trained = new double[n];
        for (int i = 0; i < n; i++) {
            control[i] = 5;
            trained[i] = 5 - (i + 1) * 0.01; // every difference negative: W+ = 0, W- = n(n+1)/2
        }
        PairedTest t = WilcoxonPairedTest.test("effectiveRank", trained, control);
        assertEquals("normal approximation", t.pValueMethod());
        assertEquals(n * (n + 1) / 2.0, t.statistic(), 0.0);
        assertEquals(n, t.trainedBelowControl());
        double es = n * (n + 1) / 4.0;
        double sd = Math.sqrt(es * (2 * n + 1) / 6.0);
        double p = 2 * new NormalDistribution().cumulativeProbability((0 - es - 0.5) / sd);
        assertEquals(p, t.pValue(), 1e-12);
        assertTrue(t.pValue() < 1e-4);
    }

    @Test
    void wilcoxonWithoutDifferencesIsNoEvidence() {
        PairedTest t = WilcoxonPairedTest.test("m", new double[] {1, 2}, new double[] {1, 2});
        assertEquals(1.0, t.pValue());
        assertEquals(2, t.zeroDifferences());
    }
}
