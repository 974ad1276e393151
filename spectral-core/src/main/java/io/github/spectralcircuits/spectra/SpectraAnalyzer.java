package io.github.spectralcircuits.spectra;

import io.github.spectralcircuits.ParameterNames;
import io.github.spectralcircuits.AnalysisSettings;
import io.github.spectralcircuits.ProgressListener;
import io.github.spectralcircuits.SpectralException;
import io.github.spectralcircuits.circuits.DenseCircuits;
import io.github.spectralcircuits.circuits.EmbeddingGrams;
import io.github.spectralcircuits.circuits.GramFactor;
import io.github.spectralcircuits.circuits.DiagonalProducts;
import io.github.spectralcircuits.circuits.HeadCoreSource;
import io.github.spectralcircuits.circuits.HeadCores;
import io.github.spectralcircuits.circuits.LayerProducts;
import io.github.spectralcircuits.circuits.SharedFactors;
import io.github.spectralcircuits.circuits.SharedProducts;
import io.github.spectralcircuits.linalg.DenseKernel;
import io.github.spectralcircuits.model.LayerRows;
import io.github.spectralcircuits.model.LayerWeights;
import io.github.spectralcircuits.model.ModelInfo;
import io.github.spectralcircuits.model.TransformerModel;
import io.github.spectralcircuits.model.control.ControlModel;
import io.github.spectralcircuits.model.control.EmbeddingSpectrum;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * Spectra of every selected head's QK and OV circuits of one model (trained or control alike), by the
 * factored method; with verifyDense, each circuit is also materialised and decomposed, and the run
 * fails when the two disagree by more than denseTolerance of the circuit's spectral norm.
 */
public final class SpectraAnalyzer {
    private final AnalysisSettings settings;
    private final ProgressListener progress;
    private ProgressListener.Clock clock;

    public SpectraAnalyzer(AnalysisSettings settings, ProgressListener progress) {
        this.settings = settings;
        this.progress = progress == null ? ProgressListener.NONE : progress;
    }

    public ModelSpectra analyze(TransformerModel model) {
        return analyze(model, List.of());
    }

    /** As {@link #analyze(TransformerModel)}, handing each layer's weights and head cores to the observers. */
    public ModelSpectra analyze(TransformerModel model, List<LayerObserver> observers) {
        clock = new ProgressListener.Clock();
        ModelInfo info = model.info();
        int vocab = checkShapes(model);
        checkFilters(info);
        progress.info(String.format(Locale.ROOT, "Shared products of W_E and W_U (%d x %d, %s)...",
                vocab, info.dModel(), info.tiedEmbeddings() ? "tied" : "untied"));
        if ((long) vocab * info.dModel() * info.dModel() > 1e10 && DenseKernel.best() == DenseKernel.scalar()) {
            progress.info("The products run on plain loops, about three times slower than the SIMD kernel: this JVM "
                    + "lacks the module jdk.incubator.vector (" + ParameterNames.ref("vectorModule") + ").");
        }
        try (SharedFactors shared = sharedFactors(model)) {
            return analyzeLayers(model, shared, vocab, observers);
        }
    }

    /**
     * The random control in its SPECTRUM form needs no Gram and no factor: diagonal factors (its embedding's
     * singular values) and, untied, one d x d cross product. Its norm gains are all 1; what folding leaves is
     * scalar: the embedding's scale (folded into the layers' rows as for any model) and the logits' scale c,
     * taken here as W_U's singular values and the cross product times c (a scalar commutes with the rotations
     * the SPECTRUM form is drawn in, so this is still exact).
     */
    private SharedFactors sharedFactors(TransformerModel model) {
        if (model instanceof ControlModel control && control.embeddingSpectrum().isPresent()) {
            EmbeddingSpectrum s = control.embeddingSpectrum().get();
            double c = settings.foldNorms() ? scalarGain(unembeddingGain(model)) : 1.0;
            return SharedFactors.diagonal(s.sigmaE(), scaled(s.sigmaU(), c), s.cross(), c);
        }
        return SharedFactors.of(sharedProducts(model));
    }

    /** The one value of a gain that is a multiple of the identity (the control's). */
    private static double scalarGain(double[] gain) {
        for (double g : gain) {
            if (g != gain[0]) {
                throw new IllegalStateException("the control's unembedding gain is not a scalar");
            }
        }
        return gain.length == 0 ? 1.0 : gain[0];
    }

    private static double[] scaled(double[] x, double c) {
        double[] y = x.clone();
        for (int i = 0; i < y.length; i++) {
            y[i] *= c;
        }
        return y;
    }

    private ModelSpectra analyzeLayers(TransformerModel model, SharedFactors shared, int vocab, List<LayerObserver> observers) {
        ModelInfo info = model.info();
        double embeddingScale = model.conventions().embeddingScale();
        DenseCheck dense = settings.verifyDense() ? new DenseCheck(DenseCircuits.of(model, settings.foldNorms())) : null;

        List<HeadSpectra> heads = new ArrayList<>();
        int layersDone = 0;
        int layersSelected = (int) IntStream.range(0, info.nLayers()).filter(settings::includesLayer).count();
        int perGroup = LayerProducts.kvHeadsPerGroup(info.nHeads(), info.nKvHeads(), info.dHead());
        int group = info.nHeads() / info.nKvHeads();
        for (int l = 0; l < info.nLayers(); l++) {
            if (!settings.includesLayer(l)) {
                continue;
            }
            clock.stepStarts();
            // The SPECTRUM control (diagonal factors) takes its layer whole from views that generate its rows, and
            // needs the layer's arrays only for what observes or verifies it.
            boolean diagonal = shared.isDiagonal() && model instanceof ControlModel;
            final int layer = l;
            boolean observed = observers.stream().anyMatch(o -> o.wants(layer));
            LayerWeights w = !diagonal || observed || dense != null ? model.layer(l) : null;
            List<HeadSpectra> layerHeads = new ArrayList<>();
            List<HeadCores> layerCores = new ArrayList<>();
            // A group of heads at a time (LayerProducts.GROUP_COLUMNS): the layer's products never sit whole in the heap.
            // The diagonal path's workspace holds the layer's scaled projections instead, as one group.
            int step = diagonal ? info.nKvHeads() : perGroup;
            for (int kv0 = 0; kv0 < info.nKvHeads(); kv0 += step) {
                int kv1 = Math.min(info.nKvHeads(), kv0 + step);
                int[] selected = IntStream.range(kv0 * group, kv1 * group).filter(settings::includesHead).toArray();
                if (selected.length == 0) {
                    continue;
                }
                HeadCoreSource products;
                if (diagonal) {
                    LayerRows rows = w != null ? LayerRows.of(w) : ((ControlModel) model).layerRows(l);
                    products = settings.foldNorms() ? DiagonalProducts.folded(shared, rows, embeddingScale)
                            : DiagonalProducts.raw(shared, rows);
                } else {
                    products = settings.foldNorms() ? LayerProducts.folded(shared, w, embeddingScale, kv0, kv1)
                            : LayerProducts.raw(shared, w, kv0, kv1);
                }
                HeadCores[] cores = new HeadCores[selected.length];
                // Heads are independent once the group's products exist: spread them over the cores.
                layerHeads.addAll(IntStream.range(0, selected.length).parallel()
                        .mapToObj(i -> {
                            HeadCores c = products.head(selected[i]);
                            cores[i] = c;
                            return new HeadSpectra(layer, selected[i], c.kvHead(),
                                    CircuitSpectra.factored(vocab, c.qkEigenCore(), c.qkSingularCore(), settings),
                                    CircuitSpectra.factored(vocab, c.ovEigenCore(), c.ovSingularCore(), settings));
                        })
                        .collect(Collectors.toList()));
                if (observed) {
                    layerCores.addAll(List.of(cores));
                }
            }
            if (observed) {
                // the whole layer folded, once per layer for the observers only; groups come in head order.
                // The SPECTRUM control's layers are drawn in the embedding's singular bases: what observers of
                // the control read from the weights alone (composition scores, Frobenius norms of products of
                // d x d maps) is invariant to that rotation, and its cores are those of its circuits.
                LayerWeights folded = settings.foldNorms() ? LayerProducts.foldedWeights(w, embeddingScale) : w;
                for (LayerObserver o : observers) {
                    if (o.wants(layer)) {
                        o.layer(folded, layerCores);
                    }
                }
            }
            if (dense != null) {
                dense.check(w, layerHeads);
            }
            heads.addAll(layerHeads);
            layersDone++;
            progress.info(String.format(Locale.ROOT, "Layer %d (%d/%d): QK and OV spectra of %d heads; %s",
                    l, layersDone, layersSelected, layerHeads.size(), clock.after(layersDone, layersSelected)));
        }
        if (dense != null) {
            dense.finish();
        }
        return new ModelSpectra(heads);
    }

    /**
     * The shared d x d products, with the Grams they come from dropped on return: only the factors and the
     * cross product are needed by the layers (at d_model 4096 each Gram is 134 MB).
     */
    private SharedProducts sharedProducts(TransformerModel model) {
        EmbeddingGrams grams = EmbeddingGrams.compute(model, settings.foldNorms());
        if (grams.factorE().method() != GramFactor.Method.CHOLESKY
                || grams.factorU().method() != GramFactor.Method.CHOLESKY) {
            progress.info("W_E or W_U is rank-deficient (repeated or dead rows/columns): "
                    + "using a clamped eigen-factor of its Gram matrix instead of Cholesky.");
        }
        return SharedProducts.of(grams, settings.foldNorms() ? unembeddingGain(model) : null);
    }

    /** What folding multiplies W_U's rows by: the final norm's gain, times the logits' scale (Cohere). */
    public static double[] unembeddingGain(TransformerModel model) {
        double[] g = model.finalNormGain();
        double s = model.conventions().logitScale();
        for (int i = 0; i < g.length; i++) {
            g[i] *= s;
        }
        return g;
    }

    private static int checkShapes(TransformerModel model) {
        ModelInfo info = model.info();
        int vocab = model.embedding().rows();
        int d = model.embedding().cols();
        if (model.unembeddingTransposed().rows() != vocab || model.unembeddingTransposed().cols() != d || d != info.dModel()) {
            throw new SpectralException(info.path() + ": the embedding is " + vocab + "x" + d + " and the unembedding (transposed) "
                    + model.unembeddingTransposed().rows() + "x" + model.unembeddingTransposed().cols()
                    + " with d_model " + info.dModel() + "; both must be vocabulary x d_model. Check the checkpoint and config.json.");
        }
        if (info.dHead() > d || info.dHead() > vocab) {
            throw new SpectralException(info.path() + ": d_head " + info.dHead() + " exceeds d_model " + d
                    + " or the vocabulary " + vocab + "; the circuits' rank bound would not be d_head. Check config.json.");
        }
        return vocab;
    }

    private void checkFilters(ModelInfo info) {
        TreeSet<Integer> badLayers = new TreeSet<>();
        for (int l : settings.layers()) {
            if (l < 0 || l >= info.nLayers()) {
                badLayers.add(l);
            }
        }
        TreeSet<Integer> badHeads = new TreeSet<>();
        for (int h : settings.heads()) {
            if (h < 0 || h >= info.nHeads()) {
                badHeads.add(h);
            }
        }
        if (!badLayers.isEmpty() || !badHeads.isEmpty()) {
            throw new SpectralException("The layer/head filter names " + (badLayers.isEmpty() ? "" : "layers " + badLayers + " ")
                    + (badHeads.isEmpty() ? "" : "heads " + badHeads + " ") + "that " + info.path() + " does not have: it has layers 0-"
                    + (info.nLayers() - 1) + " and heads 0-" + (info.nHeads() - 1) + " per layer. Fix the layers/heads parameters.");
        }
    }

    /** The dense verification: materialises each circuit and remembers the largest disagreement. */
    private final class DenseCheck {
        private final DenseCircuits circuits;
        private double worst = 0;
        private String worstWhere = "no circuit";
        private int failures = 0;

        DenseCheck(DenseCircuits circuits) {
            this.circuits = circuits;
        }

        /** The V x V decompositions dominate and are independent, so they run in parallel over heads and circuits. */
        void check(LayerWeights w, List<HeadSpectra> layerHeads) {
            double[] errors = IntStream.range(0, 2 * layerHeads.size()).parallel()
                    .mapToDouble(i -> {
                        HeadSpectra hs = layerHeads.get(i / 2);
                        CircuitType type = i % 2 == 0 ? CircuitType.QK : CircuitType.OV;
                        var m = type == CircuitType.QK ? circuits.qk(w, hs.head()) : circuits.ov(w, hs.head());
                        CircuitSpectrum dense = CircuitSpectra.dense(m, hs.circuit(type).rankBound(), settings);
                        return DenseAgreement.relativeError(hs.circuit(type), dense);
                    }).toArray();
            for (int i = 0; i < errors.length; i++) {
                record(layerHeads.get(i / 2), i % 2 == 0 ? CircuitType.QK : CircuitType.OV, errors[i]);
            }
        }

        private void record(HeadSpectra hs, CircuitType type, double err) {
            if (err > settings.denseTolerance() || Double.isNaN(err)) {
                failures++;
            }
            if (err > worst || Double.isNaN(err)) {
                worst = err;
                worstWhere = "layer " + hs.layer() + " head " + hs.head() + " " + type;
            }
        }

        void finish() {
            String measured = String.format(Locale.ROOT, "largest relative disagreement %.3g (%s), tolerance %.3g",
                    worst, worstWhere, settings.denseTolerance());
            if (failures > 0) {
                throw new SpectralException("verifyDense: the factored and the dense spectra disagree on " + failures
                        + " circuit(s), " + measured + " of the circuit's spectral norm. The weights may be extremely "
                        + "ill-conditioned; rerun with a larger denseTolerance to see the numbers, and report the model if it persists.");
            }
            progress.info("verifyDense: factored and dense spectra agree, " + measured + ".");
        }
    }
}
