package io.github.spectralcircuits.maven;

import io.github.spectralcircuits.report.SpectralReport;
import java.nio.file.Path;
import java.util.List;

/**
 * The plugin's one place that renders the PNG charts of SPEC section 6.
 * TEMPORARY body until the core's report.charts lands: then it delegates to its renderer.
 */
final class ChartFiles {
    private ChartFiles() {
    }

    /** Renders every chart of the report into directory; returns the files written. */
    static List<Path> render(SpectralReport report, Path directory) {
        return List.of();
    }
}
