package io.github.spectralcircuits.spectra;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.spectralcircuits.linalg.HessenbergQr;
import java.util.Random;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.ejml.dense.row.RandomMatrices_DDRM;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class HessenbergQrTest {

    /** Against EJML's general eigendecomposition (an independent implementation), both in the report's order. */
    @ParameterizedTest(name = "n = {0}")
    @ValueSource(ints = {1, 2, 3, 4, 5, 8, 17, 48, 64})
    void agreesWithEjmlOnRandomMatrices(int n) {
        DMatrixRMaj a = RandomMatrices_DDRM.rectangleGaussian(n, n, 0, 1, new Random(n));
        assertSameValues(Decompositions.eigenvalues(a), Decompositions.coreEigenvalues(a), 1e-11, "n=" + n);
    }

    /**
     * A planted spectrum: Q diag-blocks Q^T with Q orthogonal (a normal matrix, so the eigenvalues are
     * perfectly conditioned) with real eigenvalues and conjugate pairs a +- bi from 2 x 2 blocks [[a, b], [-b, a]].
     */
    @Test
    void findsPlantedRealAndComplexEigenvalues() {
        int n = 12;
        double[][] planted = {{5, 0}, {-4, 0}, {3, 2}, {3, -2}, {0.5, 0}, {-1, 3}, {-1, -3}, {2, 0}, {1e-3, 0},
            {-2.5, 0.5}, {-2.5, -0.5}, {0, 0}};
        DMatrixRMaj d = new DMatrixRMaj(n, n);
        for (int i = 0; i < n; i++) {
            d.set(i, i, planted[i][0]);
            if (planted[i][1] > 0) {
                d.set(i, i + 1, planted[i][1]);
                d.set(i + 1, i, -planted[i][1]);
            }
        }
        var qr = DecompositionFactory_DDRM.qr(n, n);
        qr.decompose(RandomMatrices_DDRM.rectangleGaussian(n, n, 0, 1, new Random(3)));
        DMatrixRMaj q = qr.getQ(null, false);
        DMatrixRMaj a = CommonOps_DDRM.multTransB(CommonOps_DDRM.mult(q, d, null), q, null);
        double[] re = new double[n];
        double[] im = new double[n];
        for (int i = 0; i < n; i++) {
            re[i] = planted[i][0];
            im[i] = planted[i][1];
        }
        assertSameValues(EigenvalueOrder.sorted(re, im), Decompositions.coreEigenvalues(a), 1e-13, "planted");
    }

    /** A rank-deficient core (a head whose product has rank 20 < 48): 28 eigenvalues at rounding level. */
    @Test
    void rankDeficientCoreHasZeroEigenvalues() {
        Random rnd = new Random(5);
        DMatrixRMaj a = CommonOps_DDRM.mult(RandomMatrices_DDRM.rectangleGaussian(48, 20, 0, 1, rnd),
                RandomMatrices_DDRM.rectangleGaussian(20, 48, 0, 1, rnd), null);
        Eigenvalues got = Decompositions.coreEigenvalues(a);
        double max = Math.hypot(got.re()[0], got.im()[0]);
        for (int i = 20; i < 48; i++) {
            assertTrue(Math.hypot(got.re()[i], got.im()[i]) < 1e-10 * max, "eigenvalue " + i + " should vanish");
        }
        assertSameValues(Decompositions.eigenvalues(a), got, 1e-10, "rank 20");
    }

    @Test
    void zeroDiagonalAndTriangularMatrices() {
        DMatrixRMaj zero = new DMatrixRMaj(6, 6);
        Eigenvalues z = Decompositions.coreEigenvalues(zero);
        for (int i = 0; i < 6; i++) {
            assertEquals(0.0, z.re()[i]);
            assertEquals(0.0, z.im()[i]);
        }
        DMatrixRMaj tri = RandomMatrices_DDRM.triangularUpper(7, 0, -1, 1, new Random(2));
        double[] diag = new double[7];
        for (int i = 0; i < 7; i++) {
            diag[i] = tri.get(i, i);
        }
        assertSameValues(EigenvalueOrder.sorted(diag, new double[7]), Decompositions.coreEigenvalues(tri), 1e-14, "triangular");
    }

    @Test
    void nonFiniteInputIsReportedAsNotConverged() {
        double[] a = {1, 2, Double.NaN, 4};
        assertNull(HessenbergQr.eigenvalues(a, 2));
    }

    private static void assertSameValues(Eigenvalues expected, Eigenvalues actual, double relTol, String where) {
        int n = expected.re().length;
        assertEquals(n, actual.re().length, where);
        double scale = Math.max(1e-300, Math.hypot(expected.re()[0], expected.im()[0]));
        for (int i = 0; i < n; i++) {
            double diff = Math.hypot(expected.re()[i] - actual.re()[i], expected.im()[i] - actual.im()[i]);
            assertTrue(diff <= relTol * scale, where + ": eigenvalue " + i + " " + actual.re()[i] + "+" + actual.im()[i]
                    + "i, expected " + expected.re()[i] + "+" + expected.im()[i] + "i");
        }
    }
}
