package io.github.spectralcircuits.report.charts;

import java.awt.Color;
import javax.swing.LookAndFeel;
import javax.swing.UIDefaults;
import javax.swing.plaf.ColorUIResource;

/**
 * The Swing look-and-feel of a JVM that draws charts and never shows a window. JFreeChart's class
 * initialisation asks Swing for one colour ("Panel.background", its default chart background, which
 * {@link ChartStyle} replaces with white anyway); that question makes Swing initialise its default
 * look-and-feel, Metal, whose tables load about a hundred classes: JFreeChart's class initialisation
 * took 80 ms of wall and 120-150 ms of CPU in a fresh JVM, measured, and takes 40 ms and 50 ms with this class. It answers that one colour with
 * Metal's own value, so charts are drawn exactly as under Metal.
 *
 * <p>Only the forked analysis JVM installs it ({@link #installIfUnset()}), since it owns its JVM; inside
 * Maven's JVM, or any application using the library, Swing is left alone. Public with a public
 * constructor because Swing instantiates it by name.
 */
public final class ChartLookAndFeel extends LookAndFeel {
    static final String PROPERTY = "swing.defaultlaf";
    /** Metal's "Panel.background" (its default theme's control colour). */
    static final Color PANEL_BACKGROUND = new ColorUIResource(0xEE, 0xEE, 0xEE);

    /** Makes this the JVM's default look-and-feel unless one was chosen already; call before any chart is drawn. */
    public static void installIfUnset() {
        if (System.getProperty(PROPERTY) == null) {
            System.setProperty(PROPERTY, ChartLookAndFeel.class.getName());
        }
    }

    @Override
    public UIDefaults getDefaults() {
        UIDefaults defaults = new UIDefaults(4, 0.75f);
        defaults.put("Panel.background", PANEL_BACKGROUND);
        return defaults;
    }

    @Override
    public String getName() {
        return "spectral charts";
    }

    @Override
    public String getID() {
        return "SpectralCharts";
    }

    @Override
    public String getDescription() {
        return "Answers the one colour JFreeChart asks Swing for, in a JVM that draws charts off-screen";
    }

    @Override
    public boolean isNativeLookAndFeel() {
        return false;
    }

    @Override
    public boolean isSupportedLookAndFeel() {
        return true;
    }
}
