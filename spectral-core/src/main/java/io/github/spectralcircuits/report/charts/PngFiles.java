package io.github.spectralcircuits.report.charts;

import io.github.spectralcircuits.report.AtomicFiles;
import java.awt.image.BufferedImage;
import java.io.BufferedOutputStream;
import java.nio.file.Path;
import org.jfree.chart.ChartUtils;

/** Writes a PNG (JFreeChart's own encoder) atomically: temporary file in the target directory, then a rename. */
final class PngFiles {
    private PngFiles() {
    }

    static void write(BufferedImage image, Path target) {
        AtomicFiles.write(target, out -> {
            BufferedOutputStream buffered = new BufferedOutputStream(out, 1 << 16);
            ChartUtils.writeBufferedImageAsPNG(buffered, image);
            buffered.flush();
        });
    }
}
