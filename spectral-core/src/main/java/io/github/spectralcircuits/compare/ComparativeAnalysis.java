package io.github.spectralcircuits.compare;

import io.github.spectralcircuits.AnalysisSettings;
import io.github.spectralcircuits.ProgressListener;
import io.github.spectralcircuits.model.control.ControlModel;
import io.github.spectralcircuits.model.ModelInfo;
import io.github.spectralcircuits.model.PathConventions;
import io.github.spectralcircuits.spectra.LayerObserver;
import io.github.spectralcircuits.spectra.ModelSpectra;
import io.github.spectralcircuits.spectra.SpectraAnalyzer;
import java.util.ArrayList;
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
                         BaselineDrift baselineDrift, ThinkingHeadsCriterion thinkingHeadsCriterion) {
    }

    public static Result run(ModelInfo model, ModelSpectra trained, AnalysisSettings settings, Baseline baseline,
                             ProgressListener progress) {
        return run(model, PathConventions.NONE, trained, settings, baseline, progress);
    }

    /** With the trained model's conventions, which its control shares (see ControlModel#of(ModelInfo, long, PathConventions)). */
    public static Result run(ModelInfo model, PathConventions conventions, ModelSpectra trained, AnalysisSettings settings,
                             Baseline baseline, ProgressListener progress) {
        return run(model, conventions, trained, settings, baseline, progress, List.of());
    }

    /** As above, handing the control's layers also to controlObservers (its composition scores). */
    public static Result run(ModelInfo model, PathConventions conventions, ModelSpectra trained, AnalysisSettings settings,
                             Baseline baseline, ProgressListener progress, List<LayerObserver> controlObservers) {
        ProgressListener log = progress == null ? ProgressListener.NONE : progress;
        ModelSpectra control = null;
        Comparison comparison = null;
        List<ThinkingHead> thinkingHeads = null;
        ThinkingHeadsCriterion thinkingHeadsCriterion = null;
        if (settings.control()) {
            ControlModel random = ControlModel.of(model, settings.controlSeed(), conventions);
            log.info(String.format(Locale.ROOT, "Random control (seed %d, weights ~ N(0, %.4g^2)%s):",
                    settings.controlSeed(), random.initialisation().embeddingStd(),
                    ControlModel.samplesEmbeddingGram(model)
                            ? "; its embedding drawn as singular values and, untied, their cross product: exact in "
                            + "distribution, no pass over the vocabulary" : ""));
            control = new SpectraAnalyzer(settings, log).analyze(random, controlObservers);
            comparison = SpectralComparator.compare(trained, control, settings);
            ThinkingHeads.Result outliers = ThinkingHeads.find(trained, nullDraws(model, conventions, control, trained, settings, log),
                    settings);
            thinkingHeads = outliers.heads();
            thinkingHeadsCriterion = outliers.criterion();
        }
        BaselineDrift drift = baseline == null ? null : BaselineDrifts.compute(model, settings, trained, baseline);
        return new Result(control, comparison, thinkingHeads, drift, thinkingHeadsCriterion);
    }

    /**
     * The control, and when it has fewer heads than the thinking-heads test's null width needs (a small model,
     * or few heads selected), further controls of seeds controlSeed + 1, + 2, ...: only a small model's, so cheap.
     */
    static List<ModelSpectra> nullDraws(ModelInfo model, PathConventions conventions, ModelSpectra control, ModelSpectra trained,
                                        AnalysisSettings settings, ProgressListener log) {
        List<ModelSpectra> draws = new ArrayList<>(List.of(control));
        int more = ThinkingHeads.controlDrawsNeeded(trained.heads().size(), control.heads().size());
        if (more > 0) {
            log.info(String.format(Locale.ROOT, "Thinking heads: %d more random controls (seeds %d-%d) for the "
                    + "test's null width, which needs %d control heads", more, settings.controlSeed() + 1,
                    settings.controlSeed() + more, ThinkingHeads.MIN_CONTROL_HEADS));
        }
        for (int i = 1; i <= more; i++) {
            draws.add(new SpectraAnalyzer(settings, ProgressListener.NONE)
                    .analyze(ControlModel.of(model, settings.controlSeed() + i, conventions)));
        }
        return draws;
    }
}
