package io.github.spectralcircuits.report.charts;

import java.awt.Color;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.util.List;
import org.jfree.chart.JFreeChart;

/**
 * Lays several charts out in a grid under one heading. JFreeChart's combined plots share one axis
 * and one legend; panels here keep their own (two heat maps with two colour scales, a full view
 * and a zoom with different ranges).
 */
final class Canvas {
    private static final int MARGIN = 16;

    private Canvas() {
    }

    static BufferedImage compose(String title, List<String> subtitleLines, List<JFreeChart> panels, int columns,
                                 int panelWidth, int panelHeight) {
        int rows = (panels.size() + columns - 1) / columns;
        int header = MARGIN + 30 + subtitleLines.size() * 21 + 8;
        int width = columns * panelWidth;
        int height = header + rows * panelHeight + MARGIN / 2;
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, width, height);
            g.setColor(ChartStyle.TEXT);
            g.setFont(ChartStyle.TITLE);
            int y = MARGIN + 22;
            centre(g, title, width, y);
            g.setFont(ChartStyle.SUBTITLE);
            g.setColor(new Color(0x44, 0x44, 0x44));
            for (String line : subtitleLines) {
                y += 21;
                centre(g, line, width, y);
            }
            for (int i = 0; i < panels.size(); i++) {
                int x = (i % columns) * panelWidth;
                int top = header + (i / columns) * panelHeight;
                panels.get(i).draw(g, new Rectangle2D.Double(x, top, panelWidth, panelHeight));
            }
        } finally {
            g.dispose();
        }
        return image;
    }

    private static void centre(Graphics2D g, String text, int width, int baseline) {
        FontMetrics fm = g.getFontMetrics();
        g.drawString(text, Math.max(4, (width - fm.stringWidth(text)) / 2), baseline);
    }
}
