package io.github.spectralcircuits.model;

import io.github.spectralcircuits.linalg.RowMatrix;

/**
 * A transformer normalised to what the circuits need, whatever its family or file format:
 * W_E [V, d], W_U^T [V, d] (the same object as W_E when tied), the final norm's gain, and each
 * layer's attention weights, loaded on demand so a large model never sits whole in the heap.
 * The trained model (read from files) and the random control both implement it, so both go
 * through exactly the same analysis code.
 */
public interface TransformerModel extends AutoCloseable {
    ModelInfo info();

    /** W_E, [V, d]. */
    RowMatrix embedding();

    /** W_U transposed, [V, d] (lm_head.weight as stored); the embedding itself when tied. */
    RowMatrix unembeddingTransposed();

    /** Gain of the final norm (length d), folded into W_U's rows when norms are folded. */
    double[] finalNormGain();

    /** Attention weights of layer l (0-based), raw. May read from disk or generate on each call. */
    LayerWeights layer(int l);

    @Override
    default void close() {
    }
}
