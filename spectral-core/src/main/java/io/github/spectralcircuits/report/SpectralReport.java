package io.github.spectralcircuits.report;

import io.github.spectralcircuits.io.WeightsFingerprint;
import com.fasterxml.jackson.annotation.JsonInclude;
import io.github.spectralcircuits.AnalysisSettings;
import io.github.spectralcircuits.check.CheckResult;
import io.github.spectralcircuits.compare.BaselineDrift;
import io.github.spectralcircuits.compare.Comparison;
import io.github.spectralcircuits.compare.ThinkingHead;
import io.github.spectralcircuits.model.ModelInfo;
import io.github.spectralcircuits.spectra.ModelSpectra;
import java.util.List;

/**
 * The whole of spectral-report.json (SPEC section 6); field names are the contract. The JSON is exactly the
 * components, in this order, written and read by {@link ReportJson#MAPPER}; a null section is left out. A new
 * section is one more component where it should appear in the file (callers that do not set it can keep the old
 * signature through a second constructor passing null; reading still uses the canonical one, see
 * ReportRoundTripTest).
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
        List<CheckResult> checks) {

    public static final int SCHEMA_VERSION = 1;

    /** A report without a weights fingerprint (a model built in memory, or a report of an older version). */
    public SpectralReport(int schemaVersion, ModelInfo model, AnalysisSettings settings, ModelSpectra trained,
                          ModelSpectra control, Comparison comparison, List<ThinkingHead> thinkingHeads,
                          BaselineDrift baselineDrift, List<CheckResult> checks) {
        this(schemaVersion, model, settings, null, trained, control, comparison, thinkingHeads, baselineDrift, checks);
    }

    public SpectralReport withChecks(List<CheckResult> results) {
        return new SpectralReport(schemaVersion, model, settings, fingerprint, trained, control, comparison,
                thinkingHeads, baselineDrift, results);
    }

    public SpectralReport withFingerprint(WeightsFingerprint f) {
        return new SpectralReport(schemaVersion, model, settings, f, trained, control, comparison,
                thinkingHeads, baselineDrift, checks);
    }
}
