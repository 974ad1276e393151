package io.github.spectralcircuits.circuits;

import org.ejml.data.DMatrixRMaj;

/**
 * The d_head x d_head matrices that carry one head's full-circuit spectra exactly.
 * The eigenvalues of qkEigenCore (W_K^T W_E^T W_E W_Q) are the nonzero eigenvalues of QK, those of
 * ovEigenCore (W_O W_U W_E W_V) the nonzero eigenvalues of OV; the singular values of qkSingularCore
 * and ovSingularCore (R_A R_B^T for QK = A B^T, thin QR factors) are those of QK and OV.
 * The R factors themselves (of F_E W_Q, F_E W_K, F_E W_V and F_U W_O^T, norms folded as the cores are)
 * give the circuits' V-dimensional singular vectors without forming them: for QK = A B^T with core
 * R_A R_B^T = X S Y^T, the left singular vectors are A R_B^T Y / s and the right ones B R_A^T X / s.
 */
public record HeadCores(int layer, int head, int kvHead,
                        DMatrixRMaj qkEigenCore, DMatrixRMaj qkSingularCore,
                        DMatrixRMaj ovEigenCore, DMatrixRMaj ovSingularCore,
                        DMatrixRMaj rQ, DMatrixRMaj rK, DMatrixRMaj rV, DMatrixRMaj rO) {
}
