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
        assertTrue(!report.thinkingHeads().isEmpty());
        ThinkingHead top = report.thinkingHeads().get(0);
        assertEquals(1, top.rank());
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
