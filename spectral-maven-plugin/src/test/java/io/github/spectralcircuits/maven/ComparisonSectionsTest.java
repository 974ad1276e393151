package io.github.spectralcircuits.maven;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.spectralcircuits.compare.BaselineDrift;
import io.github.spectralcircuits.compare.CircuitComparison;
import io.github.spectralcircuits.compare.Comparison;
import io.github.spectralcircuits.compare.DensityComparison;
import io.github.spectralcircuits.compare.HeadComparison;
import io.github.spectralcircuits.compare.HeadDrift;
import io.github.spectralcircuits.compare.HeadRank;
import io.github.spectralcircuits.compare.MetricDeviation;
import io.github.spectralcircuits.compare.MetricDrift;
import io.github.spectralcircuits.compare.PairedTest;
import io.github.spectralcircuits.compare.RankHypothesis;
import io.github.spectralcircuits.compare.NullWidth;
import io.github.spectralcircuits.compare.ThinkingHead;
import io.github.spectralcircuits.compare.ThinkingHeads;
import io.github.spectralcircuits.compare.ThinkingHeadsCriterion;
import io.github.spectralcircuits.report.SpectralReport;
import io.github.spectralcircuits.spectra.CircuitStats;
import io.github.spectralcircuits.spectra.CircuitType;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import org.apache.maven.doxia.sink.impl.Xhtml5BaseSink;
import org.junit.jupiter.api.Test;

class ComparisonSectionsTest {

    private static DensityComparison density(double d, double p, double w) {
        return new DensityComparison(DensityComparison.EIGENVALUE_MODULI, 32, 32, 0.4, 0.3, 0.1, d, p, "exact", w);
    }

    private static CircuitComparison circuit(CircuitType type, double ks) {
        List<HeadComparison> heads = List.of(
                new HeadComparison(0, 0, 0.01, -0.002, density(ks, 0.03, 0.12), density(0.2, 0.5, 0.05)),
                new HeadComparison(1, 1, -0.02, 0.004, density(0.5, 0.2, 0.2), density(0.2, 0.5, 0.05)));
        List<HeadRank> ranks = List.of(new HeadRank(0, 0, 4, 4, 4, 2.5, 3.5, true),
                new HeadRank(1, 1, 4, 3, 4, 1.9, 3.6, true));
        PairedTest wilcoxon = new PairedTest("Wilcoxon signed-rank", "effectiveRank", 2, 0, 2, 2.2, 3.55, 3, 0.5, "exact");
        RankHypothesis rank = new RankHypothesis("numericalRank >= 0.5 V", 0.5, 50, 25, 4, true, 2, 2, wilcoxon, ranks);
        return new CircuitComparison(type, 0.003, -0.01, density(ks, 1.5e-7, 0.31), density(0.3, 0.01, 0.2), rank, heads);
    }

    private static String render(SpectralReport r) {
        StringWriter out = new StringWriter();
        new SpectralReportPage(new Xhtml5BaseSink(out), r, List.of(), "spectral/", "a test").render();
        return out.toString();
    }

    @Test
    void sectionsAppearOnlyWithTheirParts() {
        SpectralReport bare = SpectralReportPageTest.report(new double[][] {{0.5, -0.5}, {0.1, 0.2}}, List.of());
        String html = render(bare);
        assertFalse(html.contains("Trained vs random control"));
        assertFalse(html.contains("Thinking heads"));
        assertFalse(html.contains("Drift from the baseline"));
    }

    @Test
    void comparisonThinkingHeadsAndDriftAreTabulated() {
        SpectralReport base = SpectralReportPageTest.report(new double[][] {{0.5, -0.5}, {0.1, 0.2}}, List.of());
        Comparison comparison = new Comparison(Comparison.SAMPLES, circuit(CircuitType.QK, 0.61), circuit(CircuitType.OV, 0.73));
        List<ThinkingHead> thinking = List.of(new ThinkingHead(1, 1, 1, CircuitType.OV, "positivity", 0.95, 0.01, 0.1, 9.4,
                List.of(new MetricDeviation("positivity", 0.95, 0.01, 0.1, 9.4),
                        new MetricDeviation("nearZeroRatio", 0.98, 0.92, 0.0, null))));
        List<MetricDrift> qk = new ArrayList<>();
        List<MetricDrift> ov = new ArrayList<>();
        for (String m : CircuitStats.METRICS) {
            qk.add(MetricDrift.of(m, 1, 1));
            ov.add(MetricDrift.of(m, 2, "spectralNorm".equals(m) ? 2.5 : 2));
        }
        BaselineDrift drift = new BaselineDrift("old/spectral-report.json", List.of(new HeadDrift(0, 0, qk, ov)));
        SpectralReport r = new SpectralReport(1, base.model(), base.settings(), base.trained(), base.trained(),
                comparison, thinking, drift, List.of());
        String html = render(r);
        assertTrue(html.contains("Trained vs random control"));
        // pooled KS statistics of both circuits, and the tiny p-value in scientific notation
        assertTrue(html.contains("0.61") && html.contains("0.73"));
        assertTrue(html.contains("1.5e-07"), "tiny p-values are written in scientific notation");
        assertTrue(html.contains("2 of 2"), "heads rejected of tested");
        assertTrue(html.contains("Thinking heads"));
        assertTrue(html.contains("L1H1"));
        assertTrue(html.contains("+9.4"));
        assertTrue(html.contains("nearZeroRatio (z n/a)"));
        assertTrue(html.contains("Drift from the baseline"));
        assertTrue(html.contains("spectralNorm +25.00 %"), "largest drift named with its relative change");
        // model, settings, QK/OV per head, pooled, rank, per-head comparison x2, thinking, drift
        assertEquals(10, html.split("<table", -1).length - 1);
    }

    @Test
    void calibratedThinkingHeadsShowTheirCriterion() {
        SpectralReport base = SpectralReportPageTest.report(new double[][] {{0.5, -0.5}, {0.1, 0.2}}, List.of());
        MetricDeviation d = new MetricDeviation("stableRank", 2.05, 4.01, 0.45, 5.5, 1.18, 0.158, 1.0, 4.9e-5);
        List<ThinkingHead> thinking = List.of(new ThinkingHead(1, 2, 2, CircuitType.QK, "stableRank", 2.05, 4.01, 0.45,
                5.5, List.of(d), 1.18, 0.158, 1.96e-4, 0.0156, 4.91));
        ThinkingHeadsCriterion c = new ThinkingHeadsCriterion(ThinkingHeads.STATISTIC, ThinkingHeads.METRICS,
                ThinkingHeads.NULL_DISTRIBUTION, ThinkingHeads.CORRECTION, 40, 80, 2, 64, 16,
                List.of(new NullWidth("stableRank", 1.022, 1.0, 1.09, 1.01, 160, 4.01, 0.45)), 0.05, 80, 6.25e-4, 4.91, 3, 1, 1, null);
        SpectralReport r = new SpectralReport(1, base.model(), base.settings(), null, base.trained(), base.trained(),
                null, thinking, null, List.of(), c, null, null, null, null, null);
        String html = render(r);
        assertTrue(html.contains("stand out among the model"), html);
        assertTrue(html.contains("Null widths from the control"));
        assertTrue(html.contains("1.022"));
        assertTrue(html.contains("|z| &gt; 4.91") || html.contains("|z| > 4.91"), "the threshold is stated");
        assertTrue(html.contains("L2H2") && html.contains("+5.5") && html.contains("0.0156"));
        assertTrue(html.contains("80 control heads from 2 draws"));
    }
}
