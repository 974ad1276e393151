package io.github.spectralcircuits.aggregate;

import io.github.spectralcircuits.spectra.CircuitSpectrum;
import io.github.spectralcircuits.spectra.CircuitStats;

/** One circuit of one head at one checkpoint: its size and statistics, without the spectra themselves. */
public record CircuitSummary(int dimension, int rankBound, CircuitStats stats) {

    static CircuitSummary of(CircuitSpectrum c) {
        return new CircuitSummary(c.dimension(), c.rankBound(), c.stats());
    }
}
