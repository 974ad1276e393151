package io.github.spectralcircuits.spectra;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * Spectrum of one circuit: k = rankBound core eigenvalues, k singular values (descending), statistics;
 * with token readouts, the OV circuit's top copying tokens (largest diagonal entries) and the top
 * singular directions in tokens (both null when not computed, and then absent from the report).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record CircuitSpectrum(int dimension, int rankBound, Eigenvalues eigenvalues,
                              double[] singularValues, CircuitStats stats,
                              List<TokenScore> topCopyingTokens, List<SingularDirection> singularDirections) {

    public CircuitSpectrum {
        topCopyingTokens = topCopyingTokens == null ? null : List.copyOf(topCopyingTokens);
        singularDirections = singularDirections == null ? null : List.copyOf(singularDirections);
    }

    /** A spectrum without token readouts. */
    public CircuitSpectrum(int dimension, int rankBound, Eigenvalues eigenvalues, double[] singularValues,
                           CircuitStats stats) {
        this(dimension, rankBound, eigenvalues, singularValues, stats, null, null);
    }

    public CircuitSpectrum withReadouts(List<TokenScore> copying, List<SingularDirection> directions) {
        return new CircuitSpectrum(dimension, rankBound, eigenvalues, singularValues, stats, copying, directions);
    }
}
