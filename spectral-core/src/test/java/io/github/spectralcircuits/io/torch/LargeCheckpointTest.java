package io.github.spectralcircuits.io.torch;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.spectralcircuits.io.TensorSource;
import io.github.spectralcircuits.linalg.RowMatrix;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Storages past 2 GB and 4 GB: a sparse file (only the few written blocks take disk space) holding a
 * ZIP64 archive, written by hand here, with one 5 GiB float storage; values planted around the
 * 2 GiB and 4 GiB byte boundaries and at the very end must read back, through the 1 GiB mapping windows.
 */
class LargeCheckpointTest {
    private static final long ROWS = 20_971_520L; // x 64 floats x 4 bytes = 5 GiB
    private static final int COLS = 64;

    @TempDir
    Path dir;

    @Test
    void fiveGibStorageInZip64ArchiveReadsAcrossWindowBoundaries() throws IOException {
        long numel = ROWS * COLS;
        long storageBytes = numel * 4;
        byte[] pickle = new TorchCheckpointWriter()
                .storage("0", "FloatStorage", numel, new byte[0])
                .tensor("embed", "0", 0, new long[] {ROWS, COLS}, new long[] {COLS, 1})
                .tensor("tail", "0", numel - 3, new long[] {3}, new long[] {1})
                .statePickle();
        Path file = dir.resolve("pytorch_model.bin");
        long[] plantedRows = {0, (1L << 31) / (COLS * 4) - 1, (1L << 31) / (COLS * 4), (1L << 32) / (COLS * 4), ROWS - 1};
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            long pos = 0;
            long pklHeader = pos;
            pos += write(ch, pos, localHeader("archive/data.pkl", pickle.length, false));
            pos += write(ch, pos, pickle);
            long dataHeader = pos;
            byte[] header = localHeader("archive/data/0", storageBytes, true);
            pos += write(ch, pos, header);
            long dataStart = pos;
            for (long row : plantedRows) {
                write(ch, dataStart + row * COLS * 4, rowValues(row));
            }
            pos = dataStart + storageBytes;
            long cdStart = pos;
            pos += write(ch, pos, centralHeader("archive/data.pkl", pickle.length, pklHeader));
            pos += write(ch, pos, centralHeader("archive/data/0", storageBytes, dataHeader));
            long cdEnd = pos;
            long zip64End = pos;
            ByteBuffer z = le(56).putInt(0x06064b50).putLong(44).putShort((short) 45).putShort((short) 45)
                    .putInt(0).putInt(0).putLong(2).putLong(2).putLong(cdEnd - cdStart).putLong(cdStart);
            pos += write(ch, pos, z.array());
            ByteBuffer locator = le(20).putInt(0x07064b50).putInt(0).putLong(zip64End).putInt(1);
            pos += write(ch, pos, locator.array());
            ByteBuffer end = le(22).putInt(0x06054b50).putShort((short) 0).putShort((short) 0)
                    .putShort((short) 2).putShort((short) 2).putInt((int) (cdEnd - cdStart)).putInt(-1).putShort((short) 0);
            write(ch, pos, end.array());
        }
        try (TensorSource s = TorchCheckpoints.open(dir)) {
            RowMatrix m = s.rowMatrix("embed");
            assertEquals(ROWS, m.rows());
            double[] row = new double[COLS];
            for (long r : plantedRows) {
                m.readRows((int) r, 1, row);
                assertArrayEquals(asDoubles(rowValues(r)), row, "row " + r);
            }
            double[] two = new double[2 * COLS];
            m.readRows((int) plantedRows[1], 2, two);
            assertEquals(planted(plantedRows[1], COLS - 1), two[COLS - 1]);
            assertEquals(planted(plantedRows[2], 0), two[COLS]);
            double[] tail = s.readDoubles("tail");
            assertArrayEquals(new double[] {planted(ROWS - 1, 61), planted(ROWS - 1, 62), planted(ROWS - 1, 63)},
                    tail);
        }
    }

    private static byte[] rowValues(long row) {
        ByteBuffer b = le(COLS * 4);
        for (int c = 0; c < COLS; c++) {
            b.putFloat((float) planted(row, c));
        }
        return b.array();
    }

    /** A value that tells row and column apart and is exact in float32. */
    private static double planted(long row, int col) {
        return (row % 100_000) * 64 + col;
    }

    private static double[] asDoubles(byte[] le) {
        ByteBuffer b = ByteBuffer.wrap(le).order(ByteOrder.LITTLE_ENDIAN);
        double[] out = new double[le.length / 4];
        for (int i = 0; i < out.length; i++) {
            out[i] = b.getFloat();
        }
        return out;
    }

    private static byte[] localHeader(String name, long size, boolean zip64) {
        byte[] n = name.getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = le(30 + n.length + (zip64 ? 20 : 0)).putInt(0x04034b50).putShort((short) 45).putShort((short) 0)
                .putShort((short) 0).putInt(0).putInt(0)
                .putInt(zip64 ? -1 : (int) size).putInt(zip64 ? -1 : (int) size)
                .putShort((short) n.length).putShort((short) (zip64 ? 20 : 0)).put(n);
        if (zip64) {
            b.putShort((short) 1).putShort((short) 16).putLong(size).putLong(size);
        }
        return b.array();
    }

    /** Central header; sizes and offset go to the ZIP64 extra field when they do not fit 32 bits. */
    private static byte[] centralHeader(String name, long size, long offset) {
        byte[] n = name.getBytes(StandardCharsets.UTF_8);
        boolean bigSize = size >= 0xFFFFFFFFL;
        boolean bigOffset = offset >= 0xFFFFFFFFL;
        int extra = (bigSize || bigOffset) ? 4 + (bigSize ? 16 : 0) + (bigOffset ? 8 : 0) : 0;
        ByteBuffer b = le(46 + n.length + extra).putInt(0x02014b50).putShort((short) 45).putShort((short) 45)
                .putShort((short) 0).putShort((short) 0).putInt(0).putInt(0)
                .putInt(bigSize ? -1 : (int) size).putInt(bigSize ? -1 : (int) size)
                .putShort((short) n.length).putShort((short) extra).putShort((short) 0)
                .putShort((short) 0).putShort((short) 0).putInt(0).putInt(bigOffset ? -1 : (int) offset).put(n);
        if (extra > 0) {
            b.putShort((short) 1).putShort((short) (extra - 4));
            if (bigSize) {
                b.putLong(size).putLong(size);
            }
            if (bigOffset) {
                b.putLong(offset);
            }
        }
        return b.array();
    }

    private static ByteBuffer le(int n) {
        return ByteBuffer.allocate(n).order(ByteOrder.LITTLE_ENDIAN);
    }

    private static int write(FileChannel ch, long at, byte[] bytes) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(bytes);
        while (b.hasRemaining()) {
            ch.write(b, at + b.position());
        }
        return bytes.length;
    }
}
