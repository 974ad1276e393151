package io.github.spectralcircuits.maven;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.spectralcircuits.pipeline.SpectralAnalysis;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.commons.math3.util.FastMath;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.jfree.chart.JFreeChart;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * spectral:analyze without a baseline, forked, as on the reference workload: Maven's JVM (which passes the
 * request as the command line's arguments) loads no class of jackson-databind, whose start-up costs a fresh JVM
 * about a third of a CPU-second. The child (the command line, SpectralCli) does load it: config.json and the
 * report go through the one databind mapper of the report's records (ReportJson says what that costs: 0.92
 * CPU-s against 0.68 for a whole stories260k analysis with the hand-written writer it replaced). Both JVMs log
 * their class loading.
 */
class AnalyzeGoalClassesTest {
    private static final Path MODEL = Path.of("../examples/stories260k").toAbsolutePath().normalize();

    @TempDir
    Path dir;

    private static String jarOf(Class<?> c) throws Exception {
        return new File(c.getProtectionDomain().getCodeSource().getLocation().toURI()).getPath();
    }

    @Test
    void mavensJvmLoadsNoJacksonDatabind() throws Exception {
        Path mavenLog = dir.resolve("maven-classes.log");
        Path childLog = dir.resolve("child-classes.log");
        Path out = dir.resolve("out");
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xlog:class+load=info:file=" + mavenLog, "-cp", System.getProperty("java.class.path"),
                AnalyzeGoalMain.class.getName(), MODEL.toString(), out.toString(),
                "-Xlog:class+load=info:file=" + childLog));
        // the plugin's jars, databind among them as in the real plugin: present, never loaded
        for (Class<?> c : List.of(SpectralAnalysis.class, ObjectMapper.class, JsonFactory.class, JsonProperty.class,
                DMatrixRMaj.class, CommonOps_DDRM.class, JFreeChart.class, FastMath.class, picocli.CommandLine.class)) {
            cmd.add(jarOf(c));
        }
        Process maven = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(dir.resolve("maven.out").toFile()).start();
        try {
            assertTrue(maven.waitFor(120, TimeUnit.SECONDS), "the goal finished");
        } finally {
            maven.destroyForcibly();
        }
        String output = Files.readString(dir.resolve("maven.out"));
        assertEquals(0, maven.exitValue(), output);
        assertTrue(Files.exists(out.resolve("spectral-report.json")) && Files.exists(out.resolve("ov_eigenvalue_distribution.png")),
                output);
        assertNoDatabind(mavenLog, AnalyzeMojo.class.getName());
        List<String> child = Files.readAllLines(childLog);
        assertTrue(child.stream().anyMatch(l -> l.contains(" io.github.spectralcircuits.launch.SpectralCli ")),
                childLog + " is the child's log");
        assertTrue(child.stream().anyMatch(l -> l.contains(" com.fasterxml.jackson.databind.ObjectMapper ")),
                "the child writes the report with databind");
    }

    private static void assertNoDatabind(Path log, String mustHaveLoaded) throws Exception {
        List<String> loaded = Files.readAllLines(log);
        assertTrue(loaded.stream().anyMatch(l -> l.contains(" " + mustHaveLoaded + " ")), log + " is the log of the JVM expected");
        List<String> databind = loaded.stream().filter(l -> l.contains("com.fasterxml.jackson.databind")).toList();
        assertEquals(List.of(), databind.subList(0, Math.min(5, databind.size())), log + ": " + databind.size()
                + " databind classes loaded");
    }
}
