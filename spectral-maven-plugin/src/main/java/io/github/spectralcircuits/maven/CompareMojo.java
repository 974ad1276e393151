package io.github.spectralcircuits.maven;

import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;

/**
 * The trained model against its random control (always built here, whatever spectral.control says)
 * and, with spectral.baseline, the drift against an earlier report: writes spectral-report.json.
 */
@Mojo(name = "compare", defaultPhase = LifecyclePhase.VERIFY, requiresProject = false, threadSafe = true)
public class CompareMojo extends AbstractAnalysisMojo {
    @Override
    protected void run() {
        analyseAndWrite(settings(true), null, false);
    }
}
