package io.github.spectralcircuits.compare;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class WassersteinTest {
    @Test
    void handComputedCases() {
        assertEquals(1.0, Wasserstein.distance(new double[] {0}, new double[] {1}), 1e-15);
        // F = 1/2 on [0, 1), G = 0 on [0, .5) and 1 on [.5, 1): .5 * .5 + .5 * .5
        assertEquals(0.5, Wasserstein.distance(new double[] {0, 1}, new double[] {0.5}), 1e-15);
        // equal sizes: mean |x_(i) - y_(i)| = (1 + 1 + 4) / 3
        assertEquals(2.0, Wasserstein.distance(new double[] {6, 1, 3}, new double[] {2, 10, 2}), 1e-15);
        // ties within and across samples
        assertEquals(1.0 / 3, Wasserstein.distance(new double[] {0, 0, 1}, new double[] {0, 1, 1}), 1e-15);
        assertEquals(0.0, Wasserstein.distance(new double[] {3, 1, 2}, new double[] {1, 2, 3}), 0.0);
        assertEquals(0.75, Wasserstein.distance(new double[] {0, 1, 2, 3}, new double[] {0.75, 1.75, 2.75, 3.75}), 1e-15);
    }

    @Test
    void agreesWithTheQuantileFormulaOnRandomSamplesOfUnequalSize() {
        Random r = new Random(5);
        double[] x = r.doubles(30).map(v -> v * 2).toArray();
        double[] y = r.doubles(45).map(v -> v + 0.3).toArray();
        // W1 = integral over u in (0,1) of |Qx(u) - Qy(u)|; the quantile functions are steps at
        // multiples of 1/30 and 1/45, so integrating exactly over the 1/90 grid is exact
        double[] xs = x.clone();
        double[] ys = y.clone();
        Arrays.sort(xs);
        Arrays.sort(ys);
        double w = 0;
        for (int i = 0; i < 90; i++) {
            double u = (i + 0.5) / 90;
            w += Math.abs(xs[(int) (u * 30)] - ys[(int) (u * 45)]) / 90;
        }
        assertEquals(w, Wasserstein.distance(x, y), 1e-12);
        assertEquals(w, Wasserstein.distance(y, x), 1e-12);
    }

    @Test
    void emptySampleIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> Wasserstein.distance(new double[0], new double[] {1}));
    }
}
