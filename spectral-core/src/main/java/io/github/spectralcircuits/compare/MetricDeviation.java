package io.github.spectralcircuits.compare;

/**
 * How far one metric of one trained head's circuit lies from the control heads: zScore =
 * (value - controlMean) / controlStd, with controlStd the sample standard deviation over control
 * heads. When every control head has the same value (controlStd = 0; for example nearZeroRatio,
 * exactly (V - d_head) / V in a random control) no z exists: zScore is null and any difference
 * counts as an outlier. For relativeSpectralNorm, value and control statistics are of spectral norms
 * divided by the median head's of the same model (see {@link ThinkingHeads}).
 */
public record MetricDeviation(String metric, double value, double controlMean, double controlStd, Double zScore) {

    /** |z| for ranking; -1 (after every finite z) for a difference from a control without spread. */
    double strength() {
        return zScore == null ? -1 : Math.abs(zScore);
    }
}
