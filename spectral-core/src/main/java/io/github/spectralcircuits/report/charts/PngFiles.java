package io.github.spectralcircuits.report.charts;

import io.github.spectralcircuits.report.AtomicFiles;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import javax.imageio.ImageIO;

/** Writes a PNG atomically (temporary file in the target directory, then a rename), as every output is. */
final class PngFiles {
    private PngFiles() {
    }

    static void write(BufferedImage image, Path target) {
        AtomicFiles.write(target, out -> {
            if (!ImageIO.write(image, "png", out)) {
                throw new IOException("no PNG writer in this Java runtime");
            }
        });
    }
}
