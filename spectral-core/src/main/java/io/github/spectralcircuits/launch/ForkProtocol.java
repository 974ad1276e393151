package io.github.spectralcircuits.launch;

import java.util.Optional;

/**
 * The lines a forked analysis ({@link SpectralCli} with --fork-protocol) writes on its standard output, as the launching side
 * reads them. Every line is progress to show as it is, except the few that start with {@link #PREFIX}:
 * the outcome. Messages are one line each: newlines and backslashes are escaped, so that a multi-line
 * message cannot be taken for progress.
 */
public final class ForkProtocol {
    public static final String PREFIX = "##spectral-fork:";
    private static final String DONE = "done";
    private static final String FAILED = "failed";
    private static final String UNEXPECTED = "unexpected";
    private static final String OUT_OF_MEMORY = "out-of-memory";

    /** Exit codes of the forked JVM, for when its output is lost. */
    public static final int EXIT_FAILED = 1;
    public static final int EXIT_UNEXPECTED = 2;
    public static final int EXIT_OUT_OF_MEMORY = 3;
    /** The launcher closed the child's standard input, or died: nobody waits for the result. */
    public static final int EXIT_LAUNCHER_GONE = 4;

    private ForkProtocol() {
    }

    /** The kinds of outcome line. */
    public enum Kind { DONE, FAILED, UNEXPECTED, OUT_OF_MEMORY }

    /** An outcome line, decoded: the kind and its text (report file, message or exception). */
    public record Outcome(Kind kind, String text) {
    }

    public static String done(String reportFile) {
        return line(DONE, reportFile);
    }

    /** The analysis refused its input: the one-paragraph message of a SpectralException. */
    public static String failed(String message) {
        return line(FAILED, message);
    }

    /** A defect: the exception's class and message, for a sentence on the other side. */
    public static String unexpected(Throwable e) {
        return line(UNEXPECTED, e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage()));
    }

    public static String outOfMemory(String detail) {
        return line(OUT_OF_MEMORY, detail);
    }

    /** The outcome a line announces, or empty for a progress line. */
    public static Optional<Outcome> parse(String line) {
        if (line == null || !line.startsWith(PREFIX)) {
            return Optional.empty();
        }
        String rest = line.substring(PREFIX.length());
        int space = rest.indexOf(' ');
        String tag = space < 0 ? rest : rest.substring(0, space);
        String text = space < 0 ? "" : unescape(rest.substring(space + 1));
        Kind kind = switch (tag) {
            case DONE -> Kind.DONE;
            case FAILED -> Kind.FAILED;
            case UNEXPECTED -> Kind.UNEXPECTED;
            case OUT_OF_MEMORY -> Kind.OUT_OF_MEMORY;
            default -> null;
        };
        return kind == null ? Optional.empty() : Optional.of(new Outcome(kind, text));
    }

    private static String line(String tag, String text) {
        return PREFIX + tag + " " + escape(text == null ? "" : text);
    }

    static String escape(String s) {
        return s.replace("\\", "\\\\").replace("\n", "\\n").replace("\r", "\\r");
    }

    static String unescape(String s) {
        StringBuilder sb = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' && i + 1 < s.length()) {
                char n = s.charAt(++i);
                sb.append(n == 'n' ? '\n' : n == 'r' ? '\r' : n);
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }
}
