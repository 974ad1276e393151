package io.github.spectralcircuits.linalg;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Every QR sweep of the plain loops and (with the Vector API) of the SIMD ones against a plain
 * loop written out here, on row ranges that start at an odd row and end off the vector length, so
 * the vector loops' tails are exercised; and the rows outside the range are neither read nor written.
 */
class ReflectorSweepsTest {

    private static List<ReflectorSweeps> sweeps() {
        List<ReflectorSweeps> s = new ArrayList<>(List.of(ReflectorSweeps.scalar()));
        if (ReflectorSweeps.best() != ReflectorSweeps.scalar()) {
            s.add(ReflectorSweeps.best());
        }
        return s;
    }

    private static double[] random(int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        double[] d = new double[n];
        for (int i = 0; i < n; i++) {
            d[i] = r.nextDouble(-1, 1);
        }
        return d;
    }

    @Test
    void sweepsMatchPlainLoops() {
        int[][] ranges = {{0, 64}, {3, 77}, {5, 6}, {7, 7}, {1, 10}};
        for (ReflectorSweeps sw : sweeps()) {
            String name = sw.getClass().getSimpleName();
            for (int[] range : ranges) {
                int from = range[0];
                int m = range[1];
                double[][] v = new double[8][];
                for (int q = 0; q < 8; q++) {
                    v[q] = random(m, 10 + q);
                }
                double[] a = random(5 * m + 3, 99);
                // Outside [from, m) the values are NaN: reading them would show.
                int off = 3;
                for (int c = 0; c < 5; c++) {
                    for (int i = 0; i < from; i++) {
                        a[off + c * m + i] = Double.NaN;
                    }
                }
                double[] y = new double[8];
                sw.dots8(v, a, off, from, m, y);
                for (int q = 0; q < 8; q++) {
                    assertEquals(plainDot(v[q], 0, a, off, from, m), y[q], 1e-13, name + " dots8 " + q);
                }
                double[] w = new double[6];
                sw.dots4(v[2], a, off + m, m, from, w, 1);
                for (int q = 0; q < 4; q++) {
                    assertEquals(plainDot(v[2], 0, a, off + (q + 1) * m, from, m), w[1 + q], 1e-13, name + " dots4 " + q);
                }
                assertEquals(plainDot(v[5], 0, a, off + 4 * m, from, m), sw.dot(v[5], a, off + 4 * m, m, from), 1e-13, name + " dot");
                double[] z = random(8, 5);
                double[] expected = a.clone();
                for (int i = from; i < m; i++) {
                    double s = 0;
                    for (int q = 0; q < 8; q++) {
                        s += v[q][i] * z[q];
                    }
                    expected[off + 2 * m + i] -= s;
                }
                sw.subtract8(a, off + 2 * m, from, m, v, z);
                assertArrayEquals(expected, a, 1e-13, name + " subtract8 from " + from + " to " + m);
            }
        }
    }

    private static double plainDot(double[] v, int vOff, double[] x, int xOff, int from, int m) {
        double s = 0;
        for (int i = from; i < m; i++) {
            s += v[vOff + i] * x[xOff + i];
        }
        return s;
    }
}
