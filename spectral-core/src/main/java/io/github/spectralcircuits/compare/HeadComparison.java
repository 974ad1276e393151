package io.github.spectralcircuits.compare;

/**
 * One head's circuit, trained vs the control head at the same (layer, head): the differences
 * (trained - control) of SPEC section 4's mean (of Re lambda over all V eigenvalues) and
 * nearZeroRatio, and the density comparisons of its k core eigenvalue moduli and k singular values.
 */
public record HeadComparison(
        int layer,
        int head,
        double meanDifference,
        double nearZeroRatioDifference,
        DensityComparison eigenvalueModuli,
        DensityComparison singularValues) {
}
