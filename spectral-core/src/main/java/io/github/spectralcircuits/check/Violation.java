package io.github.spectralcircuits.check;

import io.github.spectralcircuits.spectra.CircuitType;

/**
 * One circuit of one head that breaks one limit. {@code limit} is the bound's name (minimum, maximum,
 * maximumDriftFromBaseline, maximumChangeFromReference) and {@code bound} its value; for drift, {@code value} is the relative
 * change and {@code baselineValue} what it changed from (NaN otherwise).
 */
public record Violation(int layer, int head, CircuitType circuit, String metric, double value,
                        String limit, double bound, double metricValue, double baselineValue) {

    /** The line of the build failure: layer, head, circuit, metric, value, limit. */
    public String describe() {
        String where = "layer " + layer + ", head " + head + ", " + circuit + ": ";
        return switch (limit) {
            case "minimum" -> where + metric + " = " + Format.number(value) + " is below the minimum "
                    + Format.number(bound);
            case "maximum" -> where + metric + " = " + Format.number(value) + " is above the maximum "
                    + Format.number(bound);
            case "maximumChangeFromReference" -> where + "changed from the reference model by " + metric + " = "
                    + Format.number(value) + ", above the maximumChangeFromReference " + Format.number(bound);
            default -> where + metric + " drifted by " + Format.number(value) + " (from "
                    + Format.number(baselineValue) + " in the baseline to " + Format.number(metricValue)
                    + "), above the maximumDriftFromBaseline " + Format.number(bound);
        };
    }
}
