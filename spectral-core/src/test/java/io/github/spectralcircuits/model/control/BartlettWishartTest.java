package io.github.spectralcircuits.model.control;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.ForkJoinPool;
import org.apache.commons.math3.stat.inference.KolmogorovSmirnovTest;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.EigenDecomposition_F64;
import org.junit.jupiter.api.Test;

/**
 * The sampled Gram against the Wishart law's known moments and against X^T X of explicitly drawn
 * Gaussian rows. Seeds are fixed, so every assertion is deterministic; the bounds are a few standard
 * errors of the estimate, and the numpy check of the same statistics with wrong degrees of freedom
 * on the diagonal (all n instead of n - i) puts them 20 to 50 standard errors away.
 */
class BartlettWishartTest {

    /** E G = n diag(s^2), Var G_ii = 2 n s_i^4, Var G_ij = n s_i^2 s_j^2, E G_ij = 0 (i != j). */
    @Test
    void entriesHaveTheWishartMeansAndVariances() {
        int n = 3000;
        double[] s = {0.5, 0.5, 0.5, 2, 2, 2}; // two independent blocks, as an untied control's [W_E | W_U^T]
        int p = s.length;
        int draws = 4000;
        double[][] x = new double[p * p][draws];
        for (int k = 0; k < draws; k++) {
            DMatrixRMaj g = BartlettWishart.sample(n, s, 1000 + k);
            for (int e = 0; e < p * p; e++) {
                x[e][k] = g.data[e];
            }
        }
        for (int i = 0; i < p; i++) {
            for (int j = 0; j < p; j++) {
                double[] v = x[i * p + j];
                double mean = mean(v);
                double var = variance(v, mean);
                double expectedMean = i == j ? n * s[i] * s[i] : 0;
                double expectedVar = (i == j ? 2.0 : 1.0) * n * s[i] * s[i] * s[j] * s[j];
                String at = "entry (" + i + ", " + j + ")";
                assertEquals(expectedMean, mean, 4 * Math.sqrt(expectedVar / draws), at + " mean");
                // G_ij is a sum of n independent terms, close to normal: the sample variance's SE is var sqrt(2 / N)
                assertEquals(expectedVar, var, 4 * expectedVar * Math.sqrt(2.0 / draws), at + " variance");
            }
        }
    }

    /**
     * E G^-1 = I / (n - p - 1) for Wishart_p(n, I): a moment of the whole matrix, far from n I at n = 12,
     * p = 6, and sensitive to the diagonal's degrees of freedom (all n instead of n - i gives 0.77, not 1.2).
     */
    @Test
    void inverseHasTheWishartMean() {
        int n = 12;
        int p = 6;
        int draws = 4000;
        double[] traces = new double[draws];
        for (int k = 0; k < draws; k++) {
            DMatrixRMaj inv = new DMatrixRMaj(p, p);
            assertTrue(CommonOps_DDRM.invert(BartlettWishart.sample(n, ones(p), 77_000 + k), inv));
            traces[k] = CommonOps_DDRM.trace(inv);
        }
        double mean = mean(traces);
        double se = Math.sqrt(variance(traces, mean) / draws);
        assertEquals(p / (double) (n - p - 1), mean, 4 * se);
    }

    /** The smallest eigenvalue's law, sampled vs X^T X of explicit Gaussian rows (two-sample KS). */
    @Test
    void smallestEigenvalueMatchesExplicitGaussianRows() {
        int n = 12;
        int p = 6;
        int draws = 2000;
        double[] sampled = new double[draws];
        double[] explicit = new double[draws];
        for (int k = 0; k < draws; k++) {
            sampled[k] = smallestEigenvalue(BartlettWishart.sample(n, ones(p), 5_000 + k));
            DMatrixRMaj x = DMatrixRMaj.wrap(n, p, new GaussianRowMatrix(n, p, 9_000 + k, 1, 1.0).toArray());
            DMatrixRMaj g = new DMatrixRMaj(p, p);
            CommonOps_DDRM.multTransA(x, x, g);
            explicit[k] = smallestEigenvalue(g);
        }
        double pValue = new KolmogorovSmirnovTest().kolmogorovSmirnovTest(sampled, explicit);
        assertTrue(pValue > 1e-3, "KS p-value " + pValue + ": the sampled Gram's smallest eigenvalue has another law");
        double meanS = mean(sampled);
        double meanE = mean(explicit);
        double se = Math.sqrt((variance(sampled, meanS) + variance(explicit, meanE)) / draws);
        assertEquals(meanE, meanS, 4 * se);
    }

    @Test
    void sameSeedIsBitIdenticalOnAnyThreadCountAnotherSeedDiffers() throws Exception {
        double[] s = new double[80];
        java.util.Arrays.fill(s, 0, 40, 0.02);
        java.util.Arrays.fill(s, 40, 80, 0.03);
        DMatrixRMaj a = BartlettWishart.sample(500, s, 42);
        DMatrixRMaj oneThread = new ForkJoinPool(1).submit(() -> BartlettWishart.sample(500, s, 42)).get();
        assertArrayEquals(a.data, BartlettWishart.sample(500, s, 42).data, 0.0);
        assertArrayEquals(a.data, oneThread.data, 0.0);
        DMatrixRMaj b = BartlettWishart.sample(500, s, 43);
        int equal = 0;
        for (int i = 0; i < a.data.length; i++) {
            if (a.data[i] == b.data[i]) {
                equal++;
            }
        }
        assertEquals(0, equal);
        for (int i = 0; i < 80; i++) {
            for (int j = 0; j < 80; j++) {
                assertEquals(a.get(i, j), a.get(j, i), 0.0, "symmetric");
            }
        }
    }

    /** Bartlett's factor: lower triangular, positive diagonal, and A A^T is the sample before scaling. */
    @Test
    void factorIsLowerTriangularWithPositiveDiagonal() {
        int p = 7;
        double[] a = BartlettWishart.factor(9, p, 3);
        for (int i = 0; i < p; i++) {
            assertTrue(a[i * p + i] > 0);
            for (int j = i + 1; j < p; j++) {
                assertEquals(0.0, a[i * p + j], 0.0);
            }
        }
        DMatrixRMaj f = DMatrixRMaj.wrap(p, p, a);
        DMatrixRMaj g = new DMatrixRMaj(p, p);
        CommonOps_DDRM.multTransB(f, f, g);
        DMatrixRMaj sampled = BartlettWishart.sample(9, ones(p), 3);
        for (int i = 0; i < p * p; i++) {
            assertEquals(g.data[i], sampled.data[i], 1e-12 * Math.abs(g.data[i]) + 1e-14);
        }
    }

    @Test
    void fewerDegreesOfFreedomThanDimensionIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> BartlettWishart.sample(5, ones(6), 1));
        assertThrows(IllegalArgumentException.class, () -> BartlettWishart.sample(5, new double[0], 1));
    }

    static double smallestEigenvalue(DMatrixRMaj g) {
        EigenDecomposition_F64<DMatrixRMaj> eig = DecompositionFactory_DDRM.eig(g.numRows, false, true);
        assertTrue(eig.decompose(g.copy()));
        double min = Double.POSITIVE_INFINITY;
        for (int i = 0; i < g.numRows; i++) {
            min = Math.min(min, eig.getEigenvalue(i).real);
        }
        return min;
    }

    static double[] ones(int p) {
        double[] s = new double[p];
        java.util.Arrays.fill(s, 1.0);
        return s;
    }

    static double mean(double[] v) {
        double sum = 0;
        for (double x : v) {
            sum += x;
        }
        return sum / v.length;
    }

    static double variance(double[] v, double mean) {
        double sum = 0;
        for (double x : v) {
            sum += (x - mean) * (x - mean);
        }
        return sum / (v.length - 1);
    }
}
