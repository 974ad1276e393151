package io.github.spectralcircuits.maven;

import io.github.spectralcircuits.SpectralException;
import io.github.spectralcircuits.aggregate.AggregateCharts;
import io.github.spectralcircuits.aggregate.AggregateJson;
import io.github.spectralcircuits.aggregate.Aggregation;
import io.github.spectralcircuits.aggregate.CheckpointSource;
import io.github.spectralcircuits.aggregate.HeadChange;
import io.github.spectralcircuits.aggregate.ReportsFolder;
import io.github.spectralcircuits.aggregate.SpectralAggregate;
import io.github.spectralcircuits.report.AtomicFiles;
import io.github.spectralcircuits.report.charts.RenderedChart;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.apache.maven.doxia.sink.Sink;
import org.apache.maven.model.Dependency;
import org.apache.maven.plugin.AbstractMojo;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.project.MavenProject;
import org.apache.maven.reporting.MavenReport;
import org.apache.maven.reporting.MavenReportException;

/**
 * Many checkpoints' reports in one: modelled on JaCoCo's report-aggregate. In a module whose dependencies of
 * type pom are checkpoint modules (each running spectral:analyze), it reads their reports in reactor order
 * and writes spectral-aggregate.json, the trajectory charts and a page (spectral-aggregate.html) into
 * target/spectral-aggregate; in {@code mvn site} the same page is a report of the site. With
 * {@code -Dspectral.reports=DIR} it reads instead one report per sub-folder of DIR (the artifacts a CI
 * matrix's jobs uploaded), each checkpoint named by its folder; this needs no project. A checkpoint whose
 * report is missing or older than its model's files fails the goal with a message naming it.
 * <p>
 * Thread-safe as declared: it only reads the other modules' models (which Maven no longer changes once
 * they are built; the dependencies make Maven build them first) and writes into its own module's
 * directories.
 */
@Mojo(name = "aggregate", defaultPhase = LifecyclePhase.VERIFY, requiresProject = false, threadSafe = true)
public class AggregateMojo extends AbstractMojo implements MavenReport {
    static final String OUTPUT_NAME = "spectral-aggregate";
    /** The charts' folder next to the site page. */
    static final String IMAGE_FOLDER = "spectral-aggregate";
    /** How a checkpoint module gets its report, for the messages that ask for one. */
    static final String HOW_TO_ANALYSE = "bind spectral:analyze in its pom and build the reactor, e.g. mvn verify";

    /**
     * A folder of downloaded reports, one checkpoint per sub-folder (its spectral-report.json directly in it
     * or the only one below it), named by the folder. Replaces the reactor's checkpoint modules.
     */
    @Parameter(property = "spectral.reports")
    File reports;

    /**
     * With spectral.reports: the checkpoints to aggregate and their order, as folder names separated by commas.
     * Without it, every sub-folder in natural order of their names (step-2000 before step-10000).
     */
    @Parameter(property = "spectral.checkpoints")
    String checkpoints;

    /** Where each checkpoint module keeps its report, relative to that module's build directory (target/). */
    @Parameter(property = "spectral.checkpointReport", defaultValue = "spectral/spectral-report.json")
    String checkpointReport;

    /** Where spectral-aggregate.json, its charts and its page go. */
    @Parameter(property = "spectral.aggregateDirectory", defaultValue = "${project.build.directory}/spectral-aggregate")
    File aggregateDirectory;

    /** How many of the heads that change most the aggregate lists and the trajectory chart draws. */
    @Parameter(property = "spectral.trajectoryHeads", defaultValue = "5")
    int trajectoryHeads = Aggregation.DEFAULT_HEADS;

    /** Skips the goal (all spectral goals honour it). */
    @Parameter(property = "spectral.skip", defaultValue = "false")
    boolean skip;

    @Parameter(defaultValue = "${project}", readonly = true)
    MavenProject project;

    /** The build's modules in reactor order. */
    @Parameter(defaultValue = "${reactorProjects}", readonly = true)
    List<MavenProject> reactorProjects;

    /** The project's reporting output directory, for the site page when the site plugin has not set one. */
    @Parameter(defaultValue = "${project.reporting.outputDirectory}", readonly = true)
    File reportingOutputDirectory;

    /** The project's directory; without a pom, the directory Maven runs in. */
    @Parameter(defaultValue = "${basedir}", readonly = true)
    File basedir;

    private File siteDirectory;

    @Override
    public void execute() throws MojoExecutionException {
        if (skip) {
            getLog().info("Skipping spectral:aggregate (spectral.skip=true).");
            return;
        }
        try {
            run();
        } catch (SpectralException e) {
            throw new MojoExecutionException(e.message(MavenStyle.STYLE), e);
        } catch (RuntimeException e) {
            throw new MojoExecutionException(unexpected(e), e);
        }
    }

    private void run() {
        Gathered g = gather();
        SpectralAggregate a = g.aggregate();
        Path out = projectDirectory(aggregateDirectory, OUTPUT_NAME);
        getLog().info("Aggregated " + a.checkpoints().size() + " checkpoints in " + g.order() + ": "
                + String.join(", ", a.names()));
        Path json = AggregateJson.write(a, out);
        List<RenderedChart> charts = AggregateCharts.render(a, out);
        Path page = out.resolve(OUTPUT_NAME + ".html");
        AtomicFiles.writeBytes(page, StandalonePage.document(AggregatePage.TITLE,
                sink -> new AggregatePage(sink, a, charts, "", g.order()).renderBody()).getBytes(StandardCharsets.UTF_8));
        getLog().info("Wrote " + json + ", " + charts.size() + " charts and " + page.getFileName());
        for (HeadChange h : a.mostChanged()) {
            double[] v = h.values();
            getLog().info(String.format(Locale.ROOT, "Changes most (%d): L%dH%d %s %s %s -> %s (change %s)", h.rank(),
                    h.layer(), h.head(), h.circuit(), h.metric(), Numbers.format(v[0]), Numbers.format(v[v.length - 1]),
                    Numbers.format(h.change())));
        }
        if (a.mostChanged().isEmpty()) {
            getLog().info("No head changes along the checkpoints.");
        }
    }

    /** The aggregate and, in words, the order its checkpoints came in. */
    private record Gathered(SpectralAggregate aggregate, String order) {
    }

    private Gathered gather() {
        if (trajectoryHeads < 1) {
            throw new SpectralException("spectral.trajectoryHeads is " + trajectoryHeads + "; it must be at least 1 "
                    + "(the number of changing heads to list and chart, such as 5).");
        }
        if (reports != null) {
            Path dir = reports.toPath().toAbsolutePath().normalize();
            List<CheckpointSource> sources = ReportsFolder.sources(dir, names(checkpoints));
            String order = checkpoints == null || checkpoints.isBlank() ? "the natural order of the folders of " + dir
                    : "the order of spectral.checkpoints, from " + dir;
            return new Gathered(Aggregation.aggregate(sources, trajectoryHeads), order);
        }
        return new Gathered(Aggregation.aggregate(reactorSources(), trajectoryHeads), "reactor order");
    }

    static List<String> names(String list) {
        if (list == null || list.isBlank()) {
            return List.of();
        }
        return Arrays.stream(list.split(",")).map(String::strip).filter(s -> !s.isEmpty()).toList();
    }

    /** The pom-type dependencies of this module that are modules of the build, in reactor order. */
    List<CheckpointSource> reactorSources() {
        List<Dependency> poms = checkpointDependencies();
        String here = project == null ? "this project" : project.getArtifactId();
        if (poms.isEmpty()) {
            throw new SpectralException("spectral:aggregate in " + here + " has no checkpoints: it aggregates the "
                    + "modules this one depends on with <type>pom</type> (each running spectral:analyze), as JaCoCo's "
                    + "report-aggregate does, and " + here + " has no such dependency. Add one per checkpoint module, "
                    + "or aggregate downloaded reports with -Dspectral.reports=DIR (one sub-folder per checkpoint).");
        }
        List<CheckpointSource> sources = new ArrayList<>();
        List<Dependency> found = new ArrayList<>();
        for (MavenProject p : reactorProjects == null ? List.<MavenProject>of() : reactorProjects) {
            for (Dependency d : poms) {
                if (d.getGroupId().equals(p.getGroupId()) && d.getArtifactId().equals(p.getArtifactId())
                        && d.getVersion().equals(p.getVersion())) {
                    Path report = Path.of(p.getBuild().getDirectory()).resolve(checkpointReport).toAbsolutePath().normalize();
                    sources.add(CheckpointSource.module(p.getArtifactId(), report, coordinates(d), HOW_TO_ANALYSE));
                    found.add(d);
                }
            }
        }
        for (Dependency d : poms) {
            if (!found.contains(d)) {
                throw new SpectralException("The checkpoint " + coordinates(d) + " (a dependency of type pom of " + here
                        + ") is not a module of this build, so spectral:aggregate cannot find its report. Build it in the "
                        + "same reactor: run Maven in the parent directory, or with -pl " + here + " -am.");
            }
        }
        return sources;
    }

    private List<Dependency> checkpointDependencies() {
        if (project == null || project.getDependencies() == null) {
            return List.of();
        }
        return project.getDependencies().stream().filter(d -> "pom".equals(d.getType())).toList();
    }

    private static String coordinates(Dependency d) {
        return d.getGroupId() + ":" + d.getArtifactId() + ":" + d.getVersion();
    }

    /** As the other goals: a project expression left in the path means "no project", ./target/{fallback}. */
    private Path projectDirectory(File configured, String fallback) {
        if (configured == null || configured.getPath().contains("${")) {
            Path base = basedir == null ? Path.of("") : basedir.toPath();
            return base.resolve("target").resolve(fallback).toAbsolutePath().normalize();
        }
        return configured.toPath().toAbsolutePath().normalize();
    }

    private static String unexpected(RuntimeException e) {
        return "spectral:aggregate failed unexpectedly (" + e.getClass().getSimpleName()
                + (e.getMessage() == null ? "" : ": " + e.getMessage()) + "). This is a defect of the plugin; no "
                + "aggregate was written. Re-run with -e for the stack trace and report it.";
    }

    // MavenReport: the page in a site

    @Override
    public void generate(Sink sink, Locale locale) throws MavenReportException {
        try {
            Gathered g = gather();
            Path images = getReportOutputDirectory().toPath().resolve(IMAGE_FOLDER);
            List<RenderedChart> charts = AggregateCharts.render(g.aggregate(), images);
            new AggregatePage(sink, g.aggregate(), charts, IMAGE_FOLDER + "/", g.order()).render();
        } catch (SpectralException e) {
            throw new MavenReportException(e.message(MavenStyle.STYLE), e);
        } catch (RuntimeException e) {
            throw new MavenReportException(unexpected(e), e);
        }
    }

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
        return AggregatePage.TITLE;
    }

    @Override
    public String getDescription(Locale locale) {
        return "Every attention head's QK and OV circuit statistics followed across the checkpoints of a sweep.";
    }

    @Override
    public void setReportOutputDirectory(File directory) {
        siteDirectory = directory;
    }

    @Override
    public File getReportOutputDirectory() {
        return siteDirectory != null ? siteDirectory : projectDirectory(reportingOutputDirectory, "site").toFile();
    }

    @Override
    public boolean isExternalReport() {
        return false;
    }

    /**
     * False when skipped, and in a module with nothing to aggregate (no checkpoint dependencies, no reports
     * folder), so that a report configuration inherited by a parent or a checkpoint module stays quiet there.
     */
    @Override
    public boolean canGenerateReport() {
        if (skip) {
            getLog().info("Skipping the spectral aggregate (spectral.skip=true)");
            return false;
        }
        return reports != null || !checkpointDependencies().isEmpty();
    }
}
