package io.github.spectralcircuits.report;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import io.github.spectralcircuits.AnalysisSettings;
import io.github.spectralcircuits.check.CheckResult;
import io.github.spectralcircuits.compare.BaselineDrift;
import io.github.spectralcircuits.compare.ChangedHead;
import io.github.spectralcircuits.compare.ReferenceComparison;
import io.github.spectralcircuits.compare.Comparison;
import io.github.spectralcircuits.compare.ThinkingHead;
import io.github.spectralcircuits.compare.ThinkingHeadsCriterion;
import io.github.spectralcircuits.composition.CompositionMatrices;
import io.github.spectralcircuits.composition.CompositionScore;
import io.github.spectralcircuits.io.WeightsFingerprint;
import io.github.spectralcircuits.model.ModelInfo;
import io.github.spectralcircuits.spectra.HeavyTailFits;
import io.github.spectralcircuits.spectra.ModelSpectra;
import java.util.List;

/**
 * The whole of spectral-report.json (SPEC section 6); field names are the contract. The JSON is exactly the
 * components, in this order, written and read by {@link ReportJson#MAPPER}; a null section is left out. A new
 * section is one more component where it should appear in the file (callers that do not set it can keep the old
 * signature through a second constructor passing null; reading still uses the canonical one, see
 * ReportRoundTripTest). compositionMatrices (every pair's score, for the charts) is not written: the report
 * lists the top pairs only, so a report read back has it null.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record SpectralReport(
        int schemaVersion,
        ModelInfo model,
        AnalysisSettings settings,
        WeightsFingerprint fingerprint,
        ModelSpectra trained,
        ModelSpectra control,
        Comparison comparison,
        List<ThinkingHead> thinkingHeads,
        BaselineDrift baselineDrift,
        List<CheckResult> checks,
        ThinkingHeadsCriterion thinkingHeadsCriterion,
        HeavyTailFits heavyTailFits,
        ReferenceComparison referenceComparison,
        List<ChangedHead> changedHeads,
        List<CompositionScore> compositionScores,
        @JsonIgnore CompositionMatrices compositionMatrices) {

    public static final int SCHEMA_VERSION = 1;

    /** A report without a weights fingerprint (a model built in memory, or a report of an older version). */
    public SpectralReport(int schemaVersion, ModelInfo model, AnalysisSettings settings, ModelSpectra trained,
                          ModelSpectra control, Comparison comparison, List<ThinkingHead> thinkingHeads,
                          BaselineDrift baselineDrift, List<CheckResult> checks) {
        this(schemaVersion, model, settings, null, trained, control, comparison, thinkingHeads, baselineDrift, checks);
    }

    /** A report without the sections added after the fingerprint (they stay null, and are not written). */
    public SpectralReport(int schemaVersion, ModelInfo model, AnalysisSettings settings, WeightsFingerprint fingerprint,
                          ModelSpectra trained, ModelSpectra control, Comparison comparison,
                          List<ThinkingHead> thinkingHeads, BaselineDrift baselineDrift, List<CheckResult> checks) {
        this(schemaVersion, model, settings, fingerprint, trained, control, comparison, thinkingHeads, baselineDrift,
                checks, null, null, null, null, null, null);
    }

    /** This report with other checks (the rules' results), every other section as it is. */
    public SpectralReport withChecks(List<CheckResult> results) {
        return new SpectralReport(schemaVersion, model, settings, fingerprint, trained, control, comparison,
                thinkingHeads, baselineDrift, results, thinkingHeadsCriterion, heavyTailFits, referenceComparison,
                changedHeads, compositionScores, compositionMatrices);
    }

    public SpectralReport withFingerprint(WeightsFingerprint f) {
        return new SpectralReport(schemaVersion, model, settings, f, trained, control, comparison,
                thinkingHeads, baselineDrift, checks, thinkingHeadsCriterion, heavyTailFits, referenceComparison,
                changedHeads, compositionScores, compositionMatrices);
    }

    /** This report with the comparison against a reference model. */
    public SpectralReport withReference(ReferenceComparison comparison, List<ChangedHead> changed) {
        return new SpectralReport(schemaVersion, model, settings, fingerprint, trained, control, this.comparison,
                thinkingHeads, baselineDrift, checks, thinkingHeadsCriterion, heavyTailFits, comparison, changed,
                compositionScores, compositionMatrices);
    }

    /** This report with the top composition scores and every pair's matrices (the charts' input). */
    public SpectralReport withComposition(List<CompositionScore> scores, CompositionMatrices matrices) {
        return new SpectralReport(schemaVersion, model, settings, fingerprint, trained, control, comparison,
                thinkingHeads, baselineDrift, checks, thinkingHeadsCriterion, heavyTailFits, referenceComparison,
                changedHeads, scores, matrices);
    }
}
