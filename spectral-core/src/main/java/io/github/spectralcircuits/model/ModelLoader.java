package io.github.spectralcircuits.model;

import java.nio.file.Path;

/**
 * Opens a Hugging Face model directory: finds its weight files (safetensors, sharded
 * safetensors, PyTorch zip), reads config.json, picks the adapter for architectures[0].
 */
public final class ModelLoader {
    private ModelLoader() {
    }

    public static TransformerModel open(Path directory) {
        throw new UnsupportedOperationException("foundation issue: not yet written");
    }
}
