package io.github.spectralcircuits.spectra;

/**
 * A continuous power law p(x) ~ x^-alpha for x >= xmin fitted to the upper tail of a sample, as Clauset, Shalizi
 * and Newman (2009) fit it and WeightWatcher applies it to eigenvalues of weight matrices ({@link PowerLawFits}).
 *
 * @param n             positive values in the sample
 * @param nTail         values >= xmin, which the fit describes
 * @param xmin          the KS-optimal lower bound of the tail
 * @param alpha         maximum-likelihood exponent: 1 + nTail / sum ln(x / xmin) over the tail
 * @param alphaStdError its standard error (alpha - 1) / sqrt(nTail)
 * @param ksDistance    Kolmogorov-Smirnov distance between the tail's empirical CDF and the fitted law's
 */
public record PowerLawFit(int n, int nTail, double xmin, double alpha, double alphaStdError, double ksDistance) {
}
