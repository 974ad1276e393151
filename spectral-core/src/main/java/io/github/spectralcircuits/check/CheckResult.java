package io.github.spectralcircuits.check;

/** The outcome of one rule, as the report's "checks" lists it. */
public record CheckResult(String rule, boolean passed, String message) {
}
