package io.github.spectralcircuits.maven;

import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;

/** Circuits and spectra of the trained model only (no control, no comparison): writes spectral-report.json. */
@Mojo(name = "spectra", defaultPhase = LifecyclePhase.VERIFY, requiresProject = false, threadSafe = true)
public class SpectraMojo extends AbstractAnalysisMojo {
    @Override
    protected void run() {
        analyseAndWrite(settings(false), null, false);
    }
}
