package io.github.spectralcircuits.pipeline;

import io.github.spectralcircuits.AnalysisSettings;
import io.github.spectralcircuits.ProgressListener;
import io.github.spectralcircuits.compare.Baseline;
import io.github.spectralcircuits.compare.ComparativeAnalysis;
import io.github.spectralcircuits.linalg.DenseKernel;
import io.github.spectralcircuits.linalg.NativeBlas;
import io.github.spectralcircuits.model.ModelLoader;
import io.github.spectralcircuits.model.TransformerModel;
import io.github.spectralcircuits.report.ReportReader;
import io.github.spectralcircuits.report.SpectralReport;
import io.github.spectralcircuits.spectra.HeavyTailFits;
import io.github.spectralcircuits.spectra.ModelSpectra;
import io.github.spectralcircuits.spectra.SpectraAnalyzer;
import io.github.spectralcircuits.ParameterNames;
import io.github.spectralcircuits.ReadoutSettings;
import io.github.spectralcircuits.composition.CompositionMatrices;
import io.github.spectralcircuits.composition.CompositionRanking;
import io.github.spectralcircuits.composition.CompositionScore;
import io.github.spectralcircuits.composition.CompositionScores;
import io.github.spectralcircuits.io.TokenVocabulary;
import io.github.spectralcircuits.model.ModelInfo;
import io.github.spectralcircuits.readouts.TokenReadouts;
import io.github.spectralcircuits.spectra.LayerObserver;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.IntStream;

/**
 * The whole pipeline in one call: open the model, spectra of the trained model, the control and
 * the comparison (when settings.control()), drift against a baseline (when one is given). Writes
 * nothing: see {@link AnalysisJob}.
 */
public final class SpectralAnalysis {
    private SpectralAnalysis() {
    }

    /** As {@link #runAgainst(Path, AnalysisSettings, Baseline, ProgressListener)}, reading the baseline report file first. */
    public static SpectralReport run(Path modelDirectory, AnalysisSettings settings, Path baseline,
                                     ProgressListener progress) {
        return runAgainst(modelDirectory, settings, readBaseline(baseline), progress);
    }

    public static SpectralReport runAgainst(Path modelDirectory, AnalysisSettings settings, Baseline baseline,
                                     ProgressListener progress) {
        ProgressListener log = progress == null ? ProgressListener.NONE : progress;
        DenseKernel.prepareInBackground();
        try (TransformerModel model = ModelLoader.open(modelDirectory)) {
            long max = Runtime.getRuntime().maxMemory();
            MemoryPlan plan = MemoryPlan.forHeap(model.info(), settings, max);
            plan.requireFits(model.info(), max);
            log.info("Heap: " + MemoryPlan.size(max) + " for the analysis, about " + MemoryPlan.size(plan.neededHeapBytes())
                    + " needed for these shapes");
            return analyze(model, settings, baseline, log);
        }
    }

    /** The pipeline over a model already open (tests, in-memory models), without a baseline. */
    public static SpectralReport analyze(TransformerModel model, AnalysisSettings settings, ProgressListener progress) {
        return analyze(model, settings, null, progress);
    }

    public static SpectralReport analyze(TransformerModel model, AnalysisSettings settings, Baseline baseline,
                                         ProgressListener progress) {
        ProgressListener log = progress == null ? ProgressListener.NONE : progress;
        ModelInfo info = model.info();
        // the embedding Gram's multiply-adds (untied: two Grams and the cross product) decide whether a native BLAS pays
        double gram = (double) info.vocabSize() * info.dModel() * info.dModel() / 2 * (info.tiedEmbeddings() ? 1 : 4);
        log.info(NativeBlas.activateFor(gram));
        List<LayerObserver> observers = new ArrayList<>();
        TokenReadouts readouts = tokenReadouts(model, settings, log);
        if (readouts != null) {
            observers.add(readouts);
        }
        CompositionScores composition = composition(info, settings, log);
        if (composition != null) {
            observers.add(composition);
        }
        ModelSpectra trained = new SpectraAnalyzer(settings, log).analyze(model, observers);
        if (composition != null) {
            // the kept factors (7B's 4-layer slice: 400 MB) would otherwise live on through the control's layers
            composition.releaseFactors();
        }
        if (readouts != null) {
            trained = readouts.attach(trained);
        }
        CompositionScores controlComposition = composition != null && settings.control()
                ? CompositionScores.forControl(info.nLayers(), info.nHeads()) : null;
        ComparativeAnalysis.Result compared = ComparativeAnalysis.run(info, model.conventions(), trained, settings, baseline, log,
                controlComposition == null ? List.of() : List.of(controlComposition));
        List<CompositionScore> ranked = null;
        CompositionMatrices matrices = null;
        if (composition != null) {
            matrices = composition.matrices();
            ranked = CompositionRanking.rank(matrices, controlComposition == null ? null : controlComposition.matrices(),
                    settings.readouts().compositionTop(), settings::includesHead);
        }
        return new SpectralReport(SpectralReport.SCHEMA_VERSION, info, settings, model.fingerprint(), trained,
                compared.control(), compared.comparison(), compared.thinkingHeads(), compared.baselineDrift(), null,
                compared.thinkingHeadsCriterion(), HeavyTailFits.of(trained, compared.control()), null, null,
                ranked, matrices);
    }

    /** The trained model's token readouts when settings and their cost allow, reading tokenizer.json; else null. */
    static TokenReadouts tokenReadouts(TransformerModel model, AnalysisSettings settings, ProgressListener log) {
        ModelInfo info = model.info();
        ReadoutSettings r = settings.readouts();
        int layers = (int) IntStream.range(0, info.nLayers()).filter(settings::includesLayer).count();
        long cost = TokenReadouts.multiplyAdds(info, r, layers);
        if (!r.tokenReadoutsFor(cost)) {
            if (r.tokenReadouts().equals("auto") && r.topTokens() > 0) {
                log.info(String.format(Locale.ROOT, "Token readouts skipped: over a vocabulary of %d they take %.3g "
                        + "multiply-adds (auto computes them up to %.3g); " + ParameterNames.ref("tokenReadouts", "on")
                        + " computes them.",
                        info.vocabSize(), (double) cost, (double) ReadoutSettings.AUTO_BUDGET));
            }
            return null;
        }
        TokenVocabulary vocabulary = info.path() == null ? null : TokenVocabulary.find(Path.of(info.path())).orElse(null);
        log.info(vocabulary == null
                ? "Token readouts by token id (the model directory has no " + TokenVocabulary.FILE + ")."
                : "Token readouts with " + TokenVocabulary.FILE + " (" + vocabulary.modelType() + ", "
                + vocabulary.size() + " tokens).");
        return new TokenReadouts(model, settings, vocabulary);
    }

    /** A composition collector when asked for and its kept factors fit a quarter of the heap; else null. */
    static CompositionScores composition(ModelInfo info, AnalysisSettings settings, ProgressListener log) {
        int layers = (int) IntStream.range(0, info.nLayers()).filter(settings::includesLayer).count();
        if (!settings.readouts().composition() || layers < 2) {
            return null;
        }
        long bytes = CompositionScores.bytesKept(layers, info.nHeads(), info.dHead(), info.dModel());
        long heap = Runtime.getRuntime().maxMemory();
        if (!MemoryPlan.compositionFits(info, settings, heap)) {
            log.info(String.format(Locale.ROOT, "Composition scores skipped: they keep %d MB of factors between layers, "
                    + "more than a quarter of the %d MB heap, and take %.2g multiply-adds (raise " + ParameterNames.ref("heap")
                    + ", select fewer layers with " + ParameterNames.ref("layers") + ", or "
                    + ParameterNames.ref("composition", "false") + " to silence this).", bytes >> 20, heap >> 20,
                    CompositionScores.multiplyAdds(layers, info.nHeads(), info.dHead(), info.dModel())));
            return null;
        }
        return new CompositionScores(info.nLayers(), info.nHeads());
    }

    /** The baseline report (a file or its directory) as the compare stage needs it; null for none. */
    public static Baseline readBaseline(Path baseline) {
        if (baseline == null) {
            return null;
        }
        SpectralReport r = ReportReader.read(baseline);
        return new Baseline(baseline.toString(), r.model(), r.settings(), r.trained());
    }
}
