package io.github.spectralcircuits.report;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.github.spectralcircuits.AnalysisSettings;
import io.github.spectralcircuits.check.CheckResult;
import io.github.spectralcircuits.compare.BaselineDrift;
import io.github.spectralcircuits.compare.Comparison;
import io.github.spectralcircuits.compare.ThinkingHead;
import io.github.spectralcircuits.compare.ThinkingHeadsCriterion;
import io.github.spectralcircuits.model.ModelInfo;
import io.github.spectralcircuits.spectra.HeavyTailFits;
import io.github.spectralcircuits.spectra.ModelSpectra;
import java.util.List;

/** The whole of spectral-report.json (SPEC section 6); field names are the contract. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record SpectralReport(
        int schemaVersion,
        ModelInfo model,
        AnalysisSettings settings,
        ModelSpectra trained,
        ModelSpectra control,
        Comparison comparison,
        List<ThinkingHead> thinkingHeads,
        BaselineDrift baselineDrift,
        List<CheckResult> checks,
        ThinkingHeadsCriterion thinkingHeadsCriterion,
        HeavyTailFits heavyTailFits) {

    public static final int SCHEMA_VERSION = 1;

    /** A report without the sections added after the first schema (they stay null, and are not written). */
    public SpectralReport(int schemaVersion, ModelInfo model, AnalysisSettings settings, ModelSpectra trained,
                          ModelSpectra control, Comparison comparison, List<ThinkingHead> thinkingHeads,
                          BaselineDrift baselineDrift, List<CheckResult> checks) {
        this(schemaVersion, model, settings, trained, control, comparison, thinkingHeads, baselineDrift, checks, null,
                null);
    }

    /** This report with other checks (the rules' results), every other section as it is. */
    public SpectralReport withChecks(List<CheckResult> newChecks) {
        return new SpectralReport(schemaVersion, model, settings, trained, control, comparison, thinkingHeads,
                baselineDrift, newChecks, thinkingHeadsCriterion, heavyTailFits);
    }
}
