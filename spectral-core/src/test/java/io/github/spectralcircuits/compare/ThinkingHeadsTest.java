package io.github.spectralcircuits.compare;

import static io.github.spectralcircuits.compare.SyntheticSpectra.circuit;
import static io.github.spectralcircuits.compare.SyntheticSpectra.head;
import static io.github.spectralcircuits.compare.SyntheticSpectra.withStat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.spectralcircuits.AnalysisSettings;
import io.github.spectralcircuits.spectra.CircuitSpectrum;
import io.github.spectralcircuits.spectra.CircuitType;
import io.github.spectralcircuits.spectra.HeadSpectra;
import io.github.spectralcircuits.spectra.ModelSpectra;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

class ThinkingHeadsTest {
    static final CircuitSpectrum BASE = circuit(64, new double[] {3, -2, 1, -0.5}, new double[] {4, 3, 2, 1});

    /** 4 layers x 5 heads; control positivity alternates +-0.1 (mean 0, sample std 0.1 * sqrt(20/19)). */
    static ModelSpectra control() {
        List<HeadSpectra> heads = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            CircuitSpectrum c = withStat(BASE, "positivity", i % 2 == 0 ? 0.1 : -0.1);
            c = withStat(c, "spectralNorm", 4 + (i % 2 == 0 ? 0.5 : -0.5));
            c = withStat(c, "effectiveRank", 3 + (i % 4 - 1.5) * 0.1);
            heads.add(head(i / 5, i % 5, c, c));
        }
        return new ModelSpectra(heads);
    }

    static ModelSpectra trainedLike(ModelSpectra control, int layer, int head, CircuitType type,
                                    UnaryOperator<CircuitSpectrum> change) {
        List<HeadSpectra> heads = new ArrayList<>();
        for (HeadSpectra h : control.heads()) {
            if (h.layer() == layer && h.head() == head) {
                CircuitSpectrum qk = type == CircuitType.QK ? change.apply(h.qk()) : h.qk();
                CircuitSpectrum ov = type == CircuitType.OV ? change.apply(h.ov()) : h.ov();
                h = new HeadSpectra(h.layer(), h.head(), h.kvHead(), qk, ov);
            }
            heads.add(h);
        }
        return new ModelSpectra(heads);
    }

    @Test
    void plantedOutliersAreFoundAndRanked() {
        ModelSpectra control = control();
        double sd = 0.1 * Math.sqrt(20.0 / 19);
        ModelSpectra trained = trainedLike(control, 2, 3, CircuitType.OV, c -> withStat(c, "positivity", 0.9));
        trained = trainedLike(trained, 1, 0, CircuitType.QK, c -> withStat(withStat(c, "positivity", -0.5),
                "spectralNorm", 40));
        List<ThinkingHead> found = ThinkingHeads.find(trained, control, AnalysisSettings.defaults());
        assertEquals(2, found.size(), found.toString());
        ThinkingHead first = found.get(0);
        // spectral norm relative to the model's median head: control (3.5 or 4.5) / 4, mean 1, sample std
        // 0.125 sqrt(20/19); trained 40 / 4.5 (median of ten 4.5s, nine 3.5s and the 40):
        // z = (8.89 - 1) / 0.128 = 61.5 beats positivity's (0.9 - 0) / sd = 8.77
        assertEquals(1, first.rank());
        assertEquals(1, first.layer());
        assertEquals(0, first.head());
        assertEquals(CircuitType.QK, first.circuit());
        assertEquals(ThinkingHeads.RELATIVE_SPECTRAL_NORM, first.metric());
        assertEquals(40 / 4.5, first.value(), 1e-12);
        assertEquals(1.0, first.controlMean(), 1e-12);
        assertEquals((40 / 4.5 - 1) / (0.125 * Math.sqrt(20.0 / 19)), first.zScore(), 1e-9);
        assertEquals(2, first.deviations().size());
        assertEquals("positivity", first.deviations().get(1).metric());
        assertEquals(-0.5 / sd, first.deviations().get(1).zScore(), 1e-9);
        ThinkingHead second = found.get(1);
        assertEquals(2, second.layer());
        assertEquals(3, second.head());
        assertEquals(CircuitType.OV, second.circuit());
        assertEquals("positivity", second.metric());
        assertEquals(0.9, second.value(), 0.0);
        assertEquals(0.0, second.controlMean(), 1e-15);
        assertEquals(sd, second.controlStd(), 1e-12);
        assertEquals(0.9 / sd, second.zScore(), 1e-9);
    }

    @Test
    void valuesWithinTheThresholdAreNotFlagged() {
        ModelSpectra control = control();
        double sd = 0.1 * Math.sqrt(20.0 / 19);
        ModelSpectra trained = trainedLike(control, 0, 0, CircuitType.OV, c -> withStat(c, "positivity", 2.9 * sd));
        assertTrue(ThinkingHeads.find(trained, control, AnalysisSettings.defaults()).isEmpty());
        ModelSpectra beyond = trainedLike(control, 0, 0, CircuitType.OV, c -> withStat(c, "positivity", 3.1 * sd));
        assertEquals(1, ThinkingHeads.find(beyond, control, AnalysisSettings.defaults()).size());
    }

    @Test
    void aUniformGrowthOfNormsIsNoOutlier() {
        ModelSpectra control = control();
        List<HeadSpectra> grown = new ArrayList<>();
        for (HeadSpectra h : control.heads()) {
            CircuitSpectrum qk = withStat(h.qk(), "spectralNorm", h.qk().stats().spectralNorm() * 1e5);
            CircuitSpectrum ov = withStat(h.ov(), "spectralNorm", h.ov().stats().spectralNorm() * 1e5);
            grown.add(new HeadSpectra(h.layer(), h.head(), h.kvHead(), qk, ov));
        }
        assertTrue(ThinkingHeads.find(new ModelSpectra(grown), control, AnalysisSettings.defaults()).isEmpty());
    }

    @Test
    void aMetricWithoutControlSpreadHasNoZButStillSinglesOutAHead() {
        ModelSpectra control = control(); // nearZeroRatio is 60/64 in every control head
        ModelSpectra trained = trainedLike(control, 3, 1, CircuitType.QK, c -> withStat(c, "nearZeroRatio", 61 / 64.0));
        trained = trainedLike(trained, 0, 2, CircuitType.OV, c -> withStat(c, "positivity", 0.95));
        List<ThinkingHead> found = ThinkingHeads.find(trained, control, AnalysisSettings.defaults());
        assertEquals(2, found.size());
        // a finite z ranks first; the head with no z follows
        assertEquals("positivity", found.get(0).metric());
        ThinkingHead second = found.get(1);
        assertEquals("nearZeroRatio", second.metric());
        assertEquals(3, second.layer());
        assertNull(second.zScore());
        assertEquals(0.0, second.controlStd(), 0.0);
        assertEquals(60 / 64.0, second.controlMean(), 0.0);
        assertEquals(2, second.rank());
    }
}
