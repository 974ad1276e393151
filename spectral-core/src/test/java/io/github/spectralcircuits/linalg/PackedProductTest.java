package io.github.spectralcircuits.linalg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The packing and tiling of {@link PackedProduct} at its edges, for every micro-kernel this JVM
 * has (the scalar 4 x 4 and, with the Vector API, the 6 x 8 SIMD one): widths that are not
 * multiples of the tile, matrices narrower than one tile, panels shorter than the longest, column
 * and row offsets, and the skipped zeros of a triangular factor. Each result is checked against
 * a plain triple loop.
 */
class PackedProductTest {

    private static List<MicroKernel> kernels() {
        List<MicroKernel> ks = new ArrayList<>();
        ks.add(ScalarKernel.INSTANCE.packedKernel());
        if (DenseKernel.best() instanceof TiledKernel t && t != ScalarKernel.INSTANCE) {
            ks.add(t.packedKernel());
        }
        return ks;
    }

    private static double[] random(int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        double[] d = new double[n];
        for (int i = 0; i < d.length; i++) {
            d[i] = r.nextDouble(-1, 1);
        }
        return d;
    }

    private static String name(MicroKernel k) {
        return k.rows() + "x" + k.cols();
    }

    @Test
    void gramOverPanelsOfUnequalLengthMatchesTheTripleLoopForRaggedWidths() {
        for (MicroKernel k : kernels()) {
            for (int n : new int[] {1, 2, 5, 6, 7, 8, 9, 13, 17, 47, 70}) {
                int[] panels = {3, 40, 1, 40};
                int rows = 84;
                double[] x = random(rows * n, n);
                PackedProduct sum = new PackedProduct(k, n, n, true, 40);
                int r0 = 0;
                for (int p : panels) {
                    double[] panel = new double[p * n];
                    System.arraycopy(x, r0 * n, panel, 0, p * n);
                    sum.add(panel, null, p);
                    r0 += p;
                }
                double[] g = sum.toRowMajor();
                for (int i = 0; i < n; i++) {
                    for (int j = 0; j < n; j++) {
                        double s = 0;
                        for (int r = 0; r < rows; r++) {
                            s += x[r * n + i] * x[r * n + j];
                        }
                        assertEquals(s, g[i * n + j], 1e-12, name(k) + " n=" + n + " at " + i + "," + j);
                    }
                }
            }
        }
    }

    @Test
    void blockOfColumnsAndRowsWithOffsetsLandsOnlyWhereItBelongs() {
        for (MicroKernel k : kernels()) {
            int rows = 300;
            int aCols = 23;
            int bCols = 31;
            double[] a = random(rows * aCols, 1);
            double[] b = random(rows * bCols, 2);
            // Columns [4, 4 + 11) of A and [5, 5 + 19) of B, rows [7, 7 + 250) in panels of 100.
            int aFrom = 4;
            int na = 11;
            int bFrom = 5;
            int nb = 19;
            int first = 7;
            int count = 250;
            PackedProduct sum = new PackedProduct(k, na, nb, false, 100);
            for (int r0 = first; r0 < first + count; r0 += 100) {
                sum.add(a, aCols, aFrom, b, bCols, bFrom, r0, Math.min(100, first + count - r0), false);
            }
            // Into a 15 x 40 target already holding 1s, at row 2, column 9.
            int stride = 40;
            double[] c = new double[15 * stride];
            java.util.Arrays.fill(c, 1.0);
            sum.addInto(c, stride, 2 * stride + 9);
            for (int row = 0; row < 15; row++) {
                for (int col = 0; col < stride; col++) {
                    int i = row - 2;
                    int j = col - 9;
                    double expected = 1.0;
                    if (i >= 0 && i < na && j >= 0 && j < nb) {
                        for (int r = first; r < first + count; r++) {
                            expected += a[r * aCols + aFrom + i] * b[r * bCols + bFrom + j];
                        }
                    }
                    assertEquals(expected, c[row * stride + col], 1e-12, name(k) + " at " + row + "," + col);
                }
            }
        }
    }

    @Test
    void gramAddsOnlyTheUpperTriangle() {
        for (MicroKernel k : kernels()) {
            int n = 19;
            int p = 12;
            double[] x = random(p * n, 3);
            PackedProduct sum = new PackedProduct(k, n, n, true, p);
            sum.add(x, null, p);
            double[] c = new double[n * n];
            java.util.Arrays.fill(c, -7.0);
            sum.addInto(c, n, 0);
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < n; j++) {
                    double expected = -7.0;
                    if (j >= i) {
                        for (int r = 0; r < p; r++) {
                            expected += x[r * n + i] * x[r * n + j];
                        }
                    }
                    assertEquals(expected, c[i * n + j], 1e-12, name(k) + " at " + i + "," + j);
                }
            }
        }
    }

    @Test
    void triangularSkipGivesTheFullProductWhenTheSkippedEntriesAreZero() {
        for (MicroKernel k : kernels()) {
            // A (p x m) zero where r < aFrom + i, as the transpose of an upper-triangular factor
            // whose columns [aFrom, aFrom + m) are taken.
            int p = 61;
            int m = 29;
            int aFrom = 9;
            int aCols = 40;
            int n = 14;
            double[] a = random(p * aCols, 4);
            for (int r = 0; r < p; r++) {
                for (int col = 0; col < aCols; col++) {
                    if (r < col) {
                        a[r * aCols + col] = 0;
                    }
                }
            }
            double[] b = random(p * n, 5);
            PackedProduct skipping = new PackedProduct(k, m, n, false, 16);
            PackedProduct full = new PackedProduct(k, m, n, false, 16);
            for (int r0 = 0; r0 < p; r0 += 16) {
                int rows = Math.min(16, p - r0);
                skipping.add(a, aCols, aFrom, b, n, 0, r0, rows, true);
                full.add(a, aCols, aFrom, b, n, 0, r0, rows, false);
            }
            double[] cs = skipping.toRowMajor();
            double[] cf = full.toRowMajor();
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < n; j++) {
                    double s = 0;
                    for (int r = 0; r < p; r++) {
                        s += a[r * aCols + aFrom + i] * b[r * n + j];
                    }
                    assertEquals(s, cs[i * n + j], 1e-12, name(k) + " skipping, at " + i + "," + j);
                    assertEquals(s, cf[i * n + j], 1e-12, name(k) + " full, at " + i + "," + j);
                }
            }
        }
    }

    @Test
    void sharedPackingOfAGivesTheSameBitsAsPackingItEachTime() {
        for (MicroKernel k : kernels()) {
            int p = 50;
            int m = 20;
            int n = 33;
            double[] a = random(p * m, 6);
            double[] b = random(p * n, 7);
            PackedProduct own = new PackedProduct(k, m, n, false, 25);
            PackedProduct shared = new PackedProduct(k, m, n, false, 25);
            for (int r0 = 0; r0 < p; r0 += 25) {
                own.add(a, m, 0, b, n, 0, r0, 25, false);
                shared.addPackedA(PackedProduct.packA(k, a, m, 0, m, r0, 25), 0, b, n, 0, r0, 25, false);
            }
            double[] x = own.toRowMajor();
            double[] y = shared.toRowMajor();
            for (int i = 0; i < x.length; i++) {
                assertEquals(Double.doubleToLongBits(x[i]), Double.doubleToLongBits(y[i]), name(k) + " at " + i);
            }
        }
    }

    @Test
    void packingPadsTheRaggedSliverWithZeros() {
        double[] src = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10};
        double[] dst = new double[16];
        java.util.Arrays.fill(dst, Double.NaN);
        // Two rows of 5 columns in slivers of 4: [1 2 3 4][6 7 8 9] then [5 0 0 0][10 0 0 0].
        PackedProduct.pack(src, 0, 5, 2, 5, 4, dst);
        assertEquals(List.of(1.0, 2.0, 3.0, 4.0, 6.0, 7.0, 8.0, 9.0, 5.0, 0.0, 0.0, 0.0, 10.0, 0.0, 0.0, 0.0),
                java.util.Arrays.stream(dst).boxed().toList());
    }

    @Test
    void aPanelLongerThanDeclaredIsRefused() {
        PackedProduct sum = new PackedProduct(ScalarKernel.INSTANCE.packedKernel(), 4, 4, true, 8);
        assertThrows(IllegalArgumentException.class, () -> sum.add(new double[9 * 4], null, 9));
    }

    @Test
    void denseKernelEntryPointsAddIntoTheirRowsOfC() {
        for (DenseKernel dk : List.of(DenseKernel.scalar(), DenseKernel.best())) {
            int p = 270;
            int na = 15;
            int nb = 22;
            double[] a = random(p * na, 8);
            double[] b = random(p * nb, 9);
            double[] c = new double[na * nb];
            java.util.Arrays.fill(c, 0.5);
            // Rows [3, 11) of C only.
            dk.addTransAB(a, b, p, na, nb, c, 3, 11, false);
            for (int i = 0; i < na; i++) {
                for (int j = 0; j < nb; j++) {
                    double expected = 0.5;
                    if (i >= 3 && i < 11) {
                        for (int r = 0; r < p; r++) {
                            expected += a[r * na + i] * b[r * nb + j];
                        }
                    }
                    assertEquals(expected, c[i * nb + j], 1e-12, dk.name() + " addTransAB at " + i + "," + j);
                }
            }
            double[] g = new double[na * na];
            dk.addGramUpper(a, p, na, g);
            for (int i = 0; i < na; i++) {
                for (int j = i; j < na; j++) {
                    double expected = 0;
                    for (int r = 0; r < p; r++) {
                        expected += a[r * na + i] * a[r * na + j];
                    }
                    assertEquals(expected, g[i * na + j], 1e-12, dk.name() + " addGramUpper at " + i + "," + j);
                }
            }
        }
    }
}
