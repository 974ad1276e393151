package io.github.spectralcircuits.linalg;

/**
 * The Cholesky factor of a symmetric positive definite matrix, row by row with dot products over
 * contiguous rows. Written here because EJML's dense Cholesky below its blocking threshold (d < 1000,
 * which covers every d_model we meet) walks columns of a row-major array: 0.19 s for d = 768 in a
 * fresh JVM, paid once per model and twice when the unembedding is untied, against about 0.03 s for
 * this loop, whose four partial sums keep the floating-point units busy. Sequential and in a fixed
 * summation order, so the factor is the same on every run.
 */
public final class Cholesky {
    private Cholesky() {
    }

    /**
     * Upper triangular R (row-major n x n, zeros below the diagonal) with R^T R = G, reading only the
     * lower triangle of G; null when a pivot is not positive and finite (G not numerically positive definite).
     */
    public static double[] upper(double[] g, int n) {
        if (g.length < (long) n * n) {
            throw new IllegalArgumentException("a " + n + "x" + n + " matrix needs " + (long) n * n + " values, not " + g.length);
        }
        // large d (7B shapes: 4096, 11 G multiply-adds) on LAPACK's blocked dpotrf when the native BLAS is active
        var blas = NativeBlas.forWork((double) n * n * n / 6);
        if (blas.isPresent()) {
            return blas.get().choleskyUpper(g, n);
        }
        return rowByRow(g, n);
    }

    /** The own factorisation, row by row (tests compare it with the native one). */
    static double[] rowByRow(double[] g, int n) {
        double[] l = new double[n * n];
        for (int i = 0; i < n; i++) {
            int ri = i * n;
            for (int j = 0; j < i; j++) {
                int rj = j * n;
                l[ri + j] = (g[ri + j] - RowDot.dot(l, ri, rj, j)) / l[rj + j];
            }
            double pivot = g[ri + i] - RowDot.dot(l, ri, ri, i);
            if (!(pivot > 0) || !Double.isFinite(pivot)) {
                return null;
            }
            l[ri + i] = Math.sqrt(pivot);
        }
        // R = L^T
        double[] r = new double[n * n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j <= i; j++) {
                r[j * n + i] = l[i * n + j];
            }
        }
        return r;
    }
}
