package io.github.spectralcircuits.check;

/**
 * One bound on one statistic of a circuit, as written in a rule's &lt;limits&gt; (JaCoCo style).
 * A plain bean with setters so that Maven's configurator can bind it from XML.
 * <p>
 * {@code maximumDriftFromBaseline} bounds the relative change |value - baseline| / |baseline|
 * against the same head's value in the baseline report, so 0.05 means "moved by at most 5 %"; any
 * change from a baseline value of exactly 0 counts as infinite.
 */
public class Limit {
    private String metric;
    private Double minimum;
    private Double maximum;
    private Double maximumDriftFromBaseline;
    private Double maximumChangeFromReference;

    /** What maximumChangeFromReference can bound: the change score (the default) or one of its parts. */
    public static final java.util.List<String> REFERENCE_MEASURES = java.util.List.of("score", "singularValueChange",
            "spectralNormChange", "maxAngleDegrees");

    public Limit() {
    }

    public Limit(String metric, Double minimum, Double maximum, Double maximumDriftFromBaseline) {
        this.metric = metric;
        this.minimum = minimum;
        this.maximum = maximum;
        this.maximumDriftFromBaseline = maximumDriftFromBaseline;
    }

    public String getMetric() {
        return metric;
    }

    public void setMetric(String metric) {
        this.metric = metric;
    }

    public Double getMinimum() {
        return minimum;
    }

    public void setMinimum(Double minimum) {
        this.minimum = minimum;
    }

    public Double getMaximum() {
        return maximum;
    }

    public void setMaximum(Double maximum) {
        this.maximum = maximum;
    }

    public Double getMaximumDriftFromBaseline() {
        return maximumDriftFromBaseline;
    }

    public void setMaximumDriftFromBaseline(Double maximumDriftFromBaseline) {
        this.maximumDriftFromBaseline = maximumDriftFromBaseline;
    }

    public Double getMaximumChangeFromReference() {
        return maximumChangeFromReference;
    }

    public void setMaximumChangeFromReference(Double maximumChangeFromReference) {
        this.maximumChangeFromReference = maximumChangeFromReference;
    }

    /** The reference measure a maximumChangeFromReference limit bounds: its metric, or the score. */
    public String referenceMeasure() {
        return metric == null || metric.isBlank() ? "score" : metric.strip();
    }

    @Override
    public String toString() {
        if (maximumChangeFromReference != null) {
            return referenceMeasure() + " maximumChangeFromReference " + Format.number(maximumChangeFromReference);
        }
        StringBuilder sb = new StringBuilder(String.valueOf(metric));
        if (minimum != null) {
            sb.append(" minimum ").append(Format.number(minimum));
        }
        if (maximum != null) {
            sb.append(" maximum ").append(Format.number(maximum));
        }
        if (maximumDriftFromBaseline != null) {
            sb.append(" maximumDriftFromBaseline ").append(Format.number(maximumDriftFromBaseline));
        }
        return sb.toString();
    }
}
