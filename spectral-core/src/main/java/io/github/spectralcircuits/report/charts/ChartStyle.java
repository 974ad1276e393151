package io.github.spectralcircuits.report.charts;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Stroke;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.StandardChartTheme;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.StandardXYBarPainter;
import org.jfree.chart.title.Title;
import org.jfree.chart.ui.RectangleInsets;

/**
 * One look for every chart, as a JFreeChart theme: plain white plots, light solid grid, flat bars, fonts large
 * enough to read in a site page. A theme resets what it styles (series paints the renderer would pick itself,
 * text annotations, axis offsets), so a panel is built as: plot, {@link #panel}, then what is particular to it.
 */
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
    private static final Stroke GRID_STROKE = new BasicStroke(1f);

    private static final StandardChartTheme THEME = theme();

    private ChartStyle() {
    }

    private static StandardChartTheme theme() {
        StandardChartTheme t = new StandardChartTheme("spectral circuits", false) {
            private static final long serialVersionUID = 1L;

            /** Solid grid lines: the theme sets their colour only, and XYPlot's default is dashed. */
            @Override
            protected void applyToXYPlot(XYPlot plot) {
                super.applyToXYPlot(plot);
                plot.setDomainGridlineStroke(GRID_STROKE);
                plot.setRangeGridlineStroke(GRID_STROKE);
            }
        };
        t.setExtraLargeFont(PANEL_TITLE);
        t.setLargeFont(AXIS_LABEL);
        t.setRegularFont(TICK);
        t.setSmallFont(CELL);
        t.setTitlePaint(TEXT);
        t.setSubtitlePaint(TEXT);
        t.setAxisLabelPaint(TEXT);
        t.setTickLabelPaint(TEXT);
        t.setItemLabelPaint(TEXT);
        t.setLegendItemPaint(Color.BLACK);
        t.setChartBackgroundPaint(Color.WHITE);
        t.setLegendBackgroundPaint(Color.WHITE);
        t.setPlotBackgroundPaint(Color.WHITE);
        t.setPlotOutlinePaint(new Color(0x99, 0x99, 0x99));
        t.setDomainGridlinePaint(GRID);
        t.setRangeGridlinePaint(GRID);
        t.setBaselinePaint(new Color(0x66, 0x66, 0x66));
        t.setAxisOffset(RectangleInsets.ZERO_INSETS);
        t.setXYBarPainter(new StandardXYBarPainter());
        t.setShadowVisible(false);
        return t;
    }

    /** A panel of a composed image: the plot under its title (none when null), with its legends, in the theme. */
    static JFreeChart panel(XYPlot plot, String title, Title... legends) {
        JFreeChart chart = new JFreeChart(title, PANEL_TITLE, plot, false);
        chart.setAntiAlias(true);
        chart.setTextAntiAlias(true);
        for (Title legend : legends) {
            chart.addSubtitle(legend);
        }
        THEME.apply(chart);
        return chart;
    }
}
