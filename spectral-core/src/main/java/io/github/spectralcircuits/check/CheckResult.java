package io.github.spectralcircuits.check;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * The outcome of one rule, as the report's "checks" lists it: with every offending circuit, so that whoever
 * reads the report (a build after a forked analysis, a CI job) can say what failed without evaluating the
 * rules again. {@code violations} is left out when the rule passed.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record CheckResult(String rule, boolean passed, String message, List<Violation> violations) {
    public CheckResult {
        violations = violations == null || violations.isEmpty() ? null : List.copyOf(violations);
    }

    public CheckResult(String rule, boolean passed, String message) {
        this(rule, passed, message, null);
    }

    /** The offending circuits; empty when the rule passed. */
    public List<Violation> offending() {
        return violations == null ? List.of() : violations;
    }
}
