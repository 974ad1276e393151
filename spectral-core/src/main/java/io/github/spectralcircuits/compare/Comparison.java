package io.github.spectralcircuits.compare;

import io.github.spectralcircuits.spectra.CircuitType;

/**
 * Trained vs control (SPEC section 5), one {@link CircuitComparison} per circuit type.
 *
 * @param samples what the density comparisons are over, in words, so the report explains itself
 */
public record Comparison(String samples, CircuitComparison qk, CircuitComparison ov) {

    public static final String SAMPLES = "the k = d_head core eigenvalues (and k singular values) of each circuit, "
            + "each scaled by that circuit's spectral norm, pooled over heads for the pooled comparison; "
            + "the V - k structural zeros, identical in both models, are left out of the densities";

    public CircuitComparison circuit(CircuitType type) {
        return type == CircuitType.QK ? qk : ov;
    }
}
