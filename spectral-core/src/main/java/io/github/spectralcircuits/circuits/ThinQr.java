package io.github.spectralcircuits.circuits;

/**
 * The n x n triangular factor R of a thin QR (A = Q R, Q with orthonormal columns) of a tall m x n
 * matrix (m >= n) stored column by column, by Householder reflections: backward stable, so R^T R
 * equals A^T A to rounding and the small singular values of products of R factors are as accurate
 * as A's entries allow (no Gram matrix is formed, nothing squares the condition number).
 *
 * <p>Written here rather than taken from EJML because the heads' d_model x d_head blocks (768 x 48)
 * are its whole workload and EJML's column Householder spends its time in one dot product at a time,
 * a single chain of dependent additions. Here the dot products of a reflector with the remaining
 * columns are taken four columns at a time with two partial sums each (eight independent chains that
 * share the loads of the reflector), and the updates are plain long loops over a column that the JIT
 * vectorises. A zero column (a dead or zero-padded head) needs no reflection and gets a zero
 * diagonal, where EJML's decomposition reports failure.
 */
final class ThinQr {
    private static final int GROUP = 4;

    private ThinQr() {
    }

    /**
     * R of the m x n matrix a stored column-major (a[c*m + r]); a is overwritten with the reflectors.
     * Returns R row-major, n x n, zero below the diagonal. Non-finite input gives non-finite R.
     */
    static double[] rFactor(double[] a, int m, int n) {
        if (m < n) {
            throw new IllegalArgumentException("a thin QR needs rows >= columns, not " + m + "x" + n);
        }
        double[] r = new double[n * n];
        double[] w = new double[n];
        // The reflector in an array of its own: the update loops then read and write different
        // arrays, which the JIT must know to vectorise them.
        double[] v = new double[m];
        for (int k = 0; k < n; k++) {
            int ck = k * m;
            double beta = reflector(a, ck + k, ck + m);
            r[k * n + k] = beta;
            if (beta != 0) {
                double tau = (beta - a[ck + k]) / beta;
                v[k] = 1;
                System.arraycopy(a, ck + k + 1, v, k + 1, m - k - 1);
                dots(v, a, m, n, k, w);
                for (int j = k + 1; j < n; j++) {
                    double t = tau * w[j];
                    int cj = j * m;
                    for (int i = k; i < m; i++) {
                        a[cj + i] -= t * v[i];
                    }
                }
            }
            for (int j = k + 1; j < n; j++) {
                r[k * n + j] = a[j * m + k];
            }
        }
        return r;
    }

    /**
     * Turns a[top + 1 .. end) into the Householder vector v (scaled so that v[top] = 1) mapping the column onto beta e_top, and returns beta; 0 when the column is
     * already zero from top down. The norm is taken on the column scaled by its largest entry, so
     * huge or tiny weights neither overflow nor underflow. a[top] keeps alpha for tau.
     */
    private static double reflector(double[] a, int top, int end) {
        double scale = 0;
        for (int i = top; i < end; i++) {
            scale = Math.max(scale, Math.abs(a[i]));
        }
        if (scale == 0) {
            return 0;
        }
        if (!Double.isFinite(scale)) {
            return Double.NaN;
        }
        double inv = 1 / scale;
        double ss = 0;
        for (int i = top; i < end; i++) {
            double x = a[i] * inv;
            ss += x * x;
        }
        double alpha = a[top];
        double norm = scale * Math.sqrt(ss);
        double beta = alpha > 0 ? -norm : norm;
        // |alpha - beta| = |alpha| + norm > 0.
        double invV0 = 1 / (alpha - beta);
        for (int i = top + 1; i < end; i++) {
            a[i] *= invV0;
        }
        return beta;
    }

    /** w[j] = v . a_j over rows k..m-1 for every column j > k. */
    private static void dots(double[] v, double[] a, int m, int n, int k, double[] w) {
        int j = k + 1;
        for (; j + GROUP <= n; j += GROUP) {
            int c0 = j * m;
            int c1 = c0 + m;
            int c2 = c1 + m;
            int c3 = c2 + m;
            double s0 = 0;
            double s1 = 0;
            double s2 = 0;
            double s3 = 0;
            double t0 = 0;
            double t1 = 0;
            double t2 = 0;
            double t3 = 0;
            int i = k;
            for (; i + 1 < m; i += 2) {
                double x = v[i];
                double y = v[i + 1];
                s0 += x * a[c0 + i];
                s1 += x * a[c1 + i];
                s2 += x * a[c2 + i];
                s3 += x * a[c3 + i];
                t0 += y * a[c0 + i + 1];
                t1 += y * a[c1 + i + 1];
                t2 += y * a[c2 + i + 1];
                t3 += y * a[c3 + i + 1];
            }
            if (i < m) {
                double x = v[i];
                s0 += x * a[c0 + i];
                s1 += x * a[c1 + i];
                s2 += x * a[c2 + i];
                s3 += x * a[c3 + i];
            }
            w[j] = s0 + t0;
            w[j + 1] = s1 + t1;
            w[j + 2] = s2 + t2;
            w[j + 3] = s3 + t3;
        }
        for (; j < n; j++) {
            int cj = j * m;
            double s = 0;
            double t = 0;
            int i = k;
            for (; i + 1 < m; i += 2) {
                s += v[i] * a[cj + i];
                t += v[i + 1] * a[cj + i + 1];
            }
            if (i < m) {
                s += v[i] * a[cj + i];
            }
            w[j] = s + t;
        }
    }
}
