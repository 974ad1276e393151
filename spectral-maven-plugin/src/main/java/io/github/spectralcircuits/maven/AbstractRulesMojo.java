package io.github.spectralcircuits.maven;

import io.github.spectralcircuits.check.CheckOutcome;
import io.github.spectralcircuits.compare.Baseline;
import io.github.spectralcircuits.pipeline.SpectralAnalysis;
import io.github.spectralcircuits.check.CheckResult;
import io.github.spectralcircuits.check.Rule;
import io.github.spectralcircuits.check.RuleEvaluator;
import io.github.spectralcircuits.check.Violation;
import io.github.spectralcircuits.report.SpectralReport;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.Parameter;

/** The goals that evaluate rules (check, analyze): the rules, failOnViolation, and the failure message. */
public abstract class AbstractRulesMojo extends AbstractAnalysisMojo {
    /**
     * JaCoCo-style rules: each selects circuits (circuit QK, OV or ALL; optional layers and heads such as
     * "0-3,5") and bounds statistics of each selected circuit with minimum, maximum and
     * maximumDriftFromBaseline (relative change against the baseline report). Configuration only.
     */
    @Parameter
    protected List<Rule> rules = new ArrayList<>();

    /** Fails the build when a rule is violated; when false the violations are logged as warnings. */
    @Parameter(property = "spectral.failOnViolation", defaultValue = "true")
    protected boolean failOnViolation;

    protected List<Rule> rules() {
        return rules == null ? List.of() : rules;
    }

    /** Checks the rules as written, before the (possibly long) analysis runs. */
    protected void validateRules() {
        RuleEvaluator.validate(rules(), baseline != null);
    }

    /** What the rules say about the report, evaluated here (the baseline read once, for this). */
    protected CheckOutcome evaluate(SpectralReport report) {
        Baseline base = SpectralAnalysis.readBaseline(baselinePath());
        return RuleEvaluator.evaluate(rules(), report.trained(), base == null ? null : base.trained());
    }

    /** Concludes from the checks the analysis recorded in its report: the rules were evaluated there, once. */
    protected void conclude(Written written) throws MojoFailureException {
        if (rules().isEmpty()) {
            getLog().info("No rules configured: nothing to check.");
            return;
        }
        List<CheckResult> checks = written.report().checks();
        conclude(CheckOutcome.of(checks == null ? List.of() : checks));
    }

    /** Logs every result, then fails the build (or warns) with one line per offending circuit. */
    protected void conclude(CheckOutcome outcome) throws MojoFailureException {
        if (rules().isEmpty()) {
            getLog().info("No rules configured: nothing to check.");
            return;
        }
        for (CheckResult r : outcome.results()) {
            if (r.passed()) {
                getLog().info("Rule passed: " + r.rule() + " - " + r.message());
            } else {
                getLog().warn("Rule violated: " + r.rule() + " - " + r.message());
            }
        }
        if (outcome.passed()) {
            getLog().info("All " + outcome.results().size() + " rule limits passed.");
            return;
        }
        String message = MavenStyle.render(outcome.failureMessage(modelPath()));
        if (failOnViolation) {
            throw new MojoFailureException(message);
        }
        for (String line : message.split("\n")) {
            getLog().warn(line);
        }
    }
}
