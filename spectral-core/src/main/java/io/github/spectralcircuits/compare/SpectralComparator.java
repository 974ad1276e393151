package io.github.spectralcircuits.compare;

import io.github.spectralcircuits.AnalysisSettings;
import io.github.spectralcircuits.spectra.CircuitSpectrum;
import io.github.spectralcircuits.spectra.CircuitType;
import io.github.spectralcircuits.spectra.HeadSpectra;
import io.github.spectralcircuits.spectra.ModelSpectra;
import java.util.ArrayList;
import java.util.List;

/**
 * Trained vs control spectra (SPEC section 5): density comparisons per head and pooled, and the rank
 * hypothesis, per circuit type. A pure function of the two {@link ModelSpectra} and the settings.
 */
public final class SpectralComparator {
    private SpectralComparator() {
    }

    public static Comparison compare(ModelSpectra trained, ModelSpectra control, AnalysisSettings settings) {
        HeadPairs pairs = HeadPairs.of(trained, control);
        return new Comparison(Comparison.SAMPLES,
                compare(pairs, CircuitType.QK, settings), compare(pairs, CircuitType.OV, settings));
    }

    static CircuitComparison compare(HeadPairs pairs, CircuitType type, AnalysisSettings settings) {
        List<HeadComparison> heads = new ArrayList<>();
        List<double[]> tEig = new ArrayList<>();
        List<double[]> cEig = new ArrayList<>();
        List<double[]> tSv = new ArrayList<>();
        List<double[]> cSv = new ArrayList<>();
        double meanDiff = 0;
        double nzDiff = 0;
        for (int i = 0; i < pairs.size(); i++) {
            HeadSpectra th = pairs.trained().get(i);
            CircuitSpectrum t = th.circuit(type);
            CircuitSpectrum c = pairs.control().get(i).circuit(type);
            double[] te = SpectralSamples.eigenvalueModuli(t);
            double[] ce = SpectralSamples.eigenvalueModuli(c);
            double[] ts = SpectralSamples.singularValues(t);
            double[] cs = SpectralSamples.singularValues(c);
            tEig.add(te);
            cEig.add(ce);
            tSv.add(ts);
            cSv.add(cs);
            double md = t.stats().mean() - c.stats().mean();
            double nd = t.stats().nearZeroRatio() - c.stats().nearZeroRatio();
            meanDiff += md;
            nzDiff += nd;
            heads.add(new HeadComparison(th.layer(), th.head(), md, nd,
                    DensityTests.compare(DensityComparison.EIGENVALUE_MODULI, te, ce),
                    DensityTests.compare(DensityComparison.SINGULAR_VALUES, ts, cs)));
        }
        int n = pairs.size();
        return new CircuitComparison(type, meanDiff / n, nzDiff / n,
                DensityTests.compare(DensityComparison.EIGENVALUE_MODULI,
                        SpectralSamples.concat(tEig), SpectralSamples.concat(cEig)),
                DensityTests.compare(DensityComparison.SINGULAR_VALUES,
                        SpectralSamples.concat(tSv), SpectralSamples.concat(cSv)),
                RankHypotheses.test(pairs, type, settings.highRankFraction()),
                heads);
    }
}
