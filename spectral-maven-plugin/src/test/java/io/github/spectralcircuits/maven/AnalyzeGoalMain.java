package io.github.spectralcircuits.maven;

import java.io.File;
import java.util.ArrayList;
import java.util.List;
import org.apache.maven.artifact.Artifact;
import org.apache.maven.artifact.DefaultArtifact;
import org.apache.maven.artifact.handler.DefaultArtifactHandler;
import org.apache.maven.plugin.logging.SystemStreamLog;

/**
 * The analyze goal, forked, alone in a JVM, as Maven's JVM runs it (for {@link AnalyzeGoalClassesTest}, which
 * starts this JVM with a class-load log). Arguments: model directory, output directory, the child's
 * options, then the jars of the plugin (spectral-core first).
 */
public final class AnalyzeGoalMain {
    private static final String PLUGIN = "io.github.spectralcircuits:spectral-maven-plugin:maven-plugin:0.1.0";
    private static final String CORE = "io.github.spectralcircuits:spectral-core:jar:0.1.0";

    private AnalyzeGoalMain() {
    }

    public static void main(String[] args) throws Exception {
        AnalyzeMojo mojo = new AnalyzeMojo();
        mojo.setLog(new SystemStreamLog());
        MojoDefaults.analysisDefaults(mojo, new File(args[0]), new File(args[1]));
        mojo.layers = "0";
        mojo.fork = true;
        mojo.forkHeap = "256m";
        mojo.forkArgs = args[2];
        List<Artifact> artifacts = new ArrayList<>();
        for (int i = 3; i < args.length; i++) {
            boolean core = i == 3;
            DefaultArtifact a = new DefaultArtifact(core ? "io.github.spectralcircuits" : "lib",
                    core ? "spectral-core" : "lib" + i, "1", "compile", "jar", null, new DefaultArtifactHandler("jar"));
            a.setFile(new File(args[i]));
            a.setDependencyTrail(core ? List.of(PLUGIN, CORE) : List.of(PLUGIN, CORE, "lib:lib" + i + ":jar:1"));
            artifacts.add(a);
        }
        mojo.pluginArtifacts = artifacts;
        mojo.execute();
    }
}
