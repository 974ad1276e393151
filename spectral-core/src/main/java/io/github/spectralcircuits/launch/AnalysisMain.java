package io.github.spectralcircuits.launch;

import io.github.spectralcircuits.SpectralAnalysis;
import io.github.spectralcircuits.SpectralException;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
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

    public static void main(String[] args) {
        // UTF-8 whatever the platform's default, so the launching side can decode model paths and messages
        PrintStream out = new PrintStream(new FileOutputStream(FileDescriptor.out), true, StandardCharsets.UTF_8);
        int code = run(args, out);
        out.flush();
        System.exit(code);
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
