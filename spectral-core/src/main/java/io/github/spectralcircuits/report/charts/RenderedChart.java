package io.github.spectralcircuits.report.charts;

import java.nio.file.Path;

/** A chart written to disk, with the words a page shows next to it. */
public record RenderedChart(Path file, String title, String caption) {
    public String fileName() {
        return file.getFileName().toString();
    }
}
