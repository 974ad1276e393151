package io.github.spectralcircuits.maven;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.spectralcircuits.pipeline.SpectralAnalysis;
import io.github.spectralcircuits.check.Limit;
import io.github.spectralcircuits.check.Rule;
import io.github.spectralcircuits.report.SpectralReport;
import java.io.File;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.commons.math3.util.FastMath;
import org.apache.maven.artifact.Artifact;
import org.apache.maven.artifact.DefaultArtifact;
import org.apache.maven.artifact.handler.DefaultArtifactHandler;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugin.logging.SystemStreamLog;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.jfree.chart.JFreeChart;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The analysing goals with spectral.fork=true: a real child JVM on the example model. */
class ForkedMojoTest {
    private static final Path MODEL = Path.of("../examples/stories260k").toAbsolutePath().normalize();
    private static final String PLUGIN = "io.github.spectralcircuits:spectral-maven-plugin:maven-plugin:0.1.0";
    private static final String CORE = "io.github.spectralcircuits:spectral-core:jar:0.1.0";

    @TempDir
    Path dir;

    /** The plugin's artifacts as Maven hands them over: the core and its libraries, each with its trail. */
    private static List<Artifact> pluginArtifacts() throws URISyntaxException {
        List<Artifact> out = new ArrayList<>();
        out.add(artifact("io.github.spectralcircuits", "spectral-core", SpectralAnalysis.class, PLUGIN, CORE));
        Class<?>[] libraries = {ObjectMapper.class, JsonFactory.class, JsonProperty.class, DMatrixRMaj.class,
            CommonOps_DDRM.class, JFreeChart.class, FastMath.class, picocli.CommandLine.class};
        for (Class<?> c : libraries) {
            out.add(artifact("lib", c.getSimpleName(), c, PLUGIN, CORE, "lib:" + c.getSimpleName() + ":jar:1"));
        }
        // what the core never uses stays off the child's class path; a missing jar here would show
        out.add(artifact("org.apache.maven.reporting", "maven-reporting-impl", Test.class, PLUGIN,
                "org.apache.maven.reporting:maven-reporting-impl:jar:4.0.0"));
        return out;
    }

    private static Artifact artifact(String group, String id, Class<?> from, String... trail) throws URISyntaxException {
        DefaultArtifact a = new DefaultArtifact(group, id, "1", "compile", "jar", null, new DefaultArtifactHandler("jar"));
        a.setFile(new File(from.getProtectionDomain().getCodeSource().getLocation().toURI()));
        a.setDependencyTrail(List.of(trail));
        return a;
    }

    private <T extends AbstractAnalysisMojo> T forked(T mojo, AtomicInteger inProcessCalls) throws Exception {
        mojo.setLog(new SystemStreamLog());
        MojoDefaults.analysisDefaults(mojo, MODEL.toFile(), dir.resolve("out").toFile());
        mojo.control = false;
        mojo.layers = "0";
        mojo.heads = "0-1";
        mojo.fork = true;
        mojo.forkHeap = "256m";
        mojo.pluginArtifacts = pluginArtifacts();
        mojo.analysis = (m, s, b, p) -> {
            inProcessCalls.incrementAndGet();
            throw new AssertionError("the in-process path ran");
        };
        return mojo;
    }

    @Test
    void spectraRunsInTheChildAndWritesTheReport() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        SpectraMojo mojo = forked(new SpectraMojo(), calls);
        mojo.execute();
        assertEquals(0, calls.get());
        SpectralReport report = ReportFiles.read(dir.resolve("out").resolve("spectral-report.json"));
        assertEquals(2, report.trained().heads().size());
        assertEquals(MODEL.toString(), report.model().path());
        assertEquals(null, report.checks(), "spectra evaluates no rules");
    }

    @Test
    void analyzeReadsTheChildsReportBackForItsRules() throws Exception {
        AnalyzeMojo mojo = forked(new AnalyzeMojo(), new AtomicInteger());
        mojo.failOnViolation = true;
        // stories260k's L0H0 and L0H1 OV effective ranks are about 4-6: a minimum of 100 fails both
        mojo.rules = List.of(new Rule("OV", null, null, List.of(new Limit("effectiveRank", 100.0, null, null))));
        MojoFailureException e = assertThrows(MojoFailureException.class, mojo::execute);
        String[] lines = e.getMessage().split("\n");
        assertTrue(lines[0].startsWith("2 spectral rule violations in " + MODEL), lines[0]);
        assertTrue(lines[1].startsWith("  layer 0, head 0, OV: effectiveRank = "), lines[1]);
        assertTrue(lines[2].startsWith("  layer 0, head 1, OV: effectiveRank = "), lines[2]);
        Path out = dir.resolve("out");
        SpectralReport written = ReportFiles.read(out.resolve("spectral-report.json"));
        assertFalse(written.checks().get(0).passed(), "the child wrote the rules' results into the report");
        assertTrue(Files.exists(out.resolve("ov_eigenvalue_distribution.png")), "analyze draws the charts");
    }

    @Test
    void aChildThatRefusesTheModelGivesTheCoresParagraphAndLeavesTheEarlierReport() throws Exception {
        SpectraMojo mojo = forked(new SpectraMojo(), new AtomicInteger());
        mojo.execute();
        Path report = dir.resolve("out").resolve("spectral-report.json");
        byte[] earlier = Files.readAllBytes(report);
        mojo.model = dir.resolve("nothing-here").toFile();
        MojoExecutionException e = assertThrows(MojoExecutionException.class, mojo::execute);
        assertTrue(e.getMessage().startsWith("The model directory " + dir.resolve("nothing-here") + " does not exist."),
                e.getMessage());
        assertTrue(e.getMessage().endsWith("(The report " + report + " from an earlier run was left unchanged; it does "
                + "not describe this failed run.)"), e.getMessage());
        assertEquals(new String(earlier), new String(Files.readAllBytes(report)));
    }
}
