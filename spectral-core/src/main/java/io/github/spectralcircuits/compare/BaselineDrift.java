package io.github.spectralcircuits.compare;

import io.github.spectralcircuits.spectra.CircuitType;
import java.util.List;
import java.util.Optional;

/**
 * Per-head, per-metric change of the trained model against a stored baseline report (SPEC section 5),
 * for regression rules in CI.
 *
 * @param baseline where the baseline came from (its path), for messages
 * @param heads    one entry per analysed head, layer-major
 */
public record BaselineDrift(String baseline, List<HeadDrift> heads) {

    public BaselineDrift {
        heads = List.copyOf(heads);
    }

    /** The drift of one metric of one head's circuit; empty when that head was not analysed. */
    public Optional<MetricDrift> drift(int layer, int head, CircuitType circuit, String metric) {
        for (HeadDrift h : heads) {
            if (h.layer() == layer && h.head() == head) {
                for (MetricDrift m : h.circuit(circuit)) {
                    if (m.metric().equals(metric)) {
                        return Optional.of(m);
                    }
                }
                throw new IllegalArgumentException("unknown metric '" + metric + "'; known: "
                        + io.github.spectralcircuits.spectra.CircuitStats.METRICS);
            }
        }
        return Optional.empty();
    }
}
