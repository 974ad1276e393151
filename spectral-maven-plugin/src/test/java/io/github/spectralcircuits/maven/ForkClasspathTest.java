package io.github.spectralcircuits.maven;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.spectralcircuits.SpectralException;
import java.io.File;
import java.nio.file.Path;
import java.util.List;
import org.apache.maven.artifact.Artifact;
import org.apache.maven.artifact.DefaultArtifact;
import org.apache.maven.artifact.handler.DefaultArtifactHandler;
import org.junit.jupiter.api.Test;

class ForkClasspathTest {
    private static final String PLUGIN = "io.github.spectralcircuits:spectral-maven-plugin:maven-plugin:0.1.0";
    private static final String CORE = "io.github.spectralcircuits:spectral-core:jar:0.1.0";

    private static Artifact artifact(String group, String id, String... trail) {
        DefaultArtifact a = new DefaultArtifact(group, id, "1.0", "compile", "jar", null, new DefaultArtifactHandler("jar"));
        a.setFile(new File("/repo/" + id + ".jar"));
        a.setDependencyTrail(List.of(trail));
        return a;
    }

    @Test
    void onlyTheCoreAndWhatItPullsInGoOnTheForkedClassPath() {
        List<Artifact> plugin = List.of(
                artifact("io.github.spectralcircuits", "spectral-core", PLUGIN, CORE),
                artifact("com.fasterxml.jackson.core", "jackson-databind", PLUGIN, CORE, "com.fasterxml.jackson.core:jackson-databind:jar:2.18.2"),
                artifact("com.fasterxml.jackson.core", "jackson-core", PLUGIN, CORE, "com.fasterxml.jackson.core:jackson-databind:jar:2.18.2", "com.fasterxml.jackson.core:jackson-core:jar:2.18.2"),
                artifact("org.apache.maven.reporting", "maven-reporting-impl", PLUGIN, "org.apache.maven.reporting:maven-reporting-impl:jar:4.0.0"),
                artifact("org.apache.velocity", "velocity-engine-core", PLUGIN, "org.apache.maven.reporting:maven-reporting-impl:jar:4.0.0", "org.apache.velocity:velocity-engine-core:jar:2.4"));

        assertEquals(List.of(Path.of("/repo/spectral-core.jar"), Path.of("/repo/jackson-databind.jar"),
                Path.of("/repo/jackson-core.jar")), ForkClasspath.of(plugin));
    }

    @Test
    void withoutTrailsEveryJarGoesIn() {
        List<Artifact> plugin = List.of(artifact("io.github.spectralcircuits", "spectral-core"),
                artifact("org.ejml", "ejml-core"));
        assertEquals(2, ForkClasspath.of(plugin).size());
    }

    @Test
    void withoutTheCoreTheForkCannotRun() {
        SpectralException e = assertThrows(SpectralException.class,
                () -> ForkClasspath.of(List.of(artifact("org.ejml", "ejml-core", PLUGIN))));
        assertTrue(e.getMessage().contains("-Dspectral.fork=false"), e.getMessage());
    }
}
