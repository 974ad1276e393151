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

/**
 * A PNG encoder for the charts: 8-bit truecolour (RGB, or RGBA when the image has alpha), every row
 * with the "Up" filter, one zlib stream (java.util.zip's Deflater, level 6) in one IDAT chunk.
 *
 * <p>Written by hand rather than calling ImageIO because of what ImageIO costs in the forked JVM that
 * draws seven charts once and exits: its PNG writer tries all five filters on every row, and its first use
 * loads the image I/O registry and has the JIT compile that filtering loop on stack replacement. Measured
 * on the reference report's seven charts in fresh JVMs (2-core machine, 5 alternating runs): drawing and
 * writing them took 1.16 s wall and 2.2 CPU-s with ImageIO (medians) against 0.86 s and 1.7 CPU-s with this
 * encoder, and the files are 20 % smaller (294 kB against 370 kB in all): chart images are mostly flat
 * colour, which "Up" turns into runs of zeros.
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

    /**
     * The rows, each after its filter-type byte, Up-filtered, as one zlib stream. Done as three flat passes
     * over one array (unpack, filter, deflate) rather than row by row through a DeflaterOutputStream: the
     * same bytes, and the small loops cost the JIT a fraction of what one long row loop with the stream's
     * code inlined cost it (0.2 CPU-s of C2 compilation in the fork, measured).
     */
    private static byte[] compressedRows(BufferedImage image, int width, int height, int channels) {
        int stride = 1 + width * channels;
        byte[] raw = new byte[stride * height];
        int[] pixels = directPixels(image);
        int[] argb = pixels == null ? new int[width] : null;
        for (int y = 0; y < height; y++) {
            raw[y * stride] = FILTER_UP;
            if (pixels != null) {
                unpack(pixels, y * width, width, channels, raw, y * stride + 1);
            } else {
                image.getRGB(0, y, width, 1, argb, 0, width);
                unpack(argb, 0, width, channels, raw, y * stride + 1);
            }
        }
        upFilter(raw, stride, height);
        return deflate(raw);
    }

    /**
     * Up: each byte minus the byte above it (the row before the first counts as zeros). Bottom row first,
     * so that the row above is still unfiltered when it is subtracted.
     */
    private static void upFilter(byte[] raw, int stride, int height) {
        for (int y = height - 1; y > 0; y--) {
            int row = y * stride;
            int above = row - stride;
            for (int i = 1; i < stride; i++) {
                raw[row + i] -= raw[above + i];
            }
        }
    }

    private static byte[] deflate(byte[] raw) {
        Deflater deflater = new Deflater(DEFLATE_LEVEL);
        try {
            deflater.setInput(raw);
            deflater.finish();
            ByteArrayOutputStream compressed = new ByteArrayOutputStream(raw.length / 8 + 64);
            byte[] buffer = new byte[1 << 16];
            while (!deflater.finished()) {
                int n = deflater.deflate(buffer);
                compressed.write(buffer, 0, n);
            }
            return compressed.toByteArray();
        } finally {
            deflater.end();
        }
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

    private static void unpack(int[] argb, int offset, int width, int channels, byte[] to, int at) {
        int j = at;
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
