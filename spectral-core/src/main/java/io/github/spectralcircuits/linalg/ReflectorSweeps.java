package io.github.spectralcircuits.linalg;

/**
 * The two sweeps a blocked Householder QR (circuits' ThinQr) spends its time in, over eight
 * reflectors at once: eight dot products with one column, and one column minus a combination of
 * the eight. Plain loops here; a SIMD version ({@link VectorReflectorSweeps}) goes with the SIMD
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
