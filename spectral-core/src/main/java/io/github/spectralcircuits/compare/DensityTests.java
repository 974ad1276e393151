package io.github.spectralcircuits.compare;

import org.apache.commons.math3.stat.inference.KolmogorovSmirnovTest;

/** Kolmogorov-Smirnov (commons-math3) and Wasserstein-1 between a trained and a control sample. */
final class DensityTests {
    /** Below this n * m commons-math3 3.6.1 computes the exact p-value, above it the asymptotic one. */
    static final long EXACT_KS_LIMIT = 10_000;

    private DensityTests() {
    }

    static DensityComparison compare(String quantity, double[] trained, double[] control) {
        if (trained.length == 0 || control.length == 0) {
            throw new IllegalArgumentException("cannot compare " + quantity + " distributions: a sample is empty");
        }
        KolmogorovSmirnovTest ks = new KolmogorovSmirnovTest();
        double statistic = ks.kolmogorovSmirnovStatistic(trained, control);
        // Not ks.kolmogorovSmirnovTest(x, y): with ties (every complex-conjugate pair has equal moduli)
        // commons-math3 3.6.1 jitters the data and throws MathInternalError when values a few ulps apart
        // leave no room to jitter. The null distribution for continuous data used here instead is
        // conservative under ties (the p-value is never smaller than the exact conditional one).
        boolean exact = (long) trained.length * control.length < EXACT_KS_LIMIT;
        double p = exact ? ks.exactP(statistic, trained.length, control.length, false)
                : asymptoticP(ks, statistic, trained.length, control.length);
        String method = exact ? "exact (continuous null; conservative under ties)" : "asymptotic";
        double mt = mean(trained);
        double mc = mean(control);
        return new DensityComparison(quantity, trained.length, control.length, mt, mc, mt - mc,
                statistic, p, method, Wasserstein.distance(trained, control));
    }

    /**
     * commons-math3's asymptotic p-value is 1 - K(lambda), which cancels to 0 below about 1e-16; there the
     * same Kolmogorov distribution's tail series 2 sum (-1)^(j-1) exp(-2 j^2 lambda^2), lambda =
     * D sqrt(nm / (n + m)), is summed directly so that very small p-values keep their size.
     */
    static double asymptoticP(KolmogorovSmirnovTest ks, double d, int n, int m) {
        double p = ks.approximateP(d, n, m);
        if (p > 1e-8) {
            return p;
        }
        double lambda = d * Math.sqrt((double) n * m / ((double) n + m));
        double sum = 0;
        for (int j = 1; j <= 100; j++) {
            double term = Math.exp(-2.0 * j * j * lambda * lambda);
            sum += (j % 2 == 1 ? 2 : -2) * term;
            if (term < 1e-300) {
                break;
            }
        }
        return Math.max(sum, 0);
    }

    static double mean(double[] x) {
        double s = 0;
        for (double v : x) {
            s += v;
        }
        return s / x.length;
    }
}
