package io.github.spectralcircuits.compare;

/**
 * The null widths of one metric in the thinking-heads test ({@link ThinkingHeads}): by how much the robust z of
 * the random control's heads spreads wider than the t law of Gaussian heads (at least 1), above and below the
 * median separately, since the metrics' distributions are skewed.
 *
 * @param upperWidth      the factor a trained z above 0 is divided by
 * @param lowerWidth      the factor a trained z below 0 is divided by
 * @param controlRmsUpper root mean square of the control heads' robust z above 0, before the t law's share is
 *                        taken out
 * @param controlRmsLower the same below 0
 * @param controlZ        how many control z values they are estimated from (both circuit types, every draw)
 * @param controlMean     the control heads' mean of the metric
 * @param controlStd      and their sample standard deviation
 */
public record NullWidth(String metric, double upperWidth, double lowerWidth, double controlRmsUpper,
                        double controlRmsLower, int controlZ, double controlMean, double controlStd) {

    /** The width for a z on this side of the median. */
    public double widthFor(double z) {
        return z >= 0 ? upperWidth : lowerWidth;
    }
}
