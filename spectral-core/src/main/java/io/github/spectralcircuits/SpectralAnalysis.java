package io.github.spectralcircuits;

import io.github.spectralcircuits.report.SpectralReport;
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
        throw new UnsupportedOperationException("spectra issue: not yet written");
    }
}
