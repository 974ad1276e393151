package io.github.spectralcircuits.linalg;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * SIMD kernel (incubating Vector API, Java 17): a 4 x 2-vector register tile of fused
 * multiply-adds, the usual GEMM micro-kernel shape. Loaded reflectively by {@link Kernels} only
 * when the module is present, so the core still runs (with {@link ScalarKernel}) without it.
 */
final class VectorKernel extends TiledKernel {
    private static final VectorSpecies<Double> S = DoubleVector.SPECIES_PREFERRED;
    private static final int L = S.length();

    @Override
    public String name() {
        return "vector(" + S.vectorBitSize() + "-bit)";
    }

    @Override
    int tileWidth() {
        return 2 * L;
    }

    @Override
    MicroKernel packedKernel() {
        return PACKED;
    }

    private static final MicroKernel PACKED = "4".equals(System.getProperty("spectral.packedRows"))
            ? new VectorMicroKernels.Four() : new VectorMicroKernels.Six();

    @Override
    void tile(double[] a, double[] b, int r0, int p, int na, int nb, double[] c, int i, int j) {
        DoubleVector c00 = DoubleVector.zero(S), c01 = c00, c10 = c00, c11 = c00;
        DoubleVector c20 = c00, c21 = c00, c30 = c00, c31 = c00;
        for (int r = r0, ar = r0 * na + i, br = r0 * nb + j; r < p; r++, ar += na, br += nb) {
            DoubleVector b0 = DoubleVector.fromArray(S, b, br);
            DoubleVector b1 = DoubleVector.fromArray(S, b, br + L);
            DoubleVector x = DoubleVector.broadcast(S, a[ar]);
            c00 = x.fma(b0, c00);
            c01 = x.fma(b1, c01);
            x = DoubleVector.broadcast(S, a[ar + 1]);
            c10 = x.fma(b0, c10);
            c11 = x.fma(b1, c11);
            x = DoubleVector.broadcast(S, a[ar + 2]);
            c20 = x.fma(b0, c20);
            c21 = x.fma(b1, c21);
            x = DoubleVector.broadcast(S, a[ar + 3]);
            c30 = x.fma(b0, c30);
            c31 = x.fma(b1, c31);
        }
        addInto(c, i * nb + j, c00, c01);
        addInto(c, (i + 1) * nb + j, c10, c11);
        addInto(c, (i + 2) * nb + j, c20, c21);
        addInto(c, (i + 3) * nb + j, c30, c31);
    }

    private static void addInto(double[] c, int k, DoubleVector v0, DoubleVector v1) {
        DoubleVector.fromArray(S, c, k).add(v0).intoArray(c, k);
        DoubleVector.fromArray(S, c, k + L).add(v1).intoArray(c, k + L);
    }
}
