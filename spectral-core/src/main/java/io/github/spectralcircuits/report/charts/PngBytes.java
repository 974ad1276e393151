package io.github.spectralcircuits.report.charts;

import io.github.spectralcircuits.SpectralException;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import javax.imageio.ImageIO;

/** PNG encoding of the charts. */
final class PngBytes {
    private PngBytes() {
    }

    /** The image as PNG bytes. */
    static byte[] encode(BufferedImage image) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(1 << 16);
        try {
            if (!ImageIO.write(image, "png", bytes)) {
                throw new SpectralException("This Java runtime has no PNG writer (javax.imageio), so the charts cannot "
                        + "be drawn; use a full JDK or JRE.");
            }
        } catch (IOException e) {
            throw new UncheckedIOException("encoding a PNG in memory failed", e);
        }
        return bytes.toByteArray();
    }
}
