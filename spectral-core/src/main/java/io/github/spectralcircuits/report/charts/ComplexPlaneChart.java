package io.github.spectralcircuits.report.charts;

import io.github.spectralcircuits.spectra.CircuitType;
import io.github.spectralcircuits.spectra.ModelSpectra;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.geom.Ellipse2D;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.annotations.XYShapeAnnotation;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.block.BlockBorder;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.title.LegendTitle;
import org.jfree.chart.ui.RectangleEdge;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/** Core eigenvalues of every head in the complex plane (scaled into the unit disk), QK and OV side by side, coloured by layer. */
final class ComplexPlaneChart {
    private ComplexPlaneChart() {
    }

    static BufferedImage draw(ModelSpectra trained, int nLayers) {
        List<JFreeChart> panels = new ArrayList<>();
        for (CircuitType type : CircuitType.values()) {
            panels.add(panel(trained, type, nLayers));
        }
        return Canvas.compose("Eigenvalues in the complex plane, trained model",
                List.of("Each dot is one core eigenvalue λ of one head, divided by that head's spectral norm σ₁, so all "
                                + "heads share the unit disk (|λ| ≤ σ₁).",
                        "Near +1: the head copies (OV) or attends to the same token (QK); near -1: the opposite; "
                                + "off the axis: conjugate pairs that rotate."), panels, 2, 640, 700);
    }

    static XYSeriesCollection dataset(ModelSpectra trained, CircuitType type) {
        XYSeriesCollection data = new XYSeriesCollection();
        for (ChartData.ComplexPoints p : ChartData.complexPointsByLayer(trained, type, true)) {
            XYSeries s = new XYSeries("layer " + p.layer(), false, true);
            for (int i = 0; i < p.re().length; i++) {
                s.add(p.re()[i], p.im()[i]);
            }
            data.addSeries(s);
        }
        return data;
    }

    private static JFreeChart panel(ModelSpectra trained, CircuitType type, int nLayers) {
        XYSeriesCollection data = dataset(trained, type);
        double extent = 1.08;
        // the same range on both axes (and a near-square plot) keeps the conjugate pairs and angles undistorted
        NumberAxis x = new NumberAxis("Re λ / σ₁");
        x.setRange(-extent, extent);
        NumberAxis y = new NumberAxis("Im λ / σ₁");
        y.setRange(-extent, extent);
        StampedDotRenderer dots = new StampedDotRenderer(8);
        XYPlot plot = new XYPlot(data, x, y, dots);
        plot.addAnnotation(new XYShapeAnnotation(new Ellipse2D.Double(-1, -1, 2, 2), new BasicStroke(1.2f,
                BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {5f, 4f}, 0f), new Color(0x88, 0x88, 0x88)));
        plot.setDomainZeroBaselineVisible(true);
        plot.setRangeZeroBaselineVisible(true);
        plot.setDomainZeroBaselineStroke(new BasicStroke(1f));
        plot.setRangeZeroBaselineStroke(new BasicStroke(1f));
        LegendTitle legend = new LegendTitle(plot);
        legend.setPosition(RectangleEdge.BOTTOM);
        legend.setFrame(BlockBorder.NONE);
        JFreeChart chart = ChartStyle.panel(plot, type + " circuit", legend);
        for (int s = 0; s < data.getSeriesCount(); s++) {
            int layer = Integer.parseInt(((String) data.getSeriesKey(s)).substring("layer ".length()));
            Color c = ColourScale.category(layer, Math.max(nLayers, layer + 1));
            dots.setSeriesPaint(s, new Color(c.getRed(), c.getGreen(), c.getBlue(), 190));
            dots.setSeriesShape(s, new Ellipse2D.Double(-4, -4, 8, 8));
        }
        return chart;
    }
}
