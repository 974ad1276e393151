package io.github.spectralcircuits.circuits;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.spectralcircuits.SpectralException;
import io.github.spectralcircuits.testing.RandomTransformers;
import java.util.Random;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.junit.jupiter.api.Test;

class GramFactorTest {

    @Test
    void positiveDefiniteGramGetsAnUpperCholeskyFactor() {
        DMatrixRMaj x = new DMatrixRMaj(40, 7, true, RandomTransformers.gaussian(new Random(1), 280, 1));
        DMatrixRMaj g = CommonOps_DDRM.multTransA(x, x, null);
        GramFactor f = GramFactor.of(g);
        assertEquals(GramFactor.Method.CHOLESKY, f.method());
        assertReproduces(g, f);
        for (int i = 0; i < 7; i++) {
            for (int j = 0; j < i; j++) {
                assertEquals(0.0, f.factor().get(i, j), "below the diagonal");
            }
        }
    }

    @Test
    void gramWithAZeroColumnFallsBackToTheClampedEigenFactor() {
        double[] data = RandomTransformers.gaussian(new Random(2), 40 * 7, 1);
        for (int r = 0; r < 40; r++) {
            data[r * 7 + 3] = 0;
        }
        DMatrixRMaj x = new DMatrixRMaj(40, 7, true, data);
        DMatrixRMaj g = CommonOps_DDRM.multTransA(x, x, null);
        GramFactor f = GramFactor.of(g);
        assertEquals(GramFactor.Method.EIGEN_CLAMPED, f.method());
        assertReproduces(g, f);
    }

    @Test
    void gramOfFewerRowsThanColumnsFallsBack() {
        DMatrixRMaj x = new DMatrixRMaj(3, 9, true, RandomTransformers.gaussian(new Random(3), 27, 1));
        DMatrixRMaj g = CommonOps_DDRM.multTransA(x, x, null);
        GramFactor f = GramFactor.of(g);
        assertEquals(GramFactor.Method.EIGEN_CLAMPED, f.method());
        assertReproduces(g, f);
    }

    @Test
    void reproducesTheGramAtSeveralSizesWithZerosBelowTheDiagonal() {
        for (int n : new int[] {1, 2, 3, 5, 8, 37, 130}) {
            DMatrixRMaj x = new DMatrixRMaj(3 * n + 2, n, true, RandomTransformers.gaussian(new Random(n), (3 * n + 2) * n, 1));
            DMatrixRMaj g = CommonOps_DDRM.multTransA(x, x, null);
            GramFactor f = GramFactor.of(g);
            assertEquals(GramFactor.Method.CHOLESKY, f.method(), "n=" + n);
            assertReproduces(g, f);
            for (int i = 0; i < n; i++) {
                assertTrue(f.factor().get(i, i) > 0, "positive diagonal, n=" + n);
                for (int j = 0; j < i; j++) {
                    assertEquals(0.0, f.factor().get(i, j), "below the diagonal, n=" + n);
                }
            }
        }
    }

    @Test
    void handDerivedTwoByTwo() {
        // G = [[4, 2], [2, 10]]: R = [[2, 1], [0, 3]]
        GramFactor f = GramFactor.of(DMatrixRMaj.wrap(2, 2, new double[] {4, 2, 2, 10}));
        assertEquals(GramFactor.Method.CHOLESKY, f.method());
        assertArrayEquals(new double[] {2, 1, 0, 3}, f.factor().data, 1e-15);
    }

    /** A Gram that is not numerically positive definite gets the clamped eigen-factor, never a Cholesky one. */
    @Test
    void matricesThatAreNotPositiveDefiniteAreNotCholeskyFactored() {
        // rank 1 (the second pivot is 0), indefinite, a dead dimension
        for (double[] g : new double[][] {{1, 2, 2, 4}, {1, 3, 3, 1}, {2, 0, 0, 0}}) {
            assertEquals(GramFactor.Method.EIGEN_CLAMPED, GramFactor.of(DMatrixRMaj.wrap(2, 2, g)).method());
        }
        // NaN and infinity: no factor at all (EJML's Cholesky would pass them through)
        for (double bad : new double[] {Double.NaN, Double.POSITIVE_INFINITY}) {
            DMatrixRMaj g = DMatrixRMaj.wrap(2, 2, new double[] {bad, 0, 0, 1});
            GramFactor f;
            try {
                f = GramFactor.of(g);
            } catch (SpectralException e) {
                continue;
            }
            assertEquals(GramFactor.Method.EIGEN_CLAMPED, f.method(), "with " + bad);
        }
    }

    private static void assertReproduces(DMatrixRMaj g, GramFactor f) {
        DMatrixRMaj back = f.gram();
        double scale = CommonOps_DDRM.elementMaxAbs(g);
        for (int i = 0; i < g.numRows; i++) {
            for (int j = 0; j < g.numCols; j++) {
                assertEquals(g.get(i, j), back.get(i, j), 1e-12 * scale, "F^T F entry " + i + "," + j);
            }
        }
    }
}
