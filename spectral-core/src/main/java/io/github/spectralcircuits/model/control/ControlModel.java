package io.github.spectralcircuits.model.control;

import io.github.spectralcircuits.SpectralException;
import io.github.spectralcircuits.linalg.RowMatrix;
import io.github.spectralcircuits.model.LayerWeights;
import io.github.spectralcircuits.model.ModelInfo;
import io.github.spectralcircuits.model.TransformerModel;
import java.util.Arrays;
import org.ejml.data.DMatrixRMaj;

/**
 * The random control of SPEC section 5: a model of the same architecture and shapes as a trained
 * one, initialised as Hugging Face initialises it ({@link ControlInitialisation}), reproducible from
 * one seed on any machine. Nothing is stored: W_E and an untied W_U^T are {@link GaussianRowMatrix}
 * views generated panel by panel, and {@link #layer(int)} draws the layer's projections afresh from
 * the layer's own sub-seed on each call (they are small: 4 x d x H*dh values). A tied trained model
 * gets a tied control, as Hugging Face ties the freshly initialised lm_head to the embedding.
 */
public final class ControlModel implements TransformerModel {
    /** Matrix ids: the embedding and unembedding streams, and the four projections within a layer. */
    static final long EMBEDDING = 1;
    static final long UNEMBEDDING = 2;
    static final long LAYER = 3;
    static final long QUERY = 11;
    static final long KEY = 12;
    static final long VALUE = 13;
    static final long OUTPUT = 14;

    private final ModelInfo info;
    private final long seed;
    private final ControlInitialisation init;
    private final GaussianRowMatrix embedding;
    private final RowMatrix unembeddingT;

    private ControlModel(ModelInfo trained, long seed) {
        checkShape(trained);
        this.seed = seed;
        this.init = ControlInitialisation.of(trained);
        this.info = new ModelInfo("control (seed " + seed + ")", trained.architecture(), trained.vocabSize(),
                trained.dModel(), trained.nLayers(), trained.nHeads(), trained.nKvHeads(), trained.dHead(),
                trained.tiedEmbeddings(), "F64", init.embeddingStd());
        this.embedding = new GaussianRowMatrix(info.vocabSize(), info.dModel(), seed, EMBEDDING, init.embeddingStd());
        this.unembeddingT = info.tiedEmbeddings() ? embedding
                : new GaussianRowMatrix(info.vocabSize(), info.dModel(), seed, UNEMBEDDING, init.unembeddingStd());
    }

    /** The control of a trained model whose shapes are {@code trained}. */
    public static ControlModel of(ModelInfo trained, long seed) {
        return new ControlModel(trained, seed);
    }

    private static void checkShape(ModelInfo m) {
        if (m.vocabSize() <= 0 || m.dModel() <= 0 || m.nLayers() <= 0 || m.nHeads() <= 0 || m.nKvHeads() <= 0
                || m.dHead() <= 0 || m.nHeads() % m.nKvHeads() != 0) {
            throw new SpectralException("Cannot build a random control for " + m.path() + ": its shape (vocab "
                    + m.vocabSize() + ", d_model " + m.dModel() + ", " + m.nLayers() + " layers, " + m.nHeads()
                    + " heads, " + m.nKvHeads() + " key/value heads, d_head " + m.dHead() + ") is not a valid "
                    + "transformer shape; check the model's config.json, or switch the control off "
                    + "(-Dspectral.control=false).");
        }
    }

    public long seed() {
        return seed;
    }

    public ControlInitialisation initialisation() {
        return init;
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
        return ones(info.dModel());
    }

    @Override
    public LayerWeights layer(int l) {
        if (l < 0 || l >= info.nLayers()) {
            throw new IndexOutOfBoundsException("layer " + l + " of a " + info.nLayers() + "-layer control");
        }
        long layerSeed = SeedMixer.combine(seed, LAYER, l);
        int d = info.dModel();
        int q = info.nHeads() * info.dHead();
        int kv = info.nKvHeads() * info.dHead();
        return new LayerWeights(l, info.nHeads(), info.nKvHeads(), info.dHead(), ones(d),
                gaussian(d, q, layerSeed, QUERY, init.qkvStd()),
                gaussian(d, kv, layerSeed, KEY, init.qkvStd()),
                gaussian(d, kv, layerSeed, VALUE, init.qkvStd()),
                gaussian(q, d, layerSeed, OUTPUT, init.outputStd()));
    }

    private static DMatrixRMaj gaussian(int rows, int cols, long layerSeed, long id, double std) {
        return DMatrixRMaj.wrap(rows, cols, new GaussianRowMatrix(rows, cols, layerSeed, id, std).toArray());
    }

    private static double[] ones(int n) {
        double[] g = new double[n];
        Arrays.fill(g, 1.0);
        return g;
    }
}
