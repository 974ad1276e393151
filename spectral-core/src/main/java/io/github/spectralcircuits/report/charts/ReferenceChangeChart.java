package io.github.spectralcircuits.report.charts;

import io.github.spectralcircuits.compare.ChangedHead;
import io.github.spectralcircuits.spectra.CircuitType;
import java.awt.image.BufferedImage;
import java.util.Arrays;
import java.util.List;

/** How much each head's QK and OV circuit changed from the reference model: a layer x head grid per circuit. */
final class ReferenceChangeChart {
    private ReferenceChangeChart() {
    }

    static BufferedImage draw(List<ChangedHead> changed, int layers, int heads) {
        HeatGrid qk = grid(changed, CircuitType.QK, layers, heads);
        HeatGrid ov = grid(changed, CircuitType.OV, layers, heads);
        double top = 0;
        for (ChangedHead c : changed) {
            if (Double.isFinite(c.score())) {
                top = Math.max(top, c.score());
            }
        }
        // one scale for both panels, from no change to the largest (at least a visible range)
        double upper = top > 0 ? top : 1;
        ColourScale scale = ColourScale.viridis(0, upper);
        String format = upper < 0.01 ? "%.1e" : "%.2f";
        return HeatMapChart.draw("Change from the reference model per head",
                List.of("score = max(relative change of the singular values, of the spectral norm, "
                        + "sine of the largest principal angle of the top singular subspaces)"),
                List.of(new HeatMapChart.Panel("QK circuit", qk, scale, "score", format, upper / 4),
                        new HeatMapChart.Panel("OV circuit", ov, scale, "score", format, upper / 4)));
    }

    static HeatGrid grid(List<ChangedHead> changed, CircuitType type, int layers, int heads) {
        int nl = layers;
        int nh = heads;
        for (ChangedHead c : changed) {
            nl = Math.max(nl, c.layer() + 1);
            nh = Math.max(nh, c.head() + 1);
        }
        double[][] values = new double[nl][nh];
        for (double[] row : values) {
            Arrays.fill(row, Double.NaN);
        }
        for (ChangedHead c : changed) {
            if (c.circuit() == type) {
                // an infinite change (from a reference circuit of 0) takes the top colour of the scale
                values[c.layer()][c.head()] = c.score();
            }
        }
        return new HeatGrid("score", values);
    }
}
