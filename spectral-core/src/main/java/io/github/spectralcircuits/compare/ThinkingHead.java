package io.github.spectralcircuits.compare;

import io.github.spectralcircuits.spectra.CircuitType;
import java.util.List;

/**
 * A circuit that stands out among its model's heads ({@link ThinkingHeads}). metric, value and zScore are
 * those of its strongest deviation (zScore the calibrated robust z, see {@link ThinkingHeadsCriterion#statistic()});
 * deviations lists every metric beyond the threshold, strongest first. controlMean and controlStd are the
 * random control's mean and standard deviation of that metric, for context: how far from random weights the
 * value is. modelMedian and modelSpread (1.4826 MAD) describe the model's own heads, against which it stands out;
 * pValue is the circuit's p-value (Bonferroni over its metrics), qValue its Benjamini-Hochberg adjusted
 * value, threshold the |zScore| a circuit had to exceed.
 */
public record ThinkingHead(int rank, int layer, int head, CircuitType circuit, String metric, double value,
                           double controlMean, double controlStd, Double zScore,
                           List<MetricDeviation> deviations, double modelMedian, double modelSpread,
                           double pValue, double qValue, double threshold) {

    public ThinkingHead {
        deviations = List.copyOf(deviations);
    }

    /** A thinking head as reports before the calibrated test described one (the new numbers NaN). */
    public ThinkingHead(int rank, int layer, int head, CircuitType circuit, String metric, double value,
                        double controlMean, double controlStd, Double zScore, List<MetricDeviation> deviations) {
        this(rank, layer, head, circuit, metric, value, controlMean, controlStd, zScore, deviations, Double.NaN,
                Double.NaN, Double.NaN, Double.NaN, Double.NaN);
    }
}
