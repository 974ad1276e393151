package io.github.spectralcircuits.compare;

import io.github.spectralcircuits.AnalysisSettings;
import io.github.spectralcircuits.spectra.CircuitType;
import io.github.spectralcircuits.spectra.HeadSpectra;
import io.github.spectralcircuits.spectra.ModelSpectra;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Finds the thinking heads of SPEC section 5: trained heads with a metric more than zThreshold
 * control standard deviations from the control heads' mean, per circuit type, ranked by the
 * largest finite |z|; heads singled out only by a metric on which the control has no spread at all
 * (no z exists) follow, by relative difference. A pure function.
 *
 * <p>The spectral norm enters as {@link #RELATIVE_SPECTRAL_NORM}, each head's spectral norm divided
 * by the median over the same model's heads (same circuit type). Raw norms cannot be compared:
 * training grows the weights far beyond their initial scale (on stories260k the trained QK norms are
 * about 10^5 times the control's), so every trained head would lie millions of control standard
 * deviations away and the list would say nothing. Relative to its own model, a head stands out when
 * its norm is unusual among its peers, which is the question. The other three metrics are
 * scale-free already.
 */
public final class ThinkingHeads {
    public static final String RELATIVE_SPECTRAL_NORM = "relativeSpectralNorm";
    /** The metrics SPEC section 5 names, the spectral norm taken relative to the model's median head. */
    public static final List<String> METRICS = List.of("effectiveRank", "positivity", "nearZeroRatio",
            RELATIVE_SPECTRAL_NORM);

    private ThinkingHeads() {
    }

    public static List<ThinkingHead> find(ModelSpectra trained, ModelSpectra control, AnalysisSettings settings) {
        if (control.heads().size() < 2) {
            return List.of(); // a spread needs at least two control heads
        }
        List<Candidate> found = new ArrayList<>();
        for (CircuitType type : CircuitType.values()) {
            double[] means = new double[METRICS.size()];
            double[] stds = new double[METRICS.size()];
            for (int m = 0; m < METRICS.size(); m++) {
                double[] v = values(control, type, METRICS.get(m));
                means[m] = DensityTests.mean(v);
                stds[m] = sampleStd(v, means[m]);
            }
            double[][] trainedValues = new double[METRICS.size()][];
            for (int m = 0; m < METRICS.size(); m++) {
                trainedValues[m] = values(trained, type, METRICS.get(m));
            }
            for (int i = 0; i < trained.heads().size(); i++) {
                HeadSpectra h = trained.heads().get(i);
                List<MetricDeviation> devs = new ArrayList<>();
                for (int m = 0; m < METRICS.size(); m++) {
                    double value = trainedValues[m][i];
                    MetricDeviation d = deviation(METRICS.get(m), value, means[m], stds[m], settings.zThreshold());
                    if (d != null) {
                        devs.add(d);
                    }
                }
                if (!devs.isEmpty()) {
                    devs.sort(STRONGEST_FIRST);
                    found.add(new Candidate(h, type, devs));
                }
            }
        }
        found.sort(Comparator.comparing((Candidate c) -> c.deviations.get(0), STRONGEST_FIRST)
                .thenComparingInt(c -> c.head.layer()).thenComparingInt(c -> c.head.head())
                .thenComparing(c -> c.circuit));
        List<ThinkingHead> out = new ArrayList<>();
        for (Candidate c : found) {
            MetricDeviation top = c.deviations.get(0);
            out.add(new ThinkingHead(out.size() + 1, c.head.layer(), c.head.head(), c.circuit, top.metric(),
                    top.value(), top.controlMean(), top.controlStd(), top.zScore(), c.deviations));
        }
        return out;
    }

    private static final Comparator<MetricDeviation> STRONGEST_FIRST = Comparator
            .comparingDouble(MetricDeviation::strength).reversed()
            .thenComparing(Comparator.comparingDouble(ThinkingHeads::relativeDifference).reversed());

    private static double relativeDifference(MetricDeviation d) {
        return Math.abs(d.value() - d.controlMean()) / Math.max(Math.abs(d.controlMean()), Double.MIN_NORMAL);
    }

    /** A deviation beyond the threshold, or null. */
    static MetricDeviation deviation(String metric, double value, double mean, double std, double zThreshold) {
        // a spread at rounding level (identical control values averaged) is no spread
        if (std > 1e-12 * Math.max(1.0, Math.abs(mean))) {
            double z = (value - mean) / std;
            return Math.abs(z) > zThreshold ? new MetricDeviation(metric, value, mean, std, z) : null;
        }
        // no spread in the control: a difference beyond rounding is an outlier with no finite z
        boolean differs = Math.abs(value - mean) > 1e-12 * Math.max(1.0, Math.abs(mean));
        return differs ? new MetricDeviation(metric, value, mean, 0.0, null) : null;
    }

    /** One metric over a model's heads, in head order. */
    static double[] values(ModelSpectra spectra, CircuitType type, String metric) {
        if (metric.equals(RELATIVE_SPECTRAL_NORM)) {
            double[] norms = values(spectra, type, "spectralNorm");
            double median = WilcoxonPairedTest.median(norms);
            for (int i = 0; i < norms.length; i++) {
                norms[i] = median > 0 ? norms[i] / median : 0;
            }
            return norms;
        }
        return spectra.heads().stream().mapToDouble(h -> h.circuit(type).stats().metric(metric)).toArray();
    }

    static double sampleStd(double[] v, double mean) {
        double s = 0;
        for (double x : v) {
            s += (x - mean) * (x - mean);
        }
        return Math.sqrt(s / (v.length - 1));
    }

    private record Candidate(HeadSpectra head, CircuitType circuit, List<MetricDeviation> deviations) {
    }
}
