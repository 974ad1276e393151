package io.github.spectralcircuits.circuits;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.spectralcircuits.linalg.ArrayRowMatrix;
import io.github.spectralcircuits.testing.RandomTransformers;
import java.util.Random;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PanelGramTest {

    @ParameterizedTest(name = "V={0} d={1} threads={2}")
    @CsvSource({"1,1,1", "5,3,2", "300,13,1", "300,13,3", "700,16,2", "129,4,4"})
    void gramAndCrossProductsEqualEjmlOnes(int rows, int d, int threads) {
        Random rnd = new Random(rows * 31L + d);
        double[] x = RandomTransformers.gaussian(rnd, rows * d, 1);
        double[] y = RandomTransformers.gaussian(rnd, rows * d, 1);
        PanelGram.Products p = PanelGram.compute(new ArrayRowMatrix(rows, d, x), new ArrayRowMatrix(rows, d, y), threads);

        DMatrixRMaj mx = new DMatrixRMaj(rows, d, true, x);
        DMatrixRMaj my = new DMatrixRMaj(rows, d, true, y);
        assertClose(CommonOps_DDRM.multTransA(mx, mx, null), p.gramX());
        assertClose(CommonOps_DDRM.multTransA(my, my, null), p.gramY());
        assertClose(CommonOps_DDRM.multTransA(my, mx, null), p.crossYX());
        assertClose(CommonOps_DDRM.multTransA(mx, mx, null), PanelGram.gram(new ArrayRowMatrix(rows, d, x), threads));
    }

    private static void assertClose(DMatrixRMaj expected, DMatrixRMaj actual) {
        assertEquals(expected.numRows, actual.numRows);
        assertEquals(expected.numCols, actual.numCols);
        double scale = CommonOps_DDRM.elementMaxAbs(expected);
        for (int i = 0; i < expected.numRows; i++) {
            for (int j = 0; j < expected.numCols; j++) {
                assertEquals(expected.get(i, j), actual.get(i, j), 1e-12 * scale, "entry " + i + "," + j);
            }
        }
    }
}
