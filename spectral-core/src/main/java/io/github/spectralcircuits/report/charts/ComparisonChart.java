package io.github.spectralcircuits.report.charts;

import io.github.spectralcircuits.spectra.CircuitType;
import io.github.spectralcircuits.spectra.ModelSpectra;
import java.awt.image.BufferedImage;
import java.util.List;

/** Trained vs control for one circuit type, on one normalised axis and one y scale, side by side. */
final class ComparisonChart {
    static final int BINS = 40;

    private ComparisonChart() {
    }

    /** Both histograms over [-1, 1] with the same bins, so bar heights compare directly. */
    static Histogram[] histograms(ModelSpectra trained, ModelSpectra control, CircuitType type) {
        return new Histogram[] {
            Histogram.of(ChartData.realPartsOverSpectralNorm(trained, type), -1, 1, BINS),
            Histogram.of(ChartData.realPartsOverSpectralNorm(control, type), -1, 1, BINS)};
    }

    static BufferedImage draw(ModelSpectra trained, ModelSpectra control, CircuitType type, List<String> extraLines) {
        Histogram[] h = histograms(trained, control, type);
        double nt = h[0].total() + h[0].outside();
        double nc = h[1].total() + h[1].outside();
        double yMax = Math.max(nt > 0 ? 100.0 * h[0].max() / nt : 0, nc > 0 ? 100.0 * h[1].max() / nc : 0);
        String axis = "Re λ / σ₁ (each head scaled by its spectral norm)";
        var left = HistogramPanel.of(h[0], "Trained (" + trained.heads().size() + " heads)", axis,
                ChartStyle.TRAINED, true, nt, yMax);
        var right = HistogramPanel.of(h[1], "Random control (" + control.heads().size() + " heads)", axis,
                ChartStyle.CONTROL, true, nc, yMax);
        List<String> sub = new java.util.ArrayList<>();
        sub.add("Core eigenvalues only, same bins and same y scale on both sides; right of 0: "
                + (type == CircuitType.OV ? "copying, left: anti-copying" : "attending to the same token, left: avoiding it"));
        sub.addAll(extraLines);
        return Canvas.compose(type + " circuit: trained vs random control", sub, List.of(left, right), 2, 640, 460);
    }
}
