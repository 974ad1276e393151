package io.github.spectralcircuits.report.charts;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferInt;
import java.awt.image.SinglePixelPackedSampleModel;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;

/**
 * A PNG encoder for the charts: 8-bit truecolour (RGB, or RGBA when the image has alpha), every row
 * with the "Up" filter, one zlib stream (java.util.zip's Deflater, level 6) in one IDAT chunk.
 *
 * <p>Written by hand rather than calling ImageIO because of what ImageIO costs in the forked JVM that
 * draws seven charts once and exits: its PNG writer tries all five filters on every row, and its first use
 * loads the image I/O registry and has the JIT compile that filtering loop on stack replacement. Measured
 * on the reference report's seven charts in fresh JVMs (2-core machine): drawing and writing them took
 * 0.97-1.13 s wall with ImageIO against 0.78-0.98 s with this encoder, and the files are 20 % smaller
 * (294 kB against 370 kB in all): chart images are mostly flat colour, which "Up" turns into runs of zeros.
 * The format is small and fixed (PNG specification, ISO/IEC 15948): signature, IHDR, IDAT, IEND.
 */
final class PngEncoder {
    private static final byte[] SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};
    private static final int COLOUR_RGB = 2;
    private static final int COLOUR_RGBA = 6;
    private static final int FILTER_UP = 2;
    private static final int DEFLATE_LEVEL = 6;

    private PngEncoder() {
    }

    static void write(BufferedImage image, OutputStream out) throws IOException {
        int width = image.getWidth();
        int height = image.getHeight();
        boolean alpha = image.getColorModel().hasAlpha();
        int channels = alpha ? 4 : 3;
        ByteArrayOutputStream header = new ByteArrayOutputStream(13);
        writeInt(header, width);
        writeInt(header, height);
        header.write(8); // bits per channel
        header.write(alpha ? COLOUR_RGBA : COLOUR_RGB);
        header.write(0); // compression: deflate
        header.write(0); // filter method 0 (five per-row filters)
        header.write(0); // no interlacing
        out.write(SIGNATURE);
        chunk(out, "IHDR", header.toByteArray());
        chunk(out, "IDAT", compressedRows(image, width, height, channels));
        chunk(out, "IEND", new byte[0]);
    }

    private static byte[] compressedRows(BufferedImage image, int width, int height, int channels) throws IOException {
        int[] pixels = directPixels(image);
        int[] argb = pixels == null ? new int[width] : null;
        byte[] previous = new byte[width * channels];
        byte[] current = new byte[width * channels];
        byte[] filtered = new byte[1 + width * channels];
        filtered[0] = FILTER_UP;
        ByteArrayOutputStream compressed = new ByteArrayOutputStream(width * height / 4 + 64);
        Deflater deflater = new Deflater(DEFLATE_LEVEL);
        try (DeflaterOutputStream z = new DeflaterOutputStream(compressed, deflater, 1 << 16)) {
            for (int y = 0; y < height; y++) {
                int offset;
                int[] row;
                if (pixels != null) {
                    row = pixels;
                    offset = y * width;
                } else {
                    image.getRGB(0, y, width, 1, argb, 0, width);
                    row = argb;
                    offset = 0;
                }
                unpack(row, offset, width, channels, current);
                // Up: each byte minus the byte above it (the row before the first counts as zeros)
                for (int i = 0; i < current.length; i++) {
                    filtered[i + 1] = (byte) (current[i] - previous[i]);
                }
                z.write(filtered);
                byte[] swap = previous;
                previous = current;
                current = swap;
            }
        } finally {
            deflater.end();
        }
        return compressed.toByteArray();
    }

    /** The pixel array itself for the two packed-int layouts whose ints are (A)RGB with no offset. */
    private static int[] directPixels(BufferedImage image) {
        int type = image.getType();
        if ((type == BufferedImage.TYPE_INT_RGB || type == BufferedImage.TYPE_INT_ARGB)
                && image.getRaster().getDataBuffer() instanceof DataBufferInt ints
                && ints.getNumBanks() == 1 && ints.getOffset() == 0
                && image.getRaster().getParent() == null
                && image.getSampleModel() instanceof SinglePixelPackedSampleModel layout
                && layout.getScanlineStride() == image.getWidth()) {
            return ints.getData();
        }
        return null;
    }

    private static void unpack(int[] argb, int offset, int width, int channels, byte[] to) {
        int j = 0;
        for (int x = 0; x < width; x++) {
            int p = argb[offset + x];
            to[j++] = (byte) (p >>> 16);
            to[j++] = (byte) (p >>> 8);
            to[j++] = (byte) p;
            if (channels == 4) {
                to[j++] = (byte) (p >>> 24);
            }
        }
    }

    private static void chunk(OutputStream out, String type, byte[] data) throws IOException {
        byte[] name = type.getBytes(StandardCharsets.US_ASCII);
        writeInt(out, data.length);
        out.write(name);
        out.write(data);
        CRC32 crc = new CRC32();
        crc.update(name);
        crc.update(data);
        writeInt(out, (int) crc.getValue());
    }

    private static void writeInt(OutputStream out, int v) throws IOException {
        out.write(v >>> 24);
        out.write(v >>> 16);
        out.write(v >>> 8);
        out.write(v);
    }
}
