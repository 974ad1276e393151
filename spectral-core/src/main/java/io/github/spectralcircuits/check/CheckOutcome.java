package io.github.spectralcircuits.check;

import java.util.List;

/** What the rules found: one result per (rule, limit) for the report, and every offending circuit. */
public record CheckOutcome(List<CheckResult> results, List<Violation> violations) {
    public CheckOutcome {
        results = List.copyOf(results);
        violations = List.copyOf(violations);
    }

    /** The outcome a report's "checks" record (whose results carry their violations). */
    public static CheckOutcome of(List<CheckResult> results) {
        return new CheckOutcome(results, results.stream().flatMap(r -> r.offending().stream()).toList());
    }

    /**
     * The build failure's text: how many circuits break the rules, in which model, one line per circuit, and
     * how to only warn instead.
     */
    public String failureMessage(java.nio.file.Path model) {
        StringBuilder sb = new StringBuilder().append(violations.size())
                .append(violations.size() == 1 ? " spectral rule violation" : " spectral rule violations")
                .append(" in ").append(model).append(':');
        for (Violation v : violations) {
            sb.append("\n  ").append(v.describe());
        }
        return sb.append("\nSee the report's \"checks\"; set ")
                .append(io.github.spectralcircuits.ParameterNames.ref("failOnViolation", false))
                .append(" to only warn.").toString();
    }

    public boolean passed() {
        return violations.isEmpty();
    }
}
