package io.github.spectralcircuits.report.charts;

import io.github.spectralcircuits.spectra.CircuitSpectrum;
import io.github.spectralcircuits.spectra.CircuitType;
import io.github.spectralcircuits.spectra.HeadSpectra;
import io.github.spectralcircuits.spectra.ModelSpectra;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

/**
 * The numbers each chart draws, built from a report and kept apart from the drawing so they can be
 * asserted. Only the k core eigenvalues of each circuit are drawn; the V - k structural zeros are
 * counted separately (they would otherwise be one bar thousands of times taller than the rest).
 */
public final class ChartData {
    private ChartData() {
    }

    /** Re lambda of every core eigenvalue of every head, layer-major. */
    public static double[] realParts(ModelSpectra spectra, CircuitType type) {
        return collect(spectra, type, false);
    }

    /**
     * Re lambda / sigma_1 of every core eigenvalue, each head scaled by its own spectral norm, so a
     * trained model and a control of very different scale can share one axis ([-1, 1], since the
     * spectral radius never exceeds the spectral norm).
     */
    public static double[] realPartsOverSpectralNorm(ModelSpectra spectra, CircuitType type) {
        return collect(spectra, type, true);
    }

    private static double[] collect(ModelSpectra spectra, CircuitType type, boolean scaled) {
        int n = 0;
        for (HeadSpectra h : spectra.heads()) {
            n += h.circuit(type).eigenvalues().re().length;
        }
        double[] out = new double[n];
        int i = 0;
        for (HeadSpectra h : spectra.heads()) {
            CircuitSpectrum c = h.circuit(type);
            double norm = c.stats().spectralNorm();
            for (double re : c.eigenvalues().re()) {
                out[i++] = scaled ? (norm > 0 ? re / norm : 0) : re;
            }
        }
        return out;
    }

    /** Eigenvalues of the full V x V circuits that are zero by construction (rank <= d_head), summed over heads. */
    public static long structuralZeros(ModelSpectra spectra, CircuitType type) {
        long n = 0;
        for (HeadSpectra h : spectra.heads()) {
            CircuitSpectrum c = h.circuit(type);
            n += (long) c.dimension() - c.eigenvalues().re().length;
        }
        return n;
    }

    /** Full-range histogram: the data's span, padded by half a bin so extreme values are not on an edge. */
    public static Histogram fullHistogram(double[] values, int bins) {
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (double v : values) {
            lo = Math.min(lo, v);
            hi = Math.max(hi, v);
        }
        if (values.length == 0) {
            return Histogram.of(values, -1, 1, bins);
        }
        if (hi - lo < 1e-12 * Math.max(1, Math.abs(hi))) {
            double pad = Math.max(1e-12, Math.abs(hi) * 0.05 + 1e-9);
            return Histogram.of(values, lo - pad, hi + pad, bins);
        }
        double pad = 0.5 * (hi - lo) / bins;
        return Histogram.of(values, lo - pad, hi + pad, bins);
    }

    /** Histogram of the window |x| <= fraction * max|x| around zero; what falls outside is counted, not drawn. */
    public static Histogram zoomHistogram(double[] values, double fraction, int bins) {
        double maxAbs = 0;
        for (double v : values) {
            maxAbs = Math.max(maxAbs, Math.abs(v));
        }
        double half = maxAbs > 0 ? fraction * maxAbs : 1;
        return Histogram.of(values, -half, half, bins);
    }

    /**
     * Whether counts are better read on a log axis: when the tallest bar is more than ten times the
     * average of the other non-empty bars, a linear axis would flatten everything but that bar.
     */
    public static boolean needsLogCounts(Histogram h) {
        long max = h.max();
        long rest = 0;
        int nonEmpty = 0;
        boolean maxSkipped = false;
        for (long c : h.counts()) {
            if (c == max && !maxSkipped) {
                maxSkipped = true;
            } else if (c > 0) {
                rest += c;
                nonEmpty++;
            }
        }
        return nonEmpty > 0 && max > 10.0 * rest / nonEmpty;
    }

    /** values[layer][head] of one statistic; NaN for heads the report does not contain. */
    public static HeatGrid heatGrid(ModelSpectra spectra, CircuitType type, String metric, int layers, int heads) {
        int nl = layers;
        int nh = heads;
        for (HeadSpectra h : spectra.heads()) {
            nl = Math.max(nl, h.layer() + 1);
            nh = Math.max(nh, h.head() + 1);
        }
        double[][] values = new double[nl][nh];
        for (double[] row : values) {
            java.util.Arrays.fill(row, Double.NaN);
        }
        for (HeadSpectra h : spectra.heads()) {
            values[h.layer()][h.head()] = h.circuit(type).stats().metric(metric);
        }
        return new HeatGrid(metric, values);
    }

    /** Points of the complex plane, one group per layer. */
    public record ComplexPoints(int layer, double[] re, double[] im) {
    }

    /** Eigenvalues as they are, grouped by layer. */
    public static List<ComplexPoints> complexPointsByLayer(ModelSpectra spectra, CircuitType type) {
        return complexPointsByLayer(spectra, type, false);
    }

    /**
     * Grouped by layer; when scaled, each head's eigenvalues divided by its spectral norm, so every point
     * lies in the unit disk whatever the head's scale.
     */
    public static List<ComplexPoints> complexPointsByLayer(ModelSpectra spectra, CircuitType type, boolean scaled) {
        TreeMap<Integer, List<double[]>> byLayer = new TreeMap<>();
        for (HeadSpectra h : spectra.heads()) {
            var ev = h.circuit(type).eigenvalues();
            double norm = h.circuit(type).stats().spectralNorm();
            double f = scaled ? (norm > 0 ? 1 / norm : 0) : 1;
            List<double[]> pts = byLayer.computeIfAbsent(h.layer(), l -> new ArrayList<>());
            for (int i = 0; i < ev.re().length; i++) {
                pts.add(new double[] {f * ev.re()[i], f * ev.im()[i]});
            }
        }
        List<ComplexPoints> out = new ArrayList<>();
        byLayer.forEach((layer, pts) -> {
            double[] re = new double[pts.size()];
            double[] im = new double[pts.size()];
            for (int i = 0; i < pts.size(); i++) {
                re[i] = pts.get(i)[0];
                im[i] = pts.get(i)[1];
            }
            out.add(new ComplexPoints(layer, re, im));
        });
        return out;
    }
}
