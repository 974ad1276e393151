package io.github.spectralcircuits.maven;

import io.github.spectralcircuits.report.SpectralReport;
import io.github.spectralcircuits.report.charts.ChartRenderer;
import java.nio.file.Path;
import java.util.List;

/** The PNG charts of SPEC section 6, drawn by the core's renderer next to the report. */
final class ChartFiles {
    private ChartFiles() {
    }

    /** Renders every chart the report has data for into directory; returns the files written. */
    static List<Path> render(SpectralReport report, Path directory) {
        return ChartRenderer.renderAll(report, directory);
    }
}
