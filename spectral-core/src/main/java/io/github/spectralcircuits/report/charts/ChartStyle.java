package io.github.spectralcircuits.report.charts;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.ValueAxis;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.title.TextTitle;

/** One look for every chart: plain white plots, light grid, fonts large enough to read in a site page. */
final class ChartStyle {
    static final Font TITLE = new Font(Font.SANS_SERIF, Font.BOLD, 22);
    static final Font SUBTITLE = new Font(Font.SANS_SERIF, Font.PLAIN, 15);
    static final Font PANEL_TITLE = new Font(Font.SANS_SERIF, Font.BOLD, 16);
    static final Font AXIS_LABEL = new Font(Font.SANS_SERIF, Font.PLAIN, 14);
    static final Font TICK = new Font(Font.SANS_SERIF, Font.PLAIN, 12);
    static final Font CELL = new Font(Font.SANS_SERIF, Font.PLAIN, 12);
    static final Color TRAINED = new Color(0xD9, 0x5F, 0x02);
    static final Color CONTROL = new Color(0x4C, 0x72, 0xB0);
    static final Color GRID = new Color(0xDD, 0xDD, 0xDD);
    static final Color TEXT = new Color(0x22, 0x22, 0x22);

    private ChartStyle() {
    }

    /** Sets backgrounds, grid and fonts by hand: a ChartTheme would also repaint the series colours. */
    static void apply(JFreeChart chart) {
        chart.setBackgroundPaint(Color.WHITE);
        chart.setAntiAlias(true);
        chart.setTextAntiAlias(true);
        if (chart.getPlot() instanceof XYPlot plot) {
            plot.setBackgroundPaint(Color.WHITE);
            plot.setOutlinePaint(new Color(0x99, 0x99, 0x99));
            plot.setDomainGridlinePaint(GRID);
            plot.setRangeGridlinePaint(GRID);
            plot.setDomainGridlineStroke(new BasicStroke(1f));
            plot.setRangeGridlineStroke(new BasicStroke(1f));
            style(plot.getDomainAxis());
            style(plot.getRangeAxis());
        }
    }

    static void style(ValueAxis axis) {
        if (axis != null) {
            axis.setLabelFont(AXIS_LABEL);
            axis.setTickLabelFont(TICK);
            axis.setLabelPaint(TEXT);
            axis.setTickLabelPaint(TEXT);
        }
    }

    static TextTitle panelTitle(String text) {
        TextTitle t = new TextTitle(text, PANEL_TITLE);
        t.setPaint(TEXT);
        return t;
    }
}
