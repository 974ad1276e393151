package io.github.spectralcircuits.compare;

/**
 * The null width of one metric in the thinking-heads test ({@link ThinkingHeads}): by how much the robust z of
 * the random control's heads spreads wider than the t law of Gaussian heads (at least 1).
 *
 * @param width        the factor every trained z of this metric is divided by
 * @param controlRms   root mean square of the control heads' robust z, before the t law's share is taken out
 * @param controlZ     how many control z values it is estimated from (both circuit types, every draw)
 * @param controlMean  the control heads' mean of the metric
 * @param controlStd   and their sample standard deviation
 */
public record NullWidth(String metric, double width, double controlRms, int controlZ, double controlMean,
                        double controlStd) {
}
