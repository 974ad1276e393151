package io.github.spectralcircuits.maven;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.spectralcircuits.AnalysisSettings;
import io.github.spectralcircuits.check.CheckResult;
import io.github.spectralcircuits.model.ModelInfo;
import io.github.spectralcircuits.report.SpectralReport;
import io.github.spectralcircuits.report.charts.ChartRenderer;
import io.github.spectralcircuits.report.charts.RenderedChart;
import io.github.spectralcircuits.spectra.CircuitSpectrum;
import io.github.spectralcircuits.spectra.CircuitStats;
import io.github.spectralcircuits.spectra.Eigenvalues;
import io.github.spectralcircuits.spectra.HeadSpectra;
import io.github.spectralcircuits.spectra.ModelSpectra;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.maven.doxia.sink.impl.Xhtml5BaseSink;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SpectralReportPageTest {
    static final ModelInfo INFO = new ModelInfo("models/tiny", "GPT2LMHeadModel", 50, 16, 2, 2, 2, 4, false, "F16", 0.02);

    @TempDir
    Path dir;

    /** OV positivity of head (l, h) is planted as p[l][h] through two real eigenvalues a, -b. */
    static SpectralReport report(double[][] positivity, List<CheckResult> checks) {
        List<HeadSpectra> heads = new ArrayList<>();
        for (int l = 0; l < positivity.length; l++) {
            for (int h = 0; h < positivity[l].length; h++) {
                heads.add(new HeadSpectra(l, h, h, circuit(0.5, 2.0 + l + h), circuit(positivity[l][h], 1.5 + h)));
            }
        }
        return new SpectralReport(1, INFO, AnalysisSettings.defaults(), new ModelSpectra(heads), null, null, null,
                null, checks);
    }

    /** Two real core eigenvalues; the statistics are planted (the page shows them, it does not compute them). */
    static CircuitSpectrum circuit(double positivity, double effectiveRank) {
        CircuitStats s = new CircuitStats(0.5, 0.01, 0.1, 0, 0.96, 2, effectiveRank, 1.5, 1, 1.118, positivity);
        return new CircuitSpectrum(50, 4, new Eigenvalues(new double[] {1, -0.5, 0, 0}, new double[4]),
                new double[] {1, 0.5, 0, 0}, s);
    }

    private String render(SpectralReport report) throws Exception {
        List<RenderedChart> charts = ChartRenderer.render(report, dir.resolve("spectral"));
        StringWriter out = new StringWriter();
        new SpectralReportPage(new Xhtml5BaseSink(out), report, charts, "spectral/", "a test").render();
        return out.toString();
    }

    @Test
    void pageHasSummaryChecksPerHeadTablesAndAnImageForEveryChart() throws Exception {
        SpectralReport r = report(new double[][] {{0.9, -0.2}, {0.1, -0.7}},
                List.of(new CheckResult("OV effectiveRank >= 2", false, "layer 1 head 0 OV effectiveRank 1.5 < 2")));
        String html = render(r);
        List<String> images = new ArrayList<>();
        Matcher m = Pattern.compile("<img[^>]*src=\"([^\"]+)\"").matcher(html);
        while (m.find()) {
            images.add(m.group(1));
        }
        assertEquals(5, images.size(), "five charts without a control");
        for (String src : images) {
            assertTrue(src.startsWith("spectral/"), src);
            assertTrue(Files.isRegularFile(dir.resolve(src)), "image file next to the page: " + src);
        }
        // model + settings + checks + QK + OV tables
        assertEquals(5, count(html, "<table"));
        // one row per head in each per-head table, plus the header rows
        assertTrue(html.contains("GPT2LMHeadModel"));
        assertTrue(html.contains("FAILED"));
        assertTrue(html.contains("layer 1 head 0 OV effectiveRank 1.5 &lt; 2") || html.contains("layer 1 head 0 OV effectiveRank 1.5 < 2"));
        assertTrue(html.contains("0 of 1 checks") || html.contains("1 of 1 checks FAILED"));
    }

    @Test
    void headlineNamesTheMostCopyingAndMostSuppressingHeads() {
        SpectralReport r = report(new double[][] {{0.9, -0.2}, {0.1, -0.7}}, List.of());
        List<String> findings = HeadlineFindings.of(r);
        assertTrue(findings.get(0).startsWith("Most copying OV heads (highest positivity): L0H0 (+0.900), L1H0 (+0.100), L0H1 (-0.200)"),
                findings.get(0));
        assertTrue(findings.get(1).startsWith("Most anti-copying OV heads (lowest positivity): L1H1 (-0.700)"), findings.get(1));
        assertEquals("1 of 4 heads have OV positivity above +0.5, 1 below -0.5.", findings.get(2));
    }

    @Test
    void numbersReadLikeATable() {
        assertEquals("0.1235", Numbers.format(0.123456));
        assertEquals("12.35", Numbers.format(12.3456));
        assertEquals("1.235e+05", Numbers.format(123456.7));
        assertEquals("2.000e-04", Numbers.format(0.0002));
        assertEquals("3", Numbers.format(3.0));
        assertEquals("1.5 − 2i", Numbers.complex(1.5, -2));
    }

    private static int count(String s, String needle) {
        int n = 0;
        for (int i = s.indexOf(needle); i >= 0; i = s.indexOf(needle, i + 1)) {
            n++;
        }
        return n;
    }
}
