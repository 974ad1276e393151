package io.github.spectralcircuits.composition;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * One pair of heads of the report's "compositionScores": score = |A B|_F / (|A|_F |B|_F), A the earlier
 * head's W_OV and B the later head's matrix of the mode; with a control, z is (score - mean) / sd of the
 * control's scores of the same mode (its null sample, {@link CompositionScores#forControl}), and
 * controlQuantile the fraction of those below score.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record CompositionScore(CompositionMode mode, int fromLayer, int fromHead, int toLayer, int toHead,
                               double score, Double z, Double controlQuantile) {
}
