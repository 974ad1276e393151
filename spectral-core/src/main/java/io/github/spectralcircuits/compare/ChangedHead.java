package io.github.spectralcircuits.compare;

import io.github.spectralcircuits.spectra.CircuitType;

/**
 * How one circuit changed from the reference model to this one ({@link ReferenceComparisons}), the report's
 * "changedHeads", ranked by score, biggest first.
 *
 * @param score               max(singularValueChange, spectralNormChange, sin of the largest principal angle)
 * @param singularValueChange |sigma_ref - sigma|_2 / |sigma_ref|_2 over all d_head singular values
 * @param spectralNormChange  |sigma_1 - sigma_1,ref| / sigma_1,ref
 * @param subspaceDimension   k, the dimension of the top singular subspaces compared
 * @param maxAngleDegrees     the largest principal angle of either side
 * @param leftAnglesDegrees   the k principal angles between the top-k left singular subspaces (QK: query tokens;
 *                            OV: the attended token), ascending
 * @param rightAnglesDegrees  the same for the right ones (QK: key tokens; OV: the logits written)
 */
public record ChangedHead(int rank, int layer, int head, CircuitType circuit, double score,
                          double singularValueChange, double spectralNormChange, double spectralNorm,
                          double referenceSpectralNorm, int subspaceDimension, double maxAngleDegrees,
                          double[] leftAnglesDegrees, double[] rightAnglesDegrees) {
}
