package io.github.spectralcircuits.report.charts;

import java.awt.Color;
import java.awt.Paint;
import org.jfree.chart.renderer.PaintScale;

/**
 * A colour map by linear interpolation between evenly spaced stops. JFreeChart ships only grey and
 * lookup scales, not the perceptually uniform maps (viridis) and diverging maps (ColorBrewer RdBu)
 * that read well in heat maps, so the stops are tabulated here.
 */
public final class ColourScale implements PaintScale {
    private static final Color[] VIRIDIS = hex("440154", "482878", "3E4A89", "31688E", "26828E", "1F9E89",
            "35B779", "6DCD59", "B4DE2C", "FDE725");
    /** Blue for negative, white at zero, red for positive. */
    private static final Color[] RED_BLUE = hex("2166AC", "4393C3", "92C5DE", "D1E5F0", "F7F7F7", "FDDBC7",
            "F4A582", "D6604D", "B2182B");

    private final double lower;
    private final double upper;
    private final Color[] stops;

    private ColourScale(double lower, double upper, Color[] stops) {
        this.lower = lower;
        this.upper = upper > lower ? upper : lower + 1;
        this.stops = stops;
    }

    public static ColourScale viridis(double lower, double upper) {
        return new ColourScale(lower, upper, VIRIDIS);
    }

    /** Diverging, symmetric around zero: [-limit, limit]. */
    public static ColourScale diverging(double limit) {
        return new ColourScale(-limit, limit, RED_BLUE);
    }

    @Override
    public double getLowerBound() {
        return lower;
    }

    @Override
    public double getUpperBound() {
        return upper;
    }

    @Override
    public Paint getPaint(double value) {
        return colour(value);
    }

    public Color colour(double value) {
        if (Double.isNaN(value)) {
            return Color.LIGHT_GRAY;
        }
        double t = Math.max(0, Math.min(1, (value - lower) / (upper - lower))) * (stops.length - 1);
        int i = Math.min((int) Math.floor(t), stops.length - 2);
        double f = t - i;
        Color a = stops[i];
        Color b = stops[i + 1];
        return new Color(mix(a.getRed(), b.getRed(), f), mix(a.getGreen(), b.getGreen(), f),
                mix(a.getBlue(), b.getBlue(), f));
    }

    /** Black or white, whichever reads better on the given background (relative luminance). */
    public static Color textOn(Color background) {
        double l = 0.2126 * background.getRed() + 0.7152 * background.getGreen() + 0.0722 * background.getBlue();
        return l > 140 ? Color.BLACK : Color.WHITE;
    }

    /** Qualitative colours for up to ten groups (Tableau 10); beyond that, evenly spaced viridis. */
    public static Color category(int index, int count) {
        Color[] tab10 = hex("1F77B4", "FF7F0E", "2CA02C", "D62728", "9467BD", "8C564B", "E377C2", "7F7F7F",
                "BCBD22", "17BECF");
        if (count <= tab10.length) {
            return tab10[index % tab10.length];
        }
        return viridis(0, Math.max(1, count - 1)).colour(index);
    }

    private static int mix(int a, int b, double f) {
        return (int) Math.round(a + (b - a) * f);
    }

    private static Color[] hex(String... codes) {
        Color[] out = new Color[codes.length];
        for (int i = 0; i < codes.length; i++) {
            out[i] = new Color(Integer.parseInt(codes[i], 16));
        }
        return out;
    }
}
