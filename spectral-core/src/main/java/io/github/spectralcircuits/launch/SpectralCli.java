package io.github.spectralcircuits.launch;

import io.github.spectralcircuits.SpectralException;
import io.github.spectralcircuits.check.CheckOutcome;
import io.github.spectralcircuits.check.CheckResult;
import io.github.spectralcircuits.linalg.DenseKernel;
import io.github.spectralcircuits.pipeline.AnalysisJob;
import io.github.spectralcircuits.pipeline.AnalysisRequest;
import io.github.spectralcircuits.pipeline.SpectralAnalysis;
import io.github.spectralcircuits.report.charts.ChartLookAndFeel;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The command line of spectral circuits, for people who do not use Maven and for the Maven plugin's forked
 * analysis, which runs exactly this: {@code java -jar spectral-core-VERSION-cli.jar analyze MODEL --out DIR
 * [options]} ({@code --help} lists them). Progress goes to standard output as it happens, a refusal to
 * standard error as one paragraph; nothing is written when the analysis fails.
 * <p>
 * With the hidden {@code --fork-protocol} the outcome is one {@link ForkProtocol} line on standard output and
 * the parameter references of messages are left for the launcher to render in its own names; when the
 * launcher asks (system property {@link #EXIT_WITH_LAUNCHER}) the end of standard input means it is gone,
 * and the analysis stops rather than run on as an orphan.
 */
@Command(name = "spectral-circuits", mixinStandardHelpOptions = true, versionProvider = SpectralCli.Version.class,
        subcommands = {AnalyzeCommand.class, CommandLine.HelpCommand.class},
        description = "Spectra of the full QK and OV circuits of every attention head of a transformer.")
public final class SpectralCli {
    /** Exit codes. */
    public static final int EXIT_OK = 0;
    public static final int EXIT_VIOLATIONS = 5;
    public static final int EXIT_USAGE = 64;

    /** Set by a launching program that holds the child's standard input open until it stops waiting. */
    public static final String EXIT_WITH_LAUNCHER = "spectral.fork.exitWithLauncher";

    private SpectralCli() {
    }

    public static void main(String[] args) {
        // The kernel's JIT warm-up takes a core for about 0.3 s: started first, it overlaps parsing and loading.
        DenseKernel.prepareInBackground();
        ChartLookAndFeel.installIfUnset();
        if (Boolean.getBoolean(EXIT_WITH_LAUNCHER)) {
            watchLauncher(System.in);
        }
        // UTF-8 whatever the platform's default, so that a launcher can decode model paths and messages
        PrintStream out = new PrintStream(new FileOutputStream(FileDescriptor.out), true, StandardCharsets.UTF_8);
        PrintStream err = new PrintStream(new FileOutputStream(FileDescriptor.err), true, StandardCharsets.UTF_8);
        int code = run(args, out, err, SpectralAnalysis::runAgainst);
        out.flush();
        err.flush();
        System.exit(code);
    }

    /** The work of main, with its exit code. */
    public static int run(String[] args, PrintStream out, PrintStream err, AnalysisJob.Analysis analysis) {
        CommandLine cli = new CommandLine(SpectralCli.class);
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        CommandLine.ParseResult parsed;
        try {
            parsed = cli.parseArgs(args);
        } catch (CommandLine.ParameterException e) {
            err.println(e.getMessage());
            e.getCommandLine().usage(err);
            return EXIT_USAGE;
        }
        Integer help = CommandLine.executeHelpRequest(parsed);
        if (help != null) {
            return help;
        }
        if (!parsed.hasSubcommand()) {
            cli.usage(out);
            return EXIT_USAGE;
        }
        AnalyzeCommand command = parsed.subcommand().commandSpec().commandLine().getCommand();
        return analyze(command, out, err, analysis);
    }

    private static int analyze(AnalyzeCommand command, PrintStream out, PrintStream err, AnalysisJob.Analysis analysis) {
        boolean protocol = command.forkProtocol;
        try {
            AnalysisRequest request = command.request();
            AnalysisJob.Result result = AnalysisJob.run(request, analysis, message -> {
                for (String line : message.split("\\R")) {
                    out.println(protocol ? line : CommandLineStyle.render(line));
                }
            });
            if (protocol) {
                // the launcher reads the checks from the report and decides what a violation means
                out.println(ForkProtocol.done(result.reportFile().toString()));
                return EXIT_OK;
            }
            return conclude(result, request, out, err, command.failOnViolation);
        } catch (SpectralException e) {
            if (protocol) {
                out.println(ForkProtocol.failed(e.rawMessage()));
            } else {
                err.println(CommandLineStyle.render(e.rawMessage()));
            }
            return ForkProtocol.EXIT_FAILED;
        } catch (OutOfMemoryError e) {
            // the analysis' arrays are unreachable once the stack has unwound: there is room to say so
            if (protocol) {
                out.println(ForkProtocol.outOfMemory(e.getMessage()));
            } else {
                err.println("The analysis ran out of Java heap (" + Runtime.getRuntime().maxMemory() / (1 << 20)
                        + " MB), so no report was written. Give java more heap, for example java -Xmx8g -jar ..., "
                        + "or analyse fewer layers or heads with --layers=0-3 --heads=0-7.");
            }
            return ForkProtocol.EXIT_OUT_OF_MEMORY;
        } catch (RuntimeException | Error e) {
            if (protocol) {
                out.println(ForkProtocol.unexpected(e));
            } else {
                err.println("The analysis failed unexpectedly (" + e + "). This is a defect of spectral circuits, "
                        + "not of the model as far as it can tell; no report was written. Please report it with the "
                        + "stack trace below and the model's config.json.");
            }
            e.printStackTrace(err);
            return ForkProtocol.EXIT_UNEXPECTED;
        }
    }

    /** Rules' results for a person, and the exit code they call for. */
    private static int conclude(AnalysisJob.Result result, AnalysisRequest request, PrintStream out, PrintStream err,
                                boolean failOnViolation) {
        if (result.checks() == null) {
            return EXIT_OK;
        }
        CheckOutcome outcome = result.checks();
        for (CheckResult r : outcome.results()) {
            out.println((r.passed() ? "Rule passed: " : "Rule violated: ") + r.rule() + " - " + r.message());
        }
        if (outcome.passed()) {
            out.println("All " + outcome.results().size() + " rule limits passed.");
            return EXIT_OK;
        }
        err.println(CommandLineStyle.render(outcome.failureMessage(request.modelPath())));
        return failOnViolation ? EXIT_VIOLATIONS : EXIT_OK;
    }

    /**
     * Reads standard input on a daemon thread until it ends, then halts: the launcher holds it open and writes
     * nothing, so its end means the launcher is gone (also when it died without running its shutdown hooks).
     */
    private static void watchLauncher(InputStream in) {
        Thread watcher = new Thread(() -> {
            try {
                while (in.read() >= 0) {
                    // nothing is sent; only the end of input matters
                }
            } catch (IOException e) {
                // a broken pipe is the same news as the end of input
            }
            Runtime.getRuntime().halt(ForkProtocol.EXIT_LAUNCHER_GONE);
        }, "spectral-launcher-watch");
        watcher.setDaemon(true);
        watcher.start();
    }

    /** The version from the jar's manifest (Implementation-Version), "development" when run from classes. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = SpectralCli.class.getPackage().getImplementationVersion();
            return new String[] {"spectral circuits " + (v == null ? "(development build)" : v)};
        }
    }
}
