package io.github.spectralcircuits.pipeline;

import io.github.spectralcircuits.AnalysisSettings;
import io.github.spectralcircuits.ProgressListener;
import io.github.spectralcircuits.compare.Baseline;
import io.github.spectralcircuits.compare.ComparativeAnalysis;
import io.github.spectralcircuits.linalg.DenseKernel;
import io.github.spectralcircuits.linalg.NativeBlas;
import io.github.spectralcircuits.model.ModelInfo;
import io.github.spectralcircuits.model.ModelLoader;
import io.github.spectralcircuits.model.TransformerModel;
import io.github.spectralcircuits.report.ReportReader;
import io.github.spectralcircuits.report.SpectralReport;
import io.github.spectralcircuits.spectra.ModelSpectra;
import io.github.spectralcircuits.spectra.SpectraAnalyzer;
import java.nio.file.Path;

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
            MemoryPlan plan = MemoryPlan.of(model.info(), settings);
            long max = Runtime.getRuntime().maxMemory();
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
        ModelInfo info = model.info();
        // the embedding Gram's multiply-adds (untied: two Grams and the cross product) decide whether a native BLAS pays
        double gram = (double) info.vocabSize() * info.dModel() * info.dModel() / 2 * (info.tiedEmbeddings() ? 1 : 4);
        (progress == null ? ProgressListener.NONE : progress).info(NativeBlas.activateFor(gram));
        ModelSpectra trained = new SpectraAnalyzer(settings, progress).analyze(model);
        ComparativeAnalysis.Result compared = ComparativeAnalysis.run(model.info(), trained, settings, baseline, progress);
        return new SpectralReport(SpectralReport.SCHEMA_VERSION, model.info(), settings, model.fingerprint(), trained,
                compared.control(),
                compared.comparison(), compared.thinkingHeads(), compared.baselineDrift(), null);
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
