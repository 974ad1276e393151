package io.github.spectralcircuits.spectra;

/** One token of a readout: its id, its string from tokenizer.json (null without one), and its value. */
public record TokenScore(int id, String token, double score) {
}
