package io.github.spectralcircuits.maven;

import io.github.spectralcircuits.SpectralException;
import java.io.File;
import java.nio.file.Path;
import java.util.List;
import org.apache.maven.artifact.Artifact;

/**
 * The forked analysis' class path: spectral-core and what it depends on (Jackson, EJML, JFreeChart,
 * commons-math3), taken from the plugin's own resolved artifacts, so the child runs exactly the jars Maven
 * resolved for the plugin. The site-report libraries the plugin also carries stay out.
 */
final class ForkClasspath {
    static final String CORE_ID = "io.github.spectralcircuits:spectral-core";

    private ForkClasspath() {
    }

    static List<Path> of(List<Artifact> pluginArtifacts) {
        if (pluginArtifacts == null || pluginArtifacts.stream().noneMatch(ForkClasspath::isCore)) {
            throw new SpectralException("The plugin's artifacts do not include " + CORE_ID + ", so the analysis "
                    + "cannot be forked; run it inside Maven's JVM with -Dspectral.fork=false and report this.");
        }
        // Without dependency trails (an unusual Maven) every plugin jar goes in: slower to scan, still right.
        boolean trails = pluginArtifacts.stream().anyMatch(ForkClasspath::reachedThroughCore);
        return pluginArtifacts.stream()
                .filter(a -> !trails || isCore(a) || reachedThroughCore(a))
                .map(Artifact::getFile)
                .filter(f -> f != null)
                .map(File::toPath)
                .toList();
    }

    private static boolean isCore(Artifact a) {
        return CORE_ID.equals(a.getGroupId() + ":" + a.getArtifactId());
    }

    /** The dependency trail reads "plugin:...", "io.github.spectralcircuits:spectral-core:jar:...", ... */
    private static boolean reachedThroughCore(Artifact a) {
        List<String> trail = a.getDependencyTrail();
        return trail != null && trail.stream().anyMatch(t -> t.startsWith(CORE_ID + ":"));
    }
}
