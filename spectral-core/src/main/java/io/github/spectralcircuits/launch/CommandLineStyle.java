package io.github.spectralcircuits.launch;

import io.github.spectralcircuits.ParameterNames;

/** The core's parameter references as the command line's options: {{foldNorms=false}} reads --fold-norms=false. */
public final class CommandLineStyle {
    private CommandLineStyle() {
    }

    public static final ParameterNames.Style STYLE = (parameter, value) -> switch (parameter) {
        case "model" -> "the MODEL argument";
        case "heap" -> "java -Xmx, for example java -Xmx8g -jar ...";
        case "vectorModule" -> "start java with --add-modules jdk.incubator.vector";
        default -> "--" + ParameterNames.kebab(parameter) + (value == null ? "" : "=" + value);
    };

    public static String render(String message) {
        return ParameterNames.render(message, STYLE);
    }
}
