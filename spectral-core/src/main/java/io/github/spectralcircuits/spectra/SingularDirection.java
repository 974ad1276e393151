package io.github.spectralcircuits.spectra;

import java.util.List;

/**
 * One singular triple σ u vᵀ of a full circuit read in tokens: the tokens with the largest |u_t|
 * (input side: the query token of QK, the attended token of OV) and the largest |v_t| (output side:
 * the key token of QK, the logit of OV), each with its signed component. The pair's sign is fixed so
 * that the input side's largest component is positive; a token listed on both sides with the same sign
 * is one the circuit maps onto itself.
 */
public record SingularDirection(double sigma, List<TokenWeight> inputTokens, List<TokenWeight> outputTokens) {
    public SingularDirection {
        inputTokens = List.copyOf(inputTokens);
        outputTokens = List.copyOf(outputTokens);
    }
}
