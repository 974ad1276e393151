package io.github.spectralcircuits.compare;

import io.github.spectralcircuits.spectra.CircuitType;
import java.util.List;

/** Every metric's drift for one head, per circuit, in CircuitStats.METRICS order. */
public record HeadDrift(int layer, int head, List<MetricDrift> qk, List<MetricDrift> ov) {

    public HeadDrift {
        qk = List.copyOf(qk);
        ov = List.copyOf(ov);
    }

    public List<MetricDrift> circuit(CircuitType type) {
        return type == CircuitType.QK ? qk : ov;
    }
}
