package io.github.spectralcircuits.report.charts;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.annotations.XYTextAnnotation;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.block.BlockBorder;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYBlockRenderer;
import org.jfree.chart.title.PaintScaleLegend;
import org.jfree.chart.ui.RectangleEdge;
import org.jfree.chart.ui.RectangleInsets;
import org.jfree.data.xy.DefaultXYZDataset;

/** Layer x head grids of one statistic, each cell coloured and (when the grid is small) labelled. */
final class HeatMapChart {
    /** Above this many cells the numbers no longer fit in the cells. */
    static final int MAX_LABELLED_CELLS = 400;

    private HeatMapChart() {
    }

    /** title may be null for a single panel under the image's own heading; tick is the colour bar's tick step. */
    record Panel(String title, HeatGrid grid, ColourScale scale, String scaleLabel, String format, double tick) {
    }

    static BufferedImage draw(String title, List<String> subtitle, List<Panel> panels) {
        HeatGrid first = panels.get(0).grid();
        // the image is shown about 1150 px wide in a site page: size cells so all panels fit that
        // width unscaled, within limits that keep the numbers in the cells legible
        int budget = 1200 / panels.size() - 240;
        int cell = Math.max(28, Math.min(64, budget / Math.max(1, first.heads())));
        int rowHeight = Math.max(24, Math.min(56, 700 / Math.max(1, first.layers())));
        int width = Math.max(480, 110 + first.heads() * cell + 130);
        int height = Math.max(360, 150 + first.layers() * rowHeight);
        List<JFreeChart> charts = new ArrayList<>();
        for (Panel p : panels) {
            charts.add(panel(p));
        }
        return Canvas.compose(title, subtitle, charts, panels.size(), width, height);
    }

    static JFreeChart panel(Panel p) {
        HeatGrid g = p.grid();
        List<double[]> cells = new ArrayList<>();
        for (int l = 0; l < g.layers(); l++) {
            for (int h = 0; h < g.heads(); h++) {
                if (!Double.isNaN(g.value(l, h))) {
                    cells.add(new double[] {h, l, g.value(l, h)});
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
        data.addSeries(g.metric(), xyz);

        NumberAxis x = new NumberAxis("head");
        x.setRange(-0.5, g.heads() - 0.5);
        x.setStandardTickUnits(NumberAxis.createIntegerTickUnits());
        NumberAxis y = new NumberAxis("layer");
        y.setRange(-0.5, g.layers() - 0.5);
        y.setStandardTickUnits(NumberAxis.createIntegerTickUnits());
        // layer 0 at the top, as the residual stream is read from input to output
        y.setInverted(true);

        XYBlockRenderer blocks = new XYBlockRenderer();
        blocks.setPaintScale(p.scale());
        blocks.setBlockWidth(1);
        blocks.setBlockHeight(1);
        XYPlot plot = new XYPlot(data, x, y, blocks);
        plot.setDomainGridlinesVisible(false);
        plot.setRangeGridlinesVisible(false);

        JFreeChart chart = ChartStyle.panel(plot, p.title(), colourBar(p.scale(), p.scaleLabel(), p.tick()));
        // after the theme, which resets axis offsets and annotations' fonts
        plot.setAxisOffset(new RectangleInsets(2, 2, 2, 2));
        if (cells.size() <= MAX_LABELLED_CELLS) {
            for (double[] c : cells) {
                XYTextAnnotation label = new XYTextAnnotation(String.format(Locale.ROOT, p.format(), c[2]), c[0], c[1]);
                label.setFont(ChartStyle.CELL);
                label.setPaint(ColourScale.textOn(p.scale().colour(c[2])));
                plot.addAnnotation(label);
            }
        }
        return chart;
    }

    /**
     * The colour bar right of a heat map: the scale's range, labelled, with a tick every {@code tick}. Its axis
     * is styled by the theme when the panel is ({@link ChartStyle#panel}).
     */
    static PaintScaleLegend colourBar(ColourScale scale, String label, double tick) {
        NumberAxis scaleAxis = new NumberAxis(label);
        scaleAxis.setRange(scale.getLowerBound(), scale.getUpperBound());
        scaleAxis.setTickUnit(new org.jfree.chart.axis.NumberTickUnit(tick));
        PaintScaleLegend legend = new PaintScaleLegend(scale, scaleAxis);
        legend.setPosition(RectangleEdge.RIGHT);
        legend.setStripWidth(18);
        legend.setSubdivisionCount(128);
        legend.setAxisOffset(4);
        legend.setMargin(new RectangleInsets(8, 10, 8, 6));
        legend.setFrame(BlockBorder.NONE);
        legend.setStripOutlineVisible(true);
        legend.setStripOutlinePaint(Color.GRAY);
        legend.setStripOutlineStroke(new BasicStroke(0.5f));
        return legend;
    }
}
