package io.github.spectralcircuits.testing;

import io.github.spectralcircuits.linalg.ArrayRowMatrix;
import io.github.spectralcircuits.linalg.RowMatrix;
import io.github.spectralcircuits.model.LayerWeights;
import io.github.spectralcircuits.model.ModelInfo;
import io.github.spectralcircuits.model.TransformerModel;
import java.util.List;

/**
 * A TransformerModel held in arrays: W_E [V, d] row-major, W_U^T [V, d] (null when tied), the final
 * norm gain and the layers, in the normalised convention of the spec.
 */
public final class InMemoryTransformer implements TransformerModel {
    private final ModelInfo info;
    private final ArrayRowMatrix embedding;
    private final ArrayRowMatrix unembeddingT;
    private final double[] finalGain;
    private final List<LayerWeights> layers;

    public InMemoryTransformer(ModelInfo info, double[] wE, double[] wUT, double[] finalGain, List<LayerWeights> layers) {
        this.info = info;
        this.embedding = new ArrayRowMatrix(info.vocabSize(), info.dModel(), wE);
        this.unembeddingT = wUT == null ? embedding : new ArrayRowMatrix(info.vocabSize(), info.dModel(), wUT);
        this.finalGain = finalGain;
        this.layers = List.copyOf(layers);
    }

    public static ModelInfo info(int vocab, int d, int nLayers, int nHeads, int nKv, int dHead, boolean tied) {
        return new ModelInfo("in-memory", "InMemory", vocab, d, nLayers, nHeads, nKv, dHead, tied, "F64", 0.02);
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
        return unembeddingT;
    }

    @Override
    public double[] finalNormGain() {
        return finalGain.clone();
    }

    @Override
    public LayerWeights layer(int l) {
        return layers.get(l);
    }

    /** Element (row, col) of W_E. */
    public double embeddingAt(int row, int col) {
        return embedding.get(row, col);
    }

    /** Element (row, col) of W_U^T. */
    public double unembeddingTAt(int row, int col) {
        return unembeddingT.get(row, col);
    }
}
