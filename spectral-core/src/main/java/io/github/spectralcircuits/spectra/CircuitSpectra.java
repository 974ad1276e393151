package io.github.spectralcircuits.spectra;

import io.github.spectralcircuits.AnalysisSettings;
import org.ejml.data.DMatrixRMaj;

/** A CircuitSpectrum from the factored cores, or from a materialised circuit (dense path). */
public final class CircuitSpectra {
    private CircuitSpectra() {
    }

    /**
     * @param dimension    V, the circuit's side
     * @param eigenCore    dh x dh matrix whose eigenvalues are the circuit's nonzero ones
     * @param singularCore dh x dh matrix with the circuit's nonzero singular values
     */
    public static CircuitSpectrum factored(int dimension, DMatrixRMaj eigenCore, DMatrixRMaj singularCore,
                                           AnalysisSettings settings) {
        Eigenvalues eig = Decompositions.coreEigenvalues(eigenCore);
        double[] sv = Decompositions.singularValues(singularCore);
        return new CircuitSpectrum(dimension, eigenCore.numRows, eig, sv, CircuitStatistics.of(dimension, eig, sv,
                settings.nearZeroTolerance(), settings.rankTolerance()));
    }

    /** Every one of the V eigenvalues and singular values of a materialised V x V circuit. */
    public static CircuitSpectrum dense(DMatrixRMaj circuit, int rankBound, AnalysisSettings settings) {
        Eigenvalues eig = Decompositions.eigenvalues(circuit);
        double[] sv = Decompositions.singularValues(circuit);
        return new CircuitSpectrum(circuit.numRows, rankBound, eig, sv, CircuitStatistics.of(circuit.numRows, eig, sv,
                settings.nearZeroTolerance(), settings.rankTolerance()));
    }
}
