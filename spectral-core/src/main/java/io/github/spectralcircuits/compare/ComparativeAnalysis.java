package io.github.spectralcircuits.compare;

import io.github.spectralcircuits.AnalysisSettings;
import io.github.spectralcircuits.ProgressListener;
import io.github.spectralcircuits.model.control.ControlModel;
import io.github.spectralcircuits.model.ModelInfo;
import io.github.spectralcircuits.spectra.ModelSpectra;
import io.github.spectralcircuits.spectra.SpectraAnalyzer;
import java.util.List;
import java.util.Locale;

/**
 * The compare stage over the trained spectra: the random control (built from the model's shapes alone, so
 * the weights need not be opened again) analysed by the same {@link SpectraAnalyzer}, the comparison and
 * thinking heads when settings.control(), and the drift against a baseline when one is given.
 */
public final class ComparativeAnalysis {
    private ComparativeAnalysis() {
    }

    /** What this stage adds to the trained spectra; each part null when not asked for. */
    public record Result(ModelSpectra control, Comparison comparison, List<ThinkingHead> thinkingHeads,
                         BaselineDrift baselineDrift) {
    }

    public static Result run(ModelInfo model, ModelSpectra trained, AnalysisSettings settings, Baseline baseline,
                             ProgressListener progress) {
        ProgressListener log = progress == null ? ProgressListener.NONE : progress;
        ModelSpectra control = null;
        Comparison comparison = null;
        List<ThinkingHead> thinkingHeads = null;
        if (settings.control()) {
            ControlModel random = ControlModel.of(model, settings.controlSeed());
            log.info(String.format(Locale.ROOT, "Random control (seed %d, weights ~ N(0, %.4g^2)%s):",
                    settings.controlSeed(), random.initialisation().embeddingStd(),
                    ControlModel.samplesEmbeddingGram(model)
                            ? "; its embedding drawn as singular values and, untied, their cross product: exact in "
                            + "distribution, no pass over the vocabulary" : ""));
            control = new SpectraAnalyzer(settings, log).analyze(random);
            comparison = SpectralComparator.compare(trained, control, settings);
            thinkingHeads = ThinkingHeads.find(trained, control, settings);
        }
        BaselineDrift drift = baseline == null ? null : BaselineDrifts.compute(model, settings, trained, baseline);
        return new Result(control, comparison, thinkingHeads, drift);
    }
}
