package io.github.spectralcircuits.linalg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.SplittableRandom;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The block workspace on the own kernels and on OpenBLAS against products of the blocks cut out with EJML. */
class BlockProductsTest {

    @AfterEach
    void restore() {
        NativeBlas.minWork = NativeBlas.NATIVE_MIN_WORK;
        NativeBlas.deactivate();
    }

    private static DMatrixRMaj random(int rows, int cols, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        DMatrixRMaj m = new DMatrixRMaj(rows, cols);
        for (int i = 0; i < m.data.length; i++) {
            m.data[i] = r.nextDouble(-1, 1);
        }
        return m;
    }

    @Test
    void ownKernels() {
        check(BlockProducts.onJava(70, new int[] {12, 12, 11}, new int[] {12}, random(70, 70, 9)));
    }

    @Test
    void nativeBlas() {
        assertTrue(NativeBlas.activate(), NativeBlas.describe());
        NativeBlas.minWork = 0;
        BlockProducts ws = BlockProducts.create(70, new int[] {12, 12, 11}, new int[] {12}, random(70, 70, 9));
        assertTrue(ws.getClass().getName().contains("OpenBlas"), ws.getClass().getName());
        int threads = org.bytedeco.openblas.presets.openblas_nolapack.blas_get_num_threads();
        check(ws);
        // the batch runs each product on one OpenBLAS thread, and gives the library its thread count back
        assertEquals(threads, org.bytedeco.openblas.presets.openblas_nolapack.blas_get_num_threads());
    }

    /** Fills with fewer columns than the width (a narrower last group), products of 4 x 4 blocks at offsets. */
    private static void check(BlockProducts ws) {
        int m = 70;
        int cols = 10;
        DMatrixRMaj a = random(m, cols, 1);
        DMatrixRMaj b = random(m, cols, 2);
        DMatrixRMaj w = random(cols, m, 3);
        DMatrixRMaj s = random(m, m, 9);
        try (ws) {
            ws.fillTall(0, cols, (r, dst) -> System.arraycopy(a.data, r * cols, dst, 0, cols));
            ws.fillTall(1, cols, (r, dst) -> System.arraycopy(b.data, r * cols, dst, 0, cols));
            ws.fillWide(0, cols, (r, dst) -> System.arraycopy(w.data, r * m, dst, 0, m));
            ws.multiplySquare(0, 1, cols); // tall 1 = S a
            assertThrows(IllegalArgumentException.class, () -> ws.multiplySquare(0, 2, cols)); // widths 12 and 11
            DMatrixRMaj sa = CommonOps_DDRM.mult(s, a, null);
            double[][] p = ws.products(List.of(new BlockProducts.TallGram(0, 2, 4), new BlockProducts.TallCross(0, 6, 1, 1, 4),
                    new BlockProducts.WideGram(0, 3, 4), new BlockProducts.WideTimesTall(0, 5, 1, 0, 4)));
            DMatrixRMaj a2 = CommonOps_DDRM.extract(a, 0, m, 2, 6);
            close(CommonOps_DDRM.multTransA(a2, a2, null), p[0]);
            close(CommonOps_DDRM.multTransA(CommonOps_DDRM.extract(a, 0, m, 6, 10), CommonOps_DDRM.extract(sa, 0, m, 1, 5), null), p[1]);
            DMatrixRMaj w3 = CommonOps_DDRM.extract(w, 3, 7, 0, m);
            close(CommonOps_DDRM.multTransB(w3, w3, null), p[2]);
            close(CommonOps_DDRM.mult(CommonOps_DDRM.extract(w, 5, 9, 0, m), CommonOps_DDRM.extract(sa, 0, m, 0, 4), null), p[3]);
            // Grams are exactly symmetric
            for (int i = 0; i < 4; i++) {
                for (int j = 0; j < 4; j++) {
                    assertEquals(p[0][i * 4 + j], p[0][j * 4 + i], 0.0);
                    assertEquals(p[2][i * 4 + j], p[2][j * 4 + i], 0.0);
                }
            }
            // blocks copied out column by column, for a QR
            double[] col = ws.tallBlockColumns(0, 3, 2);
            double[] wide = ws.wideBlockColumns(0, 4, 2);
            for (int r = 0; r < m; r++) {
                assertEquals(a.get(r, 4), col[m + r], 0.0);
                assertEquals(w.get(5, r), wide[m + r], 0.0);
            }
            assertThrows(IllegalArgumentException.class, () -> ws.fillTall(3, cols, (r, dst) -> { }));
            assertThrows(IllegalArgumentException.class, () -> ws.fillTall(2, 12, (r, dst) -> { }));
            assertThrows(IllegalArgumentException.class, () -> ws.fillTall(0, 13, (r, dst) -> { }));
        }
    }

    @Test
    void withoutASquareOperand() {
        try (BlockProducts ws = BlockProducts.onJava(8, new int[] {4}, new int[0], null)) {
            assertThrows(IllegalStateException.class, () -> ws.multiplySquare(0, 0, 4));
            assertTrue(ws.fits(new int[] {4}, new int[0]));
        }
        assertThrows(IllegalArgumentException.class, () -> BlockProducts.create(8, new int[] {4}, new int[0], new DMatrixRMaj(7, 7)));
    }

    private static void close(DMatrixRMaj expected, double[] actual) {
        assertEquals(expected.data.length, actual.length);
        double scale = CommonOps_DDRM.elementMaxAbs(expected);
        double[] e = expected.data;
        for (int i = 0; i < e.length; i++) {
            assertEquals(e[i], actual[i], 1e-13 * scale, "entry " + i);
        }
    }
}
