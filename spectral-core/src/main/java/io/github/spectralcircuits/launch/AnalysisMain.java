package io.github.spectralcircuits.launch;

import io.github.spectralcircuits.pipeline.AnalysisJob;
import io.github.spectralcircuits.pipeline.AnalysisRequest;
import io.github.spectralcircuits.pipeline.SpectralAnalysis;
import io.github.spectralcircuits.SpectralException;
import io.github.spectralcircuits.linalg.DenseKernel;
import io.github.spectralcircuits.report.charts.ChartLookAndFeel;
import java.io.BufferedReader;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * The analysis in a JVM of its own (the Maven plugin forks it so that the kernels get a fresh JIT, a heap
 * of their own and the Vector API module). Usage: {@code java ... AnalysisMain REQUEST.json}, or
 * {@code AnalysisMain -} with the request as the first line of standard input (what the plugin does: it
 * starts this JVM first and writes the request while the JVM boots). Runs {@link AnalysisJob} on the
 * request, printing progress lines on standard output as they happen and then one {@link ForkProtocol}
 * outcome line; exits 0 only when the report (and charts) are written. A failed run writes nothing.
 */
public final class AnalysisMain {
    private AnalysisMain() {
    }

    /**
     * Set by the launching side, which holds the child's standard input open and writes nothing to it after the
     * request line: end of input then means the launcher is gone (killed with SIGKILL, say, where no shutdown hook runs), and an
     * analysis nobody waits for stops instead of running on as an orphan.
     */
    public static final String EXIT_WITH_LAUNCHER = "spectral.fork.exitWithLauncher";

    /** The argument that says the request is the first line of standard input. */
    public static final String REQUEST_ON_STANDARD_INPUT = "-";

    public static void main(String[] args) {
        // The kernel's JIT warm-up takes a core for about 0.3 s: started before anything else, it runs while
        // this JVM waits for its request and Jackson loads, instead of after them.
        DenseKernel.prepareInBackground();
        ChartLookAndFeel.installIfUnset();
        StandardInput input = new StandardInput(Boolean.getBoolean(EXIT_WITH_LAUNCHER));
        if (input.watched || (args.length == 1 && args[0].equals(REQUEST_ON_STANDARD_INPUT))) {
            input.start();
        }
        // UTF-8 whatever the platform's default, so the launching side can decode model paths and messages
        PrintStream out = new PrintStream(new FileOutputStream(FileDescriptor.out), true, StandardCharsets.UTF_8);
        int code = run(args, input::firstLine, out);
        out.flush();
        System.exit(code);
    }

    /**
     * Reads standard input on a thread of its own: its first line (the request, when asked for with "-"),
     * then, when watched, waits for its end, which means the launcher is gone.
     */
    private static final class StandardInput {
        private final boolean watched;
        private final CompletableFuture<String> firstLine = new CompletableFuture<>();

        StandardInput(boolean watched) {
            this.watched = watched;
        }

        void start() {
            Thread reader = new Thread(this::read, "spectral-launcher-watch");
            reader.setDaemon(true);
            reader.start();
        }

        private void read() {
            try {
                BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
                String line = in.readLine();
                if (line == null) {
                    firstLine.completeExceptionally(new IOException("standard input ended before the request"));
                } else {
                    firstLine.complete(line);
                    while (in.read() >= 0) {
                        // nothing more is sent; only the end of input matters
                    }
                }
            } catch (IOException e) {
                // a broken pipe is the same news as the end of input
                firstLine.completeExceptionally(e);
            }
            if (watched) {
                Runtime.getRuntime().halt(ForkProtocol.EXIT_LAUNCHER_GONE);
            }
        }

        String firstLine() throws IOException {
            try {
                return firstLine.join();
            } catch (CompletionException e) {
                throw e.getCause() instanceof IOException io ? io : new IOException(e.getCause());
            }
        }
    }

    /** Where a request given as "-" comes from. */
    @FunctionalInterface
    interface RequestLine {
        String read() throws IOException;
    }

    private static AnalysisRequest fromStandardInput(RequestLine standardInput) {
        try {
            return AnalysisRequests.fromJson(standardInput.read());
        } catch (IOException e) {
            throw new SpectralException("The forked analysis got no request on its standard input (" + e.getMessage()
                    + "). It is started by the spectral Maven plugin, not by hand.", e);
        }
    }

    /** As main with a request file, without standard input. */
    static int run(String[] args, PrintStream out) {
        return run(args, () -> {
            throw new IOException("this run reads no standard input");
        }, out);
    }

    /** The work of main, with its exit code; the stack trace of a defect goes to standard error. */
    static int run(String[] args, RequestLine standardInput, PrintStream out) {
        try {
            if (args.length != 1) {
                throw new SpectralException("AnalysisMain takes one argument, the request file or - for standard "
                        + "input; it got " + args.length + ". It is started by the spectral Maven plugin, not by hand.");
            }
            AnalysisRequest request = args[0].equals(REQUEST_ON_STANDARD_INPUT) ? fromStandardInput(standardInput)
                    : AnalysisRequests.read(Path.of(args[0]));
            AnalysisJob.Result result = AnalysisJob.run(request, SpectralAnalysis::runAgainst, message -> {
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
