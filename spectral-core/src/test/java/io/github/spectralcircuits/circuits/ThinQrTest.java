package io.github.spectralcircuits.circuits;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.spectralcircuits.linalg.ReflectorSweeps;
import io.github.spectralcircuits.linalg.ThinQr;
import io.github.spectralcircuits.spectra.Decompositions;
import java.util.Random;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.ejml.dense.row.RandomMatrices_DDRM;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ThinQrTest {

    /**
     * R^T R = A^T A (what sigma(A B^T) = sigma(R_A R_B^T) rests on) and R upper triangular, for one
     * panel, several panels with a partial last one, a square matrix, and dead columns in the first
     * and in a later panel (the blocked update must carry a skipped reflector correctly).
     */
    @ParameterizedTest(name = "{0}x{1}, zero column {2}")
    @CsvSource({"9,4,-1", "50,19,-1", "768,48,-1", "40,40,-1", "50,19,3", "50,19,11", "60,16,15", "30,17,16"})
    void factorReproducesTheGramOfItsMatrix(int m, int n, int zeroColumn) {
        DMatrixRMaj a = RandomMatrices_DDRM.rectangleGaussian(m, n, 0, 1, new Random(m * 31L + n));
        if (zeroColumn >= 0) {
            for (int i = 0; i < m; i++) {
                a.set(i, zeroColumn, 0);
            }
        }
        DMatrixRMaj r = LayerProducts.rFactor(a);
        assertEquals(n, r.numRows);
        assertEquals(n, r.numCols);
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < i; j++) {
                assertEquals(0.0, r.get(i, j), "below the diagonal at " + i + "," + j);
            }
        }
        DMatrixRMaj expected = CommonOps_DDRM.multTransA(a, a, null);
        DMatrixRMaj actual = CommonOps_DDRM.multTransA(r, r, null);
        double scale = CommonOps_DDRM.elementMaxAbs(expected);
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                assertEquals(expected.get(i, j), actual.get(i, j), 1e-13 * scale, i + "," + j);
            }
        }
        if (zeroColumn >= 0) {
            assertEquals(0.0, r.get(zeroColumn, zeroColumn), "a dead column gets a zero pivot");
        }
    }

    /**
     * Householder QR keeps small singular values to absolute accuracy of order u * sigma_1: planted
     * singular values from 1 down to 1e-10 come back within 1e-13 of sigma_1, far below the default
     * rank tolerance 1e-6. A factor from the Gram matrix (Cholesky of A^T A) would lose every value below
     * about 1e-8 here: that is why none is formed.
     */
    @Test
    void smallSingularValuesSurvive() {
        int m = 300;
        int n = 24;
        Random rnd = new Random(7);
        DMatrixRMaj u = orthonormalColumns(rnd, m, n);
        DMatrixRMaj v = orthonormalColumns(rnd, n, n);
        double[] sigma = new double[n];
        DMatrixRMaj us = u.copy();
        for (int k = 0; k < n; k++) {
            sigma[k] = Math.pow(10, -10.0 * k / (n - 1));
            for (int i = 0; i < m; i++) {
                us.set(i, k, us.get(i, k) * sigma[k]);
            }
        }
        DMatrixRMaj a = CommonOps_DDRM.multTransB(us, v, null);
        double[] got = Decompositions.singularValues(LayerProducts.rFactor(a));
        for (int k = 0; k < n; k++) {
            assertEquals(sigma[k], got[k], 1e-13, "sigma " + k);
        }
    }

    /** sigma(A B^T) from the R factors equals the singular values of the materialised m x m product. */
    @Test
    void productSingularValuesMatchTheDenseProduct() {
        Random rnd = new Random(11);
        DMatrixRMaj a = RandomMatrices_DDRM.rectangleGaussian(200, 20, 0, 1, rnd);
        DMatrixRMaj b = RandomMatrices_DDRM.rectangleGaussian(200, 20, 0, 1, rnd);
        for (int i = 0; i < 200; i++) {
            b.set(i, 5, 3 * b.get(i, 4)); // rank 19: one planted zero singular value
        }
        double[] dense = Decompositions.singularValues(CommonOps_DDRM.multTransB(a, b, null));
        double[] factored = Decompositions.singularValues(
                CommonOps_DDRM.multTransB(LayerProducts.rFactor(a), LayerProducts.rFactor(b), null));
        for (int k = 0; k < 20; k++) {
            assertEquals(dense[k], factored[k], 1e-12 * dense[0], "sigma " + k);
        }
        assertTrue(factored[19] < 1e-12 * factored[0], "the planted rank deficiency shows: " + factored[19]);
    }

    /**
     * Each set of sweeps (the plain loops, and the SIMD ones when this JVM has the Vector API) gives
     * EJML's Householder R, row signs aside, on shapes with a ragged vector tail (m not a multiple of
     * the vector length) and ragged panels, R^T R = A^T A with a dead column (which EJML refuses),
     * and the small planted singular values survive on each.
     */
    @Test
    void everySweepGivesEjmlsFactor() {
        java.util.List<ReflectorSweeps> sweeps = new java.util.ArrayList<>(java.util.List.of(ReflectorSweeps.scalar()));
        if (ReflectorSweeps.best() != ReflectorSweeps.scalar()) {
            sweeps.add(ReflectorSweeps.best());
        }
        int[][] shapes = {{768, 48, -1}, {67, 21, 9}, {13, 13, -1}, {101, 17, 16}, {9, 2, 0}};
        for (ReflectorSweeps sw : sweeps) {
            String name = sw.getClass().getSimpleName();
            for (int[] shape : shapes) {
                int m = shape[0];
                int n = shape[1];
                DMatrixRMaj a = RandomMatrices_DDRM.rectangleGaussian(m, n, 0, 1, new Random(m + 1000L * n));
                if (shape[2] >= 0) {
                    for (int i = 0; i < m; i++) {
                        a.set(i, shape[2], 0);
                    }
                }
                double[] colMajor = new double[m * n];
                for (int i = 0; i < m; i++) {
                    for (int j = 0; j < n; j++) {
                        colMajor[j * m + i] = a.get(i, j);
                    }
                }
                double[] r = ThinQr.rFactor(colMajor, m, n, sw);
                if (shape[2] >= 0) {
                    // EJML's QR refuses an exactly zero column: check R^T R = A^T A instead.
                    DMatrixRMaj gram = CommonOps_DDRM.multTransA(a, a, null);
                    DMatrixRMaj rr = DMatrixRMaj.wrap(n, n, r);
                    DMatrixRMaj fromR = CommonOps_DDRM.multTransA(rr, rr, null);
                    double scale = CommonOps_DDRM.elementMaxAbs(gram);
                    for (int k = 0; k < n * n; k++) {
                        assertEquals(gram.data[k], fromR.data[k], 1e-13 * scale, name + " " + m + "x" + n + " at " + k);
                    }
                    assertEquals(0.0, r[shape[2] * n + shape[2]], name + ": a dead column gets a zero pivot");
                    continue;
                }
                DMatrixRMaj expected = ejmlR(a);
                double scale = CommonOps_DDRM.elementMaxAbs(expected);
                for (int i = 0; i < n; i++) {
                    double sign = Math.signum(r[i * n + i]) * Math.signum(expected.get(i, i));
                    for (int j = 0; j < n; j++) {
                        assertEquals(expected.get(i, j), sign * r[i * n + j], 1e-12 * scale,
                                name + " " + m + "x" + n + " at " + i + "," + j);
                    }
                }
            }
            Random rnd = new Random(5);
            DMatrixRMaj u = orthonormalColumns(rnd, 301, 24);
            DMatrixRMaj v = orthonormalColumns(rnd, 24, 24);
            double[] sigma = new double[24];
            for (int k = 0; k < 24; k++) {
                sigma[k] = Math.pow(10, -10.0 * k / 23);
                for (int i = 0; i < 301; i++) {
                    u.set(i, k, u.get(i, k) * sigma[k]);
                }
            }
            DMatrixRMaj a = CommonOps_DDRM.multTransB(u, v, null);
            double[] colMajor = new double[301 * 24];
            for (int i = 0; i < 301; i++) {
                for (int j = 0; j < 24; j++) {
                    colMajor[j * 301 + i] = a.get(i, j);
                }
            }
            double[] got = Decompositions.singularValues(DMatrixRMaj.wrap(24, 24, ThinQr.rFactor(colMajor, 301, 24, sw)));
            for (int k = 0; k < 24; k++) {
                assertEquals(sigma[k], got[k], 1e-13, name + " sigma " + k);
            }
        }
    }

    private static DMatrixRMaj ejmlR(DMatrixRMaj a) {
        var qr = org.ejml.dense.row.factory.DecompositionFactory_DDRM.qr(a.numRows, a.numCols);
        assertTrue(qr.decompose(a.copy()));
        return qr.getR(null, true);
    }

    private static DMatrixRMaj orthonormalColumns(Random rnd, int m, int n) {
        var qr = org.ejml.dense.row.factory.DecompositionFactory_DDRM.qr(m, n);
        qr.decompose(RandomMatrices_DDRM.rectangleGaussian(m, n, 0, 1, rnd));
        return qr.getQ(null, true);
    }
}
