package io.github.spectralcircuits.compare;

import io.github.spectralcircuits.AnalysisSettings;
import io.github.spectralcircuits.spectra.CircuitType;
import io.github.spectralcircuits.spectra.HeadSpectra;
import io.github.spectralcircuits.spectra.ModelSpectra;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import org.apache.commons.math3.distribution.TDistribution;

/**
 * The thinking heads: circuits whose spectra stand out among the same model's heads, by a test calibrated on
 * the random control and corrected for testing every circuit. A pure function.
 *
 * <p>Why not "far from the control", as the first version had it: training moves every head far from random
 * (on stories260k every trained head's effective rank lies some 40 control standard deviations below the
 * control's), so that test flags every head and says nothing about any one of them. The question a reader
 * asks is which heads are unusual among their peers. So, per circuit type and metric:
 * <ol>
 * <li>Each head's robust z within its own model: z = (x - median) / (1.4826 MAD) over that model's heads of
 * the circuit type (Efron's "empirical null": the bulk of the heads is the reference, not random weights).
 * The metrics are scale-free or taken in logs ({@link #METRICS}); a metric whose MAD is 0 is skipped.</li>
 * <li>Under "no head stands out" (heads exchangeable) that z has a Student t distribution with about 0.4 n
 * degrees of freedom for n Gaussian heads (the MAD is as noisy as a standard deviation of 0.37 n values;
 * 0.4 n matches simulated tails within 10 % for n = 16..1024). Metrics of real heads are not Gaussian; the
 * control, a model in which no head stands out by construction, measures by how much: the null width
 * s = max(1, rms(z of the control's heads) / sqrt(nu_c / (nu_c - 2))), pooled over both circuit types and
 * every control draw, is the factor by which its z spread exceeds the t law's, taken separately above and below
 * the median (the metrics are skewed). The trained z is divided by the width of its side.</li>
 * <li>A circuit's p-value is the smallest two-sided t p-value of its metrics times their number (Bonferroni
 * over metrics); Benjamini-Hochberg over all tested circuits at {@link #FALSE_DISCOVERY_RATE} decides which are
 * flagged, and a flagged circuit must also have |z| above settings.zThreshold.</li>
 * </ol>
 * The null widths need {@link #MIN_CONTROL_HEADS} control heads: from 80 heads of stories260k's shape (two draws)
 * they come out at 1.00-1.27 where 320 heads give 1.00-1.15; from 40 heads they scatter up to 1.45. With fewer,
 * the compare stage draws further controls ({@link #controlDrawsNeeded}), which only small models (or few
 * selected heads) need; the null does not depend on the control having as many heads as the trained model.
 * Measured on 300 random models of stories260k's shape, each against 5 different pairs of control draws: 11-19 of
 * the 300 flag any circuit (3.7-6.3 %, the nominal rate is 5 %), 23 of 12000 heads in all; the uncalibrated test
 * flagged 312 of those heads, and all 40 of stories260k's.
 */
public final class ThinkingHeads {
    public static final String LOG_SPECTRAL_NORM = "logSpectralNorm";
    /**
     * Scale-free summaries of a circuit's spectrum (the spectral norm in logs, so that its z measures a ratio to
     * the typical head's). nearZeroRatio is left out: it counts near-zero core eigenvalues out of d_head, a
     * discrete value whose MAD is 0 in most models, and a dead direction lowers the effective and stable rank anyway.
     */
    public static final List<String> METRICS = List.of("effectiveRank", "stableRank", "positivity", LOG_SPECTRAL_NORM);
    public static final double FALSE_DISCOVERY_RATE = 0.05;
    /** Below this many heads per circuit type a median and MAD say nothing: no test. */
    public static final int MIN_HEADS = 8;
    /** Control heads the null width is estimated from, at least. */
    public static final int MIN_CONTROL_HEADS = 64;
    /** Degrees of freedom of the robust z's t law per head (see the class comment). */
    static final double DF_PER_HEAD = 0.4;
    /** 1 / Phi^-1(3/4): the MAD of a normal sample times this estimates its standard deviation. */
    static final double MAD_TO_SD = 1.482602218505602;

    public static final String STATISTIC = "calibrated robust z: (x - median) / (1.4826 MAD) over the model's own "
            + "heads of the circuit type, divided by the null width of the metric; metrics " + METRICS;
    public static final String NULL_DISTRIBUTION = "Student t with 0.4 n degrees of freedom (n heads per circuit "
            + "type); null width s = max(1, rms of the same z over the random control's heads / sqrt(nu/(nu-2))), "
            + "above and below the median separately";
    public static final String CORRECTION = "Benjamini-Hochberg over circuits of each circuit's Bonferroni p-value "
            + "(smallest metric p times the number of metrics), false discovery rate " + FALSE_DISCOVERY_RATE
            + "; a flagged circuit also needs |z| > zThreshold";

    private ThinkingHeads() {
    }

    /** The flagged circuits, strongest first, and the test that flagged them. */
    public record Result(List<ThinkingHead> heads, ThinkingHeadsCriterion criterion) {
    }

    /** Further control draws needed for the null width when the control has this many heads. */
    public static int controlDrawsNeeded(int trainedHeadsPerType, int controlHeadsPerDraw) {
        if (trainedHeadsPerType < MIN_HEADS || controlHeadsPerDraw <= 0) {
            return 0;
        }
        return Math.max(0, (MIN_CONTROL_HEADS + controlHeadsPerDraw - 1) / controlHeadsPerDraw - 1);
    }

    /**
     * @param controls the control, then any further draws (each analysed as a model of its own)
     */
    public static Result find(ModelSpectra trained, List<ModelSpectra> controls, AnalysisSettings settings) {
        int n = trained.heads().size();
        int controlHeads = controls.stream().mapToInt(c -> c.heads().size()).sum();
        double nu = DF_PER_HEAD * n;
        if (n < MIN_HEADS) {
            return new Result(List.of(), test(n, controlHeads, controls.size(), nu, List.of(), 0, Double.NaN,
                    Double.NaN, settings.zThreshold(), 0, 0, "only " + n + " heads analysed; at least " + MIN_HEADS
                    + " are needed for a median and MAD to describe the typical head, so no head was tested"));
        }
        List<NullWidth> widths = new ArrayList<>();
        for (String metric : METRICS) {
            widths.add(nullWidth(metric, controls));
        }
        TDistribution t = new TDistribution(null, nu);
        List<Tested> tested = new ArrayList<>();
        List<String> skipped = new ArrayList<>();
        for (CircuitType type : CircuitType.values()) {
            RobustZ[] z = new RobustZ[METRICS.size()];
            for (int m = 0; m < METRICS.size(); m++) {
                z[m] = RobustZ.of(values(trained, type, METRICS.get(m)));
                if (z[m] == null) {
                    skipped.add(type + " " + METRICS.get(m));
                }
            }
            for (int i = 0; i < n; i++) {
                List<MetricDeviation> devs = new ArrayList<>();
                double smallest = 1;
                for (int m = 0; m < METRICS.size(); m++) {
                    if (z[m] == null) {
                        continue;
                    }
                    NullWidth w = widths.get(m);
                    double value = z[m].values[i];
                    double raw = z[m].z(value);
                    double width = w.widthFor(raw);
                    double zs = raw / width;
                    double p = Math.min(1, 2 * t.cumulativeProbability(-Math.abs(zs)));
                    smallest = Math.min(smallest, p);
                    devs.add(new MetricDeviation(METRICS.get(m), value, w.controlMean(), w.controlStd(), zs,
                            z[m].median, z[m].spread, width, p));
                }
                int metricsTested = devs.size();
                if (metricsTested > 0) {
                    tested.add(new Tested(trained.heads().get(i), type, devs, Math.min(1, smallest * metricsTested),
                            metricsTested));
                }
            }
        }
        int m = tested.size();
        tested.sort(Comparator.comparingDouble((Tested x) -> x.p).thenComparingInt(x -> x.head.layer())
                .thenComparingInt(x -> x.head.head()).thenComparing(x -> x.circuit));
        // Benjamini-Hochberg: the largest k with p_(k) <= k q / m; q-values are the step-up adjusted p-values
        int k = 0;
        for (int i = 0; i < m; i++) {
            if (tested.get(i).p <= (i + 1) * FALSE_DISCOVERY_RATE / m) {
                k = i + 1;
            }
        }
        double[] q = new double[m];
        double running = 1;
        for (int i = m - 1; i >= 0; i--) {
            running = Math.min(running, tested.get(i).p * m / (i + 1));
            q[i] = running;
        }
        double pCutoff = Math.max(k, 1) * FALSE_DISCOVERY_RATE / Math.max(m, 1);
        // the |z| at which a circuit's p-value reaches the cutoff (with the most metrics any circuit had)
        int metricsPerCircuit = tested.stream().mapToInt(x -> x.metricsTested).max().orElse(METRICS.size());
        double zCutoff = -t.inverseCumulativeProbability(pCutoff / (2.0 * metricsPerCircuit));
        double threshold = Math.max(zCutoff, settings.zThreshold());
        List<ThinkingHead> out = new ArrayList<>();
        for (int i = 0; i < k; i++) {
            Tested c = tested.get(i);
            List<MetricDeviation> beyond = new ArrayList<>();
            for (MetricDeviation d : c.deviations) {
                if (Math.abs(d.zScore()) > settings.zThreshold() && d.pValue() * c.metricsTested <= pCutoff) {
                    beyond.add(d);
                }
            }
            if (beyond.isEmpty()) {
                continue; // survives the correction but not the zThreshold floor
            }
            beyond.sort(Comparator.comparingDouble((MetricDeviation d) -> -Math.abs(d.zScore())));
            MetricDeviation top = beyond.get(0);
            out.add(new ThinkingHead(out.size() + 1, c.head.layer(), c.head.head(), c.circuit, top.metric(),
                    top.value(), top.controlMean(), top.controlStd(), top.zScore(), beyond, top.modelMedian(),
                    top.modelSpread(), c.p, q[i], threshold));
        }
        long flaggedHeads = out.stream().map(h -> h.layer() + "/" + h.head()).distinct().count();
        String note = skipped.isEmpty() ? null : "not tested (MAD 0 over the model's heads): " + String.join(", ", skipped);
        return new Result(out, test(n, controlHeads, controls.size(), nu, widths, m, pCutoff, threshold,
                settings.zThreshold(), out.size(), (int) flaggedHeads, note));
    }

    private static ThinkingHeadsCriterion test(int n, int controlHeads, int draws, double nu, List<NullWidth> widths,
                                          int tested, double pCutoff, double threshold, double zFloor, int flagged,
                                          int flaggedHeads, String note) {
        return new ThinkingHeadsCriterion(STATISTIC, METRICS, NULL_DISTRIBUTION, CORRECTION, n, controlHeads, draws,
                MIN_CONTROL_HEADS, nu, widths, FALSE_DISCOVERY_RATE, tested, pCutoff, threshold, zFloor, flagged,
                flaggedHeads, note);
    }

    /**
     * The metric's null widths from the control draws: each draw's heads z-scored within that draw and circuit
     * type; per side (z above and below the median), the rms of those z over the rms of the t law they would
     * follow if Gaussian (the same on both sides), at least 1. Two sides because the metrics are skewed: a random
     * head's effective rank has a long lower tail (it cannot exceed d_head), its log norm a long upper one.
     */
    static NullWidth nullWidth(String metric, List<ModelSpectra> controls) {
        double[] sumSq = new double[2];
        double[] expected = new double[2];
        int[] count = new int[2];
        double sumRaw = 0;
        double sumRawSq = 0;
        int raw = 0;
        for (ModelSpectra c : controls) {
            int nc = c.heads().size();
            double nuC = DF_PER_HEAD * nc;
            for (CircuitType type : CircuitType.values()) {
                double[] v = values(c, type, metric);
                for (double x : v) {
                    sumRaw += x;
                    sumRawSq += x * x;
                    raw++;
                }
                RobustZ z = nc >= MIN_HEADS ? RobustZ.of(v) : null;
                if (z == null || nuC <= 2) {
                    continue;
                }
                for (double x : v) {
                    double zi = z.z(x);
                    if (zi == 0) {
                        continue; // the median itself is on neither side
                    }
                    int side = zi > 0 ? 0 : 1;
                    sumSq[side] += zi * zi;
                    expected[side] += nuC / (nuC - 2);
                    count[side]++;
                }
            }
        }
        double[] rms = new double[2];
        double[] width = new double[2];
        for (int side = 0; side < 2; side++) {
            rms[side] = count[side] == 0 ? Double.NaN : Math.sqrt(sumSq[side] / count[side]);
            width[side] = count[side] == 0 ? 1 : Math.max(1, Math.sqrt(sumSq[side] / expected[side]));
        }
        double mean = raw == 0 ? Double.NaN : sumRaw / raw;
        double std = raw < 2 ? Double.NaN : Math.sqrt(Math.max(0, (sumRawSq - raw * mean * mean) / (raw - 1)));
        return new NullWidth(metric, width[0], width[1], rms[0], rms[1], count[0] + count[1], mean, std);
    }

    /** One metric over a model's heads, in head order; logSpectralNorm is ln(spectralNorm). */
    static double[] values(ModelSpectra spectra, CircuitType type, String metric) {
        if (metric.equals(LOG_SPECTRAL_NORM)) {
            return spectra.heads().stream().mapToDouble(h -> Math.log(h.circuit(type).stats().spectralNorm())).toArray();
        }
        return spectra.heads().stream().mapToDouble(h -> h.circuit(type).stats().metric(metric)).toArray();
    }

    /** Median and MAD-based spread of one sample; null when the MAD is 0 (or a value is not finite). */
    static final class RobustZ {
        final double[] values;
        final double median;
        final double spread;

        private RobustZ(double[] values, double median, double spread) {
            this.values = values;
            this.median = median;
            this.spread = spread;
        }

        static RobustZ of(double[] values) {
            for (double v : values) {
                if (!Double.isFinite(v)) {
                    return null;
                }
            }
            double median = median(values);
            double[] dev = new double[values.length];
            for (int i = 0; i < values.length; i++) {
                dev[i] = Math.abs(values[i] - median);
            }
            double spread = MAD_TO_SD * median(dev);
            // a spread at rounding level (identical values) is no spread
            if (!(spread > 1e-12 * Math.max(1.0, Math.abs(median)))) {
                return null;
            }
            return new RobustZ(values, median, spread);
        }

        double z(double x) {
            return (x - median) / spread;
        }

        static double median(double[] v) {
            double[] s = v.clone();
            Arrays.sort(s);
            int n = s.length;
            return n % 2 == 1 ? s[n / 2] : 0.5 * (s[n / 2 - 1] + s[n / 2]);
        }
    }

    private record Tested(HeadSpectra head, CircuitType circuit, List<MetricDeviation> deviations, double p,
                          int metricsTested) {
    }
}
