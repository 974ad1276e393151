package io.github.spectralcircuits.spectra;

/** Spectrum of one circuit: k = rankBound core eigenvalues, k singular values (descending), statistics. */
public record CircuitSpectrum(int dimension, int rankBound, Eigenvalues eigenvalues,
                              double[] singularValues, CircuitStats stats) {
}
