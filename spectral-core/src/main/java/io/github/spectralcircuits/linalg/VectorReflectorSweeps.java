package io.github.spectralcircuits.linalg;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link ReflectorSweeps} with the incubating Vector API: vector sums of fused multiply-adds
 * for the dot products (plain Java keeps the eight dot products scalar, as the JIT does not reorder
 * floating-point sums), and a fused update. Only loaded with {@link VectorKernel}.
 * Each sum's lanes are added in lane order, so results are the same on every run.
 */
final class VectorReflectorSweeps extends ReflectorSweeps {
    private static final VectorSpecies<Double> S = DoubleVector.SPECIES_PREFERRED;
    private static final int L = S.length();

    @Override
    public void dots8(double[][] v, double[] x, int xOffset, int from, int m, double[] y) {
        double[] v0 = v[0];
        double[] v1 = v[1];
        double[] v2 = v[2];
        double[] v3 = v[3];
        double[] v4 = v[4];
        double[] v5 = v[5];
        double[] v6 = v[6];
        double[] v7 = v[7];
        DoubleVector s0 = DoubleVector.zero(S), s1 = s0, s2 = s0, s3 = s0, s4 = s0, s5 = s0, s6 = s0, s7 = s0;
        int i = from;
        int end = from + S.loopBound(m - from);
        for (; i < end; i += L) {
            DoubleVector xi = DoubleVector.fromArray(S, x, xOffset + i);
            s0 = DoubleVector.fromArray(S, v0, i).fma(xi, s0);
            s1 = DoubleVector.fromArray(S, v1, i).fma(xi, s1);
            s2 = DoubleVector.fromArray(S, v2, i).fma(xi, s2);
            s3 = DoubleVector.fromArray(S, v3, i).fma(xi, s3);
            s4 = DoubleVector.fromArray(S, v4, i).fma(xi, s4);
            s5 = DoubleVector.fromArray(S, v5, i).fma(xi, s5);
            s6 = DoubleVector.fromArray(S, v6, i).fma(xi, s6);
            s7 = DoubleVector.fromArray(S, v7, i).fma(xi, s7);
        }
        double[] lanes = new double[L];
        y[0] = tail(lanes, s0, v0, 0, x, xOffset, i, m);
        y[1] = tail(lanes, s1, v1, 0, x, xOffset, i, m);
        y[2] = tail(lanes, s2, v2, 0, x, xOffset, i, m);
        y[3] = tail(lanes, s3, v3, 0, x, xOffset, i, m);
        y[4] = tail(lanes, s4, v4, 0, x, xOffset, i, m);
        y[5] = tail(lanes, s5, v5, 0, x, xOffset, i, m);
        y[6] = tail(lanes, s6, v6, 0, x, xOffset, i, m);
        y[7] = tail(lanes, s7, v7, 0, x, xOffset, i, m);
    }

    @Override
    public void dots4(double[] v, double[] a, int c0, int m, int from, double[] w, int wAt) {
        int c1 = c0 + m;
        int c2 = c1 + m;
        int c3 = c2 + m;
        DoubleVector s0 = DoubleVector.zero(S), s1 = s0, s2 = s0, s3 = s0;
        int i = from;
        int end = from + S.loopBound(m - from);
        for (; i < end; i += L) {
            DoubleVector x = DoubleVector.fromArray(S, v, i);
            s0 = DoubleVector.fromArray(S, a, c0 + i).fma(x, s0);
            s1 = DoubleVector.fromArray(S, a, c1 + i).fma(x, s1);
            s2 = DoubleVector.fromArray(S, a, c2 + i).fma(x, s2);
            s3 = DoubleVector.fromArray(S, a, c3 + i).fma(x, s3);
        }
        double[] lanes = new double[L];
        w[wAt] = tail(lanes, s0, v, 0, a, c0, i, m);
        w[wAt + 1] = tail(lanes, s1, v, 0, a, c1, i, m);
        w[wAt + 2] = tail(lanes, s2, v, 0, a, c2, i, m);
        w[wAt + 3] = tail(lanes, s3, v, 0, a, c3, i, m);
    }

    @Override
    public double dot(double[] v, double[] a, int c, int m, int from) {
        DoubleVector s = DoubleVector.zero(S);
        int i = from;
        int end = from + S.loopBound(m - from);
        for (; i < end; i += L) {
            s = DoubleVector.fromArray(S, a, c + i).fma(DoubleVector.fromArray(S, v, i), s);
        }
        return tail(new double[L], s, v, 0, a, c, i, m);
    }

    /** The vector sum's lanes in lane order, then the rows [i, m) the vectors did not cover. */
    private static double tail(double[] lanes, DoubleVector sum, double[] v, int vOffset, double[] x, int xOffset, int i, int m) {
        sum.intoArray(lanes, 0);
        double s = 0;
        for (double lane : lanes) {
            s += lane;
        }
        for (; i < m; i++) {
            s += v[vOffset + i] * x[xOffset + i];
        }
        return s;
    }

    @Override
    public void subtract8(double[] a, int c, int from, int m, double[][] v, double[] z) {
        double[] v0 = v[0];
        double[] v1 = v[1];
        double[] v2 = v[2];
        double[] v3 = v[3];
        double[] v4 = v[4];
        double[] v5 = v[5];
        double[] v6 = v[6];
        double[] v7 = v[7];
        DoubleVector z0 = DoubleVector.broadcast(S, z[0]);
        DoubleVector z1 = DoubleVector.broadcast(S, z[1]);
        DoubleVector z2 = DoubleVector.broadcast(S, z[2]);
        DoubleVector z3 = DoubleVector.broadcast(S, z[3]);
        DoubleVector z4 = DoubleVector.broadcast(S, z[4]);
        DoubleVector z5 = DoubleVector.broadcast(S, z[5]);
        DoubleVector z6 = DoubleVector.broadcast(S, z[6]);
        DoubleVector z7 = DoubleVector.broadcast(S, z[7]);
        int i = from;
        int end = from + S.loopBound(m - from);
        for (; i < end; i += L) {
            DoubleVector s = DoubleVector.fromArray(S, v0, i).mul(z0);
            s = DoubleVector.fromArray(S, v1, i).fma(z1, s);
            s = DoubleVector.fromArray(S, v2, i).fma(z2, s);
            s = DoubleVector.fromArray(S, v3, i).fma(z3, s);
            s = DoubleVector.fromArray(S, v4, i).fma(z4, s);
            s = DoubleVector.fromArray(S, v5, i).fma(z5, s);
            s = DoubleVector.fromArray(S, v6, i).fma(z6, s);
            s = DoubleVector.fromArray(S, v7, i).fma(z7, s);
            DoubleVector.fromArray(S, a, c + i).sub(s).intoArray(a, c + i);
        }
        for (; i < m; i++) {
            a[c + i] -= v0[i] * z[0] + v1[i] * z[1] + v2[i] * z[2] + v3[i] * z[3]
                    + v4[i] * z[4] + v5[i] * z[5] + v6[i] * z[6] + v7[i] * z[7];
        }
    }
}
