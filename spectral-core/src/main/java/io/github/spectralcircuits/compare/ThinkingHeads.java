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
 * largest |z| (differences from a spread-less control first, by relative size). A pure function.
 */
public final class ThinkingHeads {
    /** The metrics SPEC section 5 names. */
    public static final List<String> METRICS = List.of("effectiveRank", "positivity", "nearZeroRatio", "spectralNorm");

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
            for (HeadSpectra h : trained.heads()) {
                List<MetricDeviation> devs = new ArrayList<>();
                for (int m = 0; m < METRICS.size(); m++) {
                    double value = h.circuit(type).stats().metric(METRICS.get(m));
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

    private static double[] values(ModelSpectra spectra, CircuitType type, String metric) {
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
