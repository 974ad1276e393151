package io.github.spectralcircuits.report.charts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.XYPlot;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;
import org.junit.jupiter.api.Test;

class StampedDotRendererTest {

    @Test
    void drawsEachPointAsADotOfItsSeriesColourWhereTheAxesPutIt() {
        XYSeries a = new XYSeries("a");
        a.add(0.5, 0.25);
        XYSeries b = new XYSeries("b");
        b.add(-0.5, -0.75);
        b.add(2.0, 0.0); // outside the axis range: not drawn
        XYSeriesCollection data = new XYSeriesCollection();
        data.addSeries(a);
        data.addSeries(b);
        NumberAxis x = new NumberAxis();
        x.setRange(-1, 1);
        NumberAxis y = new NumberAxis();
        y.setRange(-1, 1);
        StampedDotRenderer dots = new StampedDotRenderer(8);
        dots.setSeriesPaint(0, new Color(200, 0, 0));
        dots.setSeriesPaint(1, new Color(0, 0, 200));
        XYPlot plot = new XYPlot(data, x, y, dots);
        plot.setDomainGridlinesVisible(false);
        plot.setRangeGridlinesVisible(false);
        plot.setBackgroundPaint(Color.WHITE);
        plot.setOutlineVisible(false);
        plot.setAxisOffset(org.jfree.chart.ui.RectangleInsets.ZERO_INSETS);
        JFreeChart chart = new JFreeChart(null, null, plot, false);
        chart.setBackgroundPaint(Color.WHITE);
        chart.setPadding(org.jfree.chart.ui.RectangleInsets.ZERO_INSETS);
        x.setVisible(false);
        y.setVisible(false);

        BufferedImage img = new BufferedImage(200, 200, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        org.jfree.chart.ChartRenderingInfo info = new org.jfree.chart.ChartRenderingInfo();
        chart.draw(g, new Rectangle2D.Double(0, 0, 200, 200), info);
        g.dispose();
        Rectangle2D area = info.getPlotInfo().getDataArea();
        int ax = px(x.valueToJava2D(0.5, area, plot.getDomainAxisEdge()));
        int ay = px(y.valueToJava2D(0.25, area, plot.getRangeAxisEdge()));
        int bx = px(x.valueToJava2D(-0.5, area, plot.getDomainAxisEdge()));
        int by = px(y.valueToJava2D(-0.75, area, plot.getRangeAxisEdge()));
        int red = new Color(200, 0, 0).getRGB();
        assertEquals(red, img.getRGB(ax, ay));
        assertEquals(new Color(0, 0, 200).getRGB(), img.getRGB(bx, by));
        // dots are round and about 8 px across: 2 px from the centre is coloured, 6 px away is white,
        // and the corner (3, 3) px away is not full red, which a square dot would colour
        assertEquals(red, img.getRGB(ax + 2, ay));
        assertEquals(red, img.getRGB(ax, ay - 2));
        assertEquals(Color.WHITE.getRGB(), img.getRGB(ax + 6, ay));
        assertEquals(Color.WHITE.getRGB(), img.getRGB(ax - 6, ay));
        assertTrue(img.getRGB(ax + 3, ay - 3) != red, "a square dot would fill this corner");
        // the point outside the range left the right edge white
        for (int yy = 90; yy < 110; yy++) {
            assertEquals(Color.WHITE.getRGB(), img.getRGB(199, yy));
        }
        // the legend shows the dot, not JFreeChart's default square, in the series' colour
        assertTrue(dots.getLegendItem(0, 1).getShape() instanceof java.awt.geom.Ellipse2D);
        assertEquals(new Color(0, 0, 200), dots.getLegendItem(0, 1).getFillPaint());
        assertEquals("b", dots.getLegendItem(0, 1).getLabel());
        int coloured = 0;
        for (int yy = 0; yy < 200; yy++) {
            for (int xx = 0; xx < 200; xx++) {
                coloured += img.getRGB(xx, yy) != Color.WHITE.getRGB() ? 1 : 0;
            }
        }
        // two dots of area about pi * 4^2 = 50 each, anti-aliased rims included
        assertTrue(coloured > 80 && coloured < 160, "coloured pixels: " + coloured);
    }

    private static int px(double v) {
        return (int) Math.floor(v);
    }
}
