package io.github.spectralcircuits.report.charts;

import java.awt.BasicStroke;
import java.awt.Color;
import org.jfree.chart.JFreeChart;
import java.text.DecimalFormat;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.NumberTickUnit;
import org.jfree.chart.axis.ValueAxis;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.ValueMarker;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYBarRenderer;
import org.jfree.data.xy.DefaultIntervalXYDataset;

/** One histogram drawn as flat bars, with a dashed line at zero. */
final class HistogramPanel {
    /** Where bars start on a log axis: below 1, so a bin holding one eigenvalue still shows a bar. */
    private static final double LOG_BASE = 0.7;

    private HistogramPanel() {
    }

    /**
     * @param percent y is the percentage of {@code denominator} rather than a count
     * @param yMax    fixed upper y bound (to give side-by-side panels one scale), or NaN for automatic
     */
    static JFreeChart of(Histogram h, String title, String xLabel, Color colour, boolean percent, double denominator,
                         double yMax) {
        return of(h, title, xLabel, colour, percent, denominator, yMax, false);
    }

    /**
     * @param logCounts counts on a logarithmic axis, so that a few outlying eigenvalues stay visible next
     *                  to a bar of hundreds (bars then start just below 1 and empty bins are not drawn)
     */
    static JFreeChart of(Histogram h, String title, String xLabel, Color colour, boolean percent, double denominator,
                         double yMax, boolean logCounts) {
        int n = h.bins();
        double[][] data = new double[6][n];
        for (int i = 0; i < n; i++) {
            double y = percent ? (denominator > 0 ? 100.0 * h.counts()[i] / denominator : 0) : h.counts()[i];
            data[0][i] = h.binStart(i) + h.binWidth() / 2;
            data[1][i] = h.binStart(i);
            data[2][i] = h.binStart(i) + h.binWidth();
            boolean hidden = logCounts && y <= 0;
            data[3][i] = hidden ? Double.NaN : y;
            data[4][i] = hidden ? Double.NaN : (logCounts ? LOG_BASE : 0);
            data[5][i] = hidden ? Double.NaN : y;
        }
        DefaultIntervalXYDataset dataset = new DefaultIntervalXYDataset();
        dataset.addSeries("eigenvalues", data);

        NumberAxis x = new NumberAxis(xLabel);
        // a little air at both ends so the outermost bars and tick labels are not cut
        double pad = 0.015 * (h.upper() - h.lower());
        x.setRange(h.lower() - pad, h.upper() + pad);
        String yLabel = percent ? "share of core eigenvalues (%)" : "number of core eigenvalues";
        double top = Double.isNaN(yMax) ? maxOf(data[3]) : yMax;
        ValueAxis y;
        if (logCounts) {
            LogAxis log = new LogAxis(yLabel + " (log scale)");
            log.setBase(10);
            log.setNumberFormatOverride(new DecimalFormat("#,##0"));
            log.setSmallestValue(LOG_BASE);
            log.setRange(LOG_BASE, Math.max(10, top * 1.6));
            // ticks at whole powers of ten (1, 10, 100), minor ticks between
            log.setAutoTickUnitSelection(false);
            log.setTickUnit(new NumberTickUnit(1));
            log.setMinorTickMarksVisible(true);
            y = log;
        } else {
            NumberAxis lin = new NumberAxis(yLabel);
            if (!percent) {
                lin.setStandardTickUnits(NumberAxis.createIntegerTickUnits());
            }
            lin.setRange(0, top > 0 ? top * 1.08 : 1);
            y = lin;
        }

        XYBarRenderer bars = new XYBarRenderer();
        bars.setUseYInterval(true);
        bars.setDrawBarOutline(true);

        XYPlot plot = new XYPlot(dataset, x, y, bars);
        plot.setOrientation(PlotOrientation.VERTICAL);
        if (h.lower() < 0 && h.upper() > 0) {
            ValueMarker zero = new ValueMarker(0, new Color(0x55, 0x55, 0x55), new BasicStroke(1.2f,
                    BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {5f, 4f}, 0f));
            plot.addDomainMarker(zero);
        }
        JFreeChart chart = ChartStyle.panel(plot, title);
        bars.setSeriesPaint(0, colour);
        bars.setSeriesOutlinePaint(0, colour.darker());
        bars.setSeriesOutlineStroke(0, new BasicStroke(0.6f));
        return chart;
    }

    static double maxOf(double[] values) {
        double m = 0;
        for (double v : values) {
            if (!Double.isNaN(v)) {
                m = Math.max(m, v);
            }
        }
        return m;
    }
}
