package io.github.spectralcircuits.compare;

import java.util.List;

/**
 * How the thinking heads were found: the report's "thinkingHeadsCriterion", so that a list of flagged circuits (or
 * an empty one) says what it means. See {@link ThinkingHeads}.
 *
 * @param statistic          what each circuit's z is
 * @param metrics            the metrics tested
 * @param nullDistribution   the law of z when no head stands out
 * @param correction         how testing every circuit is corrected for
 * @param trainedHeads       heads per circuit type (n)
 * @param controlHeads       control heads the null widths come from (all draws)
 * @param controlDraws       control models drawn for them (the control itself and any further seeds)
 * @param minimumControlHeads the least number of control heads the null width is estimated from
 * @param degreesOfFreedom   of the null t law (0.4 n)
 * @param nullWidths         per metric
 * @param falseDiscoveryRate Benjamini-Hochberg's q
 * @param circuitsTested     circuits with at least one tested metric
 * @param pValueCutoff       the Benjamini-Hochberg cutoff on circuit p-values reached (q / m when none passed)
 * @param threshold          the |z| a flagged circuit exceeds: the cutoff as a z, or zFloor if larger
 * @param zFloor             settings.zThreshold
 * @param flaggedCircuits    entries of thinkingHeads
 * @param flaggedHeads       distinct (layer, head) among them
 * @param note               why some metric or every head went untested; null when all were tested
 */
public record ThinkingHeadsCriterion(String statistic, List<String> metrics, String nullDistribution, String correction,
                                int trainedHeads, int controlHeads, int controlDraws, int minimumControlHeads,
                                double degreesOfFreedom, List<NullWidth> nullWidths, double falseDiscoveryRate,
                                int circuitsTested, double pValueCutoff, double threshold, double zFloor,
                                int flaggedCircuits, int flaggedHeads, String note) {

    public ThinkingHeadsCriterion {
        metrics = List.copyOf(metrics);
        nullWidths = List.copyOf(nullWidths);
    }
}
