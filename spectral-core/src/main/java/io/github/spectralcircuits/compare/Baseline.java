package io.github.spectralcircuits.compare;

import io.github.spectralcircuits.AnalysisSettings;
import io.github.spectralcircuits.model.ModelInfo;
import io.github.spectralcircuits.spectra.ModelSpectra;

/**
 * What drift is measured against: the model, settings and trained spectra of an earlier report. The
 * report is read by the pipeline (once); this stage only needs its numbers.
 *
 * @param name where it came from (its path), for messages and the report
 */
public record Baseline(String name, ModelInfo model, AnalysisSettings settings, ModelSpectra trained) {
}
