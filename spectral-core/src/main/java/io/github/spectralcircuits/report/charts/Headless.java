package io.github.spectralcircuits.report.charts;

/**
 * Charts are drawn off-screen; on a machine without a usable display AWT must know that before it first
 * starts, or the first chart fails. Every entry point that draws calls {@link #ensure()} first, so it holds
 * whichever chart a JVM draws first (a report's, a sweep's). The property is set once, by this class's
 * initialisation (run once, under the JVM's class-initialisation lock, however many builds draw at once),
 * and only when nobody chose otherwise; a JVM that drew before keeps the mode it had.
 */
final class Headless {
    static {
        if (System.getProperty("java.awt.headless") == null) {
            System.setProperty("java.awt.headless", "true");
        }
    }

    private Headless() {
    }

    /** Initialises this class (see above); nothing else to do. */
    static void ensure() {
    }
}
