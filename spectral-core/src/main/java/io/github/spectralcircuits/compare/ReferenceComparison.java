package io.github.spectralcircuits.compare;

import io.github.spectralcircuits.model.ModelInfo;

/**
 * The report's "referenceComparison": what this model was compared with and how; the per-circuit results are
 * the report's "changedHeads".
 *
 * @param reference        the reference as given (a directory; later a hub id)
 * @param model            the reference model's shapes (the same as this model's)
 * @param score            the definition of a circuit's change score
 * @param subspaces        how the subspaces compared were chosen
 * @param embedding        "identical" when both models have the same W_E (the bases agree, angles are exact to
 *                         rounding), else "differs"
 * @param unembedding      the same for W_U; "tied" when it is W_E^T
 * @param circuits         circuits compared
 * @param changedCircuits  circuits whose score is above 0
 * @param largestScore     the first changed head's score
 */
public record ReferenceComparison(String reference, ModelInfo model, String score, String subspaces,
                                  String embedding, String unembedding, int circuits, int changedCircuits,
                                  double largestScore) {

    public static final String SCORE = "max(|sigma_ref - sigma|_2 / |sigma_ref|_2, |sigma_1 - sigma_1,ref| / "
            + "sigma_1,ref, sin of the largest principal angle between the top-k left or right singular subspaces)";
    public static final String SUBSPACES = "top-k singular subspaces, k in 1..min(8, d_head) where the reference's "
            + "sigma_k / sigma_(k+1) is largest (sigma_(d_head+1) = 0), so that the subspace is well separated from the "
            + "rest; angles from the thin orthonormal factors, never a V x V matrix";
}
