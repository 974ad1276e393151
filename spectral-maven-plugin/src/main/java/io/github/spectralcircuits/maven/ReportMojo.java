package io.github.spectralcircuits.maven;

import io.github.spectralcircuits.pipeline.SpectralAnalysis;
import io.github.spectralcircuits.AnalysisSettings;
import io.github.spectralcircuits.ProgressListener;
import io.github.spectralcircuits.pipeline.AnalysisJob;
import io.github.spectralcircuits.pipeline.ReportFreshness;
import io.github.spectralcircuits.SpectralException;
import io.github.spectralcircuits.pipeline.AnalysisRequest;
import io.github.spectralcircuits.report.SpectralReport;
import io.github.spectralcircuits.report.charts.ChartRenderer;
import io.github.spectralcircuits.report.charts.RenderedChart;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.apache.maven.doxia.sink.Sink;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.reporting.MavenReport;
import org.apache.maven.reporting.MavenReportException;

/**
 * The report page spectral-report.html: summary, checks, charts, per-head tables and, when the report has
 * them, the comparison with the control, thinking heads and baseline drift. Reads spectral-report.json from
 * the analysis output directory when an earlier goal wrote it, otherwise runs the analysis (with the same
 * parameters as the analyze goal) for this page only, writing nothing into the analysis output directory.
 * In {@code mvn site} the page is part of the site, inside its skin; run alone ({@code mvn spectral:report})
 * it is a self-contained HTML page in the project's reporting output directory (target/site). The charts
 * go into a "spectral" folder next to the page.
 */
@Mojo(name = "report", defaultPhase = LifecyclePhase.SITE, requiresProject = false, threadSafe = true)
public class ReportMojo extends AbstractAnalysisMojo implements MavenReport {
    static final String OUTPUT_NAME = "spectral-report";
    static final String IMAGE_FOLDER = "spectral";

    /** The project's reporting output directory, where the page goes when the goal runs alone. */
    @Parameter(defaultValue = "${project.reporting.outputDirectory}", readonly = true)
    File reportingOutputDirectory;

    /** The site being generated, when the site plugin runs the report; null when the goal runs alone. */
    private File siteDirectory;

    @Override
    public String getOutputName() {
        return OUTPUT_NAME;
    }

    @Override
    public String getCategoryName() {
        return CATEGORY_PROJECT_REPORTS;
    }

    @Override
    public String getName(Locale locale) {
        return "Spectral circuits";
    }

    @Override
    public String getDescription(Locale locale) {
        return "Spectra of the full QK and OV circuits of every attention head, with charts and the comparison "
                + "to a random control.";
    }

    @Override
    public void setReportOutputDirectory(File directory) {
        siteDirectory = directory;
    }

    /**
     * The site directory the site plugin set; otherwise the project's reporting output directory, or
     * ./target/site without a project (whose stand-in leaves the expression uninterpolated).
     */
    @Override
    public File getReportOutputDirectory() {
        if (siteDirectory != null) {
            return siteDirectory;
        }
        return projectDirectory(reportingOutputDirectory, "site").toFile();
    }

    @Override
    public boolean isExternalReport() {
        return false;
    }

    @Override
    public boolean canGenerateReport() {
        if (skip) {
            getLog().info("Skipping the spectral report (spectral.skip=true)");
        }
        return !skip;
    }

    /** In a site: the site plugin's sink gets the page, which its skin wraps. */
    @Override
    public void generate(Sink sink, Locale locale) throws MavenReportException {
        try {
            Contents c = contents(getReportOutputDirectory().toPath());
            new SpectralReportPage(sink, c.report(), c.charts(), IMAGE_FOLDER + "/", c.source()).render();
        } catch (SpectralException e) {
            throw new MavenReportException(e.message(MavenStyle.STYLE), e);
        } catch (RuntimeException e) {
            throw new MavenReportException(unexpected(e), e);
        }
    }

    /** Run alone: the self-contained page. */
    @Override
    protected void run() {
        Path directory = getReportOutputDirectory().toPath().toAbsolutePath().normalize();
        Contents c = contents(directory);
        Path page = StandalonePage.write(directory, c.report(), c.charts(), IMAGE_FOLDER + "/", c.source());
        getLog().info("Wrote " + page);
    }

    /** What the page shows: the report, where it came from, and its charts drawn next to the page. */
    private record Contents(SpectralReport report, String source, List<RenderedChart> charts) {
    }

    private Contents contents(Path pageDirectory) {
        Path json = ReportFiles.reportFile(outputPath());
        SpectralReport report;
        String source;
        AnalysisSettings settings = settings(control);
        report = null;
        source = null;
        if (Files.isRegularFile(json)) {
            getLog().info("Reading " + json);
            report = ReportFiles.read(json);
            source = json.toString();
            if (!current(report, json, settings, ReportFreshness.Use.WHOLE)) {
                report = null;
            }
        } else {
            getLog().info("No " + json + ": running the analysis of " + modelPath());
        }
        if (report == null) {
            report = analyse(settings);
            source = "an analysis run by this report";
        }
        Path images = pageDirectory.resolve(IMAGE_FOLDER);
        List<RenderedChart> charts = new java.util.ArrayList<>(ChartRenderer.render(report, images));
        if (source.equals(json.toString())) {
            // the report lists the top composition pairs only: the heat map of all is the one analyze drew with it
            ChartRenderer.compositionFromAnalysis(report, outputPath().resolve(ChartRenderer.COMPOSITION), images)
                    .ifPresent(charts::add);
        }
        getLog().info("Wrote " + charts.size() + " charts to " + images);
        return new Contents(report, source, charts);
    }

    /**
     * The analysis for this page only, as analyze runs it (forked, or here with spectral.fork=false), into a
     * temporary directory that is read back and removed: nothing is written to the analysis output directory.
     */
    private SpectralReport analyse(AnalysisSettings settings) {
        Path base = baselinePath();
        Path scratch = null;
        try {
            scratch = Files.createTempDirectory("spectral-report-");
            AnalysisRequest request = AnalysisRequest.of(modelPath(), settings, base, scratch, null, false)
                    .withNativeBlas(nativeBlas);
            if (!fork) {
                return AnalysisJob.run(request, analysis, scratchQuiet(scratch, progress())).report();
            }
            ProgressListener log = scratchQuiet(scratch, line -> getLog().info(MavenStyle.render(line)));
            return ReportFiles.read(forkedAnalysis().run(request, log::info, getLog()::debug));
        } catch (IOException e) {
            throw new SpectralException("Could not create a temporary directory for the analysis in "
                    + System.getProperty("java.io.tmpdir") + ": " + e.getMessage() + "; check that it is writable.", e);
        } finally {
            deleteQuietly(scratch);
        }
    }

    /** The scratch report is this page's input, gone after it: saying where it was written would mislead. */
    private ProgressListener scratchQuiet(Path scratch, ProgressListener log) {
        String scratchLine = "Wrote " + scratch;
        return line -> {
            if (line.startsWith(scratchLine)) {
                getLog().debug(line);
            } else {
                log.info(line);
            }
        };
    }

    private static void deleteQuietly(Path directory) {
        if (directory == null) {
            return;
        }
        try (Stream<Path> files = Files.walk(directory)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException | UncheckedIOException ignored) {
            // a temporary directory left behind is harmless
        }
    }
}
