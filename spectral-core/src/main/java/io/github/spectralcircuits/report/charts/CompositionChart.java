package io.github.spectralcircuits.report.charts;

import io.github.spectralcircuits.composition.CompositionMatrices;
import io.github.spectralcircuits.composition.CompositionMode;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.NumberTickUnit;
import org.jfree.chart.block.BlockBorder;
import org.jfree.chart.plot.ValueMarker;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYBlockRenderer;
import org.jfree.chart.title.PaintScaleLegend;
import org.jfree.chart.ui.RectangleEdge;
import org.jfree.chart.ui.RectangleInsets;
import org.jfree.data.xy.DefaultXYZDataset;

/**
 * Every composition score of a model, one panel per mode: earlier head (rows, layer-major) against later
 * head (columns), with lines between layers; only pairs from an earlier to a later layer have a colour.
 * All modes share one colour scale, from 0 to the largest score.
 */
final class CompositionChart {
    private CompositionChart() {
    }

    static BufferedImage draw(CompositionMatrices m) {
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (double[][] mode : m.scores()) {
            for (double[] row : mode) {
                for (double v : row) {
                    if (!Double.isNaN(v)) {
                        min = Math.min(min, v);
                        max = Math.max(max, v);
                    }
                }
            }
        }
        if (!(max > min)) {
            min = 0;
            max = Math.max(1, max);
        }
        ColourScale scale = ColourScale.viridis(min, max);
        List<JFreeChart> panels = new ArrayList<>();
        for (CompositionMode mode : CompositionMode.values()) {
            panels.add(panel(m, mode, scale));
        }
        return Canvas.compose("Composition scores between heads",
                List.of("|W_OV(earlier) · B(later)|_F / (|W_OV|_F |B|_F), B = W_QK (Q), W_QKᵀ (K), W_OV (V); "
                        + "heads numbered layer × " + m.nHeads() + " + head"),
                panels, panels.size(), 520, 540);
    }

    private static JFreeChart panel(CompositionMatrices m, CompositionMode mode, ColourScale scale) {
        double[][] s = m.scores()[mode.ordinal()];
        int n = s.length;
        List<double[]> cells = new ArrayList<>();
        for (int from = 0; from < n; from++) {
            for (int to = 0; to < n; to++) {
                if (!Double.isNaN(s[from][to])) {
                    cells.add(new double[] {to, from, s[from][to]});
                }
            }
        }
        double[][] xyz = new double[3][cells.size()];
        for (int i = 0; i < cells.size(); i++) {
            for (int j = 0; j < 3; j++) {
                xyz[j][i] = cells.get(i)[j];
            }
        }
        DefaultXYZDataset data = new DefaultXYZDataset();
        data.addSeries(mode.name(), xyz);
        NumberAxis x = new NumberAxis("later head");
        x.setRange(-0.5, n - 0.5);
        NumberAxis y = new NumberAxis("earlier head");
        y.setRange(-0.5, n - 0.5);
        y.setInverted(true);
        // a tick at every MAX_LAYER_TICKS-th layer's first head at most: 32 layers' labels would overlap
        double tick = Math.max(1, m.nHeads()) * layerStep(m.nLayers());
        x.setTickUnit(new NumberTickUnit(tick));
        y.setTickUnit(new NumberTickUnit(tick));
        XYBlockRenderer blocks = new XYBlockRenderer();
        blocks.setPaintScale(scale);
        XYPlot plot = new XYPlot(data, x, y, blocks);
        for (int l = 1; l < m.nLayers(); l++) {
            double at = l * m.nHeads() - 0.5;
            plot.addDomainMarker(new ValueMarker(at, Color.WHITE, new BasicStroke(1f)));
            plot.addRangeMarker(new ValueMarker(at, Color.WHITE, new BasicStroke(1f)));
        }
        // the theme first (it sets the plot's background), then this chart's own grey for the empty pairs
        JFreeChart chart = ChartStyle.panel(plot, mode.name() + "-composition", HeatMapChart.colourBar(scale, "score",
                niceStep((scale.getUpperBound() - scale.getLowerBound()) / 6)));
        plot.setBackgroundPaint(new Color(0xEE, 0xEE, 0xEE));
        plot.setDomainGridlinesVisible(false);
        plot.setRangeGridlinesVisible(false);
        return chart;
    }

    static final int MAX_LAYER_TICKS = 8;

    /** Layers between two ticks, so that at most about MAX_LAYER_TICKS tick labels share an axis. */
    static int layerStep(int layers) {
        return Math.max(1, (layers + MAX_LAYER_TICKS - 1) / MAX_LAYER_TICKS);
    }

    /** 1, 2 or 5 times a power of ten, at least x. */
    static double niceStep(double x) {
        double p = Math.pow(10, Math.floor(Math.log10(x)));
        return x <= p ? p : x <= 2 * p ? 2 * p : x <= 5 * p ? 5 * p : 10 * p;
    }
}
