package io.github.spectralcircuits.report.charts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.spectralcircuits.composition.CompositionMatrices;
import io.github.spectralcircuits.composition.CompositionMode;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** The composition heat map on planted scores: where the one strong pair's colour appears, and the layer ticks. */
class CompositionChartTest {
    /** 3 layers x 2 heads, every earlier -> later pair 0.1 in every mode, and one Q pair (L0H0 -> L2H1) at 0.9. */
    static CompositionMatrices planted(int layers, int heads) {
        int n = layers * heads;
        double[][][] s = new double[CompositionMode.values().length][n][n];
        for (double[][] mode : s) {
            for (int from = 0; from < n; from++) {
                Arrays.fill(mode[from], Double.NaN);
                for (int to = 0; to < n; to++) {
                    if (from / heads < to / heads) {
                        mode[from][to] = 0.1;
                    }
                }
            }
        }
        s[CompositionMode.Q.ordinal()][0][2 * heads + 1] = 0.9;
        return new CompositionMatrices(layers, heads, s);
    }

    @Test
    void theStrongPairTakesTheTopColourInTheQPanelOnly() {
        BufferedImage img = CompositionChart.draw(planted(3, 2));
        // one scale from the smallest to the largest score: 0.9 is its top colour, 0.1 its bottom
        ColourScale scale = ColourScale.viridis(0.1, 0.9);
        int top = ((Color) scale.getPaint(0.9)).getRGB();
        int bottom = ((Color) scale.getPaint(0.1)).getRGB();
        int third = img.getWidth() / 3;
        int[] topPerPanel = new int[3];
        int[] bottomPerPanel = new int[3];
        // the legend strips (right of each panel) hold every colour of the scale: count only wide runs of a
        // colour, which the 14-px strips cannot make but a cell (over 100 px wide here) does
        for (int y = 0; y < img.getHeight(); y++) {
            int run = 0;
            for (int x = 1; x < img.getWidth(); x++) {
                int rgb = img.getRGB(x, y);
                run = rgb == img.getRGB(x - 1, y) ? run + 1 : 0;
                if (run == 40) {
                    int panel = Math.min(2, x / third);
                    topPerPanel[panel] += rgb == top ? 1 : 0;
                    bottomPerPanel[panel] += rgb == bottom ? 1 : 0;
                }
            }
        }
        assertTrue(topPerPanel[0] > 0, "the Q panel shows the 0.9 pair");
        assertEquals(0, topPerPanel[1], "K has no strong pair");
        assertEquals(0, topPerPanel[2], "V has no strong pair");
        for (int p = 0; p < 3; p++) {
            assertTrue(bottomPerPanel[p] > 0, "panel " + p + " shows the 0.1 pairs");
        }
    }

    @Test
    void manyLayersGetATickEveryFewLayers() {
        assertEquals(1, CompositionChart.layerStep(5));
        assertEquals(1, CompositionChart.layerStep(8));
        assertEquals(2, CompositionChart.layerStep(12));
        assertEquals(4, CompositionChart.layerStep(32));
        // a 7B model's 32 x 32 heads: a bounded image all the same
        BufferedImage img = CompositionChart.draw(planted(32, 32));
        assertTrue(img.getWidth() <= 2000 && img.getHeight() <= 1000, img.getWidth() + " x " + img.getHeight());
    }
}
