package io.github.spectralcircuits.report.charts;

import static org.junit.jupiter.api.Assertions.assertEquals;

import javax.swing.plaf.metal.MetalLookAndFeel;
import org.junit.jupiter.api.Test;

class ChartLookAndFeelTest {

    @Test
    void answersJFreeChartsColourAsMetalDoes() {
        // JFreeChart's only question to Swing is UIManager.getColor("Panel.background")
        assertEquals(new MetalLookAndFeel().getDefaults().getColor("Panel.background"),
                new ChartLookAndFeel().getDefaults().getColor("Panel.background"));
    }

    @Test
    void installsItselfOnlyWhenNoLookAndFeelWasChosen() {
        String before = System.getProperty(ChartLookAndFeel.PROPERTY);
        try {
            System.clearProperty(ChartLookAndFeel.PROPERTY);
            ChartLookAndFeel.installIfUnset();
            assertEquals(ChartLookAndFeel.class.getName(), System.getProperty(ChartLookAndFeel.PROPERTY));
            System.setProperty(ChartLookAndFeel.PROPERTY, "javax.swing.plaf.nimbus.NimbusLookAndFeel");
            ChartLookAndFeel.installIfUnset();
            assertEquals("javax.swing.plaf.nimbus.NimbusLookAndFeel", System.getProperty(ChartLookAndFeel.PROPERTY));
        } finally {
            if (before == null) {
                System.clearProperty(ChartLookAndFeel.PROPERTY);
            } else {
                System.setProperty(ChartLookAndFeel.PROPERTY, before);
            }
        }
    }
}
