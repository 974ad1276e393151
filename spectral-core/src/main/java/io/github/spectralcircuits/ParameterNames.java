package io.github.spectralcircuits;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How the core's messages name the parameters a user sets. The core writes {@code {{foldNorms}}} or
 * {@code {{control=false}}}; each front end renders those in its own vocabulary (the Maven plugin as
 * {@code spectral.foldNorms} / {@code -Dspectral.control=false}, the command line as {@code --fold-norms} /
 * {@code --control=false}), so a message never tells a user of one to set a flag of the other.
 * <p>
 * Besides the analysis settings ({@link AnalysisSettings}' component names), the core names: {@code model}
 * (the model directory), {@code baseline}, {@code reanalyze}, {@code heap} (the analysing JVM's heap) and
 * {@code vectorModule} (how the analysing JVM gets the jdk.incubator.vector module).
 */
public final class ParameterNames {
    private static final Pattern REFERENCE = Pattern.compile("\\{\\{([A-Za-z][A-Za-z0-9]*)(?:=([^}]*))?}}");

    private ParameterNames() {
    }

    /** One front end's names. */
    @FunctionalInterface
    public interface Style {
        /** The text for a parameter, with the value to set it to, or null when the message only names it. */
        String name(String parameter, String value);
    }

    /** The core's own names, for library use: "foldNorms", "control=false". */
    public static final Style PLAIN = (p, v) -> v == null ? p : p + "=" + v;

    /** The parameter referenced in a core message. */
    public static String ref(String parameter) {
        return "{{" + parameter + "}}";
    }

    public static String ref(String parameter, Object value) {
        return "{{" + parameter + "=" + value + "}}";
    }

    /** The message with every reference rendered in the given style. */
    public static String render(String message, Style style) {
        if (message == null || message.indexOf("{{") < 0) {
            return message;
        }
        Matcher m = REFERENCE.matcher(message);
        StringBuilder sb = new StringBuilder();
        while (m.find()) {
            m.appendReplacement(sb, Matcher.quoteReplacement(style.name(m.group(1), m.group(2))));
        }
        m.appendTail(sb);
        return sb.toString();
    }

    /** "foldNorms" as a command-line option: "fold-norms". */
    public static String kebab(String parameter) {
        return parameter.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(java.util.Locale.ROOT);
    }
}
