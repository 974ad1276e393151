package io.github.spectralcircuits.model;

import io.github.spectralcircuits.linalg.RowMatrix;

/**
 * The factors on every head's direct path that are not a layer's norm gains, applied with them when
 * norms are folded and never in the raw analysis: W_E times {@code embeddingScale} (Gemma's sqrt(d)),
 * W_E replaced by {@code normalisedEmbedding} (BLOOM's word_embeddings_layernorm applied to each row,
 * gain and bias), W_U times {@code logitScale} (Cohere). A tied unembedding stays the stored embedding
 * whatever happens to W_E, as in Hugging Face's models.
 *
 * @param normalisedEmbedding the embedding the residual stream sees instead of the stored one, or null
 */
public record PathConventions(double embeddingScale, RowMatrix normalisedEmbedding, double logitScale) {
    public static final PathConventions NONE = new PathConventions(1.0, null, 1.0);

    /** The embedding W_E as folding sees it, before its scale: the normalised one, else the stored one. */
    public RowMatrix embeddingOr(RowMatrix stored) {
        return normalisedEmbedding == null ? stored : normalisedEmbedding;
    }
}
