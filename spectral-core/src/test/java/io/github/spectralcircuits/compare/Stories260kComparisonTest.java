package io.github.spectralcircuits.compare;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.spectralcircuits.AnalysisSettings;
import io.github.spectralcircuits.ProgressListener;
import io.github.spectralcircuits.pipeline.SpectralAnalysis;
import io.github.spectralcircuits.SpectralException;
import io.github.spectralcircuits.report.ReportWriter;
import io.github.spectralcircuits.report.SpectralReport;
import io.github.spectralcircuits.spectra.CircuitStats;
import io.github.spectralcircuits.spectra.CircuitType;
import io.github.spectralcircuits.spectra.HeadSpectra;
import io.github.spectralcircuits.spectra.ModelSpectra;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The whole pipeline on the real example model: trained vs its random control, and drift. */
class Stories260kComparisonTest {
    static final Path MODEL = Path.of("../examples/stories260k");
    static SpectralReport report;

    @BeforeAll
    static void analyse() {
        List<String> log = new ArrayList<>();
        report = SpectralAnalysis.run(MODEL, AnalysisSettings.defaults(), null, log::add);
        assertTrue(log.stream().anyMatch(l -> l.contains("Random control (seed 42")), log.toString());
    }

    @Test
    void trainedHeadsCopyWhereTheControlDoesNot() {
        assertNotNull(report.control());
        assertEquals(report.trained().heads().size(), report.control().heads().size());
        long trainedCopying = report.trained().heads().stream()
                .filter(h -> Math.abs(h.ov().stats().positivity()) > 0.8).count();
        long controlCopying = report.control().heads().stream()
                .filter(h -> Math.abs(h.ov().stats().positivity()) > 0.8).count();
        assertTrue(trainedCopying > 0, "trained heads with |OV positivity| > 0.8: " + trainedCopying);
        assertEquals(0, controlCopying);
    }

    @Test
    void theDensitiesDifferAndTheRankHypothesisFallsByConstruction() {
        Comparison c = report.comparison();
        for (CircuitType t : CircuitType.values()) {
            CircuitComparison cc = c.circuit(t);
            assertEquals(40 * 8, cc.eigenvalueModuli().trainedSamples());
            assertTrue(cc.eigenvalueModuli().ksPValue() < 1e-3,
                    t + " KS p = " + cc.eigenvalueModuli().ksPValue());
            assertTrue(cc.rankHypothesis().rejectedByConstruction()); // d_head 8 < 0.5 * 512
            assertEquals(40, cc.rankHypothesis().headsRejected());
            assertEquals(40, cc.rankHypothesis().effectiveRankTest().pairs());
            assertEquals("normal approximation", cc.rankHypothesis().effectiveRankTest().pValueMethod());
        }
    }

    /**
     * Every trained head is far from random (effective rank about 4.4 against the control's 7.7 +- 0.07), so the
     * old test flagged all 80 circuits; the calibrated one flags the one circuit whose spectrum stands out among
     * the model's own heads: layer 2 head 2's QK circuit has two nearly equal top singular values
     * (sigma_2 / sigma_1 = 0.975, the model's median is 0.33), so its stable rank is the model's largest.
     */
    @Test
    void theThinkingHeadIsTheQkCircuitWithTwoEqualTopDirections() {
        List<ThinkingHead> found = report.thinkingHeads();
        assertEquals(1, found.size(), found.toString());
        ThinkingHead top = found.get(0);
        assertEquals(List.of(1, 2, 2, CircuitType.QK, "stableRank"),
                List.of(top.rank(), top.layer(), top.head(), top.circuit(), top.metric()));
        assertTrue(top.zScore() > top.threshold() && top.threshold() > 4, top.toString());
        assertTrue(top.qValue() <= 0.05);
        // independently of the test's statistics: the raw spectra single it out
        double best = 0;
        String where = null;
        List<Double> ratios = new ArrayList<>();
        for (HeadSpectra h : report.trained().heads()) {
            double[] sv = h.qk().singularValues();
            ratios.add(sv[1] / sv[0]);
            if (sv[1] / sv[0] > best) {
                best = sv[1] / sv[0];
                where = h.layer() + "." + h.head();
            }
        }
        ratios.sort(null);
        assertEquals("2.2", where);
        assertTrue(best > 0.97 && ratios.get(ratios.size() / 2) < 0.4, best + " vs median " + ratios.get(20));
        var criterion = report.thinkingHeadsCriterion();
        assertEquals(40, criterion.trainedHeads());
        assertEquals(80, criterion.circuitsTested());
        assertEquals(2, criterion.controlDraws());
        assertEquals(1, criterion.flaggedHeads());
    }

    @Test
    void theThinkingHeadDoesNotDependOnTheControlSeed() {
        ModelSpectra trained = report.trained();
        for (long seed = 43; seed < 48; seed++) {
            AnalysisSettings s = new AnalysisSettings(true, 1e-3, 1e-6, true, seed, 0.5, 3.0, java.util.Set.of(),
                    java.util.Set.of(), false, 1e-6);
            List<ThinkingHead> found = ComparativeAnalysis.run(report.model(), trained, s, null, ProgressListener.NONE)
                    .thinkingHeads();
            assertEquals(List.of("2.2 QK"), found.stream().map(t -> t.layer() + "." + t.head() + " " + t.circuit()).toList(),
                    "control seed " + seed);
        }
    }

    @Test
    void driftAgainstItsOwnReportIsZeroAndAgainstAPerturbedOneNamesTheHead(@TempDir Path dir) {
        AnalysisSettings noControl = AnalysisSettings.defaults().withControl(false);
        Path self = ReportWriter.write(report, dir.resolve("self"));
        SpectralReport again = SpectralAnalysis.run(MODEL, noControl, self, ProgressListener.NONE);
        assertEquals(null, again.control());
        for (HeadDrift h : again.baselineDrift().heads()) {
            for (CircuitType t : CircuitType.values()) {
                for (MetricDrift m : h.circuit(t)) {
                    assertEquals(0.0, m.absolute(), 0.0, h.layer() + "." + h.head() + " " + t + " " + m);
                }
            }
        }
        // a baseline in which head 3.5's OV spectral norm was 10% lower
        List<HeadSpectra> old = new ArrayList<>(report.trained().heads());
        int at = 3 * 8 + 5;
        HeadSpectra h = old.get(at);
        old.set(at, new HeadSpectra(h.layer(), h.head(), h.kvHead(), h.qk(),
                SyntheticSpectra.withStat(h.ov(), "spectralNorm", h.ov().stats().spectralNorm() * 0.9)));
        SpectralReport perturbed = new SpectralReport(1, report.model(), report.settings(), new ModelSpectra(old),
                null, null, null, null, null);
        Path p = ReportWriter.write(perturbed, dir.resolve("perturbed"));
        BaselineDrift d = SpectralAnalysis.run(MODEL, noControl, p, ProgressListener.NONE).baselineDrift();
        List<String> moved = new ArrayList<>();
        for (HeadDrift hd : d.heads()) {
            for (CircuitType t : CircuitType.values()) {
                for (MetricDrift m : hd.circuit(t)) {
                    if (m.absolute() != 0) {
                        moved.add(hd.layer() + "." + hd.head() + " " + t + " " + m.metric());
                    }
                }
            }
        }
        assertEquals(List.of("3.5 OV spectralNorm"), moved);
        assertEquals(1 / 0.9 - 1, d.drift(3, 5, CircuitType.OV, "spectralNorm").orElseThrow().relative(), 1e-12);
    }

    @Test
    void baselineOfAnotherModelShapeIsRefused(@TempDir Path dir) {
        var m = report.model();
        var other = new io.github.spectralcircuits.model.ModelInfo(m.path(), m.architecture(), m.vocabSize(), 128,
                m.nLayers(), m.nHeads(), m.nKvHeads(), m.dHead(), m.tiedEmbeddings(), m.dtype(), m.initializerRange());
        Path p = ReportWriter.write(new SpectralReport(1, other, report.settings(), report.trained(), null, null, null,
                null, null), dir);
        SpectralException e = assertThrows(SpectralException.class, () -> SpectralAnalysis.run(MODEL,
                AnalysisSettings.defaults().withControl(false), p, ProgressListener.NONE));
        assertTrue(e.getMessage().contains("dModel 128 in the baseline, 64 now"), e.getMessage());
        assertTrue(CircuitStats.METRICS.contains("spectralNorm"));
    }
}
