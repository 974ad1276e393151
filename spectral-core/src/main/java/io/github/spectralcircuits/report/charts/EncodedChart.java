package io.github.spectralcircuits.report.charts;

import io.github.spectralcircuits.report.AtomicFiles;
import java.nio.file.Path;

/** A chart drawn and encoded as PNG, not yet written: its file name, the words a page shows next to it, its bytes. */
public record EncodedChart(String fileName, String title, String caption, byte[] png) {

    /** Writes the PNG atomically into the directory. */
    public RenderedChart writeTo(Path directory) {
        Path file = directory.resolve(fileName);
        AtomicFiles.writeBytes(file, png);
        return new RenderedChart(file, title, caption);
    }
}
