package io.github.spectralcircuits.compare;

import io.github.spectralcircuits.spectra.CircuitType;

/** A head whose metric lies far from the control heads' distribution. Placeholder shape. */
public record ThinkingHead(int layer, int head, CircuitType circuit, String metric, double value, double zScore) {
}
