package io.github.spectralcircuits.circuits;

import static org.junit.jupiter.api.Assertions.assertEquals;

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
