package io.github.spectralcircuits.spectra;

/**
 * The heavy-tail fit of one layer and circuit type: a power law fitted to the squared singular values of all of
 * the layer's analysed heads pooled (one head alone has only d_head of them), in WeightWatcher's manner. n,
 * nTail, xmin, alpha, alphaStdError and ksDistance as in {@link PowerLawFit}; the values are sigma^2, so xmin is
 * a squared singular value. Every number is NaN (and nTail 0) when the layer has fewer positive values than the
 * smallest tail.
 */
public record LayerTailFit(int layer, CircuitType circuit, int heads, int n, int nTail, double xmin, double alpha,
                           double alphaStdError, double ksDistance) {
}
