package io.github.spectralcircuits.circuits;

import io.github.spectralcircuits.SpectralException;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import io.github.spectralcircuits.linalg.Cholesky;
import org.ejml.interfaces.decomposition.EigenDecomposition_F64;

/**
 * A square factor F with F^T F = G of a Gram matrix G = X^T X, standing in for the R of a thin QR of
 * the tall X: for any M, |X M v| = |F M v|, so the singular values of X M equal those of F M.
 *
 * <p>Cholesky when G is positive definite; otherwise (a vocabulary matrix with a dead dimension or
 * fewer independent rows than d) the symmetric eigendecomposition G = Q diag(l) Q^T with negative
 * rounding-level eigenvalues clamped to 0 and F = diag(sqrt(l)) Q^T, which still gives F^T F = G up to
 * rounding.
 */
public record GramFactor(DMatrixRMaj factor, Method method) {

    public enum Method { CHOLESKY, EIGEN_CLAMPED }

    public static GramFactor of(DMatrixRMaj gram) {
        int d = gram.numRows;
        if (gram.numCols != d) {
            throw new IllegalArgumentException("a Gram matrix is square, not " + d + "x" + gram.numCols);
        }
        double[] upper = Cholesky.upper(gram.data, d);
        if (upper != null) {
            return new GramFactor(DMatrixRMaj.wrap(d, d, upper), Method.CHOLESKY);
        }
        return new GramFactor(eigenFactor(gram), Method.EIGEN_CLAMPED);
    }

    private static DMatrixRMaj eigenFactor(DMatrixRMaj gram) {
        int d = gram.numRows;
        EigenDecomposition_F64<DMatrixRMaj> eig = DecompositionFactory_DDRM.eig(d, true, true);
        if (!eig.decompose(gram.copy())) {
            throw new SpectralException("The symmetric eigendecomposition of a " + d + "x" + d
                    + " embedding Gram matrix did not converge; check the embedding weights for NaN or huge values.");
        }
        DMatrixRMaj f = new DMatrixRMaj(d, d);
        for (int i = 0; i < eig.getNumberOfEigenvalues(); i++) {
            double lambda = eig.getEigenvalue(i).getReal();
            double s = lambda > 0 ? Math.sqrt(lambda) : 0.0;
            DMatrixRMaj q = eig.getEigenVector(i);
            if (q == null) {
                continue;
            }
            for (int c = 0; c < d; c++) {
                f.set(i, c, s * q.get(c, 0));
            }
        }
        return f;
    }

    /** F^T F, for tests and diagnostics. */
    public DMatrixRMaj gram() {
        DMatrixRMaj g = new DMatrixRMaj(factor.numCols, factor.numCols);
        CommonOps_DDRM.multTransA(factor, factor, g);
        return g;
    }
}
