package io.github.spectralcircuits.circuits;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.spectralcircuits.testing.RandomTransformers;
import java.util.Random;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class LayerProductsTest {

    /** T^T T = A^T A is what makes sigma(A B^T) = sigma(T_A T_B^T); it must hold with a dead column too. */
    @ParameterizedTest(name = "zero column: {0}")
    @ValueSource(ints = {-1, 0, 2})
    void thinFactorReproducesTheGramOfItsMatrix(int zeroColumn) {
        DMatrixRMaj a = RandomTransformers.matrix(new Random(4), 9, 4);
        if (zeroColumn >= 0) {
            for (int i = 0; i < 9; i++) {
                a.set(i, zeroColumn, 0);
            }
        }
        DMatrixRMaj t = LayerProducts.rFactor(a);
        assertEquals(4, t.numRows);
        assertEquals(4, t.numCols);
        DMatrixRMaj expected = CommonOps_DDRM.multTransA(a, a, null);
        DMatrixRMaj actual = CommonOps_DDRM.multTransA(t, t, null);
        for (int i = 0; i < 4; i++) {
            for (int j = 0; j < 4; j++) {
                assertEquals(expected.get(i, j), actual.get(i, j), 1e-12, i + "," + j);
            }
        }
    }
}
