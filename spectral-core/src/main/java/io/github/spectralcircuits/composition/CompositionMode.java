package io.github.spectralcircuits.composition;

/**
 * How an earlier head's output W_OV = W_V W_O feeds a later head (Elhage et al. 2021; TransformerLens's
 * all_composition_scores): into its queries (B = W_QK = W_Q W_K^T), its keys (B = W_QK^T) or its values
 * (B = W_OV).
 */
public enum CompositionMode {
    Q, K, V
}
