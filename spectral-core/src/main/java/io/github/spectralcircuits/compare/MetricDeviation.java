package io.github.spectralcircuits.compare;

/**
 * How far one metric of one trained head's circuit lies from the control heads: zScore =
 * (value - controlMean) / controlStd, with controlStd the sample standard deviation over control
 * heads. When every control head has the same value (controlStd = 0; for example nearZeroRatio,
 * exactly (V - d_head) / V in a random control) no z exists: zScore is null and any difference
 * counts as an outlier.
 */
public record MetricDeviation(String metric, double value, double controlMean, double controlStd, Double zScore) {

    /** |z|, infinite for a difference from a control without spread; for ranking. */
    double strength() {
        return zScore == null ? Double.POSITIVE_INFINITY : Math.abs(zScore);
    }
}
