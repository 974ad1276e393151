package io.github.spectralcircuits.maven;

import io.github.spectralcircuits.AnalysisSettings;
import io.github.spectralcircuits.check.CheckOutcome;
import io.github.spectralcircuits.pipeline.ReportFreshness;
import io.github.spectralcircuits.pipeline.AnalysisJob;
import io.github.spectralcircuits.report.SpectralReport;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;

/**
 * Evaluates the rules on the report an earlier goal wrote to the output directory, records the results in the
 * report's "checks", and fails the build on violations. When there is no report, or it no longer describes
 * this build (another model, other settings that shape the trained spectra, or weights whose fingerprint
 * changed), it analyses anew, or with spectral.reanalyze=false fails saying what changed.
 */
@Mojo(name = "check", defaultPhase = LifecyclePhase.VERIFY, requiresProject = false, threadSafe = true)
public class CheckMojo extends AbstractRulesMojo {
    @Override
    protected void run() throws MojoFailureException {
        validateRules();
        AnalysisSettings settings = settings(control);
        Path file = ReportFiles.reportFile(outputPath());
        SpectralReport report = null;
        if (Files.isRegularFile(file)) {
            report = ReportFiles.read(file);
            if (current(report, file, settings, ReportFreshness.Use.TRAINED)) {
                getLog().info("Checking " + file);
            } else {
                report = null;
            }
        }
        if (report == null) {
            conclude(analyseAndWrite(settings, rules(), false));
            return;
        }
        CheckOutcome outcome = evaluate(report);
        write(AnalysisJob.withChecks(report, outcome));
        conclude(outcome);
    }
}
