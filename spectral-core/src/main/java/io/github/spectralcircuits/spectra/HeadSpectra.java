package io.github.spectralcircuits.spectra;

/** Both circuits of one attention head. */
public record HeadSpectra(int layer, int head, int kvHead, CircuitSpectrum qk, CircuitSpectrum ov) {
    public CircuitSpectrum circuit(CircuitType type) {
        return type == CircuitType.QK ? qk : ov;
    }
}
