package io.github.spectralcircuits.compare;

/** Per-head, per-metric change against a stored baseline report. Placeholder: the comparison issue fills it. */
public record BaselineDrift() {
}
