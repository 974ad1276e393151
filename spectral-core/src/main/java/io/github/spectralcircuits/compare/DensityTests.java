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
                : ks.approximateP(statistic, trained.length, control.length);
        String method = exact ? "exact (continuous null; conservative under ties)" : "asymptotic";
        double mt = mean(trained);
        double mc = mean(control);
        return new DensityComparison(quantity, trained.length, control.length, mt, mc, mt - mc,
                statistic, p, method, Wasserstein.distance(trained, control));
    }

    static double mean(double[] x) {
        double s = 0;
        for (double v : x) {
            s += v;
        }
        return s / x.length;
    }
}
