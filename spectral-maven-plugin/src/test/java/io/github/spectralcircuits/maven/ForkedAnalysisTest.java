package io.github.spectralcircuits.maven;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.spectralcircuits.AnalysisSettings;
import io.github.spectralcircuits.pipeline.SpectralAnalysis;
import io.github.spectralcircuits.SpectralException;
import io.github.spectralcircuits.launch.SpectralCli;
import io.github.spectralcircuits.pipeline.AnalysisRequest;
import io.github.spectralcircuits.launch.ForkProtocol;
import io.github.spectralcircuits.report.ReportReader;
import io.github.spectralcircuits.report.SpectralReport;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The launcher: the command line it builds, how it reads a child's outcome, and real children that fail. */
class ForkedAnalysisTest {
    private static final Path JAVA = ForkedAnalysis.javaOf(Path.of(System.getProperty("java.home")));
    private static final Path MODEL = Path.of("../examples/stories260k").toAbsolutePath().normalize();

    @TempDir
    Path dir;

    /** This test JVM's class path (surefire's booter jar names the rest in its manifest). */
    private static List<Path> testClasspath() {
        return List.of(System.getProperty("java.class.path").split(File.pathSeparator)).stream().map(Path::of).toList();
    }

    private static ForkedAnalysis fork(String heap, String mainClass) {
        return new ForkedAnalysis(JAVA, heap, null, testClasspath(), mainClass, true);
    }

    private AnalysisRequest request(Path model) {
        AnalysisSettings d = AnalysisSettings.defaults();
        AnalysisSettings small = new AnalysisSettings(true, d.nearZeroTolerance(), d.rankTolerance(), false, 42L,
                d.highRankFraction(), d.zThreshold(), Set.of(0), Set.of(0, 1), false, d.denseTolerance());
        return AnalysisRequest.of(model, small, null, dir.resolve("out"), null, true);
    }

    @Test
    void commandRunsTheCommandLineOnTheJavaOfMavensJvmWithTheVectorModuleHeapArgsAndClasspath() {
        List<Path> cp = List.of(Path.of("/r/spectral-core.jar"), Path.of("/r/jackson-databind.jar"));
        AnalysisRequest request = request(MODEL);
        List<String> cmd = new ForkedAnalysis(Path.of("/jdk/bin/java"), "1536m", "  -XX:+UseParallelGC   -Dx=1 ",
                cp, SpectralCli.class.getName(), true).command(request, Path.of("/tmp/rules.json"));

        assertEquals("/jdk/bin/java", cmd.get(0));
        assertEquals(List.of("--add-modules", "jdk.incubator.vector", "-Xmx1536m"), cmd.subList(1, 4));
        int at = cmd.indexOf("-cp");
        assertTrue(cmd.subList(0, at).containsAll(List.of("-XX:+UseParallelGC", "-Dx=1", "-Djava.awt.headless=true",
                "-Dspectral.fork.exitWithLauncher=true")), cmd.toString());
        assertEquals("/r/spectral-core.jar" + File.pathSeparator + "/r/jackson-databind.jar", cmd.get(at + 1));
        // the documented command line, every setting spelled out, and the launcher's outcome lines
        assertEquals(List.of("io.github.spectralcircuits.launch.SpectralCli", "analyze", "--fork-protocol",
                "--out=" + dir.resolve("out"), "--fold-norms=true", "--near-zero-tolerance=0.001",
                "--rank-tolerance=1.0E-6", "--control=false", "--control-seed=42", "--high-rank-fraction=0.5",
                "--z-threshold=3.0", "--layers=0", "--heads=0-1", "--verify-dense=false", "--token-readouts=auto",
                "--top-tokens=10", "--singular-directions=3", "--composition=true", "--composition-top=100",
                "--rules=/tmp/rules.json",
                "--charts=true", "--native-blas=auto", "--", MODEL.toString()), cmd.subList(at + 2, cmd.size()));

        List<String> withoutVector = new ForkedAnalysis(Path.of("/jdk/bin/java"), "1g", null, cp,
                SpectralCli.class.getName(), false).command(request, null);
        assertFalse(withoutVector.contains("--add-modules"), withoutVector.toString());
        assertEquals("-Xmx1g", withoutVector.get(1));
    }

    @Test
    void aHeapJavaWouldRefuseIsAConfigurationError() {
        for (String bad : new String[] {"1 g", "one", "-1g", "1gb", "", "0"}) {
            SpectralException e = assertThrows(SpectralException.class,
                    () -> new ForkedAnalysis(JAVA, bad, null, List.of(), "X", false), bad);
            assertTrue(e.getMessage().startsWith("spectral.forkHeap is '" + bad + "'"), e.getMessage());
        }
        assertEquals("2g", ForkedAnalysis.larger("1g"));
        assertEquals("3072m", ForkedAnalysis.larger("1536m"));
    }

    @Test
    void outcomeLinesAndExitCodesBecomeOneParagraph() {
        ForkedAnalysis f = new ForkedAnalysis(JAVA, "1g", "-Xfoo", List.of(), "X", false);
        String model = "/m/model";

        assertEquals(Path.of("/o/spectral-report.json"),
                f.outcome(ForkProtocol.parse(ForkProtocol.done("/o/spectral-report.json")), 0, List.of(), model));

        SpectralException refused = assertThrows(SpectralException.class, () -> f.outcome(
                ForkProtocol.parse(ForkProtocol.failed("/m/model has no config.json.")), 1, List.of(), model));
        assertEquals("/m/model has no config.json.", refused.getMessage());

        SpectralException oom = assertThrows(SpectralException.class, () -> f.outcome(
                ForkProtocol.parse(ForkProtocol.outOfMemory("Java heap space")), 3, List.of(), model));
        assertTrue(oom.getMessage().contains("ran out of Java heap (-Xmx1g) on /m/model"), oom.getMessage());
        assertTrue(oom.getMessage().contains("give it more heap with -Dspectral.forkHeap=2g".substring(5)), oom.getMessage());

        SpectralException killed = assertThrows(SpectralException.class,
                () -> f.outcome(Optional.empty(), 137, List.of(), model));
        assertTrue(killed.getMessage().contains("was killed by signal 9 (SIGKILL)"), killed.getMessage());
        assertTrue(killed.getMessage().contains("no report was written"), killed.getMessage());

        SpectralException badOption = assertThrows(SpectralException.class, () -> f.outcome(Optional.empty(), 1,
                List.of("Unrecognized option: -Xfoo", "Error: Could not create the Java Virtual Machine.",
                        "Error: A fatal exception has occurred. Program will exit."), model));
        assertTrue(badOption.getMessage().contains("ended with exit code 1 without a result"), badOption.getMessage());
        assertTrue(badOption.getMessage().contains("It said: Unrecognized option: -Xfoo Error: Could not create the Java "
                + "Virtual Machine."), badOption.getMessage());
        assertTrue(badOption.getMessage().contains("spectral.forkArgs (now '-Xfoo')"), badOption.getMessage());

        ForkedAnalysis.ChildDefect defect = assertThrows(ForkedAnalysis.ChildDefect.class, () -> f.outcome(
                ForkProtocol.parse(ForkProtocol.unexpected(new IllegalStateException("boom"))), 2, List.of(), model));
        assertEquals("IllegalStateException: boom", defect.getMessage());

        // "done" comes after everything is written: a JVM that then dies on its way out changes nothing
        assertEquals(Path.of("/o/spectral-report.json"),
                f.outcome(ForkProtocol.parse(ForkProtocol.done("/o/spectral-report.json")), 137, List.of(), model));
    }

    @Test
    void aRealChildAnalysesRelaysProgressAndWritesTheReportAndCharts() {
        List<String> info = new ArrayList<>();
        Path file = fork("512m", SpectralCli.class.getName()).run(request(MODEL), info::add, line -> { });

        assertEquals(dir.resolve("out").resolve("spectral-report.json"), file);
        SpectralReport report = ReportReader.read(file);
        assertEquals(2, report.trained().heads().size());
        assertTrue(info.stream().anyMatch(l -> l.startsWith("Layer 0 (1/1)")), info.toString());
        assertTrue(info.contains("Wrote " + file + " (2 heads, QK and OV)"), info.toString());
        assertTrue(info.stream().noneMatch(l -> l.startsWith(ForkProtocol.PREFIX)), info.toString());
        assertTrue(report.fingerprint() != null && report.fingerprint().tensors() == 27, String.valueOf(report.fingerprint()));
        assertTrue(Files.exists(dir.resolve("out").resolve("qk_eigenvalue_distribution.png")));
    }

    @Test
    void twoModulesOfAParallelBuildForkAtOnceWithoutMixingTheirOutput() throws Exception {
        List<List<String>> logs = List.of(Collections.synchronizedList(new ArrayList<>()),
                Collections.synchronizedList(new ArrayList<>()));
        List<Path> outs = List.of(dir.resolve("a"), dir.resolve("b"));
        List<AtomicReference<Object>> results = List.of(new AtomicReference<>(), new AtomicReference<>());
        List<Thread> builds = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            int k = i;
            AnalysisRequest r = request(MODEL);
            AnalysisRequest mine = new AnalysisRequest(r.model(), r.settings(), null, outs.get(k).toString(), null, false);
            builds.add(new Thread(() -> {
                try {
                    results.get(k).set(fork("256m", SpectralCli.class.getName()).run(mine, logs.get(k)::add, l -> { }));
                } catch (Throwable t) {
                    results.get(k).set(t);
                }
            }));
        }
        builds.forEach(Thread::start);
        for (Thread t : builds) {
            t.join(120_000);
        }
        for (int k = 0; k < 2; k++) {
            Path file = outs.get(k).resolve("spectral-report.json");
            assertEquals(file, results.get(k).get(), String.valueOf(results.get(k).get()));
            assertEquals(2, ReportReader.read(file).trained().heads().size());
            String other = outs.get(1 - k).toString();
            assertTrue(logs.get(k).contains("Wrote " + file + " (2 heads, QK and OV)"), logs.get(k).toString());
            assertTrue(logs.get(k).stream().noneMatch(l -> l.contains(other)), "a line of the other build: " + logs.get(k));
        }
    }

    @Test
    void aRealChildThatRefusesItsInputGivesTheSameParagraphAsInProcessAndWritesNothing() {
        Path missing = dir.resolve("no-model");
        SpectralException inProcess = assertThrows(SpectralException.class,
                () -> SpectralAnalysis.run(missing, request(missing).settings(), null, null));
        SpectralException forked = assertThrows(SpectralException.class,
                () -> fork("256m", SpectralCli.class.getName()).run(request(missing), line -> { }, line -> { }));
        assertEquals(inProcess.getMessage(), forked.getMessage());
        assertTrue(forked.rawMessage().contains("{{model}}"), "rendered by the mojo in Maven's names: " + forked.rawMessage());
        assertFalse(Files.exists(dir.resolve("out")));
    }

    @Test
    void aChildThatCannotStartIsNamed() {
        ForkedAnalysis f = new ForkedAnalysis(dir.resolve("no-jdk/bin/java"), "1g", null, List.of(), "X", false);
        SpectralException e = assertThrows(SpectralException.class,
                () -> f.run(request(MODEL), line -> { }, line -> { }));
        assertTrue(e.getMessage().startsWith("Could not start the forked analysis JVM " + dir.resolve("no-jdk/bin/java")),
                e.getMessage());
        assertTrue(e.getMessage().contains("-Dspectral.fork=false"), e.getMessage());
        assertFalse(e.getMessage().contains("\n"));
    }

    @Test
    void aChildThatRunsOutOfHeapAsksForMore() {
        SpectralException e = assertThrows(SpectralException.class,
                () -> fork("16m", Hog.class.getName()).run(request(MODEL), line -> { }, line -> { }));
        assertTrue(e.getMessage().contains("ran out of Java heap (-Xmx16m)"), e.getMessage());
        assertTrue(e.getMessage().contains("-Dspectral.forkHeap=32m"), e.getMessage());
        assertFalse(e.getMessage().contains("\tat "), e.getMessage());
    }

    @Test
    void aChildThatIsKilledSaysSo() {
        SpectralException e = assertThrows(SpectralException.class,
                () -> fork("64m", Killed.class.getName()).run(request(MODEL), line -> { }, line -> { }));
        assertTrue(e.getMessage().contains("was killed by signal 9 (SIGKILL) before it finished"), e.getMessage());
    }

    @Test
    void interruptingTheBuildThreadStopsTheChild() throws Exception {
        List<String> info = Collections.synchronizedList(new ArrayList<>());
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        Thread build = new Thread(() -> {
            try {
                fork("64m", Sleeper.class.getName()).run(request(MODEL), info::add, line -> { });
            } catch (Throwable t) {
                thrown.set(t);
            }
        });
        build.start();
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (info.isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertFalse(info.isEmpty(), "the child never started");
        long pid = Long.parseLong(info.get(0));
        assertTrue(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false));

        build.interrupt();
        build.join(30_000);

        assertTrue(thrown.get() instanceof SpectralException, String.valueOf(thrown.get()));
        assertTrue(thrown.get().getMessage().contains("was interrupted; its forked JVM was stopped"), thrown.get().getMessage());
        ProcessHandle.of(pid).ifPresent(p -> p.onExit().join());
        assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false), "the child outlived the build");
    }

    /** A child that fills its heap, as an analysis too big for it would. */
    public static final class Hog {
        public static void main(String[] args) {
            List<long[]> kept = new ArrayList<>();
            while (true) {
                kept.add(new long[1 << 20]);
            }
        }
    }

    /** Exits as the kernel's OOM killer leaves a process (128 + SIGKILL). */
    public static final class Killed {
        public static void main(String[] args) {
            Runtime.getRuntime().halt(137);
        }
    }

    /** Says its pid, then works forever. */
    public static final class Sleeper {
        public static void main(String[] args) throws InterruptedException {
            System.out.println(ProcessHandle.current().pid());
            Thread.sleep(600_000);
        }
    }
}
