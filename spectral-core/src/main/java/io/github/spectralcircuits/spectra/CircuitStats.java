package io.github.spectralcircuits.spectra;

/**
 * Statistics of one V x V circuit (SPEC section 4). Means, medians and nearZeroRatio are over all
 * V eigenvalues, the V - k structural zeros included.
 */
public record CircuitStats(
        double trace,
        double mean,
        double std,
        double median,
        double nearZeroRatio,
        int numericalRank,
        double effectiveRank,
        double stableRank,
        double spectralNorm,
        double frobeniusNorm,
        double positivity) {

    /** The names rules and drift use, in report order. */
    public static final java.util.List<String> METRICS = java.util.List.of(
            "trace", "mean", "std", "median", "nearZeroRatio", "numericalRank", "effectiveRank",
            "stableRank", "spectralNorm", "frobeniusNorm", "positivity");

    /** Looks a statistic up by its report name; unknown names are an IllegalArgumentException listing METRICS. */
    public double metric(String name) {
        return switch (name) {
            case "trace" -> trace;
            case "mean" -> mean;
            case "std" -> std;
            case "median" -> median;
            case "nearZeroRatio" -> nearZeroRatio;
            case "numericalRank" -> numericalRank;
            case "effectiveRank" -> effectiveRank;
            case "stableRank" -> stableRank;
            case "spectralNorm" -> spectralNorm;
            case "frobeniusNorm" -> frobeniusNorm;
            case "positivity" -> positivity;
            default -> throw new IllegalArgumentException("unknown metric '" + name + "'; known: " + METRICS);
        };
    }
}
