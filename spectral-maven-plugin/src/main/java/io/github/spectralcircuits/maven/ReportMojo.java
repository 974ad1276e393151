package io.github.spectralcircuits.maven;

import io.github.spectralcircuits.AnalysisSettings;
import io.github.spectralcircuits.SpectralAnalysis;
import io.github.spectralcircuits.SpectralException;
import io.github.spectralcircuits.launch.AnalysisRequest;
import io.github.spectralcircuits.report.ReportReader;
import io.github.spectralcircuits.report.ReportWriter;
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
import java.util.Set;
import java.util.stream.Stream;
import org.apache.maven.artifact.Artifact;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.reporting.AbstractMavenReport;
import org.apache.maven.reporting.MavenReportException;

/**
 * The site report page spectral-report.html: summary, checks, charts, per-head tables and, when the
 * report has them, the comparison with the control, thinking heads and baseline drift. Reads
 * spectral-report.json from the analysis output directory when an earlier goal wrote it, otherwise
 * runs the analysis. The charts are drawn into a "spectral" folder next to the page so they resolve
 * inside the site skin.
 */
@Mojo(name = "report", defaultPhase = LifecyclePhase.SITE, requiresProject = false, threadSafe = true)
public class ReportMojo extends AbstractMavenReport {
    static final String OUTPUT_NAME = "spectral-report";
    static final String IMAGE_FOLDER = "spectral";

    /** The model directory (config.json and safetensors weights). */
    @Parameter(property = "spectral.model", defaultValue = "${basedir}")
    private File model;

    /**
     * The analysis output directory, where spectral:analyze writes spectral-report.json: read from here
     * when present. (It hides the report base class's field of the same name, which is the site
     * directory, so that every goal of the plugin means the same thing by outputDirectory; the site
     * directory is the one the site plugin passes in, see getOutputDirectory.)
     */
    @Parameter(property = "spectral.outputDirectory", defaultValue = "${project.build.directory}/spectral")
    private File outputDirectory;

    /** Skip the report. */
    @Parameter(property = "spectral.skip", defaultValue = "false")
    private boolean skip;

    /** Used only when the report runs the analysis itself. */
    @Parameter(property = "spectral.foldNorms", defaultValue = "true")
    private boolean foldNorms;

    /** Used only when the report runs the analysis itself. */
    @Parameter(property = "spectral.nearZeroTolerance", defaultValue = "1e-3")
    private double nearZeroTolerance;

    /** Used only when the report runs the analysis itself. */
    @Parameter(property = "spectral.rankTolerance", defaultValue = "1e-6")
    private double rankTolerance;

    /** Used only when the report runs the analysis itself: build the random control and compare. */
    @Parameter(property = "spectral.control", defaultValue = "true")
    private boolean control;

    /** Used only when the report runs the analysis itself. */
    @Parameter(property = "spectral.controlSeed", defaultValue = "42")
    private long controlSeed;

    /** Used only when the report runs the analysis itself: H0 "high rank" means numericalRank >= this fraction of V. */
    @Parameter(property = "spectral.highRankFraction", defaultValue = "0.5")
    private double highRankFraction;

    /** Used only when the report runs the analysis itself: control standard deviations that make a thinking head. */
    @Parameter(property = "spectral.zThreshold", defaultValue = "3")
    private double zThreshold;

    /** Used only when the report runs the analysis itself: also compute each circuit densely and compare. */
    @Parameter(property = "spectral.verifyDense", defaultValue = "false")
    private boolean verifyDense;

    /** Used only when the report runs the analysis itself: an earlier spectral-report.json to measure drift against. */
    @Parameter(property = "spectral.baseline")
    private File baseline;

    /** Used only when the report runs the analysis itself: in a forked JVM (see the analyze goal). */
    @Parameter(property = "spectral.fork", defaultValue = "true")
    private boolean fork;

    /** Used only when the report runs the analysis itself: the forked JVM's maximum heap. */
    @Parameter(property = "spectral.forkHeap", defaultValue = "1g")
    private String forkHeap;

    /** Used only when the report runs the analysis itself: more options for the forked JVM. */
    @Parameter(property = "spectral.forkArgs")
    private String forkArgs;

    @Parameter(defaultValue = "${plugin.artifacts}", readonly = true, required = true)
    private List<Artifact> pluginArtifacts;

    @Override
    public String getOutputName() {
        return OUTPUT_NAME;
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
    public boolean canGenerateReport() {
        if (skip) {
            getLog().info("Skipping the spectral report (spectral.skip=true)");
        }
        return !skip;
    }

    /** The site directory: the one the site plugin set, else the project's reporting directory. */
    @Override
    protected String getOutputDirectory() {
        if (super.outputDirectory != null) {
            return super.outputDirectory.getAbsolutePath();
        }
        if (project != null && project.getReporting() != null && project.getReporting().getOutputDirectory() != null) {
            return project.getReporting().getOutputDirectory();
        }
        return new File("target", "site").getAbsolutePath();
    }

    @Override
    protected void executeReport(Locale locale) throws MavenReportException {
        try {
            Path analysis = analysisDirectory();
            Path json = analysis.resolve(ReportWriter.FILE_NAME);
            SpectralReport report;
            String source;
            if (Files.isRegularFile(json)) {
                getLog().info("Reading " + json);
                report = ReportReader.read(json);
                source = json.toString();
            } else {
                getLog().info("No " + json + ": running the analysis of " + model);
                report = analyse();
                source = "an analysis run by this report";
            }
            Path images = getReportOutputDirectory().toPath().resolve(IMAGE_FOLDER);
            List<RenderedChart> charts = ChartRenderer.render(report, images);
            getLog().info("Wrote " + charts.size() + " charts to " + images);
            new SpectralReportPage(getSink(), report, charts, IMAGE_FOLDER + "/", source).render();
        } catch (SpectralException e) {
            throw new MavenReportException(e.getMessage(), e);
        }
    }

    /**
     * The analysis for this page only: nothing is written to the analysis output directory. A forked run
     * writes its report into a temporary directory, read back and removed.
     */
    private SpectralReport analyse() {
        Path m = model.toPath().toAbsolutePath().normalize();
        Path base = baseline == null ? null : baseline.toPath().toAbsolutePath().normalize();
        if (!fork) {
            return SpectralAnalysis.run(m, settings(), base, message -> getLog().info(message));
        }
        Path scratch = null;
        try {
            scratch = Files.createTempDirectory("spectral-report-");
            AnalysisRequest request = AnalysisRequest.of(m, settings(), base, scratch, null, false);
            // the scratch report is this page's input, gone after it: saying where it was written would mislead
            String scratchLine = "Wrote " + scratch;
            Path file = new ForkedAnalysis(forkHeap, forkArgs, ForkClasspath.of(pluginArtifacts))
                    .run(request, line -> {
                        if (line.startsWith(scratchLine)) {
                            getLog().debug(line);
                        } else {
                            getLog().info(line);
                        }
                    }, getLog()::debug);
            return ReportReader.read(file);
        } catch (IOException e) {
            throw new SpectralException("Could not create a temporary directory for the forked analysis in "
                    + System.getProperty("java.io.tmpdir") + ": " + e.getMessage() + "; check that it is writable, "
                    + "or set spectral.fork=false.", e);
        } finally {
            deleteQuietly(scratch);
        }
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

    private Path analysisDirectory() {
        if (outputDirectory != null) {
            return outputDirectory.toPath();
        }
        return Path.of("target", "spectral").toAbsolutePath();
    }

    private AnalysisSettings settings() {
        AnalysisSettings d = AnalysisSettings.defaults();
        return new AnalysisSettings(foldNorms, nearZeroTolerance, rankTolerance, control, controlSeed,
                highRankFraction, zThreshold, Set.of(), Set.of(), verifyDense, d.denseTolerance());
    }
}
