package io.github.spectralcircuits.launch;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.spectralcircuits.AnalysisSettings;
import io.github.spectralcircuits.check.Limit;
import io.github.spectralcircuits.check.Rule;
import io.github.spectralcircuits.check.RulesFile;
import io.github.spectralcircuits.launch.ForkProtocol.Kind;
import io.github.spectralcircuits.pipeline.AnalysisJob;
import io.github.spectralcircuits.pipeline.AnalysisRequest;
import io.github.spectralcircuits.pipeline.SpectralAnalysis;
import io.github.spectralcircuits.report.ReportReader;
import io.github.spectralcircuits.report.SpectralReport;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command line, run in this JVM (and once in a JVM of its own): what it prints, writes and returns. */
class SpectralCliTest {
    private static final Path MODEL = Path.of("../examples/stories260k").toAbsolutePath().normalize();

    @TempDir
    Path dir;

    private record Run(int exit, List<String> out, String err) {
        ForkProtocol.Outcome outcome() {
            return ForkProtocol.parse(out.get(out.size() - 1)).orElseThrow();
        }
    }

    private static Run run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = SpectralCli.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), SpectralAnalysis::runAgainst);
        return new Run(exit, out.toString(StandardCharsets.UTF_8).lines().toList(), err.toString(StandardCharsets.UTF_8));
    }

    /** Two heads of layer 0, no control: a second of work. */
    private static AnalysisSettings small() {
        AnalysisSettings d = AnalysisSettings.defaults();
        return new AnalysisSettings(true, d.nearZeroTolerance(), d.rankTolerance(), false, 42L, d.highRankFraction(),
                d.zThreshold(), Set.of(0), Set.of(0, 1), false, d.denseTolerance());
    }

    private Path rules(double minimumEffectiveRank) throws Exception {
        Path file = dir.resolve("rules-" + minimumEffectiveRank + ".json");
        RulesFile.write(List.of(new Rule("OV", null, null, List.of(new Limit("effectiveRank", minimumEffectiveRank,
                null, null)))), file);
        return file;
    }

    @Test
    void analyzeWritesTheSameReportAsTheInProcessJobWithTheRulesResults() throws Exception {
        Path out = dir.resolve("out");
        Run run = run("analyze", MODEL.toString(), "--out", out.toString(), "--no-control", "--layers=0",
                "--heads=0-1", "--no-charts", "--rules=" + rules(1.0));

        assertEquals(0, run.exit(), run.err());
        Path file = out.resolve("spectral-report.json");
        assertTrue(run.out().stream().anyMatch(l -> l.startsWith("Layer 0")), run.out().toString());
        assertTrue(run.out().contains("Wrote " + file + " (2 heads, QK and OV)"), run.out().toString());
        assertTrue(run.out().contains("All 1 rule limits passed."), run.out().toString());

        Path here = dir.resolve("here");
        List<Rule> rules = RulesFile.read(rules(1.0));
        AnalysisJob.run(AnalysisRequest.of(MODEL, small(), null, here, rules, false));
        assertArrayEquals(Files.readAllBytes(here.resolve("spectral-report.json")), Files.readAllBytes(file));
        SpectralReport report = ReportReader.read(file);
        assertEquals(1, report.checks().size());
        assertTrue(report.checks().get(0).passed());
        assertNotNull(report.fingerprint(), "the report says which weights it read");
        try (var files = Files.list(out)) {
            assertEquals(List.of(file), files.toList(), "no charts were asked for");
        }
    }

    @Test
    void aViolatedRuleExitsWithItsCodeAndNamesTheOffendingCircuitsInCommandLineTerms() throws Exception {
        Path out = dir.resolve("out");
        Run run = run("analyze", MODEL.toString(), "--out=" + out, "--control=false", "--layers=0", "--heads=0-1",
                "--charts=false", "--rules=" + rules(1000.0));

        assertEquals(SpectralCli.EXIT_VIOLATIONS, run.exit());
        assertTrue(run.err().contains("2 spectral rule violations in " + MODEL), run.err());
        assertTrue(run.err().contains("layer 0, head 1, OV: effectiveRank = "), run.err());
        assertTrue(run.err().contains("set --fail-on-violation=false to only warn"), run.err());
        SpectralReport report = ReportReader.read(out);
        assertEquals(2, report.checks().get(0).offending().size(), "the report records the violations");

        Run warnOnly = run("analyze", MODEL.toString(), "--out=" + dir.resolve("warn"), "--no-control",
                "--layers=0", "--heads=0-1", "--no-charts", "--rules=" + rules(1000.0), "--no-fail-on-violation");
        assertEquals(0, warnOnly.exit(), warnOnly.err());
    }

    @Test
    void aRefusedInputIsOneParagraphInCommandLineTermsAndWritesNothing() {
        Path out = dir.resolve("out");
        Run missing = run("analyze", dir.resolve("no-such-model").toString(), "--out", out.toString());
        assertEquals(ForkProtocol.EXIT_FAILED, missing.exit());
        assertTrue(missing.err().contains("Point the model path (the MODEL argument)"), missing.err());
        assertFalse(missing.err().contains("spectral."), missing.err());
        assertFalse(Files.exists(out));

        Run badTolerance = run("analyze", MODEL.toString(), "--out", out.toString(), "--near-zero-tolerance=2");
        assertEquals(ForkProtocol.EXIT_FAILED, badTolerance.exit());
        assertEquals("--near-zero-tolerance is 2.0; it must be a fraction in [0, 1), for example 1e-3.",
                badTolerance.err().strip());

        Run badLayers = run("analyze", MODEL.toString(), "--out", out.toString(), "--layers=3-1");
        assertEquals(ForkProtocol.EXIT_FAILED, badLayers.exit());
        assertTrue(badLayers.err().contains("--layers"), badLayers.err());
        assertFalse(Files.exists(out));
    }

    @Test
    void helpListsEveryOptionAndAnUnknownOneIsAUsageError() {
        Run help = run("analyze", "--help");
        assertEquals(0, help.exit());
        String text = String.join("\n", help.out());
        for (String option : List.of("MODEL", "--out", "--[no-]fold-norms", "--near-zero-tolerance", "--rank-tolerance",
                "--[no-]control", "--control-seed", "--high-rank-fraction", "--z-threshold", "--layers", "--heads",
                "--[no-]verify-dense", "--baseline", "--reference", "--rules", "--[no-]fail-on-violation", "--[no-]charts")) {
            assertTrue(text.contains(option), option + " in\n" + text);
        }
        assertFalse(text.contains("--fork-protocol"), "the launcher's option is not for people");
        assertEquals(0, run("--help").exit());

        Run unknown = run("analyze", MODEL.toString(), "--out", dir.toString(), "--fold-norm");
        assertEquals(SpectralCli.EXIT_USAGE, unknown.exit());
        assertTrue(unknown.err().contains("--fold-norm"), unknown.err());
    }

    @Test
    void withTheForkProtocolTheOutcomeIsALineAndMessagesKeepTheirReferences() {
        Path out = dir.resolve("out");
        Run done = run("analyze", "--fork-protocol", "--out=" + out, "--no-control", "--layers=0", "--heads=0",
                "--no-charts", "--", MODEL.toString());
        assertEquals(0, done.exit(), done.err());
        assertEquals(Kind.DONE, done.outcome().kind());
        assertEquals(out.resolve("spectral-report.json").toString(), done.outcome().text());

        Run failed = run("analyze", "--fork-protocol", "--out=" + out, "--z-threshold=-1", MODEL.toString());
        assertEquals(ForkProtocol.EXIT_FAILED, failed.exit());
        assertEquals(Kind.FAILED, failed.outcome().kind());
        assertTrue(failed.outcome().text().startsWith("{{zThreshold}} is -1.0"), failed.outcome().text());
    }

    @Test
    void theLaunchersArgumentsAskForExactlyTheRequest() throws Exception {
        AnalysisSettings d = AnalysisSettings.defaults();
        AnalysisSettings odd = new AnalysisSettings(false, 0.0025, 3e-7, true, -7L, 0.25, 2.5, Set.of(0, 1, 2, 4),
                Set.of(3), true, d.denseTolerance());
        Path rulesFile = rules(2.0);
        AnalysisRequest request = AnalysisRequest.of(Path.of("/models/-odd name"), odd, Path.of("/base/r.json"),
                Path.of("/out dir"), RulesFile.read(rulesFile), false).withReference("/models/base model")
                .withNativeBlas("false");
        List<String> args = CommandLineArguments.of(request, rulesFile);

        picocli.CommandLine cli = new picocli.CommandLine(SpectralCli.class);
        AnalyzeCommand parsed = cli.parseArgs(args.toArray(String[]::new)).subcommand().commandSpec().commandLine()
                .getCommand();
        AnalysisRequest back = new AnalysisRequest(parsed.model.toString(), new AnalysisSettings(parsed.foldNorms,
                parsed.nearZeroTolerance, parsed.rankTolerance, parsed.control, parsed.controlSeed,
                parsed.highRankFraction, parsed.zThreshold,
                io.github.spectralcircuits.check.IndexRanges.parse(parsed.layers, "layers"),
                io.github.spectralcircuits.check.IndexRanges.parse(parsed.heads, "heads"), parsed.verifyDense,
                d.denseTolerance()), parsed.baseline.toString(), parsed.out.toString(), null, parsed.charts, parsed.reference,
                parsed.nativeBlas);
        assertEquals(new AnalysisRequest(request.model(), odd, request.baseline(), request.outputDirectory(), null,
                false, "/models/base model", "false"), back);
        assertEquals(rulesFile, parsed.rules);
        assertEquals("/models/base model", parsed.reference);
        assertEquals(request.reference(), parsed.request().reference());
        assertEquals("false", parsed.request().nativeBlas());
        assertEquals("auto", new AnalysisRequest(request.model(), odd, null, request.outputDirectory(), null, false)
                .nativeBlas(), "unset, the kernel is chosen by the model's size");
    }

    @Test
    void aNativeBlasChoiceOutsideTheThreeIsRefusedInTheCommandLinesNames() {
        Run bad = run("analyze", "--out=" + dir.resolve("out"), "--native-blas=maybe", MODEL.toString());
        assertEquals(ForkProtocol.EXIT_FAILED, bad.exit());
        assertTrue(bad.err().startsWith("--native-blas is \"maybe\""), bad.err());
        assertFalse(Files.exists(dir.resolve("out").resolve("spectral-report.json")));
    }

    /**
     * A child started as the plugin starts it, on the whole model with its control (several seconds of work):
     * once its standard input ends it stops with EXIT_LAUNCHER_GONE and writes nothing.
     */
    @Test
    void aChildWhoseLauncherIsGoneStopsAndWritesNothing() throws Exception {
        Path out = dir.resolve("out");
        Path javaExe = Path.of(System.getProperty("java.home"), "bin", "java");
        Process child = new ProcessBuilder(javaExe.toString(), "-D" + SpectralCli.EXIT_WITH_LAUNCHER + "=true",
                "-Djava.awt.headless=true", "-cp", System.getProperty("java.class.path"), SpectralCli.class.getName(),
                "analyze", "--fork-protocol", "--out=" + out, MODEL.toString()).start();
        try {
            child.getOutputStream().close();
            assertTrue(child.waitFor(30, TimeUnit.SECONDS), "the child outlived its launcher");
            assertEquals(ForkProtocol.EXIT_LAUNCHER_GONE, child.exitValue());
            assertFalse(Files.exists(out.resolve("spectral-report.json")));
        } finally {
            child.destroyForcibly();
        }
    }
}
