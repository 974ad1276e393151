package io.github.spectralcircuits.spectra;

/** A token's entry in a singular vector of a circuit (V components, one per token); token null without tokenizer.json. */
public record TokenWeight(int id, String token, double weight) {
}
