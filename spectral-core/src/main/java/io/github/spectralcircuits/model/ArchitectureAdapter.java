package io.github.spectralcircuits.model;

import io.github.spectralcircuits.io.TensorSource;
import java.util.Set;

/**
 * Maps one family's Hugging Face tensor names and layouts onto {@link TransformerModel}.
 * Adding a family means adding one implementation (registered for {@link java.util.ServiceLoader}).
 */
public interface ArchitectureAdapter {
    /** Values of config.json's architectures[0] this adapter reads. */
    Set<String> architectures();

    /** Checks names and shapes against the config and returns the normalised model. */
    TransformerModel adapt(ModelConfig config, TensorSource tensors);
}
