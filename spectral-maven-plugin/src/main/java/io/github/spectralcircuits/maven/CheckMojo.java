package io.github.spectralcircuits.maven;

import io.github.spectralcircuits.check.CheckOutcome;
import io.github.spectralcircuits.pipeline.AnalysisJob;
import io.github.spectralcircuits.report.SpectralReport;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;

/**
 * Evaluates the rules on the report an earlier goal wrote to the output directory (or runs the
 * analysis when there is none, or when it is of another model), records the results in the report's
 * "checks", and fails the build on violations.
 */
@Mojo(name = "check", defaultPhase = LifecyclePhase.VERIFY, requiresProject = false, threadSafe = true)
public class CheckMojo extends AbstractRulesMojo {
    @Override
    protected void run() throws MojoFailureException {
        validateRules();
        Path file = ReportFiles.reportFile(outputPath());
        SpectralReport report = null;
        if (Files.isRegularFile(file)) {
            report = ReportFiles.read(file);
            if (!sameModel(report)) {
                getLog().info(file + " is of another model (" + report.model().path() + "): analysing anew.");
                report = null;
            } else {
                getLog().info("Checking " + file);
            }
        }
        if (report == null) {
            conclude(analyseAndWrite(settings(control), rules(), false));
            return;
        }
        CheckOutcome outcome = evaluate(report);
        write(AnalysisJob.withChecks(report, outcome));
        conclude(outcome);
    }

    private boolean sameModel(SpectralReport report) {
        if (report.model() == null || report.model().path() == null || report.trained() == null) {
            return false;
        }
        return Path.of(report.model().path()).toAbsolutePath().normalize().equals(modelPath());
    }
}
