package io.github.spectralcircuits.check;

import java.util.List;

/** What the rules found: one result per (rule, limit) for the report, and every offending circuit. */
public record CheckOutcome(List<CheckResult> results, List<Violation> violations) {
    public CheckOutcome {
        results = List.copyOf(results);
        violations = List.copyOf(violations);
    }

    public boolean passed() {
        return violations.isEmpty();
    }
}
