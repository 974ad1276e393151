package io.github.spectralcircuits.model.control;

import io.github.spectralcircuits.linalg.Bidiagonal;
import io.github.spectralcircuits.linalg.Cholesky;
import io.github.spectralcircuits.linalg.RowMatrix;
import io.github.spectralcircuits.linalg.TallProducts;
import io.github.spectralcircuits.linalg.TriangularSolve;
import org.ejml.data.DMatrixRMaj;

/**
 * The random control's embedding as the circuits see it, drawn exactly and without a pass over the
 * vocabulary or any d x d factor: the singular values of W_E (and of W_U^T when untied) and, untied, the
 * cross product W_U W_E in the bases of their singular vectors.
 *
 * <p>Why this is exact. Write W_E = A_E S_E V_E^T and W_U^T = A_U S_U V_U^T (thin SVDs). Every circuit of
 * a head depends on the embedding only through W_E^T W_E = V_E S_E^2 V_E^T, W_U W_U^T = V_U S_U^2 V_U^T
 * and W_U W_E = V_U (S_U K S_E) V_E^T with K = A_U^T A_E, always next to a head's W_Q, W_K, W_V (on the
 * V_E side) or W_O (on the V_U side). A control's projections have independent N(0, s^2) entries, so
 * V_E^T W_Q, V_E^T W_K, V_E^T W_V and W_O V_U are again such matrices, independent of the embedding: the
 * spectra of every head, jointly over all heads and layers, have the same law with the Grams replaced by
 * diag(S_E^2), diag(S_U^2) and M = S_U K S_E and the projections as drawn. For Gaussian W_E and W_U^T the
 * three parts are independent: S_E and S_U are the singular values of V x d Gaussian matrices, drawn as
 * those of a d x d bidiagonal matrix with chi-distributed entries (Golub-Kahan bidiagonalisation of a
 * Gaussian matrix, Dumitriu and Edelman 2002: diagonal chi_(V-i), superdiagonal chi_(d-1-i)); A_E and A_U
 * are independent uniformly distributed orthonormal frames, so K has the law of the top d x d block of one
 * (the other taken as the first d coordinates): K = Z_1 R^-1 with Z = [Z_1; Z_2] a V x d Gaussian matrix
 * and R its Cholesky factor, R^T R = Z_1^T Z_1 + Z_2^T Z_2, whose second term is a Wishart_d(V - d) draw
 * (Bartlett, as {@link BartlettWishart}). Tied, K = I and the cross product is diag(S_E^2).
 *
 * <p>Cost: O(d^2) draws and bidiagonal singular values; untied also Z_1 (d x d), its Gram, a Cholesky and
 * one triangular solve, about 1.2 d^3 multiply-adds once per model, against the V d^2 / 2 per Gram
 * (and per layer 4 to 5 d^2 H d_head) the general path would spend. Needs V >= 2d untied, V >= d tied.
 *
 * @param sigmaE singular values of W_E (length d, descending)
 * @param sigmaU singular values of W_U^T (sigmaE itself when tied)
 * @param cross  M = S_U K S_E (d x d), null when tied
 */
public record EmbeddingSpectrum(double[] sigmaE, double[] sigmaU, DMatrixRMaj cross) {
    static final long SINGULAR_E = 21;
    static final long SINGULAR_U = 22;
    static final long FRAME_TOP = 23;
    static final long FRAME_REST = 24;

    public boolean tied() {
        return cross == null;
    }

    static EmbeddingSpectrum sample(int vocab, int d, boolean tied, double stdE, double stdU, long seed) {
        if (vocab < (tied ? d : 2 * d)) {
            throw new IllegalArgumentException("the control's embedding spectrum needs a vocabulary of at least "
                    + (tied ? d : 2 * d) + " tokens, not " + vocab);
        }
        if (tied) {
            double[] sE = gaussianSingularValues(vocab, d, stdE, SeedMixer.combine(seed, SINGULAR_E));
            return new EmbeddingSpectrum(sE, sE, null);
        }
        // three independent draws, each from its own streams: the two sets of singular values (one thread each,
        // 0.6 s at d = 4096) beside the frame block (the BLAS's threads), so that they overlap
        java.util.concurrent.CompletableFuture<double[]> singularE = java.util.concurrent.CompletableFuture.supplyAsync(
                () -> gaussianSingularValues(vocab, d, stdE, SeedMixer.combine(seed, SINGULAR_E)));
        java.util.concurrent.CompletableFuture<double[]> singularU = java.util.concurrent.CompletableFuture.supplyAsync(
                () -> gaussianSingularValues(vocab, d, stdU, SeedMixer.combine(seed, SINGULAR_U)));
        DMatrixRMaj k = frameBlock(vocab, d, seed);
        double[] sE = singularE.join();
        double[] sU = singularU.join();
        double[] m = k.data;
        for (int i = 0; i < d; i++) {
            for (int j = 0; j < d; j++) {
                m[i * d + j] *= sU[i] * sE[j];
            }
        }
        return new EmbeddingSpectrum(sE, sU, k);
    }

    /**
     * The singular values of an n x d matrix (n >= d) of independent N(0, std^2) entries, descending: those
     * of the d x d upper bidiagonal matrix with diagonal chi_(n-i) and superdiagonal chi_(d-1-i), each
     * entry from its own stream (so that the draw does not depend on the order of evaluation).
     */
    static double[] gaussianSingularValues(int n, int d, double std, long seed) {
        double[] diag = new double[d];
        double[] off = new double[Math.max(0, d - 1)];
        for (int i = 0; i < d; i++) {
            diag[i] = BartlettWishart.chi(new GaussianStream(SeedMixer.combine(seed, i)), n - i);
            if (i < d - 1) {
                off[i] = BartlettWishart.chi(new GaussianStream(SeedMixer.combine(seed, d + i)), d - 1 - i);
            }
        }
        return bidiagonalSingularValues(diag, off, std);
    }

    /**
     * Singular values of the upper bidiagonal matrix (diag, off), times scale, descending: dqds on the native
     * library when it is active (at d = 4096 a fraction of EJML's 0.6 s), else EJML's implicit QR (linalg.Bidiagonal).
     */
    static double[] bidiagonalSingularValues(double[] diag, double[] off, double scale) {
        double[] s = Bidiagonal.singularValues(diag, off);
        for (int i = 0; i < s.length; i++) {
            s[i] *= scale;
        }
        return s;
    }

    /**
     * The top d x d block of a uniformly distributed n x d orthonormal frame: Z_1 R^-1 as in the class
     * comment, R^T R = Z_1^T Z_1 + A A^T with Z_1 Gaussian (rows from their own streams) and A Bartlett's
     * factor of a Wishart_d(n - d) matrix.
     */
    static DMatrixRMaj frameBlock(int n, int d, long seed) {
        double[] z1 = new GaussianRowMatrix(d, d, seed, FRAME_TOP, 1.0).toArray();
        double[] a = BartlettWishart.factor(n - d, d, SeedMixer.combine(seed, FRAME_REST));
        // A^T once, blocked (EJML), so that its rows are read contiguously below (reading a column of A per row
        // strides d doubles per entry: 0.5 s or more at d = 4096)
        double[] aT = org.ejml.dense.row.CommonOps_DDRM.transpose(DMatrixRMaj.wrap(d, d, a), null).data;
        // rows of [Z_1; A^T]: X^T X = Z_1^T Z_1 + A A^T
        RowMatrix stacked = new RowMatrix() {
            @Override
            public int rows() {
                return 2 * d;
            }

            @Override
            public int cols() {
                return d;
            }

            @Override
            public void readRows(int firstRow, int rowCount, double[] dst) {
                RowMatrix.checkPanel(this, firstRow, rowCount, dst);
                for (int r = 0; r < rowCount; r++) {
                    int row = firstRow + r;
                    if (row < d) {
                        System.arraycopy(z1, row * d, dst, r * d, d);
                    } else {
                        System.arraycopy(aT, (row - d) * d, dst, r * d, d);
                    }
                }
            }
        };
        double[] gram = TallProducts.standard().gram(stacked).data;
        double[] r = Cholesky.upper(gram, d);
        if (r == null) {
            throw new IllegalStateException("the Gram of a " + n + " x " + d + " Gaussian frame is not positive definite");
        }
        return TriangularSolve.rightUpper(DMatrixRMaj.wrap(d, d, z1), DMatrixRMaj.wrap(d, d, r));
    }

    /**
     * The joint Gram X^T X this spectrum stands for, in the bases above: diag(S_E^2) tied; untied, for
     * X = [W_E | W_U^T], [[diag(S_E^2), M^T], [M, diag(S_U^2)]]. Fed to the general path with the control's
     * layers as drawn, it gives the same spectra as the diagonal factors do (a test checks it).
     */
    DMatrixRMaj jointGram() {
        int d = sigmaE.length;
        int p = tied() ? d : 2 * d;
        DMatrixRMaj g = new DMatrixRMaj(p, p);
        for (int i = 0; i < d; i++) {
            g.set(i, i, sigmaE[i] * sigmaE[i]);
        }
        if (!tied()) {
            for (int i = 0; i < d; i++) {
                g.set(d + i, d + i, sigmaU[i] * sigmaU[i]);
                for (int j = 0; j < d; j++) {
                    g.set(d + i, j, cross.get(i, j));
                    g.set(j, d + i, cross.get(i, j));
                }
            }
        }
        return g;
    }
}
