package io.github.spectralcircuits.model.control;

import io.github.spectralcircuits.model.ModelInfo;

/**
 * The standard deviations Hugging Face's _init_weights gives each matrix the circuits use:
 * N(0, initializer_range^2) for the embedding, an untied unembedding and the Q, K, V, O projections;
 * norm gains 1 and biases 0 are implicit in the control. One exception, kept because it is what
 * Hugging Face does: GPT-2 draws its c_proj weights (W_O here) with std initializer_range /
 * sqrt(2 * n_layer) (the GPT-2 paper's residual scaling); GPT-Neo, GPT-NeoX and Llama-style models
 * do not.
 */
public record ControlInitialisation(double embeddingStd, double unembeddingStd, double qkvStd, double outputStd) {

    /** What Hugging Face uses when config.json gives no initializer_range. */
    public static final double DEFAULT_INITIALIZER_RANGE = 0.02;

    public static ControlInitialisation of(ModelInfo info) {
        double r = info.initializerRange();
        if (!(r > 0) || !Double.isFinite(r)) {
            r = DEFAULT_INITIALIZER_RANGE;
        }
        double out = "GPT2LMHeadModel".equals(info.architecture()) ? r / Math.sqrt(2.0 * info.nLayers()) : r;
        return new ControlInitialisation(r, r, r, out);
    }
}
