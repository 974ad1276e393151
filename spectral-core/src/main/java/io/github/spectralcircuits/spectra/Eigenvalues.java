package io.github.spectralcircuits.spectra;

/**
 * The k nonzero-candidate eigenvalues of a circuit (its d_head x d_head core), sorted by
 * descending modulus, then descending real part, then descending imaginary part.
 */
public record Eigenvalues(double[] re, double[] im) {
}
