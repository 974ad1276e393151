package io.github.spectralcircuits.maven;

import io.github.spectralcircuits.ProgressListener;
import io.github.spectralcircuits.SpectralException;
import java.io.File;
import java.nio.file.Path;
import org.apache.maven.plugin.AbstractMojo;
import org.apache.maven.plugin.MojoExecution;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.Parameter;

/**
 * What every spectral goal shares: where the model and the output are, {@code skip}, and the
 * translation of the core's failures into one-paragraph build errors. Subclasses implement
 * {@link #run()} and stay thin: parameters in, one core call, results logged.
 */
public abstract class AbstractSpectralMojo extends AbstractMojo {
    /** The Hugging Face model directory (config.json plus safetensors weights). */
    @Parameter(property = "spectral.model", defaultValue = "${basedir}")
    protected File model;

    /**
     * Where spectral-report.json and the charts go. Without a pom, Maven's stand-in project puts
     * this at ./target/spectral.
     */
    @Parameter(property = "spectral.outputDirectory", defaultValue = "${project.build.directory}/spectral")
    protected File outputDirectory;

    /** Skips the goal (all spectral goals honour it). */
    @Parameter(property = "spectral.skip", defaultValue = "false")
    protected boolean skip;

    @Parameter(defaultValue = "${mojoExecution}", readonly = true)
    private MojoExecution mojoExecution;

    /** The project's directory; without a pom, the directory Maven runs in. */
    @Parameter(defaultValue = "${basedir}", readonly = true)
    protected File basedir;

    @Override
    public final void execute() throws MojoExecutionException, MojoFailureException {
        if (skip) {
            getLog().info("Skipping spectral:" + goal() + " (spectral.skip=true).");
            return;
        }
        try {
            run();
        } catch (SpectralException e) {
            // The core's message is already the one paragraph a user needs: shown in Maven's names.
            throw new MojoExecutionException(e.message(MavenStyle.STYLE), e);
        } catch (OutOfMemoryError e) {
            throw new MojoExecutionException("spectral:" + goal() + " ran out of Java heap on " + modelPath()
                    + " inside Maven's JVM. Give Maven more memory (for example MAVEN_OPTS=-Xmx2g), leave the analysis "
                    + "to a forked JVM (-Dspectral.fork=true, sized by -Dspectral.forkHeap), or analyse fewer "
                    + "layers/heads with -Dspectral.layers=0-3 / -Dspectral.heads=0-7.", e);
        } catch (RuntimeException e) {
            throw new MojoExecutionException(unexpected(e), e);
        }
    }

    /** The goal's work; SpectralException and other runtime failures are translated by execute(). */
    protected abstract void run() throws MojoExecutionException, MojoFailureException;

    /** A bug in the core must still read as a sentence, not as "Execution failed" with a bare NPE. */
    protected String unexpected(RuntimeException e) {
        String what = e instanceof ForkedAnalysis.ChildDefect ? e.getMessage() + ", in the forked JVM"
                : e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
        return "spectral:" + goal() + " failed unexpectedly on the model " + modelPath() + " (" + what + "). "
                + "This is a defect of the plugin, not of your model or configuration as far as it can tell; "
                + "no report was written. Re-run with -e for the stack trace and report it together with the "
                + "model's config.json.";
    }

    protected String goal() {
        return mojoExecution != null ? mojoExecution.getGoal() : getClass().getSimpleName();
    }

    protected Path modelPath() {
        return model == null ? Path.of("").toAbsolutePath() : model.toPath().toAbsolutePath().normalize();
    }

    /** The output directory, or ./target/spectral under the base directory without a project. */
    protected Path outputPath() {
        return projectDirectory(outputDirectory, "spectral");
    }

    /**
     * A directory parameter whose default is a project expression. Without a pom, Maven's stand-in project
     * leaves such expressions uninterpolated (the path would literally contain "${project.basedir}"), so an
     * expression still in the path means "no project": use ./target/{fallback} under the base directory.
     */
    protected Path projectDirectory(File configured, String fallback) {
        if (configured == null || configured.getPath().contains("${")) {
            Path base = basedir == null ? Path.of("") : basedir.toPath();
            return base.resolve("target").resolve(fallback).toAbsolutePath().normalize();
        }
        return configured.toPath().toAbsolutePath().normalize();
    }

    /** Per-layer progress of the core, as build log lines. */
    protected ProgressListener progress() {
        return message -> getLog().info(MavenStyle.render(message));
    }
}
