package io.github.spectralcircuits.composition;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.function.IntPredicate;

/**
 * The report's "compositionScores": for each mode the {@code top} highest-scoring pairs of the trained model
 * (listed Q, then K, then V, each by score descending), each set against the random control's scores of the
 * same mode, its null distribution: the control's pairs of its first two analysed layers (the sample of
 * {@link CompositionScores#forControl}, which says why one layer pair stands for all) give a mean, a standard
 * deviation (z) and the pair's empirical quantile.
 */
public final class CompositionRanking {
    private CompositionRanking() {
    }

    /**
     * @param control      the control's matrices, or null for scores without z and quantile
     * @param includesHead which heads were analysed (the layer filter shows as pairs that were never scored)
     */
    public static List<CompositionScore> rank(CompositionMatrices trained, CompositionMatrices control, int top,
                                              IntPredicate includesHead) {
        int nl = trained.nLayers();
        int nh = trained.nHeads();
        List<CompositionScore> out = new ArrayList<>();
        if (top <= 0) {
            return out;
        }
        for (CompositionMode mode : CompositionMode.values()) {
            // a bounded heap, worst kept pair on top: a 7B model has 500k pairs per mode, of which 100 are kept,
            // so neither a record per pair nor a sort of all of them (seconds at 32 x 32 heads)
            PriorityQueue<CompositionScore> kept = new PriorityQueue<>(top + 1, ORDER.reversed());
            for (int l1 = 0; l1 < nl; l1++) {
                for (int l2 = l1 + 1; l2 < nl; l2++) {
                    for (int a = 0; a < nh; a++) {
                        if (!includesHead.test(a)) {
                            continue;
                        }
                        for (int b = 0; b < nh; b++) {
                            double s = trained.score(mode, l1, a, l2, b);
                            if (Double.isNaN(s) || !includesHead.test(b)
                                    || kept.size() == top && s < kept.peek().score()) {
                                continue;
                            }
                            CompositionScore c = new CompositionScore(mode, l1, a, l2, b, s, null, null);
                            if (kept.size() < top) {
                                kept.add(c);
                            } else if (ORDER.compare(c, kept.peek()) < 0) {
                                kept.poll();
                                kept.add(c);
                            }
                        }
                    }
                }
            }
            List<CompositionScore> best = new ArrayList<>(kept);
            best.sort(ORDER);
            // the mode's null: the control's sorted scores, then their mean and sd
            double[] nullScores = control == null ? null : scored(control, mode);
            double mean = nullScores == null ? Double.NaN : mean(nullScores);
            double sd = nullScores == null ? Double.NaN : sd(nullScores, mean);
            for (CompositionScore c : best) {
                if (control == null) {
                    out.add(c);
                    continue;
                }
                Double z = null;
                Double q = null;
                if (nullScores.length > 0) {
                    z = sd > 0 ? (c.score() - mean) / sd : null;
                    q = quantile(nullScores, c.score());
                }
                out.add(new CompositionScore(mode, c.fromLayer(), c.fromHead(), c.toLayer(), c.toHead(), c.score(), z, q));
            }
        }
        return out;
    }

    /** Score descending, then earlier layer, earlier head, later layer, later head ascending. */
    private static final Comparator<CompositionScore> ORDER = Comparator.comparingDouble(CompositionScore::score)
            .reversed().thenComparingInt(CompositionScore::fromLayer).thenComparingInt(CompositionScore::fromHead)
            .thenComparingInt(CompositionScore::toLayer).thenComparingInt(CompositionScore::toHead);

    /** The control's scores of one mode, whatever their layers (its one sampled layer pair), sorted ascending. */
    static double[] scored(CompositionMatrices m, CompositionMode mode) {
        return Arrays.stream(m.scores()[mode.ordinal()]).flatMapToDouble(Arrays::stream).filter(x -> !Double.isNaN(x))
                .sorted().toArray();
    }

    /** The control's scores of one mode and layer pair, sorted ascending (NaN pairs left out). */
    static double[] layerPair(CompositionMatrices m, CompositionMode mode, int l1, int l2) {
        double[] v = new double[m.nHeads() * m.nHeads()];
        int n = 0;
        for (int a = 0; a < m.nHeads(); a++) {
            for (int b = 0; b < m.nHeads(); b++) {
                double s = m.score(mode, l1, a, l2, b);
                if (!Double.isNaN(s)) {
                    v[n++] = s;
                }
            }
        }
        double[] out = Arrays.copyOf(v, n);
        Arrays.sort(out);
        return out;
    }

    /** Fraction of the sorted values below x, ties counted half. */
    static double quantile(double[] sorted, double x) {
        int below = lowerBound(sorted, x);
        int notAbove = upperBound(sorted, x);
        return (below + 0.5 * (notAbove - below)) / sorted.length;
    }

    private static int lowerBound(double[] a, double x) {
        int lo = 0;
        int hi = a.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (a[mid] < x) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    private static int upperBound(double[] a, double x) {
        int lo = 0;
        int hi = a.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (a[mid] <= x) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    private static double mean(double[] v) {
        double s = 0;
        for (double x : v) {
            s += x;
        }
        return v.length == 0 ? Double.NaN : s / v.length;
    }

    /** Sample standard deviation (n - 1). */
    private static double sd(double[] v, double mean) {
        if (v.length < 2) {
            return Double.NaN;
        }
        double s = 0;
        for (double x : v) {
            s += (x - mean) * (x - mean);
        }
        return Math.sqrt(s / (v.length - 1));
    }
}
