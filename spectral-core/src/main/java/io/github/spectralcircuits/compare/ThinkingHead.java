package io.github.spectralcircuits.compare;

import io.github.spectralcircuits.spectra.CircuitType;
import java.util.List;

/**
 * A trained head whose circuit lies far from the control heads' distribution (SPEC section 5). The
 * top-level metric, value, control mean/std and zScore are those of its strongest deviation;
 * deviations lists every metric that singles it out, strongest first. zScore is null when that
 * metric does not vary at all across control heads (see {@link MetricDeviation}).
 */
public record ThinkingHead(int rank, int layer, int head, CircuitType circuit, String metric, double value,
                           double controlMean, double controlStd, Double zScore,
                           List<MetricDeviation> deviations) {

    public ThinkingHead {
        deviations = List.copyOf(deviations);
    }
}
