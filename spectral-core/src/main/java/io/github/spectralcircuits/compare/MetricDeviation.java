package io.github.spectralcircuits.compare;

/**
 * How one metric of one trained circuit compares with the model's other heads of that circuit type
 * ({@link ThinkingHeads}): zScore = (value - modelMedian) / (modelSpread * nullWidth), modelSpread being
 * 1.4826 times the MAD over the model's heads and nullWidth the control's calibration of the metric; pValue is
 * its two-sided p-value under the null t law. controlMean and controlStd are the random control's mean and
 * sample standard deviation of the metric, for context. zScore is null only in reports written before the
 * calibrated test (which gave no z for metrics without spread in the control).
 */
public record MetricDeviation(String metric, double value, double controlMean, double controlStd, Double zScore,
                              double modelMedian, double modelSpread, double nullWidth, double pValue) {

    /** A deviation as reports before the calibrated test described one (the new numbers NaN). */
    public MetricDeviation(String metric, double value, double controlMean, double controlStd, Double zScore) {
        this(metric, value, controlMean, controlStd, zScore, Double.NaN, Double.NaN, Double.NaN, Double.NaN);
    }
}
