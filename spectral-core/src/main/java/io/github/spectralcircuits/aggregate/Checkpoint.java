package io.github.spectralcircuits.aggregate;

import io.github.spectralcircuits.AnalysisSettings;
import io.github.spectralcircuits.compare.ThinkingHead;
import io.github.spectralcircuits.model.ModelInfo;
import java.util.List;

/**
 * One checkpoint in the aggregate: its name, the report's model and settings, the weights' fingerprint
 * (null when the report has none), every analysed head's statistics (layer-major, as in the report) and the
 * report's thinking heads (null when it was analysed without a control, which they need).
 */
public record Checkpoint(String name, ModelInfo model, Fingerprint fingerprint, AnalysisSettings settings,
                         List<HeadStats> heads, List<ThinkingHead> thinkingHeads) {

    public Checkpoint {
        heads = List.copyOf(heads);
        thinkingHeads = thinkingHeads == null ? null : List.copyOf(thinkingHeads);
    }
}
