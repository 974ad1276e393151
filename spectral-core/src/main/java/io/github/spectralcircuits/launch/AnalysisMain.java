package io.github.spectralcircuits.launch;

import io.github.spectralcircuits.SpectralAnalysis;
import io.github.spectralcircuits.SpectralException;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * The analysis in a JVM of its own (the Maven plugin forks it so that the kernels get a fresh JIT, a heap
 * of their own and the Vector API module). Usage: {@code java ... AnalysisMain REQUEST.json}. Runs
 * {@link AnalysisJob} on the request, printing progress lines on standard output as they happen and then
 * one {@link ForkProtocol} outcome line; exits 0 only when the report (and charts) are written. A failed
 * run writes nothing.
 */
public final class AnalysisMain {
    private AnalysisMain() {
    }

    /**
     * Set by the launching side, which holds the child's standard input open and never writes to it: end of
     * input then means the launcher is gone (killed with SIGKILL, say, where no shutdown hook runs), and an
     * analysis nobody waits for stops instead of running on as an orphan.
     */
    public static final String EXIT_WITH_LAUNCHER = "spectral.fork.exitWithLauncher";

    public static void main(String[] args) {
        if (Boolean.getBoolean(EXIT_WITH_LAUNCHER)) {
            watchLauncher();
        }
        // UTF-8 whatever the platform's default, so the launching side can decode model paths and messages
        PrintStream out = new PrintStream(new FileOutputStream(FileDescriptor.out), true, StandardCharsets.UTF_8);
        int code = run(args, out);
        out.flush();
        System.exit(code);
    }

    private static void watchLauncher() {
        Thread watcher = new Thread(() -> {
            try {
                while (System.in.read() >= 0) {
                    // nothing is ever sent; only the end of input matters
                }
            } catch (IOException e) {
                // a broken pipe is the same news as the end of input
            }
            Runtime.getRuntime().halt(ForkProtocol.EXIT_LAUNCHER_GONE);
        }, "spectral-launcher-watch");
        watcher.setDaemon(true);
        watcher.start();
    }

    /** The work of main, with its exit code; the stack trace of a defect goes to standard error. */
    static int run(String[] args, PrintStream out) {
        try {
            if (args.length != 1) {
                throw new SpectralException("AnalysisMain takes one argument, the request file; it got " + args.length
                        + ". It is started by the spectral Maven plugin, not by hand.");
            }
            AnalysisRequest request = AnalysisRequests.read(Path.of(args[0]));
            AnalysisJob.Result result = AnalysisJob.run(request, SpectralAnalysis::run, message -> {
                for (String line : message.split("\\R")) {
                    out.println(line);
                }
            });
            out.println(ForkProtocol.done(result.reportFile().toString()));
            return 0;
        } catch (SpectralException e) {
            out.println(ForkProtocol.failed(e.getMessage()));
            return ForkProtocol.EXIT_FAILED;
        } catch (OutOfMemoryError e) {
            // the analysis' arrays are unreachable once the stack has unwound: there is room to say so
            out.println(ForkProtocol.outOfMemory(e.getMessage()));
            return ForkProtocol.EXIT_OUT_OF_MEMORY;
        } catch (RuntimeException | Error e) {
            out.println(ForkProtocol.unexpected(e));
            e.printStackTrace();
            return ForkProtocol.EXIT_UNEXPECTED;
        }
    }
}
