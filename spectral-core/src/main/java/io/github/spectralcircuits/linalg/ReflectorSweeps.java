package io.github.spectralcircuits.linalg;

/**
 * The sweeps a blocked Householder QR ({@link ThinQr}) spends its time in: eight reflectors'
 * dot products with one column, one column minus a combination of the eight, and (within a panel)
 * one reflector's dot products with four columns or one. Plain loops here; a SIMD version ({@link VectorReflectorSweeps}) goes with the SIMD
 * dense kernel, that is when the incubating Vector API is present and compiled (it is only loaded
 * then, so the core runs without it), and is warmed up in the background with it.
 */
public class ReflectorSweeps {
    private static final ReflectorSweeps SCALAR = new ReflectorSweeps();

    ReflectorSweeps() {
    }

    /** The plain loops, always available (also used to cross-check the SIMD ones). */
    public static ReflectorSweeps scalar() {
        return SCALAR;
    }

    /** y[q] = v_q . x[xOffset + i] over rows i in [from, m), for the eight reflectors at once. */
    public void dots8(double[][] v, double[] x, int xOffset, int from, int m, double[] y) {
        double[] v0 = v[0];
        double[] v1 = v[1];
        double[] v2 = v[2];
        double[] v3 = v[3];
        double[] v4 = v[4];
        double[] v5 = v[5];
        double[] v6 = v[6];
        double[] v7 = v[7];
        double s0 = 0;
        double s1 = 0;
        double s2 = 0;
        double s3 = 0;
        double s4 = 0;
        double s5 = 0;
        double s6 = 0;
        double s7 = 0;
        // One sweep sharing the loads of x, eight independent sums.
        for (int i = from; i < m; i++) {
            double xi = x[xOffset + i];
            s0 += v0[i] * xi;
            s1 += v1[i] * xi;
            s2 += v2[i] * xi;
            s3 += v3[i] * xi;
            s4 += v4[i] * xi;
            s5 += v5[i] * xi;
            s6 += v6[i] * xi;
            s7 += v7[i] * xi;
        }
        y[0] = s0;
        y[1] = s1;
        y[2] = s2;
        y[3] = s3;
        y[4] = s4;
        y[5] = s5;
        y[6] = s6;
        y[7] = s7;
    }

    /**
     * w[wAt + q] = v . a[c0 + q*m + i] over rows i in [from, m), for q < 4: four columns of a
     * column-major matrix with m rows, starting at c0, in one sweep sharing the loads of v.
     */
    public void dots4(double[] v, double[] a, int c0, int m, int from, double[] w, int wAt) {
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
        int i = from;
        // Two sums per column (even and odd rows): eight independent chains.
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
        w[wAt] = s0 + t0;
        w[wAt + 1] = s1 + t1;
        w[wAt + 2] = s2 + t2;
        w[wAt + 3] = s3 + t3;
    }

    /** v . a[c + i] over rows i in [from, m). */
    public double dot(double[] v, double[] a, int c, int m, int from) {
        double s = 0;
        double t = 0;
        int i = from;
        for (; i + 1 < m; i += 2) {
            s += v[i] * a[c + i];
            t += v[i + 1] * a[c + i + 1];
        }
        if (i < m) {
            s += v[i] * a[c + i];
        }
        return s + t;
    }

    /** a[c + i] -= sum over q of v_q[i] z[q], for rows i in [from, m). */
    public void subtract8(double[] a, int c, int from, int m, double[][] v, double[] z) {
        double z0 = z[0];
        double z1 = z[1];
        double z2 = z[2];
        double z3 = z[3];
        double z4 = z[4];
        double z5 = z[5];
        double z6 = z[6];
        double z7 = z[7];
        double[] v0 = v[0];
        double[] v1 = v[1];
        double[] v2 = v[2];
        double[] v3 = v[3];
        double[] v4 = v[4];
        double[] v5 = v[5];
        double[] v6 = v[6];
        double[] v7 = v[7];
        for (int i = from; i < m; i++) {
            a[c + i] -= v0[i] * z0 + v1[i] * z1 + v2[i] * z2 + v3[i] * z3
                    + v4[i] * z4 + v5[i] * z5 + v6[i] * z6 + v7[i] * z7;
        }
    }

    /** The SIMD sweeps when the dense kernel is the SIMD one ({@link DenseKernel#best()}), the plain ones otherwise. */
    public static ReflectorSweeps best() {
        return DenseKernel.best() instanceof TiledKernel t ? t.sweeps() : SCALAR;
    }
}
