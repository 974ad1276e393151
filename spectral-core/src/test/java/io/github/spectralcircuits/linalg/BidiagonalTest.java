package io.github.spectralcircuits.linalg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.SingularValueDecomposition_F64;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Bidiagonal singular values on LAPACK's dqds and on EJML's implicit QR, against a dense SVD of the matrix. */
class BidiagonalTest {

    @AfterEach
    void restore() {
        NativeBlas.minWork = NativeBlas.NATIVE_MIN_WORK;
        NativeBlas.deactivate();
    }

    @Test
    void bothPathsGiveTheDenseSingularValues() {
        SplittableRandom r = new SplittableRandom(4);
        int n = 60;
        double[] diag = new double[n];
        double[] off = new double[n - 1];
        DMatrixRMaj b = new DMatrixRMaj(n, n);
        for (int i = 0; i < n; i++) {
            // chi-like magnitudes and one tiny pivot, as the embedding's bidiagonal draw has
            diag[i] = i == 17 ? 1e-9 : 1 + 5 * r.nextDouble();
            b.set(i, i, diag[i]);
            if (i < n - 1) {
                off[i] = r.nextDouble(-2, 2);
                b.set(i, i + 1, off[i]);
            }
        }
        SingularValueDecomposition_F64<DMatrixRMaj> svd = DecompositionFactory_DDRM.svd(n, n, false, false, true);
        assertTrue(svd.decompose(b.copy()));
        double[] expected = svd.getSingularValues().clone();
        Arrays.sort(expected);
        double[] ejml = Bidiagonal.ejml(diag, off);
        assertTrue(NativeBlas.activate(), NativeBlas.describe());
        NativeBlas.minWork = 0;
        double[] lapack = Bidiagonal.singularValues(diag, off);
        // the native routine itself answered (not the fallback)
        double[] raw = NativeBlas.active().orElseThrow().bidiagonalSingularValues(diag, off);
        assertTrue(raw != null, "dbdsqr converged");
        assertEquals(lapack[0], Math.abs(raw[0]), 0.0);
        double[] unchanged = diag.clone();
        for (int i = 0; i < n; i++) {
            double e = expected[n - 1 - i];
            assertEquals(e, ejml[i], 1e-12 * expected[n - 1], "EJML sigma " + i);
            assertEquals(e, lapack[i], 1e-12 * expected[n - 1], "LAPACK sigma " + i);
        }
        assertEquals(unchanged[17], diag[17], 0.0);
        assertThrows(IllegalArgumentException.class, () -> Bidiagonal.singularValues(diag, new double[3]));
    }
}
