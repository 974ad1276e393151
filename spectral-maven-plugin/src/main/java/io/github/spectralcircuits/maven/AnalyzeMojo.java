package io.github.spectralcircuits.maven;

import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;

/**
 * Everything in one run: spectra of the trained model, the random control and the comparison, drift
 * against a baseline, the charts, and the rules. Writes one spectral-report.json (with its checks)
 * and the PNG charts, then fails the build if a rule is violated.
 */
@Mojo(name = "analyze", defaultPhase = LifecyclePhase.VERIFY, requiresProject = false, threadSafe = true)
public class AnalyzeMojo extends AbstractRulesMojo {
    @Override
    protected void run() throws MojoFailureException {
        validateRules();
        conclude(analyseAndWrite(settings(control), rules(), true));
    }
}
