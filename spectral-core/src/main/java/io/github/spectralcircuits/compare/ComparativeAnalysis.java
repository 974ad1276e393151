package io.github.spectralcircuits.compare;

import io.github.spectralcircuits.AnalysisSettings;
import io.github.spectralcircuits.ProgressListener;
import io.github.spectralcircuits.model.control.ControlModel;
import io.github.spectralcircuits.report.ReportReader;
import io.github.spectralcircuits.report.SpectralReport;
import io.github.spectralcircuits.spectra.ModelSpectra;
import io.github.spectralcircuits.spectra.SpectraAnalyzer;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * The compare stage over a report that holds the trained spectra: the random control (built from the
 * report's model shapes alone, so the weights need not be opened again) analysed by the same
 * {@link SpectraAnalyzer}, the comparison and thinking heads when settings.control(), and the drift
 * against a baseline report when one is given.
 */
public final class ComparativeAnalysis {
    private ComparativeAnalysis() {
    }

    /** Reads the baseline (a report file or its directory); null for none. Called before long work so a wrong path fails fast. */
    public static SpectralReport readBaseline(Path baseline) {
        return baseline == null ? null : ReportReader.read(baseline);
    }

    /**
     * The report with control, comparison, thinkingHeads and baselineDrift filled as the settings and
     * the baseline ask (each left as it was otherwise).
     */
    public static SpectralReport extend(SpectralReport trained, AnalysisSettings settings, SpectralReport baseline,
                                        String baselineName, ProgressListener progress) {
        ProgressListener log = progress == null ? ProgressListener.NONE : progress;
        ModelSpectra control = trained.control();
        Comparison comparison = trained.comparison();
        List<ThinkingHead> thinkingHeads = trained.thinkingHeads();
        if (settings.control()) {
            ControlModel random = ControlModel.of(trained.model(), settings.controlSeed());
            log.info(String.format(Locale.ROOT, "Random control (seed %d, weights ~ N(0, %.4g^2)%s):",
                    settings.controlSeed(), random.initialisation().embeddingStd(),
                    ControlModel.samplesEmbeddingGram(trained.model())
                            ? "; its embedding Gram drawn from the Wishart law, exact in distribution" : ""));
            control = new SpectraAnalyzer(settings, log).analyze(random);
            comparison = SpectralComparator.compare(trained.trained(), control, settings);
            thinkingHeads = ThinkingHeads.find(trained.trained(), control, settings);
        }
        BaselineDrift drift = baseline == null ? trained.baselineDrift()
                : BaselineDrifts.compute(trained.model(), settings, trained.trained(), baseline, baselineName);
        return new SpectralReport(trained.schemaVersion(), trained.model(), settings, trained.trained(), control,
                comparison, thinkingHeads, drift, trained.checks());
    }
}
