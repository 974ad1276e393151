package io.github.spectralcircuits.circuits;

import io.github.spectralcircuits.SpectralException;
import io.github.spectralcircuits.linalg.Cholesky;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.EigenDecomposition_F64;

/**
 * A square factor F with F^T F = G of a Gram matrix G = X^T X, standing in for the R of a thin QR of
 * the tall X: for any M, |X M v| = |F M v|, so the singular values of X M equal those of F M.
 *
 * <p>Cholesky ({@link Cholesky}: EJML's, or LAPACK's dpotrf for large d when the native BLAS is active) when G is
 * positive definite; otherwise (a vocabulary matrix with a dead dimension or
 * fewer independent rows than d) the symmetric eigendecomposition G = Q diag(l) Q^T with negative
 * rounding-level eigenvalues clamped to 0 and F = diag(sqrt(l)) Q^T, which still gives F^T F = G up to
 * rounding.
 *
 * <p>The upper factor is EJML's lower one transposed: below d = 1000 EJML's upper Cholesky walks columns of
 * the row-major array and is twice as slow; from d = 1000 on DecompositionFactory_DDRM picks its blocked
 * decomposition. Measured with bench.KernelBenchmark (fresh JVMs, alternating, load average 2-6 on the shared
 * 2-core machine), first call in process CPU / repeated call in thread CPU:
 * <ul>
 *   <li>d = 768 (TinyStories, GPT-2 small): EJML lower, transposed 90-100 / 42-44 ms; EJML upper 140 / 101-107 ms;
 *   EJML blocked 110 / 36-39 ms; the hand-written row-by-row loop this replaced 70 / 48-54 ms. The own loop wins
 *   only the first call, by some 25 ms once per model (EJML's classes being loaded and compiled), and loses
 *   repeated ones: not worth a Cholesky of our own.</li>
 *   <li>d = 4096: EJML (blocked) 4.8-4.9 s / 4.5-4.7 s; the own loop 8.5 s / 10-11 s. EJML wins.</li>
 * </ul>
 */
public record GramFactor(DMatrixRMaj factor, Method method) {

    public enum Method { CHOLESKY, EIGEN_CLAMPED }

    public static GramFactor of(DMatrixRMaj gram) {
        int d = gram.numRows;
        if (gram.numCols != d) {
            throw new IllegalArgumentException("a Gram matrix is square, not " + d + "x" + gram.numCols);
        }
        // EJML's, or LAPACK's dpotrf for large d when the native BLAS is active (linalg.Cholesky)
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
