package io.github.spectralcircuits.compare;

import io.github.spectralcircuits.ParameterNames;
import io.github.spectralcircuits.AnalysisSettings;
import io.github.spectralcircuits.SpectralException;
import io.github.spectralcircuits.model.ModelInfo;
import io.github.spectralcircuits.spectra.CircuitStats;
import io.github.spectralcircuits.spectra.CircuitType;
import io.github.spectralcircuits.spectra.HeadSpectra;
import io.github.spectralcircuits.spectra.ModelSpectra;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Computes {@link BaselineDrift}: the trained model's heads against the same heads of a baseline
 * report. Refuses, with a message saying what differs, a baseline of another model shape, one that
 * lacks an analysed head, or one computed under other definitions (norm folding, tolerances): the
 * drift would then measure the change of settings, not of the model.
 */
public final class BaselineDrifts {
    private BaselineDrifts() {
    }

    public static BaselineDrift compute(ModelInfo model, AnalysisSettings settings, ModelSpectra trained,
                                        Baseline baseline) {
        String baselineName = baseline.name();
        if (baseline.model() == null || baseline.trained() == null) {
            throw new SpectralException("The baseline report " + baselineName + " has no \"model\" or no \"trained\" "
                    + "section, so there is nothing to measure drift against; point " + ParameterNames.ref("baseline") + " at a "
                    + "spectral-report.json written by a complete analysis.");
        }
        checkShape(model, baseline.model(), baselineName);
        checkSettings(settings, baseline.settings(), baselineName);
        Map<Long, HeadSpectra> old = new HashMap<>();
        for (HeadSpectra h : baseline.trained().heads()) {
            old.put(HeadPairs.key(h.layer(), h.head()), h);
        }
        List<String> missing = new ArrayList<>();
        List<HeadDrift> heads = new ArrayList<>();
        for (HeadSpectra h : trained.heads()) {
            HeadSpectra b = old.get(HeadPairs.key(h.layer(), h.head()));
            if (b == null) {
                missing.add(h.layer() + "." + h.head());
                continue;
            }
            heads.add(new HeadDrift(h.layer(), h.head(), drift(b.qk().stats(), h.qk().stats()),
                    drift(b.ov().stats(), h.ov().stats())));
        }
        if (!missing.isEmpty()) {
            throw new SpectralException("The baseline report " + baselineName + " lacks " + missing.size()
                    + " of the analysed heads (layer.head: " + abbreviate(missing) + "), so their drift cannot be "
                    + "measured; regenerate the baseline without layers/heads filters, or analyse only the heads it has.");
        }
        return new BaselineDrift(baselineName, heads);
    }

    private static List<MetricDrift> drift(CircuitStats before, CircuitStats now) {
        List<MetricDrift> out = new ArrayList<>();
        for (String m : CircuitStats.METRICS) {
            out.add(MetricDrift.of(m, before.metric(m), now.metric(m)));
        }
        return out;
    }

    private static void checkShape(ModelInfo now, ModelInfo before, String baselineName) {
        List<String> diffs = new ArrayList<>();
        differs(diffs, "vocabSize", before.vocabSize(), now.vocabSize());
        differs(diffs, "dModel", before.dModel(), now.dModel());
        differs(diffs, "nLayers", before.nLayers(), now.nLayers());
        differs(diffs, "nHeads", before.nHeads(), now.nHeads());
        differs(diffs, "nKvHeads", before.nKvHeads(), now.nKvHeads());
        differs(diffs, "dHead", before.dHead(), now.dHead());
        if (!diffs.isEmpty()) {
            throw new SpectralException("The baseline report " + baselineName + " is of a model of another shape ("
                    + String.join(", ", diffs) + "), so per-head drift has no meaning; use a baseline written for "
                    + "this model (" + now.architecture() + "), or drop the baseline setting.");
        }
    }

    private static void checkSettings(AnalysisSettings now, AnalysisSettings before, String baselineName) {
        if (before == null) {
            return;
        }
        List<String> diffs = new ArrayList<>();
        differs(diffs, "foldNorms", before.foldNorms(), now.foldNorms());
        differs(diffs, "nearZeroTolerance", before.nearZeroTolerance(), now.nearZeroTolerance());
        differs(diffs, "rankTolerance", before.rankTolerance(), now.rankTolerance());
        if (!diffs.isEmpty()) {
            throw new SpectralException("The baseline report " + baselineName + " was computed with other settings ("
                    + String.join(", ", diffs) + "), so its metrics are defined differently and drift would "
                    + "measure the change of settings; rerun with the baseline's settings or regenerate the baseline.");
        }
    }

    private static void differs(List<String> diffs, String name, Object before, Object now) {
        if (!Objects.equals(before, now)) {
            diffs.add(name + " " + before + " in the baseline, " + now + " now");
        }
    }

    private static String abbreviate(List<String> items) {
        return items.size() <= 8 ? String.join(", ", items)
                : String.join(", ", items.subList(0, 8)) + " and " + (items.size() - 8) + " more";
    }
}
