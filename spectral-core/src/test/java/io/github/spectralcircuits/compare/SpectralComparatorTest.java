package io.github.spectralcircuits.compare;

import static io.github.spectralcircuits.compare.SyntheticSpectra.circuit;
import static io.github.spectralcircuits.compare.SyntheticSpectra.head;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.spectralcircuits.AnalysisSettings;
import io.github.spectralcircuits.SpectralException;
import io.github.spectralcircuits.spectra.CircuitSpectrum;
import io.github.spectralcircuits.spectra.CircuitType;
import io.github.spectralcircuits.spectra.HeadSpectra;
import io.github.spectralcircuits.spectra.ModelSpectra;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SpectralComparatorTest {
    static final AnalysisSettings SETTINGS = AnalysisSettings.defaults();

    /** 2 layers x 2 heads, V = 100, k = 4; head (l, h) has eigenvalues base * (1, f, f^2, f^3). */
    static ModelSpectra model(double base, double f, double svDecay) {
        List<HeadSpectra> heads = new ArrayList<>();
        for (int l = 0; l < 2; l++) {
            for (int h = 0; h < 2; h++) {
                double b = base * (1 + 0.1 * (2 * l + h));
                double[] re = {b, b * f, b * f * f, b * f * f * f};
                double[] sv = {2 * b, 2 * b * svDecay, 2 * b * svDecay * svDecay, 2 * b * Math.pow(svDecay, 3)};
                heads.add(head(l, h, circuit(100, re, sv), circuit(100, re.clone(), sv.clone())));
            }
        }
        return new ModelSpectra(heads);
    }

    @Test
    void perHeadAndPooledDensitiesUseCoreValuesScaledBySpectralNorm() {
        ModelSpectra trained = model(1, 0.5, 0.5);
        ModelSpectra control = model(3, 0.9, 0.8);
        Comparison c = SpectralComparator.compare(trained, control, SETTINGS);
        CircuitComparison ov = c.circuit(CircuitType.OV);
        assertEquals(CircuitType.OV, ov.circuit());
        assertEquals(4, ov.heads().size());
        HeadComparison h = ov.heads().get(0);
        // trained head 0.0: |lambda| / sigma_1 = (1, .5, .25, .125) / 2; control: (1, .9, .81, .729) * 3 / 6
        double[] t = {0.5, 0.25, 0.125, 0.0625};
        double[] k = {0.5, 0.45, 0.405, 0.3645};
        assertEquals(DensityTests.mean(t) - DensityTests.mean(k), h.eigenvalueModuli().sampleMeanDifference(), 1e-15);
        assertEquals(Wasserstein.distance(t, k), h.eigenvalueModuli().wasserstein1(), 1e-15);
        // the top values coincide at .5; below it every trained value is below every control value
        assertEquals(0.75, h.eigenvalueModuli().ksStatistic(), 1e-15);
        assertEquals(4, h.eigenvalueModuli().trainedSamples());
        // singular values: (1, .5, .25, .125) vs (1, .8, .64, .512)
        assertEquals((0.0 + 0.3 + 0.39 + 0.387) / 4, h.singularValues().wasserstein1(), 1e-12);
        // SPEC section 4 mean: sum(re) / V
        assertEquals((1.875 - 3 * 3.439) / 100, h.meanDifference(), 1e-12);
        assertEquals(0.0, h.nearZeroRatioDifference(), 0.0);
        // pooled: 4 heads x 4 core values each side; scale-free values are the same in every head
        assertEquals(16, ov.eigenvalueModuli().trainedSamples());
        assertEquals(16, ov.eigenvalueModuli().controlSamples());
        assertEquals(h.eigenvalueModuli().wasserstein1(), ov.eigenvalueModuli().wasserstein1(), 1e-15);
        assertEquals(0.75, ov.eigenvalueModuli().ksStatistic(), 1e-15);
        assertTrue(ov.eigenvalueModuli().ksPValue() < 0.01, "16 vs 16 separated samples");
        double meanDiff = ov.heads().stream().mapToDouble(HeadComparison::meanDifference).average().orElseThrow();
        assertEquals(meanDiff, ov.meanDifference(), 1e-15);
        assertTrue(c.samples().contains("core eigenvalues"));
    }

    @Test
    void scaleAloneIsNoDifference() {
        Comparison c = SpectralComparator.compare(model(8, 0.6, 0.7), model(1.0 / 128, 0.6, 0.7), SETTINGS);
        for (CircuitType type : CircuitType.values()) {
            CircuitComparison cc = c.circuit(type);
            assertEquals(0.0, cc.eigenvalueModuli().ksStatistic(), 1e-12);
            assertEquals(0.0, cc.eigenvalueModuli().wasserstein1(), 1e-12);
            assertEquals(0.0, cc.singularValues().wasserstein1(), 1e-12);
            assertEquals(1.0, cc.eigenvalueModuli().ksPValue(), 1e-9);
        }
    }

    @Test
    void rankHypothesisIsRejectedByConstructionWhenTheBottleneckIsNarrow() {
        Comparison c = SpectralComparator.compare(model(1, 0.5, 0.5), model(3, 0.9, 0.8), SETTINGS);
        RankHypothesis r = c.qk().rankHypothesis();
        assertTrue(r.rejectedByConstruction());
        assertEquals(50.0, r.highRankThreshold(), 0.0);
        assertEquals(4, r.rankBound());
        assertEquals(100, r.dimension());
        assertEquals(4, r.headsTested());
        assertEquals(4, r.headsRejected());
        assertEquals(4, r.heads().get(2).trainedNumericalRank());
        assertEquals(1, r.heads().get(2).layer());
        // trained effective ranks (decay .5) are all below the control's (decay .8): W- = 10, W+ = 0,
        // exact two-sided p = 2 / 2^4
        PairedTest w = r.effectiveRankTest();
        assertEquals(4, w.trainedBelowControl());
        assertEquals(10.0, w.statistic(), 0.0);
        assertEquals(0.125, w.pValue(), 1e-12);
        assertEquals("exact", w.pValueMethod());
    }

    @Test
    void rankHypothesisOnAWideHeadDependsOnTheNumericalRank() {
        // V = 6, k = 4: threshold 3; a full-rank head keeps H0, a rank-2 head rejects it
        CircuitSpectrum full = circuit(6, new double[] {4, 3, 2, 1}, new double[] {4, 3, 2, 1});
        CircuitSpectrum low = circuit(6, new double[] {4, 3, 0, 0}, new double[] {4, 3, 0, 0});
        ModelSpectra trained = new ModelSpectra(List.of(head(0, 0, full, full), head(0, 1, low, full)));
        ModelSpectra control = new ModelSpectra(List.of(head(0, 0, full, full), head(0, 1, full, full)));
        RankHypothesis r = SpectralComparator.compare(trained, control, SETTINGS).qk().rankHypothesis();
        assertFalse(r.rejectedByConstruction());
        assertEquals(1, r.headsRejected());
        assertFalse(r.heads().get(0).highRankRejected());
        assertTrue(r.heads().get(1).highRankRejected());
        assertEquals(2, r.heads().get(1).trainedNumericalRank());
        assertEquals(4, r.heads().get(1).controlNumericalRank());
        assertEquals(1, r.effectiveRankTest().zeroDifferences());
    }

    @Test
    void aControlWithoutTheTrainedHeadsIsAnError() {
        ModelSpectra trained = model(1, 0.5, 0.5);
        ModelSpectra control = new ModelSpectra(model(1, 0.5, 0.5).heads().subList(0, 3));
        SpectralException e = assertThrows(SpectralException.class,
                () -> SpectralComparator.compare(trained, control, SETTINGS));
        assertTrue(e.getMessage().contains("1.1"), e.getMessage());
    }
}
