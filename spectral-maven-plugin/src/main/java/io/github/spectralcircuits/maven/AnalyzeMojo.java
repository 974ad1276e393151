package io.github.spectralcircuits.maven;

import io.github.spectralcircuits.report.SpectralReport;
import java.nio.file.Path;
import java.util.List;
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
        SpectralReport report = analyse(settings(control));
        Checked checked = check(report);
        write(checked.report());
        List<Path> charts = ChartFiles.render(checked.report(), outputPath());
        if (!charts.isEmpty()) {
            getLog().info("Wrote " + charts.size() + " charts to " + outputPath());
        }
        logThinkingHeads(checked.report());
        conclude(checked.outcome());
    }
}
