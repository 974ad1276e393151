package io.github.spectralcircuits.linalg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.api.Test;

/**
 * {@link DenseProducts#multTransABlocks}: column blocks of two row-major matrices multiplied as
 * A_block^T B_block, against a plain triple loop, for the scalar kernel and (with the Vector API)
 * the SIMD one: more rows than one panel with a ragged last panel, blocks that are not multiples of
 * the tile, at offsets and at the right edge of matrices of different widths; and A B, U B over
 * several panels.
 */
class DenseProductsBlocksTest {

    private static List<DenseProducts> products() {
        List<DenseProducts> ps = new ArrayList<>();
        ps.add(new DenseProducts(DenseKernel.scalar()));
        if (DenseKernel.best() != DenseKernel.scalar()) {
            ps.add(new DenseProducts(DenseKernel.best()));
        }
        return ps;
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
    void blockProductMatchesTheTripleLoop() {
        int[][] cases = {
            // rows, width of A, width of B, aFrom, na, bFrom, nb
            {768, 768, 256, 96, 48, 208, 48},
            {600, 100, 60, 0, 13, 47, 13},
            {5, 20, 9, 7, 11, 0, 9},
            {257, 48, 48, 0, 48, 0, 48},
            {300, 30, 30, 29, 1, 3, 7},
        };
        for (DenseProducts mm : products()) {
            for (int[] c : cases) {
                DMatrixRMaj a = random(c[0], c[1], c[0] + c[1]);
                DMatrixRMaj b = random(c[0], c[2], 7L * c[2] + c[0]);
                DMatrixRMaj got = mm.multTransABlocks(a, c[3], c[4], b, c[5], c[6]);
                assertEquals(c[4], got.numRows);
                assertEquals(c[6], got.numCols);
                for (int i = 0; i < c[4]; i++) {
                    for (int j = 0; j < c[6]; j++) {
                        double s = 0;
                        for (int r = 0; r < c[0]; r++) {
                            s += a.get(r, c[3] + i) * b.get(r, c[5] + j);
                        }
                        assertEquals(s, got.get(i, j), 1e-12 * c[0], "case " + c[0] + "x" + c[1] + " at " + i + "," + j);
                    }
                }
            }
        }
    }

    /**
     * A B and U B with A's panels packed from its rows (no transpose formed), over several panels of
     * rows with a ragged last one, on a number of rows of A that is not a multiple of the tile.
     */
    @Test
    void productsOverSeveralPanelsMatchTheTripleLoop() {
        for (DenseProducts mm : products()) {
            DMatrixRMaj a = random(31, 600, 1);
            DMatrixRMaj b = random(600, 22, 2);
            DMatrixRMaj c = mm.mult(a, b);
            DMatrixRMaj u = random(301, 301, 3);
            for (int i = 0; i < 301; i++) {
                for (int j = 0; j < i; j++) {
                    u.set(i, j, 0);
                }
            }
            DMatrixRMaj ub = random(301, 17, 4);
            DMatrixRMaj cu = mm.multUpperTriangular(u, ub);
            for (int i = 0; i < 31; i++) {
                for (int j = 0; j < 22; j++) {
                    double s = 0;
                    for (int r = 0; r < 600; r++) {
                        s += a.get(i, r) * b.get(r, j);
                    }
                    assertEquals(s, c.get(i, j), 1e-11, "A B at " + i + "," + j);
                }
            }
            for (int i = 0; i < 301; i++) {
                for (int j = 0; j < 17; j++) {
                    double s = 0;
                    for (int r = i; r < 301; r++) {
                        s += u.get(i, r) * ub.get(r, j);
                    }
                    assertEquals(s, cu.get(i, j), 1e-11, "U B at " + i + "," + j);
                }
            }
        }
    }

    @Test
    void blocksOutsideTheMatricesAreRefused() {
        DenseProducts mm = new DenseProducts(DenseKernel.scalar());
        DMatrixRMaj a = new DMatrixRMaj(10, 8);
        DMatrixRMaj b = new DMatrixRMaj(10, 8);
        assertThrows(IllegalArgumentException.class, () -> mm.multTransABlocks(a, 4, 5, b, 0, 4));
        assertThrows(IllegalArgumentException.class, () -> mm.multTransABlocks(a, 0, 4, new DMatrixRMaj(9, 8), 0, 4));
    }
}
