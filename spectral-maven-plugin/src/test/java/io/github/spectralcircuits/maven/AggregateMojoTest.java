package io.github.spectralcircuits.maven;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.spectralcircuits.AnalysisSettings;
import io.github.spectralcircuits.report.ReportWriter;
import io.github.spectralcircuits.report.SpectralReport;
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
import java.util.Locale;
import org.apache.maven.doxia.sink.impl.Xhtml5BaseSink;
import org.apache.maven.model.Build;
import org.apache.maven.model.Dependency;
import org.apache.maven.model.Model;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.project.MavenProject;
import org.apache.maven.reporting.MavenReportException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The aggregate goal over a hand-made reactor: three checkpoint modules whose head L1H0 has an OV spectral
 * norm of 1, 2 and 4, and the aggregating module that depends on them (declared in another order than the
 * reactor's, which is the one kept).
 */
class AggregateMojoTest {
    static final String GROUP = "it.sweep";
    static final List<String> REACTOR = List.of("step-100", "step-200", "step-300");
    static final double[] NORMS = {1, 2, 4};

    @TempDir
    Path dir;

    /** 2 layers x 2 heads; head L1H0's OV spectral norm is planted. */
    static SpectralReport report(double ovNorm) {
        List<HeadSpectra> heads = new ArrayList<>();
        for (int l = 0; l < 2; l++) {
            for (int h = 0; h < 2; h++) {
                heads.add(new HeadSpectra(l, h, h, circuit(3 + l), circuit(l == 1 && h == 0 ? ovNorm : 1.5)));
            }
        }
        return new SpectralReport(1, SpectralReportPageTest.INFO, AnalysisSettings.defaults(), new ModelSpectra(heads),
                null, null, null, null, List.of());
    }

    static CircuitSpectrum circuit(double spectralNorm) {
        CircuitStats s = new CircuitStats(0.5, 0.01, 0.1, 0, 0.96, 2, 1.8, 1.25, spectralNorm, 1.118 * spectralNorm, 0.3);
        return new CircuitSpectrum(50, 4, new Eigenvalues(new double[] {spectralNorm, -0.5, 0, 0}, new double[4]),
                new double[] {spectralNorm, 0.5, 0, 0}, s);
    }

    private static MavenProject project(String artifactId, Path basedir) {
        Model model = new Model();
        model.setGroupId(GROUP);
        model.setArtifactId(artifactId);
        model.setVersion("1.0");
        model.setPackaging("pom");
        Build build = new Build();
        build.setDirectory(basedir.resolve("target").toString());
        model.setBuild(build);
        MavenProject p = new MavenProject(model);
        p.setFile(basedir.resolve("pom.xml").toFile());
        return p;
    }

    private static Dependency pom(String artifactId) {
        Dependency d = new Dependency();
        d.setGroupId(GROUP);
        d.setArtifactId(artifactId);
        d.setVersion("1.0");
        d.setType("pom");
        return d;
    }

    /** The reactor with every checkpoint's report written; the aggregating module last, as Maven sorts it. */
    private AggregateMojo mojo(boolean writeReports) {
        List<MavenProject> reactor = new ArrayList<>();
        for (int i = 0; i < REACTOR.size(); i++) {
            MavenProject p = project(REACTOR.get(i), dir.resolve(REACTOR.get(i)));
            reactor.add(p);
            if (writeReports) {
                ReportWriter.write(report(NORMS[i]), Path.of(p.getBuild().getDirectory(), "spectral"));
            }
        }
        MavenProject trajectory = project("trajectory", dir.resolve("trajectory"));
        // declared in another order than the reactor's
        for (String name : List.of("step-300", "step-100", "step-200")) {
            trajectory.getModel().addDependency(pom(name));
        }
        Dependency jar = pom("tools");
        jar.setType("jar");
        trajectory.getModel().addDependency(jar);
        reactor.add(trajectory);
        AggregateMojo mojo = new AggregateMojo();
        mojo.project = trajectory;
        mojo.reactorProjects = reactor;
        mojo.checkpointReport = "spectral/spectral-report.json";
        mojo.aggregateDirectory = dir.resolve("trajectory/target/spectral-aggregate").toFile();
        mojo.reportingOutputDirectory = dir.resolve("trajectory/target/site").toFile();
        mojo.basedir = dir.resolve("trajectory").toFile();
        mojo.trajectoryHeads = 5;
        return mojo;
    }

    @Test
    void aggregatesTheCheckpointModulesInReactorOrder() throws Exception {
        mojo(true).execute();

        Path out = dir.resolve("trajectory/target/spectral-aggregate");
        JsonNode json = new ObjectMapper().readTree(out.resolve("spectral-aggregate.json").toFile());
        List<String> names = new ArrayList<>();
        json.get("checkpoints").forEach(c -> names.add(c.get("name").asText()));
        assertEquals(REACTOR, names);
        JsonNode top = json.get("mostChanged").get(0);
        assertEquals(List.of(1, 0, "OV", "spectralNorm"), List.of(top.get("layer").asInt(), top.get("head").asInt(),
                top.get("circuit").asText(), top.get("metric").asText()));
        assertEquals(1, json.get("mostChanged").size());
        assertEquals(4.0, top.get("values").get(2).asDouble());

        String html = Files.readString(out.resolve("spectral-aggregate.html"));
        assertTrue(html.startsWith("<!DOCTYPE html>") && html.contains("<title>Spectral trajectories</title>"));
        assertTrue(html.contains("3 checkpoints, in reactor order: step-100, step-200, step-300."), html);
        List<String> images = StandalonePageTest.imageSources(html);
        assertEquals(List.of("trajectories.png", "heatmap_spectral_norm_ratio.png"), images);
        for (String src : images) {
            assertTrue(Files.isRegularFile(out.resolve(src)), src);
        }
        // the changing head's row: rank, head, circuit, statistic, change, then its value at each checkpoint
        List<String> rows = StandalonePageTest.rowsAfter(html, "<h2>Heads that change most</h2>");
        assertEquals(2, rows.size());
        assertTrue(rows.get(0).contains("step-100") && rows.get(0).contains("step-300"), rows.get(0));
        assertTrue(rows.get(1).replaceAll("\\s*<[^>]+>\\s*", "|").replaceAll("\\|+", "|").contains("|1|L1H0|OV|spectralNorm|"),
                rows.get(1));
    }

    @Test
    void aFolderOfDownloadedReportsGivesTheSameJson() throws Exception {
        AggregateMojo reactor = mojo(true);
        reactor.execute();
        byte[] fromReactor = Files.readAllBytes(dir.resolve("trajectory/target/spectral-aggregate/spectral-aggregate.json"));

        Path downloads = dir.resolve("downloads");
        for (String name : REACTOR) {
            Files.createDirectories(downloads.resolve(name));
            Files.copy(dir.resolve(name).resolve("target/spectral/spectral-report.json"),
                    downloads.resolve(name).resolve("spectral-report.json"));
        }
        // a CI job without a pom: the stand-in project has no dependencies and no build directory
        AggregateMojo folder = new AggregateMojo();
        folder.reports = downloads.toFile();
        folder.checkpointReport = "spectral/spectral-report.json";
        folder.aggregateDirectory = new java.io.File("${project.build.directory}/spectral-aggregate");
        folder.basedir = dir.resolve("ci").toFile();
        folder.trajectoryHeads = 5;
        folder.execute();
        byte[] fromFolder = Files.readAllBytes(dir.resolve("ci/target/spectral-aggregate/spectral-aggregate.json"));
        assertEquals(new String(fromReactor, "UTF-8"), new String(fromFolder, "UTF-8"));
    }

    @Test
    void aMissingReportFailsTheBuildNamingTheModule() {
        AggregateMojo mojo = mojo(true);
        Path gone = dir.resolve("step-200/target/spectral/spectral-report.json");
        gone.toFile().delete();
        MojoExecutionException e = assertThrows(MojoExecutionException.class, mojo::execute);
        assertTrue(e.getMessage().startsWith("No spectral report for the checkpoint module 'step-200' (it.sweep:step-200:1.0): "
                + gone + " does not exist."), e.getMessage());
        assertTrue(e.getMessage().contains("(bind spectral:analyze in its pom and build the reactor, e.g. mvn verify), or, "
                + "if it writes its report elsewhere, set spectral.checkpointReport"), e.getMessage());
        assertFalse(Files.exists(dir.resolve("trajectory/target/spectral-aggregate/spectral-aggregate.json")),
                "nothing is written when a checkpoint is missing");
    }

    @Test
    void aCheckpointOutsideTheBuildOrNoneAtAllIsExplained() {
        AggregateMojo mojo = mojo(true);
        mojo.reactorProjects = mojo.reactorProjects.subList(1, mojo.reactorProjects.size());
        MojoExecutionException outside = assertThrows(MojoExecutionException.class, mojo::execute);
        assertTrue(outside.getMessage().startsWith("The checkpoint it.sweep:step-100:1.0 (a dependency of type pom of "
                + "trajectory) is not a module of this build"), outside.getMessage());

        AggregateMojo alone = mojo(true);
        alone.project = project("lonely", dir.resolve("lonely"));
        assertFalse(alone.canGenerateReport(), "no checkpoints: the report stays out of the site");
        MojoExecutionException none = assertThrows(MojoExecutionException.class, alone::execute);
        assertTrue(none.getMessage().startsWith("spectral:aggregate in lonely has no checkpoints"), none.getMessage());
        alone.reports = dir.toFile();
        assertTrue(alone.canGenerateReport());
    }

    @Test
    void inASiteThePageIsAReportWithItsChartsInAFolderNextToIt() throws Exception {
        AggregateMojo mojo = mojo(true);
        assertTrue(mojo.canGenerateReport());
        Path site = dir.resolve("site");
        mojo.setReportOutputDirectory(site.toFile());
        StringWriter out = new StringWriter();
        mojo.generate(new Xhtml5BaseSink(out), Locale.ROOT);
        String html = out.toString();
        assertTrue(html.contains("Spectral trajectories") && html.contains("3 checkpoints, in reactor order"), html);
        for (String src : StandalonePageTest.imageSources(html)) {
            assertTrue(src.startsWith("spectral-aggregate/"), src);
            assertTrue(Files.isRegularFile(site.resolve(src)), src);
        }
        assertEquals("spectral-aggregate", mojo.getOutputName());

        AggregateMojo missing = mojo(false);
        Files.delete(dir.resolve("step-100/target/spectral/spectral-report.json"));
        missing.setReportOutputDirectory(site.toFile());
        MavenReportException e = assertThrows(MavenReportException.class,
                () -> missing.generate(new Xhtml5BaseSink(new StringWriter()), Locale.ROOT));
        assertTrue(e.getMessage().contains("the checkpoint module 'step-100'"), e.getMessage());
    }

    @Test
    void theFolderOrderCanBeGiven() throws Exception {
        Path downloads = dir.resolve("downloads");
        for (int i = 0; i < REACTOR.size(); i++) {
            ReportWriter.write(report(NORMS[i]), downloads.resolve(REACTOR.get(i)));
        }
        AggregateMojo mojo = new AggregateMojo();
        mojo.reports = downloads.toFile();
        mojo.checkpoints = "step-300, step-100";
        mojo.aggregateDirectory = dir.resolve("out").toFile();
        mojo.trajectoryHeads = 5;
        mojo.execute();
        JsonNode json = new ObjectMapper().readTree(dir.resolve("out/spectral-aggregate.json").toFile());
        assertEquals("step-300", json.get("checkpoints").get(0).get("name").asText());
        assertEquals(2, json.get("checkpoints").size());
        assertEquals(List.of("a", "b"), AggregateMojo.names(" a,,b "));
    }
}
