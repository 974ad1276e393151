package io.github.spectralcircuits.model;

import org.ejml.data.DMatrixRMaj;

/**
 * One head's raw attention weights in the row-vector convention of the spec (TransformerLens):
 * W_Q, W_K, W_V are [d_model, d_head], W_O is [d_head, d_model]. Norm gains are not folded in.
 */
public record HeadWeights(int layer, int head, int kvHead,
                          DMatrixRMaj wQ, DMatrixRMaj wK, DMatrixRMaj wV, DMatrixRMaj wO) {
}
