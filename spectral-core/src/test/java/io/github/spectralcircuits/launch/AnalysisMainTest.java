package io.github.spectralcircuits.launch;

import io.github.spectralcircuits.pipeline.AnalysisJob;
import io.github.spectralcircuits.pipeline.AnalysisRequest;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.spectralcircuits.AnalysisSettings;
import io.github.spectralcircuits.pipeline.SpectralAnalysis;
import io.github.spectralcircuits.SpectralException;
import io.github.spectralcircuits.check.Limit;
import io.github.spectralcircuits.check.Rule;
import io.github.spectralcircuits.launch.ForkProtocol.Kind;
import io.github.spectralcircuits.report.ReportReader;
import io.github.spectralcircuits.report.SpectralReport;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The forked JVM's main, run in this JVM: what it prints, what it writes, what it returns. */
class AnalysisMainTest {
    private static final Path MODEL = Path.of("../examples/stories260k").toAbsolutePath().normalize();

    @TempDir
    Path dir;

    private record Run(int exit, List<String> lines) {
        ForkProtocol.Outcome outcome() {
            return ForkProtocol.parse(lines.get(lines.size() - 1)).orElseThrow();
        }
    }

    private Run run(AnalysisRequest request) {
        Path file = dir.resolve("request.json");
        AnalysisRequests.write(request, file);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        int exit = AnalysisMain.run(new String[] {file.toString()}, new PrintStream(bytes, true, StandardCharsets.UTF_8));
        return new Run(exit, bytes.toString(StandardCharsets.UTF_8).lines().toList());
    }

    /** Two heads of layer 0, no control: a second of work. */
    private static AnalysisSettings small() {
        AnalysisSettings d = AnalysisSettings.defaults();
        return new AnalysisSettings(true, d.nearZeroTolerance(), d.rankTolerance(), false, 42L, d.highRankFraction(),
                d.zThreshold(), Set.of(0), Set.of(0, 1), false, d.denseTolerance());
    }

    @Test
    void writesTheSameReportAsTheInProcessPipelineWithTheRulesResults() throws Exception {
        Path out = dir.resolve("out");
        List<Rule> rules = List.of(new Rule("OV", null, null, List.of(new Limit("effectiveRank", 1.0, null, null))));
        Run run = run(AnalysisRequest.of(MODEL, small(), null, out, rules, false));

        assertEquals(0, run.exit(), run.lines().toString());
        assertEquals(Kind.DONE, run.outcome().kind());
        Path file = Path.of(run.outcome().text());
        assertEquals(out.resolve("spectral-report.json"), file);
        assertTrue(run.lines().stream().anyMatch(l -> l.startsWith("Layer 0")), run.lines().toString());
        assertTrue(run.lines().contains("Wrote " + file + " (2 heads, QK and OV)"), run.lines().toString());

        // the in-process path over the same request writes byte-for-byte the same file
        Path here = dir.resolve("here");
        AnalysisJob.run(AnalysisRequest.of(MODEL, small(), null, here, rules, false));
        assertArrayEquals(Files.readAllBytes(here.resolve("spectral-report.json")), Files.readAllBytes(file));
        SpectralReport report = ReportReader.read(file);
        assertEquals(1, report.checks().size());
        assertTrue(report.checks().get(0).passed());
        try (var files = Files.list(out)) {
            assertEquals(List.of(file), files.toList(), "no charts were asked for");
        }
    }

    @Test
    void aRefusedInputPrintsTheCoresParagraphAndWritesNothing() {
        Path missing = dir.resolve("no-such-model");
        Path out = dir.resolve("out");
        SpectralException inProcess = assertThrows(SpectralException.class,
                () -> SpectralAnalysis.run(missing, small(), null, null));

        Run run = run(AnalysisRequest.of(missing, small(), null, out, null, true));

        assertEquals(ForkProtocol.EXIT_FAILED, run.exit());
        assertEquals(Kind.FAILED, run.outcome().kind());
        assertEquals(inProcess.getMessage(), run.outcome().text());
        assertFalse(Files.exists(out));
    }

    @Test
    void aRequestOnStandardInputIsRunLikeARequestFile() throws Exception {
        Path out = dir.resolve("out");
        String json = AnalysisRequests.toJson(AnalysisRequest.of(MODEL, small(), null, out, null, false));
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        int exit = AnalysisMain.run(new String[] {AnalysisMain.REQUEST_ON_STANDARD_INPUT}, () -> json,
                new PrintStream(bytes, true, StandardCharsets.UTF_8));
        List<String> lines = bytes.toString(StandardCharsets.UTF_8).lines().toList();

        assertEquals(0, exit, lines.toString());
        assertEquals(out.resolve("spectral-report.json").toString(),
                ForkProtocol.parse(lines.get(lines.size() - 1)).orElseThrow().text());
        Path fromFile = dir.resolve("from-file");
        assertEquals(0, run(AnalysisRequest.of(MODEL, small(), null, fromFile, null, false)).exit());
        assertArrayEquals(Files.readAllBytes(fromFile.resolve("spectral-report.json")),
                Files.readAllBytes(out.resolve("spectral-report.json")));
    }

    @Test
    void standardInputThatEndsBeforeTheRequestIsAFailure() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        int exit = AnalysisMain.run(new String[] {AnalysisMain.REQUEST_ON_STANDARD_INPUT}, () -> {
            throw new java.io.IOException("standard input ended before the request");
        }, new PrintStream(bytes, true, StandardCharsets.UTF_8));
        assertEquals(ForkProtocol.EXIT_FAILED, exit);
        var outcome = ForkProtocol.parse(bytes.toString(StandardCharsets.UTF_8).strip()).orElseThrow();
        assertEquals(Kind.FAILED, outcome.kind());
        assertTrue(outcome.text().startsWith("The forked analysis got no request on its standard input (standard "
                + "input ended before the request)"), outcome.text());
    }

    @Test
    void aChildWaitingForItsRequestOnStandardInputStopsWhenItsLauncherIsGone() throws Exception {
        assertStopsWhenItsLauncherIsGone(AnalysisMain.REQUEST_ON_STANDARD_INPUT);
    }

    @Test
    void aMissingRequestIsAFailureNotAStackTrace() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        int exit = AnalysisMain.run(new String[] {dir.resolve("absent.json").toString()},
                new PrintStream(bytes, true, StandardCharsets.UTF_8));
        assertEquals(ForkProtocol.EXIT_FAILED, exit);
        var outcome = ForkProtocol.parse(bytes.toString(StandardCharsets.UTF_8).strip()).orElseThrow();
        assertEquals(Kind.FAILED, outcome.kind());
        assertTrue(outcome.text().contains("absent.json"), outcome.text());
    }

    @Test
    void aChildWhoseLauncherIsGoneStops() throws Exception {
        // The request is a named pipe nobody writes to, so the child waits for it as long as we like.
        Path fifo = dir.resolve("request.fifo");
        Process mkfifo = new ProcessBuilder("mkfifo", fifo.toString()).start();
        org.junit.jupiter.api.Assumptions.assumeTrue(mkfifo.waitFor() == 0, "needs mkfifo");
        assertStopsWhenItsLauncherIsGone(fifo.toString());
    }

    /** The whole analysis as the plugin forks it (control, comparison, charts; no baseline), in a JVM of its own. */
    @Test
    void theForkedAnalysisRunsTheWholePipeline() throws Exception {
        AnalysisSettings d = AnalysisSettings.defaults();
        AnalysisSettings settings = new AnalysisSettings(true, d.nearZeroTolerance(), d.rankTolerance(), true, 42L,
                d.highRankFraction(), d.zThreshold(), Set.of(0), Set.of(), false, d.denseTolerance());
        Path request = dir.resolve("request.json");
        Path out = dir.resolve("out");
        AnalysisRequests.write(AnalysisRequest.of(MODEL, settings, null, out, null, true), request);
        Path javaExe = Path.of(System.getProperty("java.home"), "bin", "java");
        Process child = new ProcessBuilder(javaExe.toString(), "--add-modules", "jdk.incubator.vector",
                "-Djava.awt.headless=true", "-cp", System.getProperty("java.class.path"),
                AnalysisMain.class.getName(), request.toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("child.out").toFile()).start();
        try {
            assertTrue(child.waitFor(120, java.util.concurrent.TimeUnit.SECONDS), "the child finished");
        } finally {
            child.destroyForcibly();
        }
        assertEquals(0, child.exitValue(), Files.readString(dir.resolve("child.out")));
        SpectralReport report = ReportReader.read(out);
        assertEquals(8, report.trained().heads().size());
        assertTrue(report.comparison() != null && Files.exists(out.resolve("qk_eigenvalue_distribution.png")),
                "the whole pipeline ran: comparison and charts");
    }

    /** A child started with this argument waits; once its standard input ends it stops with EXIT_LAUNCHER_GONE. */
    private static void assertStopsWhenItsLauncherIsGone(String argument) throws Exception {
        Path javaExe = Path.of(System.getProperty("java.home"), "bin", "java");
        Process child = new ProcessBuilder(javaExe.toString(), "-D" + AnalysisMain.EXIT_WITH_LAUNCHER + "=true",
                "-cp", System.getProperty("java.class.path"), AnalysisMain.class.getName(), argument).start();
        try {
            assertFalse(child.waitFor(1, java.util.concurrent.TimeUnit.SECONDS), "the child waits for its request");
            child.getOutputStream().close();
            assertTrue(child.waitFor(30, java.util.concurrent.TimeUnit.SECONDS), "the child outlived its launcher");
            assertEquals(ForkProtocol.EXIT_LAUNCHER_GONE, child.exitValue());
        } finally {
            child.destroyForcibly();
        }
    }
}
