package io.github.spectralcircuits.maven;

import io.github.spectralcircuits.SpectralException;
import io.github.spectralcircuits.model.ModelInfo;
import io.github.spectralcircuits.model.ModelLoader;
import io.github.spectralcircuits.model.TransformerModel;
import java.io.File;
import org.apache.maven.plugin.AbstractMojo;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;

/** Reads the model and logs its architecture, sizes, dtype and head layout. */
@Mojo(name = "extract", defaultPhase = LifecyclePhase.VALIDATE, requiresProject = false, threadSafe = true)
public class ExtractMojo extends AbstractMojo {
    @Parameter(property = "spectral.model", defaultValue = "${basedir}")
    private File model;

    @Parameter(property = "spectral.skip", defaultValue = "false")
    private boolean skip;

    @Override
    public void execute() throws MojoExecutionException {
        if (skip) {
            getLog().info("Skipping spectral:extract (spectral.skip=true)");
            return;
        }
        try (TransformerModel m = ModelLoader.open(model.toPath())) {
            ModelInfo i = m.info();
            getLog().info(i.architecture() + " at " + i.path());
            getLog().info("vocab " + i.vocabSize() + ", d_model " + i.dModel() + ", " + i.nLayers() + " layers x "
                    + i.nHeads() + " heads (" + i.nKvHeads() + " key/value heads), d_head " + i.dHead()
                    + ", dtype " + i.dtype() + ", " + (i.tiedEmbeddings() ? "tied" : "untied") + " unembedding");
        } catch (SpectralException e) {
            throw new MojoExecutionException(e.getMessage(), e);
        }
    }
}
