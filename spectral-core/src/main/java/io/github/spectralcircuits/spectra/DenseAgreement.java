package io.github.spectralcircuits.spectra;

/**
 * How far a factored spectrum (k values and V - k structural zeros) lies from a dense one (all V
 * values), relative to the circuit's spectral norm: the largest distance between matched eigenvalues
 * (as multisets) or between singular values of the same rank.
 */
public final class DenseAgreement {
    private DenseAgreement() {
    }

    public static double relativeError(CircuitSpectrum factored, CircuitSpectrum dense) {
        if (factored.dimension() != dense.dimension()) {
            throw new IllegalArgumentException("dimensions differ: " + factored.dimension() + " vs " + dense.dimension());
        }
        double scale = Math.max(factored.stats().spectralNorm(), dense.stats().spectralNorm());
        double err = Math.max(eigenvalueDistance(factored.eigenvalues(), dense.eigenvalues()),
                singularValueDistance(factored.singularValues(), dense.singularValues()));
        return scale > 0 ? err / scale : err;
    }

    /**
     * Matches each listed eigenvalue of a (largest modulus first) to the nearest unmatched one of b;
     * b's unmatched rest must then be the zeros a leaves implicit. Greedy matching is exact whenever the
     * error is smaller than the gaps between distinct eigenvalues, which is all a tolerance check needs.
     */
    public static double eigenvalueDistance(Eigenvalues a, Eigenvalues b) {
        Eigenvalues small = a.re().length <= b.re().length ? a : b;
        Eigenvalues large = small == a ? b : a;
        boolean[] used = new boolean[large.re().length];
        double worst = 0;
        for (int i = 0; i < small.re().length; i++) {
            int best = -1;
            double bestDist = Double.POSITIVE_INFINITY;
            for (int j = 0; j < large.re().length; j++) {
                if (!used[j]) {
                    double dist = Math.hypot(small.re()[i] - large.re()[j], small.im()[i] - large.im()[j]);
                    if (dist < bestDist) {
                        bestDist = dist;
                        best = j;
                    }
                }
            }
            used[best] = true;
            worst = Math.max(worst, bestDist);
        }
        for (int j = 0; j < used.length; j++) {
            if (!used[j]) {
                worst = Math.max(worst, Math.hypot(large.re()[j], large.im()[j]));
            }
        }
        return worst;
    }

    /** Both descending; the shorter list is padded with zeros. */
    public static double singularValueDistance(double[] a, double[] b) {
        double worst = 0;
        for (int i = 0; i < Math.max(a.length, b.length); i++) {
            double x = i < a.length ? a[i] : 0;
            double y = i < b.length ? b[i] : 0;
            worst = Math.max(worst, Math.abs(x - y));
        }
        return worst;
    }
}
