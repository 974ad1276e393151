package io.github.spectralcircuits.linalg;

import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.ejml.dense.row.MatrixFeatures_DDRM;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.CholeskyDecomposition_F64;

/**
 * The upper Cholesky factor of a symmetric positive definite matrix, on the one path the analysis has: LAPACK's
 * blocked dpotrf when the native BLAS is active and the matrix is large (7B shapes: d = 4096, 11 G multiply-adds,
 * 5.4 s against EJML's 4.8 s on a quiet machine but 47 s for a row-by-row loop on a loaded one, and dpotrf runs on
 * both cores), else EJML's (lower, transposed: below d = 1000 EJML's upper factor walks columns of the row-major
 * array and is twice as slow; from d = 1000 on the factory picks its blocked decomposition; see GramFactor for the
 * measurements). In linalg rather than in circuits because the control (model.control) factors a Gram too.
 */
public final class Cholesky {
    private Cholesky() {
    }

    /**
     * Upper triangular R (row-major n x n, zeros below the diagonal) with R^T R = G for a symmetric G; null when
     * G is not numerically positive definite (a pivot not positive, or NaN or infinite entries).
     */
    public static double[] upper(double[] g, int n) {
        if (g.length < (long) n * n) {
            throw new IllegalArgumentException("a " + n + "x" + n + " matrix needs " + (long) n * n + " values, not " + g.length);
        }
        var blas = NativeBlas.forWork((double) n * n * n / 6);
        if (blas.isPresent()) {
            return blas.get().choleskyUpper(g, n);
        }
        return ejml(g, n);
    }

    /** The pure-Java factor (EJML's), whatever the size (tests compare it with the native one). */
    static double[] ejml(double[] g, int n) {
        DMatrixRMaj m = new DMatrixRMaj(n, n);
        System.arraycopy(g, 0, m.data, 0, n * n);
        CholeskyDecomposition_F64<DMatrixRMaj> chol = DecompositionFactory_DDRM.chol(n, true);
        // EJML refuses a pivot <= 0 but lets NaN and infinities through, which are no factor either
        if (!chol.decompose(m)) {
            return null;
        }
        DMatrixRMaj lower = chol.getT(null);
        return MatrixFeatures_DDRM.hasUncountable(lower) ? null : CommonOps_DDRM.transpose(lower, null).data;
    }
}
