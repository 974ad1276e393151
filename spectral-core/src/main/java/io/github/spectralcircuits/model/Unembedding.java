package io.github.spectralcircuits.model;

import io.github.spectralcircuits.io.ModelInputException;

/**
 * Decides between a stored unembedding and a tied one. A stored tensor always wins (as in the numpy
 * reference loader); without one the embedding is reused, unless config.json explicitly says the
 * embeddings are not tied, in which case the checkpoint is incomplete.
 */
public final class Unembedding {
    private Unembedding() {
    }

    /** The stored name of W_U^T [V, d], checked against the sizes, or null when tied to the embedding. */
    public static String resolve(CheckpointTensors tensors, ModelConfig config, AttentionSizes sizes, String name) {
        if (tensors.has(name)) {
            tensors.require(name, sizes.vocab(), sizes.dModel());
            return name;
        }
        if (config.has("tie_word_embeddings") && !config.bool("tie_word_embeddings", true)) {
            throw new ModelInputException(config.file() + " sets \"tie_word_embeddings\": false, so the unembedding must"
                    + " be stored as tensor '" + name + "' [" + sizes.vocab().expression() + ", "
                    + sizes.dModel().expression() + "], but " + tensors.source().directory() + " has no such tensor."
                    + " Add the missing weight file, or set \"tie_word_embeddings\": true if the model reuses its embedding.");
        }
        return null;
    }
}
