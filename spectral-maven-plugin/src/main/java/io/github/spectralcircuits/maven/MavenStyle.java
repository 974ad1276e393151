package io.github.spectralcircuits.maven;

import io.github.spectralcircuits.ParameterNames;

/** The core's parameter references as Maven users write them: {{control=false}} reads -Dspectral.control=false. */
final class MavenStyle {
    private MavenStyle() {
    }

    static final ParameterNames.Style STYLE = (parameter, value) -> switch (parameter) {
        case "heap" -> "-Dspectral.forkHeap for the forked analysis; with -Dspectral.fork=false, -Xmx in MAVEN_OPTS";
        case "vectorModule" -> "the plugin's forked JVM (spectral.fork, the default) adds it whenever the JDK has the "
                + "module; with -Dspectral.fork=false put --add-modules jdk.incubator.vector in MAVEN_OPTS or "
                + ".mvn/jvm.config";
        default -> value == null ? "spectral." + parameter : "-Dspectral." + parameter + "=" + value;
    };

    static String render(String message) {
        return ParameterNames.render(message, STYLE);
    }
}
