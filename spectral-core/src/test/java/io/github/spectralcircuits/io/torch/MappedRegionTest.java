package io.github.spectralcircuits.io.torch;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Windowed mapping with 8- and 16-byte windows: every element of a region reads as from one flat buffer. */
class MappedRegionTest {
    @TempDir
    Path dir;

    @Test
    void smallWindowsReadEveryElementAsAFlatBufferDoes() throws IOException {
        byte[] bytes = new byte[13 + 8 * 41];
        new Random(3).nextBytes(bytes);
        Path file = dir.resolve("region.bin");
        Files.write(file, bytes);
        long start = 13; // an odd region start, as a zip entry's data offset can be
        ByteBuffer flat = ByteBuffer.wrap(bytes, 13, 8 * 41).slice().order(ByteOrder.LITTLE_ENDIAN);
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            for (int shift : new int[] {3, 4, 30}) {
                MappedRegion r = MappedRegion.map(ch, start, 8 * 41, shift);
                for (int i = 0; i < 41; i++) {
                    assertEquals(Double.doubleToRawLongBits(flat.getDouble(8 * i)),
                            Double.doubleToRawLongBits(r.getDouble(8L * i)), "double " + i + " shift " + shift);
                }
                for (int i = 0; i < 82; i++) {
                    assertEquals(Float.floatToRawIntBits(flat.getFloat(4 * i)), Float.floatToRawIntBits(r.getFloat(4L * i)));
                }
                for (int i = 0; i < 164; i++) {
                    assertEquals(flat.getShort(2 * i), r.getShort(2L * i));
                }
            }
        }
    }
}
