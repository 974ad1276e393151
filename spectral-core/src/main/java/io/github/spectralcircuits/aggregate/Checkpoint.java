package io.github.spectralcircuits.aggregate;

import io.github.spectralcircuits.AnalysisSettings;
import io.github.spectralcircuits.compare.ThinkingHead;
import io.github.spectralcircuits.io.WeightsFingerprint;
import io.github.spectralcircuits.model.ModelInfo;
import java.util.List;

/**
 * One checkpoint in the aggregate: its name, the report's model, settings and weights' fingerprint (null
 * when the report has none: a report of an older version), every analysed head's statistics (layer-major, as in the report) and the
 * report's thinking heads (null when it was analysed without a control, which they need).
 */
public record Checkpoint(String name, ModelInfo model, WeightsFingerprint fingerprint, AnalysisSettings settings,
                         List<HeadStats> heads, List<ThinkingHead> thinkingHeads) {

    public Checkpoint {
        heads = List.copyOf(heads);
        thinkingHeads = thinkingHeads == null ? null : List.copyOf(thinkingHeads);
    }
}
