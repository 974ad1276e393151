package io.github.spectralcircuits.report.charts;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.geom.Ellipse2D;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.SymbolAxis;
import org.jfree.chart.block.BlockBorder;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.title.LegendTitle;
import org.jfree.chart.ui.RectangleEdge;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/**
 * Values along an ordered series of checkpoints (a training run, a family of fine-tunes): one panel per
 * statistic, one line per head, the checkpoints' names on the x axis. A line keeps its colour in every
 * panel, so a head can be followed from one statistic to the next. Knows nothing of reports: the caller
 * hands it the numbers.
 */
public final class TrajectoryChart {
    /** Above this many checkpoints only every n-th name is written under the axis, so the names stay legible. */
    static final int MAX_NAMED_CHECKPOINTS = 16;
    private static final int PANEL_WIDTH = 600;
    private static final int PANEL_HEIGHT = 360;

    private TrajectoryChart() {
    }

    /** One line: a name for the legend and one value per checkpoint (NaN where it has none, drawn as a gap). */
    public record Line(String name, double[] values) {
    }

    /** One panel: its title, the y axis' label, and its lines (in the same order in every panel). */
    public record Panel(String title, String yLabel, List<Line> lines) {
        public Panel {
            lines = List.copyOf(lines);
        }
    }

    /** Draws the panels two per row under one heading and writes them to file as a PNG, atomically. */
    public static RenderedChart write(Path file, String title, List<String> subtitle, List<String> checkpoints,
                                      List<Panel> panels, String caption) {
        PngFiles.write(draw(title, subtitle, checkpoints, panels), file);
        return new RenderedChart(file, title, caption);
    }

    static BufferedImage draw(String title, List<String> subtitle, List<String> checkpoints, List<Panel> panels) {
        Headless.ensure();
        List<JFreeChart> charts = new ArrayList<>();
        for (Panel p : panels) {
            charts.add(panel(p, checkpoints));
        }
        int columns = panels.size() == 1 ? 1 : 2;
        int extra = verticalNames(checkpoints) ? 7 * Math.min(24, longestName(checkpoints)) : 0;
        return Canvas.compose(title, subtitle, charts, columns, PANEL_WIDTH, PANEL_HEIGHT + extra);
    }

    static XYSeriesCollection dataset(Panel p) {
        XYSeriesCollection data = new XYSeriesCollection();
        for (Line line : p.lines()) {
            XYSeries s = new XYSeries(line.name(), false, true);
            for (int i = 0; i < line.values().length; i++) {
                double v = line.values()[i];
                // a missing value is a gap in the line, not a point at zero
                s.add(i, Double.isFinite(v) ? Double.valueOf(v) : null);
            }
            data.addSeries(s);
        }
        return data;
    }

    static JFreeChart panel(Panel p, List<String> checkpoints) {
        SymbolAxis x = new SymbolAxis("checkpoint", axisLabels(checkpoints));
        x.setGridBandsVisible(false);
        x.setRange(-0.3, Math.max(0.3, checkpoints.size() - 0.7));
        x.setVerticalTickLabels(verticalNames(checkpoints));
        NumberAxis y = new NumberAxis(p.yLabel());
        y.setAutoRangeIncludesZero(false);
        // A flat line is drawn flat: without a floor on the range, the axis would stretch the last bits of
        // rounding (1e-9 of the value) over the whole panel and a constant would look like a zigzag.
        y.setAutoRangeMinimumSize(minimumRange(p));
        XYLineAndShapeRenderer lines = new XYLineAndShapeRenderer(true, true);
        XYPlot plot = new XYPlot(dataset(p), x, y, lines);
        JFreeChart chart;
        if (p.lines().isEmpty()) {
            chart = ChartStyle.panel(plot, p.title());
        } else {
            LegendTitle legend = new LegendTitle(plot);
            legend.setPosition(RectangleEdge.BOTTOM);
            legend.setFrame(BlockBorder.NONE);
            chart = ChartStyle.panel(plot, p.title(), legend);
        }
        // after the theme, which clears the series' paints and strokes
        for (int s = 0; s < p.lines().size(); s++) {
            lines.setSeriesPaint(s, colour(s, p.lines().size()));
            lines.setSeriesStroke(s, new BasicStroke(2.2f));
            lines.setSeriesShape(s, new Ellipse2D.Double(-3.5, -3.5, 7, 7));
        }
        return chart;
    }

    /** 5 % of the largest magnitude drawn in the panel (a tiny floor for all zeros). */
    static double minimumRange(Panel p) {
        double max = 0;
        for (Line l : p.lines()) {
            for (double v : l.values()) {
                if (Double.isFinite(v)) {
                    max = Math.max(max, Math.abs(v));
                }
            }
        }
        return max > 0 ? 0.05 * max : 1e-9;
    }

    /** Names across the axis while they fit the panel side by side, otherwise turned upright. */
    static boolean verticalNames(List<String> checkpoints) {
        return checkpoints.size() * (7.0 * longestName(checkpoints) + 12) > PANEL_WIDTH - 120;
    }

    /** The colour of the i-th of n lines, the same in every panel. */
    public static Color colour(int index, int count) {
        return ColourScale.category(index, count);
    }

    /** Every name when there are few; otherwise every n-th, the others blank, the last always named. */
    static String[] axisLabels(List<String> checkpoints) {
        int n = checkpoints.size();
        int step = n <= MAX_NAMED_CHECKPOINTS ? 1 : (n + MAX_NAMED_CHECKPOINTS - 1) / MAX_NAMED_CHECKPOINTS;
        String[] labels = new String[n];
        for (int i = 0; i < n; i++) {
            labels[i] = i % step == 0 || i == n - 1 ? checkpoints.get(i) : "";
        }
        return labels;
    }

    private static int longestName(List<String> names) {
        return names.stream().mapToInt(String::length).max().orElse(0);
    }
}
