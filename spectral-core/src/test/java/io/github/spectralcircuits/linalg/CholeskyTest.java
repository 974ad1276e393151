package io.github.spectralcircuits.linalg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.Random;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.CholeskyDecomposition_F64;
import org.junit.jupiter.api.Test;

class CholeskyTest {

    @Test
    void agreesWithEjmlAndReproducesTheGramAtSeveralSizes() {
        for (int n : new int[] {1, 2, 3, 5, 8, 37, 130}) {
            DMatrixRMaj x = random(3 * n + 2, n, n);
            DMatrixRMaj g = new DMatrixRMaj(n, n);
            CommonOps_DDRM.multTransA(x, x, g);
            double[] r = Cholesky.upper(g.data, n);
            assertNotNull(r, "n=" + n);
            CholeskyDecomposition_F64<DMatrixRMaj> ejml = DecompositionFactory_DDRM.chol(n, false);
            DMatrixRMaj expected = ejml.decompose(g.copy()) ? ejml.getT(null) : null;
            double scale = CommonOps_DDRM.elementMaxAbs(g);
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < n; j++) {
                    double v = r[i * n + j];
                    if (j < i) {
                        assertEquals(0.0, v, "below the diagonal at " + i + "," + j);
                    } else {
                        assertEquals(expected.get(i, j), v, 1e-12 * Math.sqrt(scale), "n=" + n + " at " + i + "," + j);
                    }
                }
            }
            DMatrixRMaj rm = DMatrixRMaj.wrap(n, n, r);
            DMatrixRMaj back = new DMatrixRMaj(n, n);
            CommonOps_DDRM.multTransA(rm, rm, back);
            for (int k = 0; k < n * n; k++) {
                assertEquals(g.data[k], back.data[k], 1e-13 * scale, "R^T R = G, n=" + n);
            }
        }
    }

    @Test
    void handDerivedTwoByTwo() {
        // G = [[4, 2], [2, 10]]: R = [[2, 1], [0, 3]]
        double[] r = Cholesky.upper(new double[] {4, 2, 2, 10}, 2);
        assertEquals(2.0, r[0]);
        assertEquals(1.0, r[1]);
        assertEquals(0.0, r[2]);
        assertEquals(3.0, r[3]);
    }

    @Test
    void refusesMatricesThatAreNotPositiveDefinite() {
        // rank 1: the second pivot is 0
        assertNull(Cholesky.upper(new double[] {1, 2, 2, 4}, 2));
        // indefinite
        assertNull(Cholesky.upper(new double[] {1, 3, 3, 1}, 2));
        // a dead dimension (zero column of X)
        assertNull(Cholesky.upper(new double[] {2, 0, 0, 0}, 2));
        assertNull(Cholesky.upper(new double[] {Double.NaN, 0, 0, 1}, 2));
        assertNull(Cholesky.upper(new double[] {Double.POSITIVE_INFINITY, 0, 0, 1}, 2));
    }

    private static DMatrixRMaj random(int rows, int cols, long seed) {
        Random rnd = new Random(seed);
        DMatrixRMaj m = new DMatrixRMaj(rows, cols);
        for (int k = 0; k < m.data.length; k++) {
            m.data[k] = rnd.nextGaussian();
        }
        return m;
    }
}
