package io.github.spectralcircuits.maven;

import io.github.spectralcircuits.check.CheckOutcome;
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

    /**
     * What the rules say about the report: evaluated here even when a forked analysis already put the same
     * results into the report's checks, because the violations (for the failure message) are not in the file.
     */
    protected CheckOutcome evaluate(SpectralReport report) {
        Path base = baselinePath();
        SpectralReport baselineReport = base == null ? null : ReportFiles.read(base);
        return RuleEvaluator.evaluate(rules(), report.trained(), baselineReport == null ? null : baselineReport.trained());
    }

    /** As conclude(CheckOutcome), reading the written report only when there are rules to evaluate. */
    protected void conclude(Written written) throws MojoFailureException {
        if (rules().isEmpty()) {
            getLog().info("No rules configured: nothing to check.");
            return;
        }
        conclude(written.checks() != null ? written.checks() : evaluate(written.report()));
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
        String message = failureMessage(outcome.violations(), modelPath());
        if (failOnViolation) {
            throw new MojoFailureException(message);
        }
        for (String line : message.split("\n")) {
            getLog().warn(line);
        }
    }

    static String failureMessage(List<Violation> violations, Path model) {
        StringBuilder sb = new StringBuilder().append(violations.size())
                .append(violations.size() == 1 ? " spectral rule violation" : " spectral rule violations")
                .append(" in ").append(model).append(':');
        for (Violation v : violations) {
            sb.append("\n  ").append(v.describe());
        }
        return sb.append("\nSee the report's \"checks\"; set spectral.failOnViolation=false to only warn.").toString();
    }
}
