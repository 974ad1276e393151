package io.github.spectralcircuits.circuits;

import org.ejml.data.DMatrixRMaj;

/**
 * One head's circuits as d x d_head factors ({@link LayerProducts#headFactors}): QK = Q_E queries keys^T Q_E^T,
 * OV = Q_E values outputs^T Q_U^T, with Q_E, Q_U the orthonormal bases of W_E and W_U^T. So the circuits'
 * singular values and (in those bases) singular vectors are those of the d x d matrices queries keys^T and
 * values outputs^T, of rank at most d_head. Each factor comes with the d_head x d_head R of its thin QR
 * (factor = Q R): the circuits' singular values are those of R_queries R_keys^T and R_values R_outputs^T.
 */
public record HeadFactors(int layer, int head, int kvHead, DMatrixRMaj queries, DMatrixRMaj keys,
                          DMatrixRMaj values, DMatrixRMaj outputs, DMatrixRMaj rQueries, DMatrixRMaj rKeys,
                          DMatrixRMaj rValues, DMatrixRMaj rOutputs) {
}
