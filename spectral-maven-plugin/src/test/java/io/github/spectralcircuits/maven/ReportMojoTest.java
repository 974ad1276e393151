package io.github.spectralcircuits.maven;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.spectralcircuits.AnalysisSettings;
import io.github.spectralcircuits.SpectralException;
import io.github.spectralcircuits.report.SpectralReport;
import java.io.File;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.maven.doxia.sink.impl.Xhtml5BaseSink;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.reporting.MavenReport;
import org.apache.maven.reporting.MavenReportException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The report goal alone and under the site plugin, with a planted analysis in place of the core. */
class ReportMojoTest {
    @TempDir
    Path dir;

    private final AtomicInteger analyses = new AtomicInteger();
    private final AtomicReference<AnalysisSettings> seen = new AtomicReference<>();

    /** 2 layers x 3 heads. */
    private static SpectralReport planted() {
        return SpectralReportPageTest.report(new double[][] {{0.9, -0.2, 0.3}, {0.1, -0.7, 0.0}}, List.of());
    }

    private ReportMojo mojo() {
        ReportMojo mojo = MojoDefaults.analysisDefaults(new ReportMojo(), dir.resolve("model").toFile(),
                dir.resolve("analysis").toFile());
        mojo.reportingOutputDirectory = dir.resolve("site").toFile();
        mojo.basedir = dir.toFile();
        mojo.fork = false;
        mojo.analysis = (model, settings, baseline, progress) -> {
            analyses.incrementAndGet();
            seen.set(settings);
            return planted();
        };
        mojo.weights = m -> MojoDefaults.PLANTED_WEIGHTS;
        return mojo;
    }

    private Path page() {
        return dir.resolve("site").resolve("spectral-report.html");
    }

    @Test
    void aloneWithoutAReportItAnalysesForThePageOnlyAndWritesAStandalonePage() throws Exception {
        mojo().execute();

        assertEquals(1, analyses.get());
        assertFalse(Files.exists(dir.resolve("analysis")), "the page's own analysis writes no spectral-report.json");
        String html = Files.readString(page());
        assertTrue(html.startsWith("<!DOCTYPE html>"));
        assertTrue(html.contains("Numbers from an analysis run by this report."));
        assertEquals(1 + 6, StandalonePageTest.rowsAfter(html, "<h2>OV circuit per head</h2>").size());
        List<String> images = StandalonePageTest.imageSources(html);
        assertEquals(5, images.size());
        for (String src : images) {
            assertTrue(Files.isRegularFile(dir.resolve("site").resolve(src)), src);
        }
    }

    @Test
    void readsTheReportAnEarlierGoalWroteInsteadOfAnalysing() throws Exception {
        Path json = ReportFiles.write(current(planted(), false), dir.resolve("analysis"));
        ReportMojo mojo = mojo();
        mojo.control = false;
        mojo.execute();

        assertEquals(0, analyses.get());
        assertTrue(Files.readString(page()).contains("Numbers from " + json + "."));
    }

    @Test
    void aReportOfOtherSettingsIsNotShownAsThisBuildsButAnalysedAnew() throws Exception {
        ReportFiles.write(current(planted(), false), dir.resolve("analysis"));
        ReportMojo mojo = mojo();
        mojo.control = true; // the page would show a control the report does not have
        mojo.execute();
        assertEquals(1, analyses.get());
        assertTrue(Files.readString(page()).contains("Numbers from an analysis run by this report."));

        mojo.reanalyze = false;
        MojoExecutionException e = assertThrows(MojoExecutionException.class, mojo::execute);
        assertTrue(e.getMessage().contains("does not describe this build: it has no random control, and control is on"),
                e.getMessage());
    }

    /** The planted report as an analysis of this test's model directory and weights would have written it. */
    private SpectralReport current(SpectralReport r, boolean control) {
        var i = r.model();
        var info = new io.github.spectralcircuits.model.ModelInfo(dir.resolve("model").toString(), i.architecture(),
                i.vocabSize(), i.dModel(), i.nLayers(), i.nHeads(), i.nKvHeads(), i.dHead(), i.tiedEmbeddings(),
                i.dtype(), i.initializerRange());
        return new SpectralReport(r.schemaVersion(), info, AnalysisSettings.defaults().withControl(control),
                MojoDefaults.PLANTED_WEIGHTS, r.trained(), r.control(), r.comparison(), r.thinkingHeads(),
                r.baselineDrift(), r.checks());
    }

    @Test
    void skipWritesNothingAloneAndInASite() throws Exception {
        ReportMojo mojo = mojo();
        mojo.skip = true;
        mojo.execute();
        assertFalse(mojo.canGenerateReport());
        assertEquals(0, analyses.get());
        try (var files = Files.list(dir)) {
            assertEquals(List.of(), files.toList());
        }
    }

    @Test
    void itsParametersAreCheckedLikeTheAnalysingGoalsBeforeAnyWork() {
        ReportMojo mojo = mojo();
        mojo.nearZeroTolerance = 2;
        MojoExecutionException e = assertThrows(MojoExecutionException.class, mojo::execute);
        assertTrue(e.getMessage().startsWith("spectral.nearZeroTolerance is 2.0; it must be a fraction in [0, 1)"),
                e.getMessage());

        mojo = mojo();
        mojo.layers = "3-1";
        e = assertThrows(MojoExecutionException.class, mojo::execute);
        assertTrue(e.getMessage().contains("spectral.layers"), e.getMessage());

        mojo = mojo();
        mojo.baseline = dir.resolve("nope.json").toFile();
        e = assertThrows(MojoExecutionException.class, mojo::execute);
        assertTrue(e.getMessage().contains("nope.json") && e.getMessage().contains("does not exist"), e.getMessage());

        assertEquals(0, analyses.get());
        assertFalse(Files.exists(page()));
    }

    @Test
    void layerAndHeadFiltersAndTheControlSwitchReachItsAnalysis() throws Exception {
        ReportMojo mojo = mojo();
        mojo.layers = "1";
        mojo.heads = "0-1";
        mojo.control = false;
        mojo.controlSeed = 7;
        mojo.execute();
        assertEquals(Set.of(1), seen.get().layers());
        assertEquals(Set.of(0, 1), seen.get().heads());
        assertFalse(seen.get().control());
        assertEquals(7, seen.get().controlSeed());
    }

    @Test
    void inASiteThePageGoesToTheSitesSinkAndTheChartsIntoTheSiteDirectory() throws Exception {
        MavenReport report = mojo();
        Path site = dir.resolve("generated-site");
        report.setReportOutputDirectory(site.toFile());
        assertTrue(report.canGenerateReport());
        assertEquals("spectral-report", report.getOutputName());
        assertEquals(MavenReport.CATEGORY_PROJECT_REPORTS, report.getCategoryName());

        StringWriter out = new StringWriter();
        report.generate(new Xhtml5BaseSink(out), Locale.ROOT);

        String html = out.toString();
        assertTrue(html.startsWith("Spectral circuits<section><a id=\"spectral-circuits\"></a>"),
                "the title event, then the body: " + html.substring(0, 80));
        assertFalse(html.contains("<!DOCTYPE"), "the skin makes the document");
        assertEquals(1 + 6, StandalonePageTest.rowsAfter(html, "<h2>QK circuit per head</h2>").size());
        for (String src : StandalonePageTest.imageSources(html)) {
            assertTrue(Files.isRegularFile(site.resolve(src)), src);
        }
        assertFalse(Files.exists(site.resolve("spectral-report.html")), "the site plugin writes the page");
        assertFalse(Files.exists(page()));
    }

    @Test
    void aFailureInASiteIsTheCoresOneParagraph() {
        ReportMojo mojo = mojo();
        String paragraph = "/m/config.json is not JSON (line 1): fix or regenerate it.";
        mojo.analysis = (m, s, b, p) -> {
            throw new SpectralException(paragraph);
        };
        mojo.setReportOutputDirectory(dir.resolve("generated-site").toFile());
        MavenReportException e = assertThrows(MavenReportException.class,
                () -> mojo.generate(new Xhtml5BaseSink(new StringWriter()), Locale.ROOT));
        assertEquals(paragraph, e.getMessage());
    }

    @Test
    void pageDirectoryIsTheSitesThenTheProjectsReportingDirectoryThenTargetSite() {
        ReportMojo mojo = mojo();
        assertEquals(dir.resolve("site").toFile(), mojo.getReportOutputDirectory());
        // Maven's stand-in project without a pom leaves the expression as it is
        mojo.reportingOutputDirectory = new File("${project.build.directory}/site");
        assertEquals(dir.resolve("target").resolve("site").toFile(), mojo.getReportOutputDirectory());
        mojo.reportingOutputDirectory = null;
        assertEquals(dir.resolve("target").resolve("site").toFile(), mojo.getReportOutputDirectory());
        mojo.setReportOutputDirectory(dir.resolve("s").toFile());
        assertEquals(dir.resolve("s").toFile(), mojo.getReportOutputDirectory());
    }
}
