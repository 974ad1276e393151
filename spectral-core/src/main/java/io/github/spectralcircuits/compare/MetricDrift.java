package io.github.spectralcircuits.compare;

/**
 * Change of one metric of one head's circuit since the baseline: absolute = current - baseline,
 * relative = absolute / |baseline|. relative is null when the baseline value is 0 and the current
 * one is not (0 when both are 0).
 */
public record MetricDrift(String metric, double baseline, double current, double absolute, Double relative) {

    public static MetricDrift of(String metric, double baseline, double current) {
        double abs = current - baseline;
        Double rel;
        if (baseline != 0) {
            rel = abs / Math.abs(baseline);
        } else {
            rel = abs == 0 ? Double.valueOf(0.0) : null;
        }
        return new MetricDrift(metric, baseline, current, abs, rel);
    }

    /** |relative|, infinite when the metric moved away from a baseline of 0: what a drift limit compares. */
    public double relativeMagnitude() {
        return relative == null ? Double.POSITIVE_INFINITY : Math.abs(relative);
    }
}
