package io.github.spectralcircuits.compare;

/** Trained vs control (SPEC section 5). Placeholder: the comparison issue gives it its fields. */
public record Comparison() {
}
