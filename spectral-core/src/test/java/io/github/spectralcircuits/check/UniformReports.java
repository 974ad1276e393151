package io.github.spectralcircuits.check;

import io.github.spectralcircuits.AnalysisSettings;
import io.github.spectralcircuits.report.SpectralReport;
import io.github.spectralcircuits.spectra.CircuitSpectrum;
import io.github.spectralcircuits.spectra.CircuitStats;
import io.github.spectralcircuits.spectra.Eigenvalues;
import io.github.spectralcircuits.spectra.HeadSpectra;
import io.github.spectralcircuits.spectra.ModelSpectra;
import java.util.ArrayList;
import java.util.List;
import java.util.function.ToDoubleBiFunction;

/** Reports with chosen statistics per head, for the rule evaluator's tests. */
final class UniformReports {
    private UniformReports() {
    }

    /** Stats whose every metric is the given value (numericalRank rounded). */
    public static CircuitStats uniformStats(double v) {
        return new CircuitStats(v, v, v, v, v, (int) Math.round(v), v, v, v, v, v);
    }

    /** Stats with effectiveRank, nearZeroRatio, spectralNorm and positivity set; the rest 1. */
    public static CircuitStats stats(double effectiveRank, double nearZeroRatio, double spectralNorm, double positivity) {
        return new CircuitStats(1, 1, 1, 1, nearZeroRatio, 8, effectiveRank, 1, spectralNorm, 1, positivity);
    }

    public static CircuitSpectrum circuit(CircuitStats stats) {
        return new CircuitSpectrum(16, 2, new Eigenvalues(new double[] {1, 0}, new double[] {0, 0}),
                new double[] {1, 0.5}, stats);
    }

    /**
     * A report of nLayers x nHeads heads whose QK stats are qk(layer, head) and OV stats ov(layer, head),
     * both given as "every metric equals this number".
     */
    public static SpectralReport uniform(int nLayers, int nHeads, ToDoubleBiFunction<Integer, Integer> qk,
                                         ToDoubleBiFunction<Integer, Integer> ov) {
        List<HeadSpectra> heads = new ArrayList<>();
        for (int l = 0; l < nLayers; l++) {
            for (int h = 0; h < nHeads; h++) {
                heads.add(new HeadSpectra(l, h, h, circuit(uniformStats(qk.applyAsDouble(l, h))),
                        circuit(uniformStats(ov.applyAsDouble(l, h)))));
            }
        }
        return of(heads);
    }

    public static SpectralReport of(List<HeadSpectra> heads) {
        return new SpectralReport(SpectralReport.SCHEMA_VERSION, null, AnalysisSettings.defaults(),
                new ModelSpectra(heads), null, null, null, null, null);
    }
}
