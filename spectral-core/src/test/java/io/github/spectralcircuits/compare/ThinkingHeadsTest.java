package io.github.spectralcircuits.compare;

import static io.github.spectralcircuits.compare.SyntheticSpectra.circuit;
import static io.github.spectralcircuits.compare.SyntheticSpectra.head;
import static io.github.spectralcircuits.compare.SyntheticSpectra.withStat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.spectralcircuits.AnalysisSettings;
import io.github.spectralcircuits.spectra.CircuitSpectrum;
import io.github.spectralcircuits.spectra.CircuitType;
import io.github.spectralcircuits.spectra.HeadSpectra;
import io.github.spectralcircuits.spectra.ModelSpectra;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The calibrated thinking-heads test on hand-made spectra. The expected numbers come from an independent
 * numpy/scipy implementation of the same definition (medians, MADs, scipy.stats.t.sf and t.isf, BH by sorting);
 * the inputs are listed in full so the numbers can be recomputed.
 */
class ThinkingHeadsTest {
    static final CircuitSpectrum BASE = circuit(64, new double[] {3, -2, 1, -0.5}, new double[] {4, 3, 2, 1});
    static final int N = 40;

    /** Head i's metrics: every metric has spread (no MAD of 0), values repeat in different orders. */
    static CircuitSpectrum circuitOf(int i, int shift, Map<String, Double> planted) {
        CircuitSpectrum c = BASE;
        c = withStat(c, "effectiveRank", planted.getOrDefault("effectiveRank", 3 + 0.1 * ((i * 7 + shift) % 11)));
        c = withStat(c, "stableRank", planted.getOrDefault("stableRank", 1.5 + 0.05 * ((i * 5 + shift) % 13)));
        c = withStat(c, "positivity", planted.getOrDefault("positivity", 0.02 * ((i * 3 + shift) % 17) - 0.16));
        c = withStat(c, "spectralNorm", planted.getOrDefault("spectralNorm", 4 * Math.exp(0.1 * ((i * 11 + shift) % 9 - 4))));
        return c;
    }

    record Plant(CircuitType type, int head, String metric, double value) {
    }

    /** 5 layers x 8 heads; OV uses the pattern shifted by 3 more. */
    static ModelSpectra model(int shift, List<Plant> planted) {
        List<HeadSpectra> heads = new ArrayList<>();
        for (int i = 0; i < N; i++) {
            CircuitSpectrum qk = circuitOf(i, shift, plantsAt(planted, CircuitType.QK, i));
            CircuitSpectrum ov = circuitOf(i, shift + 3, plantsAt(planted, CircuitType.OV, i));
            heads.add(head(i / 8, i % 8, qk, ov));
        }
        return new ModelSpectra(heads);
    }

    private static Map<String, Double> plantsAt(List<Plant> planted, CircuitType type, int i) {
        java.util.HashMap<String, Double> m = new java.util.HashMap<>();
        for (Plant p : planted) {
            if (p.type == type && p.head == i) {
                m.put(p.metric, p.value);
            }
        }
        return m;
    }

    /** A control whose positivity has three heavy-tailed heads, so its null width exceeds 1. */
    static ModelSpectra control() {
        return model(5, List.of(new Plant(CircuitType.OV, 0, "positivity", 0.7),
                new Plant(CircuitType.OV, 1, "positivity", -0.7), new Plant(CircuitType.QK, 2, "positivity", 0.6)));
    }

    @Test
    void plantedOutliersAreFlaggedWithTheNumbersOfAnIndependentComputation() {
        ModelSpectra trained = model(0, List.of(new Plant(CircuitType.OV, 37, "positivity", 0.95),
                new Plant(CircuitType.QK, 5, "spectralNorm", 40.0)));
        ThinkingHeads.Result r = ThinkingHeads.find(trained, List.of(control()), AnalysisSettings.defaults());
        ThinkingHeadsCriterion test = r.criterion();
        // numpy: per side of the median, the control's rms of the robust z and width = max(1, rms / sqrt(16 / 14)),
        // from both circuit types' z (those exactly at the median on neither side)
        Map<String, double[]> widths = Map.of(
                "effectiveRank", new double[] {0.7323767195624309, 0.7447598475953374, 1, 1, 73},
                "stableRank", new double[] {0.8668312953752505, 0.8644639774493355, 1, 1, 74},
                "positivity", new double[] {1.36054395190961, 1.103788138932403, 1.2726723319233, 1.032499260867472, 77},
                "logSpectralNorm", new double[] {0.918437777533609, 0.9235831274710462, 1, 1, 72});
        for (NullWidth w : test.nullWidths()) {
            double[] e = widths.get(w.metric());
            assertEquals(e[0], w.controlRmsUpper(), 1e-12, w.metric());
            assertEquals(e[1], w.controlRmsLower(), 1e-12, w.metric());
            assertEquals(e[2], w.upperWidth(), 1e-12, w.metric());
            assertEquals(e[3], w.lowerWidth(), 1e-12, w.metric());
            assertEquals((int) e[4], w.controlZ(), w.metric());
        }
        assertEquals(16.0, test.degreesOfFreedom(), 0);
        assertEquals(80, test.circuitsTested());
        assertEquals(2, test.flaggedCircuits());
        assertEquals(0.00125, test.pValueCutoff(), 1e-15); // 2 * 0.05 / 80
        assertEquals(4.573278931143059, test.threshold(), 1e-7); // t_16.isf(0.00125 / 8)
        assertEquals(2, r.heads().size());

        ThinkingHead first = r.heads().get(0);
        assertEquals(List.of(1, 0, 5, CircuitType.QK, ThinkingHeads.LOG_SPECTRAL_NORM),
                List.of(first.rank(), first.layer(), first.head(), first.circuit(), first.metric()));
        assertEquals(Math.log(40), first.value(), 1e-12);
        assertEquals(1.38629436112, first.modelMedian(), 1e-10); // ln 4
        assertEquals(0.296520443701, first.modelSpread(), 1e-11);
        assertEquals((Math.log(40) - Math.log(4)) / 0.296520443701, first.zScore(), 1e-9);
        assertEquals(3.256788286e-06, first.pValue(), 1e-15);
        assertEquals(0.0002605430629, first.qValue(), 1e-13);
        assertEquals(1, first.deviations().size(), "only its norm stands out");

        ThinkingHead second = r.heads().get(1);
        assertEquals(List.of(2, 4, 5, CircuitType.OV, "positivity"),
                List.of(second.rank(), second.layer(), second.head(), second.circuit(), second.metric()));
        // median 0, above it: the upper width of positivity, > 1
        assertEquals(0.95 / 0.133434199666 / 1.2726723319233, second.zScore(), 1e-9);
        assertEquals(0.0001612875858, second.pValue(), 1e-13);
        assertEquals(0.00645150343, second.qValue(), 1e-11);
        assertEquals(4.032189644e-05, second.deviations().get(0).pValue(), 1e-14);
        assertEquals(1.2726723319233, second.deviations().get(0).nullWidth(), 1e-12);
        // the control's own mean of the metric, for context
        assertTrue(Math.abs(second.controlMean()) < 0.2);
    }

    @Test
    void aDeviationJustBelowTheCorrectedThresholdIsNotFlagged() {
        // OV positivity spread is 0.133434199666 with median 0: 4 spreads is beyond 3 (the old rule) but not beyond
        // the corrected threshold of about 4.9 for a single outlier among 80 circuits
        ModelSpectra trained = model(0, List.of(new Plant(CircuitType.OV, 37, "positivity", 4 * 0.133434199666)));
        ThinkingHeads.Result r = ThinkingHeads.find(trained, List.of(model(5, List.of())), AnalysisSettings.defaults());
        assertTrue(r.heads().isEmpty(), r.heads().toString());
        assertTrue(r.criterion().threshold() > 4.5, "threshold " + r.criterion().threshold());
        ModelSpectra beyond = model(0, List.of(new Plant(CircuitType.OV, 37, "positivity", 6 * 0.133434199666)));
        assertEquals(1, ThinkingHeads.find(beyond, List.of(model(5, List.of())), AnalysisSettings.defaults()).heads().size());
    }

    @Test
    void aUniformGrowthOfNormsChangesNothing() {
        ModelSpectra trained = model(0, List.of(new Plant(CircuitType.QK, 5, "spectralNorm", 40.0)));
        List<HeadSpectra> grown = new ArrayList<>();
        for (HeadSpectra h : trained.heads()) {
            grown.add(new HeadSpectra(h.layer(), h.head(), h.kvHead(),
                    withStat(h.qk(), "spectralNorm", h.qk().stats().spectralNorm() * 1e5),
                    withStat(h.ov(), "spectralNorm", h.ov().stats().spectralNorm() * 1e5)));
        }
        var a = ThinkingHeads.find(trained, List.of(control()), AnalysisSettings.defaults()).heads();
        var b = ThinkingHeads.find(new ModelSpectra(grown), List.of(control()), AnalysisSettings.defaults()).heads();
        assertEquals(1, a.size());
        assertEquals(a.get(0).zScore(), b.get(0).zScore(), 1e-9);
        assertEquals(a.get(0).pValue(), b.get(0).pValue(), 1e-15);
    }

    @Test
    void aMetricWithoutSpreadIsSkippedAndSaidSo() {
        List<HeadSpectra> heads = new ArrayList<>();
        for (HeadSpectra h : model(0, List.of()).heads()) {
            heads.add(new HeadSpectra(h.layer(), h.head(), h.kvHead(), withStat(h.qk(), "positivity", 0.25), h.ov()));
        }
        ThinkingHeads.Result r = ThinkingHeads.find(new ModelSpectra(heads), List.of(control()), AnalysisSettings.defaults());
        assertNotNull(r.criterion().note());
        assertTrue(r.criterion().note().contains("QK positivity"), r.criterion().note());
        assertEquals(80, r.criterion().circuitsTested());
    }

    @Test
    void tooFewHeadsAreNotTested() {
        ModelSpectra few = new ModelSpectra(model(0, List.of()).heads().subList(0, 7));
        ThinkingHeads.Result r = ThinkingHeads.find(few, List.of(control()), AnalysisSettings.defaults());
        assertTrue(r.heads().isEmpty());
        assertEquals(0, r.criterion().circuitsTested());
        assertTrue(r.criterion().note().contains("at least 8"), r.criterion().note());
    }

    @Test
    void furtherControlDrawsOnlyWhenTheControlIsSmall() {
        assertEquals(64, ThinkingHeads.MIN_CONTROL_HEADS);
        assertEquals(0, ThinkingHeads.controlDrawsNeeded(64, 64));
        assertEquals(0, ThinkingHeads.controlDrawsNeeded(1024, 1024));
        assertEquals(1, ThinkingHeads.controlDrawsNeeded(40, 40));
        assertEquals(3, ThinkingHeads.controlDrawsNeeded(16, 16));
        assertEquals(9, ThinkingHeads.controlDrawsNeeded(1024, 7)); // 10 draws of 7 reach 64 heads
        assertEquals(0, ThinkingHeads.controlDrawsNeeded(7, 7), "no test, no draws");
    }
}
