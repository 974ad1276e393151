package io.github.spectralcircuits.report.charts;

import java.awt.Color;
import java.awt.Font;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.DoubleFunction;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.annotations.XYTextAnnotation;
import org.jfree.chart.axis.SymbolAxis;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYBlockRenderer;
import org.jfree.chart.ui.RectangleInsets;
import org.jfree.data.xy.DefaultXYZDataset;

/**
 * A heat map whose rows and columns are named rather than numbered (heads down, checkpoints across),
 * with {@link HeatMapChart}'s colour bar and cell labels. The cells are coloured by one value and may be
 * labelled with another reading of it (a log-ratio coloured, the ratio written).
 */
public final class LabelledHeatMapChart {
    /** More cells than this, or cells too small for text, and the numbers are left out. */
    static final int MAX_LABELLED_CELLS = HeatMapChart.MAX_LABELLED_CELLS;
    /** Above this many rows only every n-th row is named. */
    static final int MAX_NAMED_ROWS = 48;

    private LabelledHeatMapChart() {
    }

    /**
     * One panel: values[row][column] (NaN for none, drawn grey), the rows' and columns' names, and how a
     * cell's value is written into it (null for no labels).
     */
    public record Grid(String title, List<String> rows, List<String> columns, double[][] values,
                       DoubleFunction<String> label) {
        public Grid {
            rows = List.copyOf(rows);
            columns = List.copyOf(columns);
            if (values.length != rows.size()) {
                throw new IllegalArgumentException(values.length + " rows of values for " + rows.size() + " names");
            }
            for (double[] row : values) {
                if (row.length != columns.size()) {
                    throw new IllegalArgumentException(row.length + " values in a row for " + columns.size() + " columns");
                }
            }
        }
    }

    /** Panels side by side, one colour scale shared by all, written to file as a PNG, atomically. */
    public static RenderedChart write(Path file, String title, List<String> subtitle, List<Grid> panels,
                                      ColourScale scale, String scaleLabel, double tick, String caption) {
        PngFiles.write(draw(title, subtitle, panels, scale, scaleLabel, tick), file);
        return new RenderedChart(file, title, caption);
    }

    static BufferedImage draw(String title, List<String> subtitle, List<Grid> panels, ColourScale scale,
                              String scaleLabel, double tick) {
        Headless.ensure();
        Grid first = panels.get(0);
        int rows = Math.max(1, first.rows().size());
        int cols = Math.max(1, first.columns().size());
        int cellWidth = cellWidth(cols, panels.size());
        int rowHeight = rowHeight(rows);
        int longestColumn = first.columns().stream().mapToInt(String::length).max().orElse(0);
        int xLabels = verticalColumnNames(first, cellWidth) ? 8 * Math.min(24, longestColumn) : 20;
        int width = Math.max(420, 110 + cols * cellWidth + 150);
        int height = Math.max(300, 120 + xLabels + rows * rowHeight);
        List<JFreeChart> charts = new ArrayList<>();
        for (Grid g : panels) {
            charts.add(panel(g, scale, scaleLabel, tick, labelsFit(g, cellWidth, rowHeight),
                    verticalColumnNames(g, cellWidth)));
        }
        return Canvas.compose(title, subtitle, charts, panels.size(), width, height);
    }

    /** Wide enough for "x1.50" in a cell when there are few columns; the whole image about 1200 px wide. */
    static int cellWidth(int columns, int panels) {
        int budget = 1200 / panels - 260;
        return Math.max(10, Math.min(72, budget / columns));
    }

    static int rowHeight(int rows) {
        return Math.max(8, Math.min(28, 900 / rows));
    }

    static boolean labelsFit(Grid g, int cellWidth, int rowHeight) {
        return g.label() != null && g.rows().size() * g.columns().size() <= MAX_LABELLED_CELLS
                && cellWidth >= 44 && rowHeight >= 16;
    }

    /** Column names across while each fits its cell's width, otherwise turned upright. */
    static boolean verticalColumnNames(Grid g, int cellWidth) {
        return g.columns().stream().anyMatch(c -> 7.0 * c.length() + 6 > cellWidth);
    }

    static JFreeChart panel(Grid g, ColourScale scale, String scaleLabel, double tick, boolean labels,
                            boolean verticalNames) {
        List<double[]> cells = new ArrayList<>();
        for (int r = 0; r < g.rows().size(); r++) {
            for (int c = 0; c < g.columns().size(); c++) {
                double v = g.values()[r][c];
                if (!Double.isNaN(v)) {
                    cells.add(new double[] {c, r, v});
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
        data.addSeries(g.title() == null ? "values" : g.title(), xyz);

        SymbolAxis x = new SymbolAxis(null, g.columns().toArray(String[]::new));
        x.setGridBandsVisible(false);
        x.setRange(-0.5, g.columns().size() - 0.5);
        x.setVerticalTickLabels(verticalNames);
        SymbolAxis y = new SymbolAxis(null, rowNames(g.rows()));
        y.setGridBandsVisible(false);
        y.setRange(-0.5, g.rows().size() - 0.5);
        // the first row at the top, as a table reads
        y.setInverted(true);
        XYBlockRenderer blocks = new XYBlockRenderer();
        blocks.setPaintScale(scale);
        blocks.setBlockWidth(1);
        blocks.setBlockHeight(1);
        XYPlot plot = new XYPlot(data, x, y, blocks);
        plot.setDomainGridlinesVisible(false);
        plot.setRangeGridlinesVisible(false);
        JFreeChart chart = ChartStyle.panel(plot, g.title(), HeatMapChart.colourBar(scale, scaleLabel, tick));
        // after the theme, which resets the plot's background, axis offsets, tick fonts and annotations' fonts;
        // a cell without a value (NaN, not drawn) shows the grey background
        plot.setBackgroundPaint(new Color(0xEE, 0xEE, 0xEE));
        plot.setAxisOffset(new RectangleInsets(2, 2, 2, 2));
        if (g.rows().size() > 24) {
            y.setTickLabelFont(new Font(Font.SANS_SERIF, Font.PLAIN, 10));
        }
        if (labels) {
            for (double[] c : cells) {
                XYTextAnnotation label = new XYTextAnnotation(g.label().apply(c[2]), c[0], c[1]);
                label.setFont(ChartStyle.CELL);
                label.setPaint(ColourScale.textOn(scale.colour(c[2])));
                plot.addAnnotation(label);
            }
        }
        return chart;
    }

    /** Every row's name when there are few; otherwise every n-th, the others blank. */
    static String[] rowNames(List<String> rows) {
        int n = rows.size();
        int step = n <= MAX_NAMED_ROWS ? 1 : (n + MAX_NAMED_ROWS - 1) / MAX_NAMED_ROWS;
        String[] names = new String[n];
        for (int i = 0; i < n; i++) {
            names[i] = i % step == 0 ? rows.get(i) : "";
        }
        return names;
    }
}
