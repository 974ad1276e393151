package io.github.spectralcircuits.pipeline;

import io.github.spectralcircuits.AnalysisSettings;
import io.github.spectralcircuits.io.WeightsFingerprint;
import io.github.spectralcircuits.model.ModelLoader;
import io.github.spectralcircuits.model.TransformerModel;
import io.github.spectralcircuits.report.SpectralReport;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;

/**
 * Whether a report written earlier still describes what a goal would compute now: the same model directory,
 * the same settings wherever they shape the numbers the goal uses, and the same weights (by their
 * fingerprint). A report that differs in any of these must not be checked or shown as if it were current.
 */
public final class ReportFreshness {
    private ReportFreshness() {
    }

    /** What a goal reads of a report: the trained spectra only (rules), or everything (report pages). */
    public enum Use {
        /** The rules look at the trained heads only: the control's settings do not matter. */
        TRAINED,
        /** A report page shows the control and the comparison too. */
        WHOLE
    }

    /**
     * The differences between the report and what would be computed now, one phrase each; empty when the
     * report is current. The current fingerprint is asked for only when everything else agrees (it reads
     * the attention weights).
     */
    public static List<String> differences(SpectralReport report, Path model, AnalysisSettings wanted, Use use,
                                           Supplier<WeightsFingerprint> currentWeights) {
        List<String> out = new ArrayList<>();
        String reportModel = report.model() == null ? null : report.model().path();
        if (reportModel == null || !Path.of(reportModel).toAbsolutePath().normalize().equals(model.toAbsolutePath().normalize())) {
            out.add("it is of the model " + reportModel + ", not " + model);
            return out;
        }
        if (report.trained() == null) {
            out.add("it has no trained spectra");
            return out;
        }
        AnalysisSettings had = report.settings();
        if (had == null) {
            out.add("it does not record the settings it was computed with");
            return out;
        }
        setting(out, "foldNorms", had.foldNorms(), wanted.foldNorms());
        setting(out, "nearZeroTolerance", had.nearZeroTolerance(), wanted.nearZeroTolerance());
        setting(out, "rankTolerance", had.rankTolerance(), wanted.rankTolerance());
        setting(out, "layers", ranges(had.layers()), ranges(wanted.layers()));
        setting(out, "heads", ranges(had.heads()), ranges(wanted.heads()));
        if (use == Use.WHOLE && wanted.control()) {
            if (report.control() == null) {
                out.add("it has no random control, and control is on");
            } else {
                setting(out, "controlSeed", had.controlSeed(), wanted.controlSeed());
                setting(out, "highRankFraction", had.highRankFraction(), wanted.highRankFraction());
                setting(out, "zThreshold", had.zThreshold(), wanted.zThreshold());
            }
        }
        if (!out.isEmpty()) {
            return out;
        }
        WeightsFingerprint recorded = report.fingerprint();
        if (recorded == null) {
            out.add("it records no fingerprint of the weights (it was written by an older version), so it cannot "
                    + "be told apart from a report of other weights");
            return out;
        }
        WeightsFingerprint now = currentWeights.get();
        if (now == null || !Objects.equals(recorded.algorithm(), now.algorithm())
                || !Objects.equals(recorded.value(), now.value())) {
            out.add("the weights changed since: their fingerprint was " + recorded.describe() + ", it is now "
                    + (now == null ? "unknown" : now.describe()));
        }
        return out;
    }

    /** The fingerprint of a model directory's weights as the analysis would record it. */
    public static WeightsFingerprint fingerprintOf(Path model) {
        try (TransformerModel m = ModelLoader.open(model)) {
            return m.fingerprint();
        }
    }

    /** "foldNorms was true, it is false now; ...": the differences as one clause for a message. */
    public static String describe(List<String> differences) {
        return String.join("; ", differences);
    }

    private static void setting(List<String> out, String name, Object had, Object now) {
        if (!Objects.equals(had, now)) {
            out.add("{{" + name + "}} was " + had + " for it and is " + now + " now");
        }
    }

    private static String ranges(Set<Integer> s) {
        return s.isEmpty() ? "all" : new TreeSet<>(s).toString();
    }
}
