package io.github.spectralcircuits.report.charts;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.Paint;
import java.awt.RenderingHints;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.util.HashMap;
import java.util.Map;
import org.jfree.chart.LegendItem;
import org.jfree.chart.axis.ValueAxis;
import org.jfree.chart.plot.CrosshairState;
import org.jfree.chart.plot.PlotRenderingInfo;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.AbstractXYItemRenderer;
import org.jfree.chart.renderer.xy.XYItemRendererState;
import org.jfree.data.xy.XYDataset;

/**
 * Round dots drawn by copying one anti-aliased stamp per series instead of filling an ellipse per
 * point. The complex-plane chart has tens of thousands of points on a large model; as shapes they
 * go through the anti-aliasing rasteriser one curve at a time (a third of a second cold for 6,000
 * points, the slowest chart), while a stamp is a plain image copy. Dots snap to whole pixels, which
 * at this size is invisible. The legend still shows the series' shape and colour as usual.
 */
final class StampedDotRenderer extends AbstractXYItemRenderer {
    private static final long serialVersionUID = 1L;

    private final double diameter;
    private final transient Map<Integer, BufferedImage> stamps = new HashMap<>();

    StampedDotRenderer(double diameter) {
        this.diameter = diameter;
        Ellipse2D dot = new Ellipse2D.Double(-diameter / 2, -diameter / 2, diameter, diameter);
        setDefaultShape(dot);
        setAutoPopulateSeriesShape(false);
    }

    @Override
    public void drawItem(Graphics2D g2, XYItemRendererState state, Rectangle2D dataArea, PlotRenderingInfo info,
                         XYPlot plot, ValueAxis domainAxis, ValueAxis rangeAxis, XYDataset dataset, int series,
                         int item, CrosshairState crosshairState, int pass) {
        double x = dataset.getXValue(series, item);
        double y = dataset.getYValue(series, item);
        if (!Double.isFinite(x) || !Double.isFinite(y) || !getItemVisible(series, item)) {
            return;
        }
        double px = domainAxis.valueToJava2D(x, dataArea, plot.getDomainAxisEdge());
        double py = rangeAxis.valueToJava2D(y, dataArea, plot.getRangeAxisEdge());
        if (!dataArea.contains(px, py)) {
            return;
        }
        BufferedImage stamp = stamp(series);
        g2.drawImage(stamp, (int) Math.round(px - stamp.getWidth() / 2.0),
                (int) Math.round(py - stamp.getHeight() / 2.0), null);
    }

    /** AbstractXYItemRenderer's legend item is always a square: give it the dot's shape. */
    @Override
    public LegendItem getLegendItem(int datasetIndex, int series) {
        LegendItem square = super.getLegendItem(datasetIndex, series);
        if (square == null) {
            return null;
        }
        LegendItem item = new LegendItem(square.getLabel(), square.getDescription(), square.getToolTipText(),
                square.getURLText(), getDefaultShape(), lookupSeriesPaint(series));
        item.setLabelFont(square.getLabelFont());
        item.setLabelPaint(square.getLabelPaint());
        item.setDataset(square.getDataset());
        item.setDatasetIndex(square.getDatasetIndex());
        item.setSeriesKey(square.getSeriesKey());
        item.setSeriesIndex(series);
        return item;
    }

    /** One image per series, made when first needed (series paints are set before drawing). */
    private BufferedImage stamp(int series) {
        return stamps.computeIfAbsent(series, s -> {
            int size = (int) Math.ceil(diameter) + 2;
            BufferedImage img = new BufferedImage(size, size, BufferedImage.TYPE_INT_ARGB);
            Graphics2D g = img.createGraphics();
            try {
                g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
                Paint p = lookupSeriesPaint(s);
                g.setPaint(p instanceof Color ? p : Color.GRAY);
                double o = (size - diameter) / 2;
                g.fill(new Ellipse2D.Double(o, o, diameter, diameter));
            } finally {
                g.dispose();
            }
            return img;
        });
    }
}
