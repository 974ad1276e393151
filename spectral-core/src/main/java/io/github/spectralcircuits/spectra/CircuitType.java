package io.github.spectralcircuits.spectra;

/** QK: where a head attends (W_E W_Q W_K^T W_E^T); OV: what it moves (W_E W_V W_O W_U). */
public enum CircuitType {
    QK, OV
}
