package io.github.spectralcircuits.compare;

/**
 * Trained vs control distribution of one spectral quantity, each value scaled by the spectral norm
 * of its own circuit (so both lie in [0, 1] and scale does not dominate the shape): the sample means,
 * the two-sample Kolmogorov-Smirnov statistic and p-value (commons-math3; the exact null distribution
 * when trainedSamples * controlSamples < 10000, else the asymptotic one; with ties, such as the equal
 * moduli of a complex-conjugate pair, the continuous null makes the p-value conservative), and the
 * Wasserstein-1 distance.
 *
 * @param quantity "|eigenvalue|/spectralNorm" or "singularValue/spectralNorm"
 */
public record DensityComparison(
        String quantity,
        int trainedSamples,
        int controlSamples,
        double trainedSampleMean,
        double controlSampleMean,
        double sampleMeanDifference,
        double ksStatistic,
        double ksPValue,
        String ksPValueMethod,
        double wasserstein1) {

    public static final String EIGENVALUE_MODULI = "|eigenvalue|/spectralNorm";
    public static final String SINGULAR_VALUES = "singularValue/spectralNorm";
}
