package io.github.spectralcircuits;

import io.github.spectralcircuits.compare.ComparativeAnalysis;
import io.github.spectralcircuits.linalg.DenseKernel;
import io.github.spectralcircuits.model.ModelLoader;
import io.github.spectralcircuits.model.TransformerModel;
import io.github.spectralcircuits.report.SpectralReport;
import io.github.spectralcircuits.spectra.ModelSpectra;
import io.github.spectralcircuits.spectra.SpectraAnalyzer;
import java.nio.file.Path;

/**
 * The whole pipeline in one call: open the model, spectra of the trained model, the control and
 * the comparison (when settings.control()), drift against a baseline report (when baseline is
 * not null). Writes nothing: see report.ReportWriter and report.charts.
 */
public final class SpectralAnalysis {
    private SpectralAnalysis() {
    }

    public static SpectralReport run(Path modelDirectory, AnalysisSettings settings, Path baseline,
                                     ProgressListener progress) {
        ProgressListener log = progress == null ? ProgressListener.NONE : progress;
        DenseKernel.prepareInBackground();
        try (TransformerModel model = ModelLoader.open(modelDirectory)) {
            return analyze(model, settings, baseline, log);
        }
    }

    /** The pipeline over a model already open (tests, in-memory models), without a baseline. */
    public static SpectralReport analyze(TransformerModel model, AnalysisSettings settings, ProgressListener progress) {
        return analyze(model, settings, null, progress);
    }

    /** The pipeline over a model already open; the baseline is read first so that a wrong path fails fast. */
    public static SpectralReport analyze(TransformerModel model, AnalysisSettings settings, Path baseline,
                                         ProgressListener progress) {
        SpectralReport baselineReport = ComparativeAnalysis.readBaseline(baseline);
        ModelSpectra trained = new SpectraAnalyzer(settings, progress).analyze(model);
        SpectralReport report = new SpectralReport(SpectralReport.SCHEMA_VERSION, model.info(), settings, trained,
                null, null, null, null, null);
        return ComparativeAnalysis.extend(report, settings, baselineReport,
                baseline == null ? null : baseline.toString(), progress);
    }
}
