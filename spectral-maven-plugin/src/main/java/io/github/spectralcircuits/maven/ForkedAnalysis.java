package io.github.spectralcircuits.maven;

import io.github.spectralcircuits.SpectralException;
import io.github.spectralcircuits.check.RulesFile;
import io.github.spectralcircuits.launch.CommandLineArguments;
import io.github.spectralcircuits.launch.ForkProtocol;
import io.github.spectralcircuits.launch.SpectralCli;
import io.github.spectralcircuits.pipeline.AnalysisRequest;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.lang.module.ModuleFinder;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * Runs one {@link AnalysisRequest} in a JVM of its own, through the core's command line ({@link SpectralCli}
 * {@code analyze ... --fork-protocol}, the rules in a temporary JSON file): the java of the JVM running Maven, with the Vector API module when that JVM has it, a heap of its own and the core's jars as the
 * class path. Progress lines are handed on as they arrive; the outcome comes back as the report file, or
 * as one paragraph (a SpectralException) when the child refused its input, could not start, ran out of
 * heap or was killed. The child writes only after a successful analysis, so a failure leaves the output
 * directory as it was. No Maven types here: the mojos pass their log as consumers. One instance per run;
 * runs in parallel (a parallel build) share nothing.
 */
final class ForkedAnalysis {
    static final String VECTOR_MODULE = "jdk.incubator.vector";
    private static final Pattern HEAP = Pattern.compile("[1-9][0-9]*[kKmMgG]?");
    private static final int KEPT_ERROR_LINES = 40;

    private final Path java;
    private final String heap;
    private final List<String> extraArgs;
    private final List<Path> classpath;
    private final String mainClass;
    private final boolean vectorModule;

    ForkedAnalysis(String heap, String extraArgs, List<Path> classpath) {
        this(javaOf(Path.of(System.getProperty("java.home"))), heap, extraArgs, classpath, SpectralCli.class.getName(),
                ModuleFinder.ofSystem().find(VECTOR_MODULE).isPresent());
    }

    ForkedAnalysis(Path java, String heap, String extraArgs, List<Path> classpath, String mainClass, boolean vectorModule) {
        if (heap == null || !HEAP.matcher(heap.strip()).matches()) {
            throw new SpectralException("spectral.forkHeap is '" + heap + "'; it must be a heap size as java's -Xmx "
                    + "takes it, such as 1g or 1536m.");
        }
        this.java = java;
        this.heap = heap.strip();
        this.extraArgs = extraArgs == null || extraArgs.isBlank() ? List.of() : List.of(extraArgs.strip().split("\\s+"));
        this.classpath = List.copyOf(classpath);
        this.mainClass = mainClass;
        this.vectorModule = vectorModule;
    }

    static Path javaOf(Path javaHome) {
        boolean windows = System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("windows");
        return javaHome.resolve("bin").resolve(windows ? "java.exe" : "java");
    }

    /** The child's command line for a request (rulesFile: where the rules were written, or null). */
    List<String> command(AnalysisRequest request, Path rulesFile) {
        List<String> cmd = new ArrayList<>();
        cmd.add(java.toString());
        if (vectorModule) {
            cmd.add("--add-modules");
            cmd.add(VECTOR_MODULE);
        }
        cmd.add("-Xmx" + heap);
        cmd.add("-Djava.awt.headless=true");
        cmd.add("-D" + SpectralCli.EXIT_WITH_LAUNCHER + "=true");
        // the switch that forces the scalar kernel is a JVM property: a child must see it as Maven's JVM does
        String scalar = System.getProperty("spectral.scalarKernel");
        if (scalar != null) {
            cmd.add("-Dspectral.scalarKernel=" + scalar);
        }
        cmd.addAll(extraArgs);
        cmd.add("-cp");
        cmd.add(String.join(File.pathSeparator, classpath.stream().map(Path::toString).toList()));
        cmd.add(mainClass);
        List<String> args = CommandLineArguments.of(request, rulesFile);
        cmd.add(args.get(0)); // the subcommand, then the option that asks for outcome lines
        cmd.add(CommandLineArguments.FORK_PROTOCOL);
        cmd.addAll(args.subList(1, args.size()));
        return cmd;
    }

    /**
     * Runs the request in the child and returns the report file it wrote. Progress goes to info as each line
     * arrives (on the calling thread), the child's standard error to debug.
     */
    Path run(AnalysisRequest request, Consumer<String> info, Consumer<String> debug) {
        Path rulesFile = null;
        try {
            if (request.rules() != null) {
                rulesFile = Files.createTempFile("spectral-rules-", ".json");
                RulesFile.write(request.rules(), rulesFile);
            }
            return run(command(request, rulesFile), request.model(), info, debug);
        } catch (IOException e) {
            throw new SpectralException("Could not write the rules for the forked analysis into "
                    + System.getProperty("java.io.tmpdir") + " (" + e.getMessage() + "); check that it is writable, "
                    + "or run the analysis inside Maven's JVM with -Dspectral.fork=false.", e);
        } finally {
            if (rulesFile != null) {
                try {
                    Files.deleteIfExists(rulesFile);
                } catch (IOException ignored) {
                    // a temporary file left behind is harmless
                }
            }
        }
    }

    private Path run(List<String> command, String model, Consumer<String> info, Consumer<String> debug) {
        debug.accept("Forking the analysis: " + String.join(" ", command));
        Process process;
        try {
            process = new ProcessBuilder(command).start();
        } catch (IOException e) {
            throw new SpectralException("Could not start the forked analysis JVM " + java + " (" + e.getMessage()
                    + "). Check that the Java installation running Maven (java.home) is complete, or run the analysis "
                    + "inside Maven's JVM with -Dspectral.fork=false.", e);
        }
        // ctrl-C or a killed build ends Maven's JVM: the child must not outlive it
        Thread reaper = new Thread(process::destroyForcibly, "spectral-fork-reaper");
        Runtime.getRuntime().addShutdownHook(reaper);
        boolean succeeded = false;
        try {
            Path report = await(process, model, info, debug);
            succeeded = true;
            return report;
        } finally {
            if (!succeeded && process.isAlive()) {
                process.destroyForcibly();
            }
            try {
                process.getOutputStream().close();
            } catch (IOException ignored) {
                // the child is gone; its input pipe with it
            }
            try {
                Runtime.getRuntime().removeShutdownHook(reaper);
            } catch (IllegalStateException shuttingDown) {
                // the hook is running or about to: nothing left to undo
            }
        }
    }

    /** Marks the end of the child's standard output in the queue (compared by identity). */
    private static final String END = new String("end of output");

    private Path await(Process process, String model, Consumer<String> info, Consumer<String> debug) {
        // The child's standard input stays open and silent until the child has ended: its end tells the child
        // that this JVM is gone (see SpectralCli), also when it dies without running its shutdown hooks.
        BlockingQueue<String> out = new LinkedBlockingQueue<>();
        Deque<String> err = new ArrayDeque<>();
        Thread outPump = pump(process.getInputStream(), out::add, () -> out.add(END), "spectral-fork-out");
        Thread errPump = pump(process.getErrorStream(), line -> {
            synchronized (err) {
                if (err.size() == KEPT_ERROR_LINES) {
                    err.removeFirst();
                }
                err.addLast(line);
            }
        }, () -> { }, "spectral-fork-err");
        Optional<ForkProtocol.Outcome> outcome = Optional.empty();
        int exit;
        try {
            // lines are handed on here, on the mojo's thread, as they arrive
            for (String line = out.take(); line != END; line = out.take()) {
                Optional<ForkProtocol.Outcome> o = ForkProtocol.parse(line);
                if (o.isPresent() && o.get().kind() == ForkProtocol.Kind.DONE) {
                    // Everything is written and renamed: the result need not wait for the JVM's exit (a few
                    // tenths of a second for a large heap). Its closed input then ends it, if it has not ended.
                    return Path.of(o.get().text());
                }
                if (o.isPresent()) {
                    outcome = o;
                } else {
                    info.accept(line);
                }
            }
            exit = process.waitFor();
            outPump.join();
            errPump.join();
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new SpectralException("The analysis of " + model + " was interrupted; its forked JVM was stopped "
                    + "and no report was written.");
        }
        List<String> errors;
        synchronized (err) {
            errors = List.copyOf(err);
        }
        errors.forEach(line -> debug.accept("[forked analysis] " + line));
        return outcome(outcome, exit, errors, model);
    }

    /** The report file, or the one paragraph that says why there is none. */
    Path outcome(Optional<ForkProtocol.Outcome> outcome, int exit, List<String> errors, String model) {
        if (outcome.isPresent()) {
            ForkProtocol.Outcome o = outcome.get();
            switch (o.kind()) {
                case DONE:
                    // said only after the report and charts are written and renamed: how the JVM ends after it
                    // changes nothing
                    return Path.of(o.text());
                case FAILED:
                    throw new SpectralException(o.text());
                case OUT_OF_MEMORY:
                    throw outOfMemory(model);
                case UNEXPECTED:
                    throw new ChildDefect(o.text());
                default:
                    break;
            }
        }
        if (exit == ForkProtocol.EXIT_OUT_OF_MEMORY || errors.stream().anyMatch(l -> l.contains("OutOfMemoryError"))) {
            throw outOfMemory(model);
        }
        if (exit > 128) {
            int signal = exit - 128;
            throw new SpectralException("The forked analysis JVM of " + model + " was killed by signal " + signal
                    + signalName(signal) + " before it finished, so no report was written. If nobody stopped it, the "
                    + "operating system probably ran out of memory (on Linux, the kernel's out-of-memory killer): "
                    + "free some memory, or lower the heap with -Dspectral.forkHeap (now " + heap + ").");
        }
        String said = errors.stream().map(String::strip)
                .filter(l -> !l.isEmpty() && !l.startsWith("at ") && !l.startsWith("WARNING: Using incubator modules"))
                .limit(2).reduce((a, b) -> a + " " + b).map(s -> " It said: " + s).orElse("");
        throw new SpectralException("The forked analysis JVM of " + model + " ended with exit code " + exit
                + " without a result, so no report was written." + said + " Check -Dspectral.forkArgs (now '"
                + String.join(" ", extraArgs) + "'), or run the analysis inside Maven's JVM with -Dspectral.fork=false.");
    }

    private SpectralException outOfMemory(String model) {
        return new SpectralException("The forked analysis JVM ran out of Java heap (-Xmx" + heap + ") on " + model
                + ", so no report was written. Give it more heap with -Dspectral.forkHeap=" + larger(heap)
                + " (the machine needs that much free memory besides Maven's), or analyse fewer layers/heads with "
                + "-Dspectral.layers=0-3 / -Dspectral.heads=0-7.");
    }

    /** Twice the heap, written as the user wrote it ("1g" gives "2g"). */
    static String larger(String heap) {
        char unit = heap.charAt(heap.length() - 1);
        boolean hasUnit = !Character.isDigit(unit);
        long n = Long.parseLong(hasUnit ? heap.substring(0, heap.length() - 1) : heap);
        return (2 * n) + (hasUnit ? String.valueOf(unit) : "");
    }

    private static String signalName(int signal) {
        return switch (signal) {
            case 2 -> " (SIGINT)";
            case 6 -> " (SIGABRT)";
            case 9 -> " (SIGKILL)";
            case 11 -> " (SIGSEGV)";
            case 15 -> " (SIGTERM)";
            default -> "";
        };
    }

    private static Thread pump(InputStream in, Consumer<String> sink, Runnable atEnd, String name) {
        Charset utf8 = StandardCharsets.UTF_8;
        Thread t = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(in, utf8))) {
                for (String line = r.readLine(); line != null; line = r.readLine()) {
                    sink.accept(line);
                }
            } catch (IOException | UncheckedIOException e) {
                // the child is gone; its exit code tells the rest
            } finally {
                atEnd.run();
            }
        }, name);
        t.setDaemon(true);
        t.start();
        return t;
    }

    /** The child hit a defect (not a refusal of its input): its exception's class and message. */
    static final class ChildDefect extends RuntimeException {
        ChildDefect(String description) {
            super(description);
        }
    }
}
