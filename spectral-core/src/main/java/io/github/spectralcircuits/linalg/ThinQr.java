package io.github.spectralcircuits.linalg;


/**
 * The n x n triangular factor R of a thin QR (A = Q R, Q with orthonormal columns) of a tall m x n
 * matrix (m >= n) stored column by column, by Householder reflections: backward stable, so R^T R
 * equals A^T A to rounding and the small singular values of products of R factors are as accurate
 * as A's entries allow (no Gram matrix is formed, nothing squares the condition number).
 *
 * <p>Written here rather than taken from EJML because the heads' d_model x d_head blocks (768 x 48,
 * 64 of them per layer on the reference workload) are its whole workload, and EJML's column
 * Householder updates the remaining columns one reflector and one dot product at a time, a single
 * chain of dependent additions. Here the reflectors are gathered eight at a time (compact WY,
 * I - V T V^T, as LAPACK's blocked QR): each remaining column then takes the eight dot products in
 * one sweep with eight independent sums sharing the column's loads, and one fused update loop that
 * the JIT vectorises. Measured on 768 x 48 (one thread, CPU time): EJML 1.22 ms, this 0.77 ms with
 * plain loops, 0.40 ms with the SIMD sweeps ({@link ReflectorSweeps}), which go with the SIMD dense kernel.
 * A zero column (a dead or zero-padded head) needs no reflection and gets a zero diagonal, where
 * EJML's decomposition reports failure.
 */
public final class ThinQr {
    private static final int GROUP = 4;
    /** Reflectors gathered into one block update (compact WY); applyBlockReflector is written for 8. */
    private static final int BLOCK = 8;

    private ThinQr() {
    }

    /**
     * R of the m x n matrix a stored column-major (a[c*m + r]); a is overwritten with the reflectors.
     * Returns R row-major, n x n, zero below the diagonal. Non-finite input gives non-finite R.
     */
    public static double[] rFactor(double[] a, int m, int n) {
        return rFactor(a, m, n, ReflectorSweeps.best());
    }

    /** As {@link #rFactor(double[], int, int)} with the given sweeps (tests run both). */
    public static double[] rFactor(double[] a, int m, int n, ReflectorSweeps sweeps) {
        if (m < n) {
            throw new IllegalArgumentException("a thin QR needs rows >= columns, not " + m + "x" + n);
        }
        double[] r = new double[n * n];
        double[] w = new double[n];
        // The reflectors in arrays of their own: the update loops then read and write different
        // arrays, which the JIT must know to vectorise them. Unused ones stay zero.
        double[][] v = new double[BLOCK][m];
        double[] tau = new double[BLOCK];
        double[] t = new double[BLOCK * BLOCK];
        for (int k0 = 0; k0 < n; k0 += BLOCK) {
            int end = Math.min(n, k0 + BLOCK);
            factorPanel(a, m, k0, end, v, tau, r, n, w, sweeps);
            if (end < n) {
                blockReflector(v, tau, end - k0, k0, m, t, sweeps);
                for (int j = end; j < n; j++) {
                    applyBlockReflector(a, j * m, k0, m, v, t, sweeps);
                }
            }
            for (int k = k0; k < end; k++) {
                for (int j = k + 1; j < n; j++) {
                    r[k * n + j] = a[j * m + k];
                }
            }
        }
        return r;
    }

    /**
     * Columns k0..end-1 reduced one reflector at a time, each applied only within the panel; the
     * reflectors are kept in v[0..] (zero above their row) with their tau, R's diagonal in r.
     */
    private static void factorPanel(double[] a, int m, int k0, int end, double[][] v, double[] tau,
                                    double[] r, int n, double[] w, ReflectorSweeps sweeps) {
        for (int p = 0; p < BLOCK; p++) {
            java.util.Arrays.fill(v[p], k0, m, 0);
            tau[p] = 0;
        }
        for (int k = k0; k < end; k++) {
            int p = k - k0;
            int ck = k * m;
            double beta = reflector(a, ck + k, ck + m);
            r[k * n + k] = beta;
            if (beta == 0) {
                continue;
            }
            double[] vp = v[p];
            tau[p] = (beta - a[ck + k]) / beta;
            vp[k] = 1;
            System.arraycopy(a, ck + k + 1, vp, k + 1, m - k - 1);
            dots(vp, a, m, end, k, w, sweeps);
            for (int j = k + 1; j < end; j++) {
                double s = tau[p] * w[j];
                int cj = j * m;
                for (int i = k; i < m; i++) {
                    a[cj + i] -= s * vp[i];
                }
            }
        }
    }

    /**
     * The upper triangular T (BLOCK x BLOCK, row-major) with H_0 H_1 ... H_(nb-1) = I - V T V^T
     * (LAPACK's dlarft, forward, column by column): T[p][p] = tau_p and
     * T[0:p, p] = -tau_p T[0:p, 0:p] V[:, 0:p]^T v_p.
     */
    private static void blockReflector(double[][] v, double[] tau, int nb, int k0, int m, double[] t, ReflectorSweeps sweeps) {
        java.util.Arrays.fill(t, 0);
        double[] y = new double[BLOCK];
        for (int p = 0; p < nb; p++) {
            t[p * BLOCK + p] = tau[p];
            if (tau[p] == 0) {
                continue;
            }
            // All eight dots with v_p in one sweep (those for q >= p are not needed, but the sweep
            // with eight independent sums is faster than p separate ones).
            sweeps.dots8(v, v[p], 0, k0 + p, m, y);
            for (int q = 0; q < p; q++) {
                double s = 0;
                for (int u = q; u < p; u++) {
                    s += t[q * BLOCK + u] * y[u];
                }
                t[q * BLOCK + p] = -tau[p] * s;
            }
        }
    }

    /**
     * Column c (a[c + k0 .. c + m)) becomes (I - V T V^T)^T times itself = a - V (T^T (V^T a)):
     * eight dot products in one sweep sharing the loads of the column, then one fused update.
     */
    private static void applyBlockReflector(double[] a, int c, int k0, int m, double[][] v, double[] t, ReflectorSweeps sweeps) {
        double[] y = new double[BLOCK];
        sweeps.dots8(v, a, c, k0, m, y);
        double[] z = new double[BLOCK];
        for (int q = 0; q < BLOCK; q++) {
            double s = 0;
            for (int p = 0; p <= q; p++) {
                s += t[p * BLOCK + q] * y[p];
            }
            z[q] = s;
        }
        sweeps.subtract8(a, c, k0, m, v, z);
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

    /** w[j] = v . a_j over rows k..m-1 for every column j > k, four columns per sweep. */
    private static void dots(double[] v, double[] a, int m, int n, int k, double[] w, ReflectorSweeps sweeps) {
        int j = k + 1;
        for (; j + GROUP <= n; j += GROUP) {
            sweeps.dots4(v, a, j * m, m, k, w, j);
        }
        for (; j < n; j++) {
            w[j] = sweeps.dot(v, a, j * m, m, k);
        }
    }
}
