package io.github.spectralcircuits.model;

import io.github.spectralcircuits.io.WeightsFingerprint;
import io.github.spectralcircuits.linalg.RowMatrix;
import java.util.Optional;
import org.ejml.data.DMatrixRMaj;

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

    /**
     * X^T X, raw (no norm gain folded in), for X = W_E when the unembedding is tied and X = [W_E | W_U^T]
     * (V x 2d, W_E's columns first) when it is not, for a model that has it without a pass over its
     * vocabulary; empty by default, and then the products are computed from {@link #embedding()} and
     * {@link #unembeddingTransposed()}. The random control of a large vocabulary draws it directly.
     */
    default Optional<DMatrixRMaj> embeddingGram() {
        return Optional.empty();
    }

    /** Gain of the final norm (length d), folded into W_U's rows when norms are folded. */
    double[] finalNormGain();

    /** Attention weights of layer l (0-based), raw. May read from disk or generate on each call. */
    LayerWeights layer(int l);

    /**
     * The fingerprint of the stored weights this model is read from; null for a model that is not read from
     * files (the random control, models built in memory).
     */
    default WeightsFingerprint fingerprint() {
        return null;
    }

    /** The names of the stored tensors looked at so far (empty when not read from files). */
    default java.util.Set<String> tensorsRead() {
        return java.util.Set.of();
    }

    @Override
    default void close() {
    }
}
