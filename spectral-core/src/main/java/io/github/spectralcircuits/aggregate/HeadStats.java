package io.github.spectralcircuits.aggregate;

import io.github.spectralcircuits.spectra.CircuitType;
import io.github.spectralcircuits.spectra.HeadSpectra;

/** Both circuits' statistics of one head at one checkpoint (the report's HEAD without eigenvalues). */
public record HeadStats(int layer, int head, int kvHead, CircuitSummary qk, CircuitSummary ov) {

    static HeadStats of(HeadSpectra h) {
        return new HeadStats(h.layer(), h.head(), h.kvHead(), CircuitSummary.of(h.qk()), CircuitSummary.of(h.ov()));
    }

    public CircuitSummary circuit(CircuitType type) {
        return type == CircuitType.QK ? qk : ov;
    }
}
