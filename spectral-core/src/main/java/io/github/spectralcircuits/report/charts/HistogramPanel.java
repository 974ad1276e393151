package io.github.spectralcircuits.report.charts;

import java.awt.BasicStroke;
import java.awt.Color;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.ValueMarker;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.StandardXYBarPainter;
import org.jfree.chart.renderer.xy.XYBarRenderer;
import org.jfree.data.xy.DefaultIntervalXYDataset;

/** One histogram drawn as flat bars, with a dashed line at zero. */
final class HistogramPanel {
    private HistogramPanel() {
    }

    /**
     * @param percent y is the percentage of {@code denominator} rather than a count
     * @param yMax    fixed upper y bound (to give side-by-side panels one scale), or NaN for automatic
     */
    static JFreeChart of(Histogram h, String title, String xLabel, Color colour, boolean percent, double denominator,
                         double yMax) {
        int n = h.bins();
        double[][] data = new double[6][n];
        for (int i = 0; i < n; i++) {
            double y = percent ? (denominator > 0 ? 100.0 * h.counts()[i] / denominator : 0) : h.counts()[i];
            data[0][i] = h.binStart(i) + h.binWidth() / 2;
            data[1][i] = h.binStart(i);
            data[2][i] = h.binStart(i) + h.binWidth();
            data[3][i] = y;
            data[4][i] = y;
            data[5][i] = y;
        }
        DefaultIntervalXYDataset dataset = new DefaultIntervalXYDataset();
        dataset.addSeries("eigenvalues", data);

        NumberAxis x = new NumberAxis(xLabel);
        x.setRange(h.lower(), h.upper());
        NumberAxis y = new NumberAxis(percent ? "share of core eigenvalues (%)" : "number of core eigenvalues");
        if (!percent) {
            y.setStandardTickUnits(NumberAxis.createIntegerTickUnits());
        }
        double top = Double.isNaN(yMax) ? maxOf(data[3]) : yMax;
        y.setRange(0, top > 0 ? top * 1.08 : 1);

        XYBarRenderer bars = new XYBarRenderer();
        bars.setBarPainter(new StandardXYBarPainter());
        bars.setShadowVisible(false);
        bars.setDrawBarOutline(true);
        bars.setSeriesPaint(0, colour);
        bars.setSeriesOutlinePaint(0, colour.darker());
        bars.setSeriesOutlineStroke(0, new BasicStroke(0.6f));

        XYPlot plot = new XYPlot(dataset, x, y, bars);
        plot.setOrientation(PlotOrientation.VERTICAL);
        if (h.lower() < 0 && h.upper() > 0) {
            ValueMarker zero = new ValueMarker(0, new Color(0x55, 0x55, 0x55), new BasicStroke(1.2f,
                    BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {5f, 4f}, 0f));
            plot.addDomainMarker(zero);
        }
        JFreeChart chart = new JFreeChart(null, ChartStyle.PANEL_TITLE, plot, false);
        ChartStyle.apply(chart);
        chart.setTitle(ChartStyle.panelTitle(title));
        return chart;
    }

    static double maxOf(double[] values) {
        double m = 0;
        for (double v : values) {
            m = Math.max(m, v);
        }
        return m;
    }
}
