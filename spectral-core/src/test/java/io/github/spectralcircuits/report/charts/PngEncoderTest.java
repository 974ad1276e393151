package io.github.spectralcircuits.report.charts;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.zip.CRC32;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

/** The hand-written encoder against ImageIO's PNG decoder (independent code) and the format's chunk rules. */
class PngEncoderTest {

    @Test
    void rgbImagesDecodeToTheSamePixels() throws IOException {
        Random random = new Random(7);
        for (int[] size : new int[][] {{1, 1}, {3, 2}, {17, 5}, {640, 361}}) {
            BufferedImage image = new BufferedImage(size[0], size[1], BufferedImage.TYPE_INT_RGB);
            for (int y = 0; y < size[1]; y++) {
                for (int x = 0; x < size[0]; x++) {
                    image.setRGB(x, y, random.nextInt());
                }
            }
            assertSamePixels(image, decode(encode(image)), false);
        }
    }

    @Test
    void aDrawnChartLikeImageDecodesToTheSamePixelsAndIsSmallerThanItsRawBytes() throws IOException {
        BufferedImage image = new BufferedImage(800, 500, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, 800, 500);
        g.setColor(ChartStyle.TRAINED);
        g.setStroke(new BasicStroke(2f));
        for (int i = 0; i < 40; i++) {
            g.drawLine(20 + i * 19, 480, 30 + i * 17, 30 + (i * 37) % 400);
        }
        g.setColor(ChartStyle.TEXT);
        g.drawString("Re λ / σ₁", 300, 40);
        g.dispose();
        byte[] png = encode(image);
        assertSamePixels(image, decode(png), false);
        assertTrue(png.length < 800 * 500 * 3 / 10, "flat colour compresses: " + png.length + " bytes");
    }

    @Test
    void imagesWithAlphaKeepTheirAlpha() throws IOException {
        BufferedImage image = new BufferedImage(9, 4, BufferedImage.TYPE_INT_ARGB);
        Random random = new Random(11);
        for (int y = 0; y < 4; y++) {
            for (int x = 0; x < 9; x++) {
                image.setRGB(x, y, random.nextInt());
            }
        }
        BufferedImage back = decode(encode(image));
        assertTrue(back.getColorModel().hasAlpha());
        assertSamePixels(image, back, true);
    }

    @Test
    void otherLayoutsGoThroughGetRgb() throws IOException {
        BufferedImage image = new BufferedImage(13, 6, BufferedImage.TYPE_3BYTE_BGR);
        Random random = new Random(3);
        for (int y = 0; y < 6; y++) {
            for (int x = 0; x < 13; x++) {
                image.setRGB(x, y, random.nextInt() | 0xFF000000);
            }
        }
        assertSamePixels(image, decode(encode(image)), false);
        BufferedImage inner = new BufferedImage(20, 20, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 20; y++) {
            for (int x = 0; x < 20; x++) {
                inner.setRGB(x, y, random.nextInt());
            }
        }
        BufferedImage sub = inner.getSubimage(3, 4, 10, 7);
        assertSamePixels(sub, decode(encode(sub)), false);
    }

    @Test
    void chunksAreSignatureIhdrIdatIendWithValidCrcs() throws IOException {
        BufferedImage image = new BufferedImage(5, 3, BufferedImage.TYPE_INT_RGB);
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(encode(image)));
        byte[] signature = new byte[8];
        in.readFully(signature);
        assertArrayEquals(new byte[] {(byte) 0x89, 'P', 'N', 'G', 13, 10, 26, 10}, signature);
        List<String> types = new ArrayList<>();
        byte[] ihdr = null;
        while (in.available() > 0) {
            int length = in.readInt();
            byte[] type = new byte[4];
            in.readFully(type);
            byte[] data = new byte[length];
            in.readFully(data);
            CRC32 crc = new CRC32();
            crc.update(type);
            crc.update(data);
            assertEquals((int) crc.getValue(), in.readInt(), "CRC of " + new String(type, StandardCharsets.US_ASCII));
            types.add(new String(type, StandardCharsets.US_ASCII));
            if (types.size() == 1) {
                ihdr = data;
            }
        }
        assertEquals(List.of("IHDR", "IDAT", "IEND"), types);
        DataInputStream h = new DataInputStream(new ByteArrayInputStream(ihdr));
        assertEquals(5, h.readInt());
        assertEquals(3, h.readInt());
        assertEquals(8, h.readUnsignedByte(), "bit depth");
        assertEquals(2, h.readUnsignedByte(), "colour type: truecolour");
        assertEquals(0, h.readUnsignedByte());
        assertEquals(0, h.readUnsignedByte());
        assertEquals(0, h.readUnsignedByte(), "not interlaced");
        assertFalse(h.available() > 0);
    }

    private static byte[] encode(BufferedImage image) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PngEncoder.write(image, out);
        return out.toByteArray();
    }

    private static BufferedImage decode(byte[] png) throws IOException {
        BufferedImage image = ImageIO.read(new ByteArrayInputStream(png));
        assertTrue(image != null, "ImageIO recognises the bytes as an image");
        return image;
    }

    private static void assertSamePixels(BufferedImage expected, BufferedImage actual, boolean alpha) {
        assertEquals(expected.getWidth(), actual.getWidth());
        assertEquals(expected.getHeight(), actual.getHeight());
        int mask = alpha ? 0xFFFFFFFF : 0x00FFFFFF;
        for (int y = 0; y < expected.getHeight(); y++) {
            for (int x = 0; x < expected.getWidth(); x++) {
                int e = expected.getRGB(x, y) & mask;
                int a = actual.getRGB(x, y) & mask;
                if (e != a) {
                    throw new AssertionError(String.format("pixel (%d, %d): expected %08x, decoded %08x", x, y, e, a));
                }
            }
        }
    }
}
