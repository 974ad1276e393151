package io.github.spectralcircuits.model;

import io.github.spectralcircuits.io.TensorSource;
import io.github.spectralcircuits.linalg.RowMatrix;

/**
 * A {@link TransformerModel} over a checkpoint whose names and shapes an adapter has already checked.
 * Embeddings stay memory-mapped views; each call of {@link #layer} reads that layer's tensors afresh,
 * so no layer stays in the heap after the caller drops it. Closing the model closes its tensor source.
 */
public final class CheckpointModel implements TransformerModel {
    /** Reads and reorients one layer; the family-specific part of a model. */
    @FunctionalInterface
    public interface LayerReader {
        LayerWeights read(int layer);
    }

    private final ModelInfo info;
    private final TensorSource source;
    private final RowMatrix embedding;
    private final RowMatrix unembeddingTransposed;
    private final double[] finalNormGain;
    private final PathConventions conventions;
    private final LayerReader layers;

    /**
     * @param unembeddingName the stored W_U^T, or null when tied
     * @param finalNormGain   the final norm's gain as the forward pass multiplies it (length d)
     * @param conventions     the family's other factors on W_E and W_U, built over this checkpoint's tensors
     */
    public CheckpointModel(ModelConfig config, AttentionSizes sizes, CheckpointTensors tensors,
                           String embeddingName, String unembeddingName, double[] finalNormGain,
                           PathConventions conventions, LayerReader layers) {
        this.source = tensors.source();
        boolean tied = unembeddingName == null;
        this.info = new ModelInfo(source.directory().toString(), config.architecture(),
                sizes.vocab().intValue(), sizes.dModel().intValue(), sizes.layers().intValue(),
                sizes.heads().intValue(), sizes.kvHeads().intValue(), sizes.dHead().intValue(),
                tied, source.dtype().name(), config.number("initializer_range", 0.02));
        this.embedding = source.rowMatrix(embeddingName);
        this.unembeddingTransposed = tied ? embedding : source.rowMatrix(unembeddingName);
        this.finalNormGain = finalNormGain.clone();
        this.conventions = conventions;
        this.layers = layers;
    }

    @Override
    public ModelInfo info() {
        return info;
    }

    @Override
    public RowMatrix embedding() {
        return embedding;
    }

    @Override
    public RowMatrix unembeddingTransposed() {
        return unembeddingTransposed;
    }

    @Override
    public double[] finalNormGain() {
        return finalNormGain.clone();
    }

    @Override
    public PathConventions conventions() {
        return conventions;
    }

    @Override
    public LayerWeights layer(int l) {
        if (l < 0 || l >= info.nLayers()) {
            throw new IndexOutOfBoundsException("layer " + l + " of a model with " + info.nLayers() + " layers");
        }
        return layers.read(l);
    }

    @Override
    public void close() {
        source.close();
    }
}
