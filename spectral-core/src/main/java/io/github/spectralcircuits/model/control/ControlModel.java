package io.github.spectralcircuits.model.control;

import io.github.spectralcircuits.ParameterNames;
import io.github.spectralcircuits.SpectralException;
import io.github.spectralcircuits.linalg.RowMatrix;
import io.github.spectralcircuits.model.LayerRows;
import io.github.spectralcircuits.model.LayerWeights;
import io.github.spectralcircuits.model.ModelInfo;
import io.github.spectralcircuits.model.PathConventions;
import io.github.spectralcircuits.model.TransformerModel;
import java.util.Arrays;
import java.util.Optional;
import org.ejml.data.DMatrixRMaj;

/**
 * The random control of SPEC section 5: a model of the same architecture and shapes as a trained
 * one, initialised as Hugging Face initialises it ({@link ControlInitialisation}), reproducible from
 * one seed on any machine. Nothing is stored: {@link #layer(int)} draws the layer's projections afresh
 * from the layer's own sub-seed on each call (they are small: 4 x d x H*dh values). A tied trained
 * model gets a tied control, as Hugging Face ties the freshly initialised lm_head to the embedding.
 *
 * <p>The embedding comes in one of two forms ({@link EmbeddingDraw}), chosen from the shapes alone:
 * <ul>
 * <li>{@code ROWS}: W_E and an untied W_U^T are {@link GaussianRowMatrix} views generated panel by
 * panel, and the analysis multiplies them out like a trained model's. Used for vocabularies up to
 * {@link #SAMPLED_GRAM_MIN_VOCAB} - 1 tokens (where the dense verification can still read the rows),
 * so small models' controls are what they always were.</li>
 * <li>{@code SPECTRUM}: for larger vocabularies, the default: the embedding's singular values and, untied,
 * its cross product in their bases ({@link EmbeddingSpectrum}), with which the analysis multiplies by
 * diagonal matrices instead of d x d factors; exact in distribution, as the {@code GRAM} form is, and its
 * layers as drawn. {@link #embeddingGram()} gives the Gram these stand for, so the general path can check it.</li>
 * <li>{@code GRAM}: the form before it, kept for the tests that compare the forms. Every circuit's spectrum depends on the embedding only
 * through X^T X, X = W_E (tied) or [W_E | W_U^T] (untied), and for X with independent N(0, s^2)
 * entries that matrix has the Wishart law, which {@link BartlettWishart} samples exactly in O(d^3)
 * instead of the V x d x d pass over generated rows (a third of a whole analysis at V = 50257,
 * d = 768). The control is then exactly as random as before in distribution, though not draw for
 * draw. Decision: in this form {@link #embedding()} and {@link #unembeddingTransposed()} give the shape
 * only, and reading their rows throws IllegalStateException, because rows drawn independently of the
 * sampled Gram would silently contradict it. Nothing in the analysis reads them: EmbeddingGrams
 * takes {@link #embeddingGram()}, and the dense verification refuses vocabularies this large before
 * reading any row. Needs V >= the Gram's dimension (d tied, 2d untied), as a Wishart draw does.</li>
 * </ul>
 */
public final class ControlModel implements TransformerModel {
    /** Matrix ids: the embedding and unembedding streams, and the four projections within a layer. */
    static final long EMBEDDING = 1;
    static final long UNEMBEDDING = 2;
    static final long LAYER = 3;
    static final long EMBEDDING_GRAM = 4;
    static final long EMBEDDING_SPECTRUM = 5;
    static final long QUERY = 11;
    static final long KEY = 12;
    static final long VALUE = 13;
    static final long OUTPUT = 14;

    /**
     * Smallest vocabulary whose control gets a sampled embedding Gram: one more than the dense path's
     * limit (DenseCircuits.MAX_VOCAB; this package does not depend on circuits, a test keeps the two in step).
     */
    public static final int SAMPLED_GRAM_MIN_VOCAB = 2049;

    /** The forms of the control's embedding, see the class comment. */
    enum EmbeddingDraw { ROWS, GRAM, SPECTRUM }

    private final ModelInfo info;
    private final long seed;
    private final ControlInitialisation init;
    private final EmbeddingDraw draw;
    private final RowMatrix embedding;
    private final RowMatrix unembeddingT;
    private final PathConventions conventions;
    private EmbeddingSpectrum spectrum;

    private ControlModel(ModelInfo trained, long seed, EmbeddingDraw draw, PathConventions conventions) {
        checkShape(trained);
        this.seed = seed;
        this.init = ControlInitialisation.of(trained);
        this.draw = draw;
        this.conventions = conventions;
        this.info = new ModelInfo("control (seed " + seed + ")", trained.architecture(), trained.vocabSize(),
                trained.dModel(), trained.nLayers(), trained.nHeads(), trained.nKvHeads(), trained.dHead(),
                trained.tiedEmbeddings(), "F64", init.embeddingStd());
        int v = info.vocabSize();
        int d = info.dModel();
        if (draw != EmbeddingDraw.ROWS) {
            if (v < gramDimension(info)) {
                throw new IllegalArgumentException("a sampled embedding Gram needs a vocabulary of at least "
                        + gramDimension(info) + " tokens, not " + v);
            }
            this.embedding = new GramOnlyRows(v, d, "W_E");
            this.unembeddingT = info.tiedEmbeddings() ? embedding : new GramOnlyRows(v, d, "W_U^T");
        } else {
            this.embedding = new GaussianRowMatrix(v, d, seed, EMBEDDING, init.embeddingStd());
            this.unembeddingT = info.tiedEmbeddings() ? embedding
                    : new GaussianRowMatrix(v, d, seed, UNEMBEDDING, init.unembeddingStd());
        }
    }

    /** The control of a trained model whose shapes are {@code trained}. */
    public static ControlModel of(ModelInfo trained, long seed) {
        return of(trained, seed, PathConventions.NONE);
    }

    /**
     * The control of a trained model with that model's scalar conventions (Gemma's sqrt(d) on W_E, Cohere's
     * logit scale), which Hugging Face's freshly initialised model has as well, so that trained and control
     * circuits are on one scale. A normalised embedding (BLOOM) is not carried over: the control's is a
     * fresh N(0, s^2) draw, and in the sampled-Gram form it has no rows to normalise.
     */
    public static ControlModel of(ModelInfo trained, long seed, PathConventions trainedConventions) {
        return of(trained, seed, samplesEmbeddingGram(trained) ? EmbeddingDraw.SPECTRUM : EmbeddingDraw.ROWS,
                trainedConventions);
    }

    /** The control in a given form, whatever the vocabulary (tests compare the forms). */
    static ControlModel of(ModelInfo trained, long seed, EmbeddingDraw draw) {
        return of(trained, seed, draw, PathConventions.NONE);
    }

    /** The control in a given form with the trained model's scalar conventions. */
    static ControlModel of(ModelInfo trained, long seed, EmbeddingDraw draw, PathConventions trainedConventions) {
        return new ControlModel(trained, seed, draw,
                new PathConventions(trainedConventions.embeddingScale(), null, trainedConventions.logitScale()));
    }

    /**
     * Whether the control of a model of these shapes samples its embedding Gram: only where a pass over
     * the vocabulary is expensive and the dense path is refused anyway, and a Wishart draw exists.
     */
    public static boolean samplesEmbeddingGram(ModelInfo shape) {
        return shape.vocabSize() >= SAMPLED_GRAM_MIN_VOCAB && shape.vocabSize() >= gramDimension(shape);
    }

    private static int gramDimension(ModelInfo shape) {
        return shape.tiedEmbeddings() ? shape.dModel() : 2 * shape.dModel();
    }

    private static void checkShape(ModelInfo m) {
        if (m.vocabSize() <= 0 || m.dModel() <= 0 || m.nLayers() <= 0 || m.nHeads() <= 0 || m.nKvHeads() <= 0
                || m.dHead() <= 0 || m.nHeads() % m.nKvHeads() != 0) {
            throw new SpectralException("Cannot build a random control for " + m.path() + ": its shape (vocab "
                    + m.vocabSize() + ", d_model " + m.dModel() + ", " + m.nLayers() + " layers, " + m.nHeads()
                    + " heads, " + m.nKvHeads() + " key/value heads, d_head " + m.dHead() + ") is not a valid "
                    + "transformer shape; check the model's config.json, or switch the control off "
                    + "(" + ParameterNames.ref("control", false) + ").");
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

    /**
     * In the GRAM form, a fresh exact draw of X^T X (X = W_E, or [W_E | W_U^T] untied, whose blocks are
     * independent with their own standard deviations), identical on every call and every machine;
     * empty in the ROWS form.
     */
    @Override
    public Optional<DMatrixRMaj> embeddingGram() {
        if (draw == EmbeddingDraw.SPECTRUM) {
            return Optional.of(embeddingSpectrum().orElseThrow().jointGram());
        }
        if (draw != EmbeddingDraw.GRAM) {
            return Optional.empty();
        }
        int d = info.dModel();
        double[] scales = new double[gramDimension(info)];
        Arrays.fill(scales, 0, d, init.embeddingStd());
        Arrays.fill(scales, d, scales.length, init.unembeddingStd());
        return Optional.of(BartlettWishart.sample(info.vocabSize(), scales, SeedMixer.combine(seed, EMBEDDING_GRAM)));
    }

    /**
     * In the SPECTRUM form (the default above 2048 tokens), the embedding as the circuits see it in the bases
     * of its singular vectors ({@link EmbeddingSpectrum}): exact in distribution together with the layers as
     * drawn, with no d x d factor to multiply by. Drawn once per instance, the same on every machine.
     */
    public synchronized Optional<EmbeddingSpectrum> embeddingSpectrum() {
        if (draw != EmbeddingDraw.SPECTRUM) {
            return Optional.empty();
        }
        if (spectrum == null) {
            spectrum = EmbeddingSpectrum.sample(info.vocabSize(), info.dModel(), info.tiedEmbeddings(),
                    init.embeddingStd(), init.unembeddingStd(), SeedMixer.combine(seed, EMBEDDING_SPECTRUM));
        }
        return Optional.of(spectrum);
    }

    @Override
    public double[] finalNormGain() {
        return ones(info.dModel());
    }

    @Override
    public PathConventions conventions() {
        return conventions;
    }

    @Override
    public LayerWeights layer(int l) {
        LayerRows r = layerRows(l);
        return new LayerWeights(l, r.nHeads(), r.nKvHeads(), r.dHead(), r.attnNormGain(), dense(r.wQ()), dense(r.wK()),
                dense(r.wV()), dense(r.wO()));
    }

    /**
     * Layer l's projections as {@link #layer(int)} draws them, value for value, but as views that generate a row
     * when it is read: for the analysis' diagonal path, which copies them scaled into its own buffers, so that
     * the layer's four d x (H d_head) arrays are never allocated (at 7B shapes 537 MB per layer).
     */
    public LayerRows layerRows(int l) {
        if (l < 0 || l >= info.nLayers()) {
            throw new IndexOutOfBoundsException("layer " + l + " of a " + info.nLayers() + "-layer control");
        }
        long layerSeed = SeedMixer.combine(seed, LAYER, l);
        int d = info.dModel();
        int q = info.nHeads() * info.dHead();
        int kv = info.nKvHeads() * info.dHead();
        return new LayerRows(l, info.nHeads(), info.nKvHeads(), info.dHead(), ones(d),
                new GaussianRowMatrix(d, q, layerSeed, QUERY, init.qkvStd()),
                new GaussianRowMatrix(d, kv, layerSeed, KEY, init.qkvStd()),
                new GaussianRowMatrix(d, kv, layerSeed, VALUE, init.qkvStd()),
                new GaussianRowMatrix(q, d, layerSeed, OUTPUT, init.outputStd()), null, null, null);
    }

    /** A layer's generated projection drawn whole. */
    private static DMatrixRMaj dense(RowMatrix m) {
        return DMatrixRMaj.wrap(m.rows(), m.cols(), ((GaussianRowMatrix) m).toArray());
    }

    private static double[] ones(int n) {
        double[] g = new double[n];
        Arrays.fill(g, 1.0);
        return g;
    }
}
