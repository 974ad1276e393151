package io.github.spectralcircuits.linalg;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.SplittableRandom;
import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.api.Test;

class TallProductsTest {

    private static List<DenseKernel> kernels() {
        return List.of(DenseKernel.scalar(), DenseKernel.best());
    }

    private static ArrayRowMatrix random(int rows, int cols, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        double[] d = new double[rows * cols];
        for (int i = 0; i < d.length; i++) {
            d[i] = r.nextDouble(-1, 1);
        }
        return new ArrayRowMatrix(rows, cols, d);
    }

    private static double naiveCross(ArrayRowMatrix a, ArrayRowMatrix b, int i, int j) {
        double s = 0;
        for (int r = 0; r < a.rows(); r++) {
            s += a.get(r, i) * b.get(r, j);
        }
        return s;
    }

    @Test
    void gramMatchesTheTripleLoopForAwkwardSizes() {
        for (DenseKernel k : kernels()) {
            for (int[] size : new int[][] {{1, 1}, {3, 5}, {130, 13}, {257, 37}, {64, 16}}) {
                ArrayRowMatrix x = random(size[0], size[1], size[0] * 31L + size[1]);
                DMatrixRMaj g = new TallProducts(k, 2).gram(x);
                for (int i = 0; i < size[1]; i++) {
                    for (int j = 0; j < size[1]; j++) {
                        double expected = naiveCross(x, x, i, j);
                        assertEquals(expected, g.get(i, j), 1e-12 * (1 + Math.abs(expected)),
                                k.name() + " " + size[0] + "x" + size[1] + " at " + i + "," + j);
                    }
                }
            }
        }
    }

    @Test
    void crossProductMatchesTheTripleLoop() {
        for (DenseKernel k : kernels()) {
            ArrayRowMatrix a = random(203, 11, 1);
            ArrayRowMatrix b = random(203, 19, 2);
            DMatrixRMaj c = new TallProducts(k, 3).crossProduct(a, b);
            assertEquals(11, c.numRows);
            assertEquals(19, c.numCols);
            for (int i = 0; i < 11; i++) {
                for (int j = 0; j < 19; j++) {
                    double expected = naiveCross(a, b, i, j);
                    assertEquals(expected, c.get(i, j), 1e-12 * (1 + Math.abs(expected)), k.name());
                }
            }
        }
    }

    @Test
    void resultDoesNotDependOnTheNumberOfThreads() {
        ArrayRowMatrix x = random(1000, 24, 7);
        for (DenseKernel k : kernels()) {
            DMatrixRMaj one = new TallProducts(k, 1).gram(x);
            DMatrixRMaj many = new TallProducts(k, 5).gram(x);
            assertArrayEquals(one.data, many.data, 0.0, k.name());
        }
    }

    @Test
    void denseProductsMatchTheTripleLoop() {
        for (DenseKernel k : kernels()) {
            ArrayRowMatrix a = random(17, 9, 3);
            ArrayRowMatrix b = random(9, 21, 4);
            DMatrixRMaj am = DMatrixRMaj.wrap(17, 9, copy(a));
            DMatrixRMaj bm = DMatrixRMaj.wrap(9, 21, copy(b));
            DMatrixRMaj c = new DenseProducts(k).mult(am, bm);
            for (int i = 0; i < 17; i++) {
                for (int j = 0; j < 21; j++) {
                    double s = 0;
                    for (int r = 0; r < 9; r++) {
                        s += a.get(i, r) * b.get(r, j);
                    }
                    assertEquals(s, c.get(i, j), 1e-12, k.name());
                }
            }
        }
    }

    private static double[] copy(ArrayRowMatrix m) {
        double[] d = new double[m.rows() * m.cols()];
        m.readRows(0, m.rows(), d);
        return d;
    }

    @Test
    void theSimdKernelIsTheOneChosenWhenTheModuleIsPresent() {
        boolean present = ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();
        assertEquals(present && !Boolean.getBoolean("spectral.scalarKernel"),
                DenseKernel.best().name().startsWith("vector"));
    }

    @Test
    void upperTriangularProductSkipsOnlyZerosAndUsesBothBlocksOfRows() {
        for (DenseKernel k : kernels()) {
            int n = 37;
            ArrayRowMatrix full = random(n, n, 9);
            double[] u = new double[n * n];
            for (int i = 0; i < n; i++) {
                for (int j = i; j < n; j++) {
                    u[i * n + j] = full.get(i, j);
                }
            }
            ArrayRowMatrix b = random(n, 50, 10);
            DMatrixRMaj um = DMatrixRMaj.wrap(n, n, u);
            DMatrixRMaj bm = DMatrixRMaj.wrap(n, 50, copy(b));
            DMatrixRMaj fast = new DenseProducts(k).multUpperTriangular(um, bm);
            DMatrixRMaj plain = new DenseProducts(k).mult(um, bm);
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < 50; j++) {
                    double s = 0;
                    for (int r = i; r < n; r++) {
                        s += u[i * n + r] * b.get(r, j);
                    }
                    assertEquals(s, fast.get(i, j), 1e-12, k.name());
                    assertEquals(s, plain.get(i, j), 1e-12, k.name());
                }
            }
        }
    }

    @Test
    void largeProductsCrossEveryCacheChunkBoundary() {
        int n = 301;
        int m = 530;
        ArrayRowMatrix full = random(n, n, 11);
        double[] u = new double[n * n];
        for (int i = 0; i < n; i++) {
            for (int j = i; j < n; j++) {
                u[i * n + j] = full.get(i, j);
            }
        }
        ArrayRowMatrix b = random(n, m, 12);
        DMatrixRMaj um = DMatrixRMaj.wrap(n, n, u);
        DMatrixRMaj bm = DMatrixRMaj.wrap(n, m, copy(b));
        DMatrixRMaj reference = new DMatrixRMaj(n, m);
        org.ejml.dense.row.CommonOps_DDRM.mult(um, bm, reference);
        for (DenseKernel k : kernels()) {
            DMatrixRMaj tri = new DenseProducts(k).multUpperTriangular(um, bm);
            DMatrixRMaj plain = new DenseProducts(k).mult(um, bm);
            for (int i = 0; i < n * m; i++) {
                assertEquals(reference.data[i], tri.data[i], 1e-11, k.name());
                assertEquals(reference.data[i], plain.data[i], 1e-11, k.name());
            }
        }
    }
}
