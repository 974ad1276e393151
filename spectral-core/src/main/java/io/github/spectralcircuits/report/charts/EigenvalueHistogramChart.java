package io.github.spectralcircuits.report.charts;

import io.github.spectralcircuits.spectra.CircuitType;
import io.github.spectralcircuits.spectra.ModelSpectra;
import java.awt.image.BufferedImage;
import java.text.NumberFormat;
import java.util.List;
import java.util.Locale;

/** The trained model's core eigenvalues of one circuit type: the full range, and a zoom around zero. */
final class EigenvalueHistogramChart {
    static final int FULL_BINS = 60;
    static final int ZOOM_BINS = 40;
    /** The zoom shows |Re lambda| <= 5 % of the largest |Re lambda|. */
    static final double ZOOM_FRACTION = 0.05;

    private EigenvalueHistogramChart() {
    }

    static BufferedImage draw(ModelSpectra trained, CircuitType type, int dHead) {
        double[] values = ChartData.realParts(trained, type);
        Histogram full = ChartData.fullHistogram(values, FULL_BINS);
        Histogram zoom = ChartData.zoomHistogram(values, ZOOM_FRACTION, ZOOM_BINS);
        NumberFormat n = NumberFormat.getIntegerInstance(Locale.ROOT);
        int heads = trained.heads().size();
        String what = type == CircuitType.OV ? "OV circuit (what a head writes): positive = copying"
                : "QK circuit (where a head attends): positive = attends to the same token";
        List<String> sub = List.of(
                what,
                n.format(values.length) + " core eigenvalues drawn (" + heads + " heads x up to " + dHead
                        + "); the other " + n.format(ChartData.structuralZeros(trained, type))
                        + " eigenvalues are structural zeros (rank <= d_head) and are not drawn");
        var fullPanel = HistogramPanel.of(full, "Full range", "Re λ (real part of eigenvalue)",
                ChartStyle.TRAINED, false, values.length, Double.NaN, true);
        var zoomPanel = HistogramPanel.of(zoom, "Zoom near zero: |Re λ| ≤ " + pct(ZOOM_FRACTION) + " of max ("
                + n.format(zoom.outside()) + " beyond)", "Re λ", ChartStyle.TRAINED, false, values.length,
                Double.NaN, ChartData.needsLogCounts(zoom));
        return Canvas.compose(type + " eigenvalue distribution, trained model", sub, List.of(fullPanel, zoomPanel),
                2, 640, 460);
    }

    private static String pct(double f) {
        return Math.round(f * 100) + " %";
    }
}
