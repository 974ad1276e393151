package io.github.spectralcircuits.aggregate;

import io.github.spectralcircuits.spectra.CircuitType;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Every head's statistics along the checkpoints, and the heads that change most. A head is the same head
 * at every checkpoint by its (layer, head) position; a checkpoint that did not analyse it leaves a gap
 * (NaN), so checkpoints analysed with other layer filters, or models of other depth, still line up.
 */
public final class Trajectories {
    /** The statistics followed: scale (spectral norm), spread (effective and stable rank), sign (positivity). */
    public static final List<String> TRACKED = List.of("spectralNorm", "effectiveRank", "stableRank", "positivity");

    /**
     * A change below this fraction of a statistic's typical size is rounding, not change: two analyses of
     * the same weights may differ in the last bits (the order of parallel sums), and such a head must not be
     * listed as changing.
     */
    static final double NOISE = 1e-9;

    /** A head's place in the model. */
    public record Head(int layer, int head) implements Comparable<Head> {
        @Override
        public int compareTo(Head o) {
            return layer != o.layer ? Integer.compare(layer, o.layer) : Integer.compare(head, o.head);
        }

        /** "L2H5", as the page's tables name heads. */
        public String label() {
            return String.format(Locale.ROOT, "L%dH%d", layer, head);
        }
    }

    private final List<String> names;
    private final Map<Head, HeadStats[]> byHead;

    private Trajectories(List<String> names, Map<Head, HeadStats[]> byHead) {
        this.names = names;
        this.byHead = byHead;
    }

    public static Trajectories of(List<Checkpoint> checkpoints) {
        Map<Head, HeadStats[]> byHead = new TreeMap<>();
        for (int i = 0; i < checkpoints.size(); i++) {
            for (HeadStats h : checkpoints.get(i).heads()) {
                byHead.computeIfAbsent(new Head(h.layer(), h.head()), k -> new HeadStats[checkpoints.size()])[i] = h;
            }
        }
        return new Trajectories(checkpoints.stream().map(Checkpoint::name).toList(), byHead);
    }

    /** The checkpoints' names, in order. */
    public List<String> checkpoints() {
        return names;
    }

    /** Every head present at some checkpoint, layer-major. */
    public List<Head> heads() {
        return List.copyOf(byHead.keySet());
    }

    /** One statistic of one head at each checkpoint; NaN where the checkpoint lacks the head. */
    public double[] values(Head head, CircuitType circuit, String metric) {
        HeadStats[] at = byHead.get(head);
        double[] v = new double[names.size()];
        Arrays.fill(v, Double.NaN);
        if (at != null) {
            for (int i = 0; i < at.length; i++) {
                if (at[i] != null) {
                    v[i] = at[i].circuit(circuit).stats().metric(metric);
                }
            }
        }
        return v;
    }

    /** The mean absolute value of a statistic over all heads and checkpoints: the size its changes are measured in. */
    double typicalSize(CircuitType circuit, String metric) {
        double sum = 0;
        long n = 0;
        for (Head h : byHead.keySet()) {
            for (double v : values(h, circuit, metric)) {
                if (Double.isFinite(v)) {
                    sum += Math.abs(v);
                    n++;
                }
            }
        }
        return n == 0 ? 0 : sum / n;
    }

    /** (largest - smallest) / typical size; 0 for a head seen at fewer than two checkpoints. */
    static double change(double[] values, double typicalSize) {
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        int seen = 0;
        for (double v : values) {
            if (Double.isFinite(v)) {
                lo = Math.min(lo, v);
                hi = Math.max(hi, v);
                seen++;
            }
        }
        if (seen < 2) {
            return 0;
        }
        return typicalSize > 0 ? (hi - lo) / typicalSize : hi - lo;
    }

    /**
     * The heads whose tracked statistics change most, at most {@code limit}, largest change first (ties by
     * position), each by the statistic in which it changes most. Heads whose every change is rounding
     * ({@link #NOISE}) are left out: for identical checkpoints the list is empty.
     */
    public List<HeadChange> mostChanged(int limit) {
        Map<String, Double> typical = new TreeMap<>();
        for (CircuitType c : CircuitType.values()) {
            for (String m : TRACKED) {
                typical.put(c + m, typicalSize(c, m));
            }
        }
        record Candidate(Head head, CircuitType circuit, String metric, double change, double[] values) {
        }
        List<Candidate> candidates = new ArrayList<>();
        for (Head h : byHead.keySet()) {
            Candidate best = null;
            for (CircuitType c : CircuitType.values()) {
                for (String m : TRACKED) {
                    double[] v = values(h, c, m);
                    double change = change(v, typical.get(c + m));
                    if (best == null || change > best.change()) {
                        best = new Candidate(h, c, m, change, v);
                    }
                }
            }
            if (best != null && best.change() > NOISE) {
                candidates.add(best);
            }
        }
        candidates.sort(Comparator.comparingDouble(Candidate::change).reversed().thenComparing(Candidate::head));
        List<HeadChange> out = new ArrayList<>();
        for (Candidate c : candidates.subList(0, Math.min(Math.max(0, limit), candidates.size()))) {
            out.add(new HeadChange(out.size() + 1, c.head().layer(), c.head().head(), c.circuit(), c.metric(),
                    c.change(), c.values()));
        }
        return out;
    }
}
