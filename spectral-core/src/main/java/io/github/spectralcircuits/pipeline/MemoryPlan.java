package io.github.spectralcircuits.pipeline;

import io.github.spectralcircuits.AnalysisSettings;
import io.github.spectralcircuits.SpectralException;
import io.github.spectralcircuits.ReadoutSettings;
import io.github.spectralcircuits.circuits.LayerProducts;
import io.github.spectralcircuits.composition.CompositionScores;
import io.github.spectralcircuits.model.ModelInfo;
import io.github.spectralcircuits.model.control.ControlModel;
import io.github.spectralcircuits.readouts.TokenReadouts;
import java.util.Locale;
import java.util.stream.IntStream;

/**
 * How much Java heap an analysis of a model of these shapes needs, from the shapes alone, before anything
 * is allocated: the largest of its stages' live arrays (doubles, 8 bytes each), with room for the
 * collector. The stages, at d_model d (d2 = one d x d matrix):
 * <ul>
 * <li>shared products: the Gram of W_E (and, untied, of W_U and W_U W_E), their factors and the
 * products' accumulators: with two threads 4 d2 tied, 8 d2 untied;</li>
 * <li>each layer, one at a time: its raw weights (W_Q, W_K, W_V, W_O), one stored tensor while it is
 * turned, and one group of heads' products (LayerProducts.GROUP_COLUMNS query columns), with the
 * three shared d x d matrices kept all along;</li>
 * <li>the control (its sampled embedding, then its layers with diagonal factors), never more than the
 * trained model's stages.</li>
 * <li>a comparison with a reference model ({@code spectral.reference}, after the analysis): both models' embedding
 * Grams and factors and the bases' overlaps, then both models' layers and groups of head products at once
 * ({@link #of(ModelInfo, AnalysisSettings, boolean)}).</li>
 * <li>what rides on the layers when it runs (token readouts, composition scores): the layer's folded weights,
 * the readouts' products, the composition's per-layer products and the factors it keeps between layers
 * (the trained model's dropped when its last layer is done). Composition scores run only where those
 * factors take at most a quarter of the heap ({@link #compositionFits}), so they never decide the heap
 * a 7B model is given.</li>
 * </ul>
 * Memory-mapped weights are not heap and are not counted. The numbers are deliberately simple upper bounds
 * of what the code allocates; the scale benchmark prints them next to the heap an analysis really used.
 */
public record MemoryPlan(long sharedBytes, long layerBytes, long controlBytes, long referenceBytes, long neededHeapBytes) {

    /** The least the JVM itself, the spectra, the report and the charts take besides the stages. */
    static final long BASE_BYTES = 64L << 20;
    /** What is needed at the least: the stages' arrays with a little room for the collector. */
    static final double HEADROOM = 1.2;
    /**
     * What a heap of its own is sized to: G1 treats arrays of more than half a region as humongous, which need
     * contiguous free regions, so a heap filled close to its end by a few 100 MB arrays collects often or
     * fails; and the charts and report take up to about 200 MB more (measured on TinyStories-33M).
     */
    static final double RECOMMENDED_HEADROOM = 1.5;
    static final long RECOMMENDED_BASE_BYTES = 256L << 20;
    /** The smallest heap ever asked for (what the fork had before it was sized from the model). */
    public static final long MIN_HEAP_BYTES = 1L << 30;
    private static final int THREADS = Runtime.getRuntime().availableProcessors();

    /**
     * The plan for a heap sized from it (a fork's): composition scores counted when they fit the heap this
     * plan would recommend without them.
     */
    public static MemoryPlan of(ModelInfo m, AnalysisSettings settings) {
        return of(m, settings, false);
    }

    /** As {@link #of(ModelInfo, AnalysisSettings)}, with a comparison against a reference model when asked for. */
    public static MemoryPlan of(ModelInfo m, AnalysisSettings settings, boolean reference) {
        MemoryPlan spectra = of(m, settings, false, reference);
        return of(m, settings, compositionFits(m, settings, spectra.recommendedHeapBytes()), reference);
    }

    /** The plan of an analysis in a heap of maxHeapBytes, which decides whether composition scores run. */
    public static MemoryPlan forHeap(ModelInfo m, AnalysisSettings settings, long maxHeapBytes) {
        return of(m, settings, compositionFits(m, settings, maxHeapBytes), false);
    }

    /** The plan of an analysis and its comparison with a reference model in a heap of maxHeapBytes. */
    public static MemoryPlan forReference(ModelInfo m, AnalysisSettings settings, long maxHeapBytes) {
        return of(m, settings, compositionFits(m, settings, maxHeapBytes), true);
    }

    /**
     * Whether composition scores run in a heap of heapBytes: asked for, at least two layers, and the factors
     * they keep between layers at most a quarter of the heap.
     */
    public static boolean compositionFits(ModelInfo m, AnalysisSettings settings, long heapBytes) {
        int layers = analysedLayers(m, settings);
        return settings.readouts().composition() && layers >= 2
                && CompositionScores.bytesKept(layers, m.nHeads(), m.dHead(), m.dModel()) <= heapBytes / 4;
    }

    /** The layers an analysis takes ({@code spectral.layers}; all by default): composition pairs only those. */
    static int analysedLayers(ModelInfo m, AnalysisSettings settings) {
        return (int) IntStream.range(0, m.nLayers()).filter(settings::includesLayer).count();
    }

    private static MemoryPlan of(ModelInfo m, AnalysisSettings settings, boolean composition, boolean withReference) {
        long d = m.dModel();
        long d2 = 8 * d * d;
        // TallProducts: up to `parallel` slices' accumulators in flight, the running total and the result;
        // untied, the Grams and factors already made stay alive meanwhile (4 of them during W_U W_E)
        int parallel = Math.min(THREADS, 8);
        long shared = (m.tiedEmbeddings() ? Math.max(4, parallel + 2) : 6 + parallel) * d2;
        long kept = 3 * d2;
        long q = (long) m.nHeads() * m.dHead();
        long kv = (long) m.nKvHeads() * m.dHead();
        long weights = 8 * d * (2 * q + 2 * kv);
        long oneTensor = 8 * d * Math.max(q, kv);
        int perGroup = LayerProducts.kvHeadsPerGroup(m.nHeads(), m.nKvHeads(), m.dHead());
        long groupKv = (long) perGroup * m.dHead();
        long groupQ = groupKv * (m.nHeads() / m.nKvHeads());
        // q, k, v and W_O^T copies, the five products, and one d x d factor packed for the kernel
        long group = 8 * d * (4 * groupQ + 5 * groupKv) + d2;
        int layers = (int) IntStream.range(0, m.nLayers()).filter(settings::includesLayer).count();
        ReadoutSettings r = settings.readouts();
        boolean readouts = r.tokenReadoutsFor(TokenReadouts.multiplyAdds(m, r, layers));
        // after the layer's groups: its folded copy, the readouts' products, the composition's products
        long n = Math.min(r.singularDirections(), m.dHead()) * (long) m.nHeads();
        long readoutBytes = readouts ? 8 * d * (3 * q + kv + 4 * n) + 2 * 8L * 512 * (d + q + kv + 4 * n) : 0;
        long compositionLayer = composition ? 8 * d * 3 * q + 8 * q * 3 * q : 0;
        long observers = readouts || composition ? weights + readoutBytes + compositionLayer : 0;
        long compositionKept = composition ? CompositionScores.bytesKept(analysedLayers(m, settings), m.nHeads(), m.dHead(),
                m.dModel()) : 0;
        long layer = kept + weights + Math.max(Math.max(oneTensor, group), observers) + compositionKept;
        long controlKept = composition ? CompositionScores.controlBytesKept(m.nLayers(), m.nHeads(), m.dHead(), m.dModel()) : 0;
        long controlObservers = composition ? weights + 8 * d * 3 * q + 8L * CompositionScores.controlEarlierHeads(m.nHeads()) * m.dHead() * 3 * q : 0;
        // the control's layers: the diagonal path's workspace (scaled Q and O, K, V and, untied, frame times V),
        // and the layer's arrays only for an observer (counted in controlObservers); a small vocabulary's control
        // (explicit rows) takes the trained model's path
        long controlLayer = ControlModel.samplesEmbeddingGram(m)
                ? 8 * d * (2 * q + (m.tiedEmbeddings() ? 2 : 3) * kv) + controlObservers
                : weights + Math.max(Math.max(oneTensor, group), controlObservers);
        long control = settings.control() ? controlKept + controlBytes(m, parallel, controlLayer) : 0;
        long reference = 0;
        if (withReference) {
            // after the analysis, one more stage: the second model's Grams computed while the first's are kept,
            // then both models' Grams and factors, the bases' two d x d overlaps and both layers' products at once
            long gramsKept = (m.tiedEmbeddings() ? 2 : 6) * d2;
            reference = Math.max(gramsKept + shared, 2 * gramsKept + 2 * d2 + 2 * (kept + weights + Math.max(oneTensor, group)));
        }
        long peak = Math.max(Math.max(Math.max(shared, layer), control), reference);
        long needed = (long) (HEADROOM * peak) + BASE_BYTES;
        return new MemoryPlan(shared, layer, control, reference, needed);
    }

    /** The largest stage's arrays. */
    public long peakBytes() {
        return Math.max(Math.max(Math.max(sharedBytes, layerBytes), controlBytes), referenceBytes);
    }

    /**
     * The control's stages (ControlModel's default form above 2048 tokens, EmbeddingSpectrum): untied, drawing
     * its cross product takes a d x d Gaussian block, Bartlett's factor, their Gram (with the tall products'
     * accumulators), its Cholesky factor and the triangular solve's result; then its layers go through the
     * diagonal path (circuits.DiagonalProducts), whose workspace holds one layer's scaled projections: in native
     * memory when OpenBLAS runs, else on the heap, where it is counted (so that the plan holds without OpenBLAS),
     * besides that d x d cross product (kept by the control) and the frame made from it.
     */
    private static long controlBytes(ModelInfo m, int parallel, long layerWithoutShared) {
        long d = m.dModel();
        long d2 = 8 * d * d;
        long sampling = m.tiedEmbeddings() ? 0 : (4 + parallel) * d2;
        return Math.max(sampling, (m.tiedEmbeddings() ? 0 : 2 * d2) + layerWithoutShared);
    }

    /** The heap to give a JVM of its own for this analysis: the peak with room to spare, at least {@link #MIN_HEAP_BYTES}, in whole 256 MB steps. */
    public long recommendedHeapBytes() {
        long step = 256L << 20;
        long h = Math.max(MIN_HEAP_BYTES, (long) (RECOMMENDED_HEADROOM * peakBytes()) + RECOMMENDED_BASE_BYTES);
        return (h + step - 1) / step * step;
    }

    /** As java's -Xmx takes it: "1536m", "3g". */
    public String recommendedHeap() {
        long mb = recommendedHeapBytes() >> 20;
        return mb % 1024 == 0 ? (mb / 1024) + "g" : mb + "m";
    }

    /**
     * Refuses, before anything is allocated, an analysis that cannot fit in a heap of {@code maxHeapBytes}:
     * one paragraph with the number it needs, instead of an OutOfMemoryError later.
     */
    public void requireFits(ModelInfo m, long maxHeapBytes) {
        if (neededHeapBytes <= maxHeapBytes) {
            return;
        }
        throw new SpectralException(String.format(Locale.ROOT, "Analysing %s (vocabulary %d, d_model %d, %d layers of %d "
                + "heads, d_head %d) needs about %s of Java heap (shared products %s, one layer at a time %s%s%s), but "
                + "the JVM running the analysis may use only %s. Run it with a larger maximum heap, at least -Xmx%s "
                + "(the weights themselves are memory-mapped and need no heap).", m.path(), m.vocabSize(), m.dModel(),
                m.nLayers(), m.nHeads(), m.dHead(), size(neededHeapBytes), size(sharedBytes), size(layerBytes),
                controlBytes > 0 ? ", control " + size(controlBytes) : "",
                referenceBytes > 0 ? ", comparison with the reference " + size(referenceBytes) : "", size(maxHeapBytes),
                recommendedHeap()));
    }

    /** "1.4 GB", "350 MB". */
    public static String size(long bytes) {
        double mb = bytes / (double) (1L << 20);
        return mb >= 1024 ? String.format(Locale.ROOT, "%.1f GB", mb / 1024) : String.format(Locale.ROOT, "%.0f MB", mb);
    }
}
