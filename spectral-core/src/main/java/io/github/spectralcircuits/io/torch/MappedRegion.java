package io.github.spectralcircuits.io.torch;

import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;

/**
 * A read-only, little-endian memory mapping of a byte range of a file, of any length: a single
 * MappedByteBuffer stops at 2 GB, so the range is mapped as consecutive windows. Windows are a
 * power of two of at least 8 bytes and storages hold elements of 1, 2, 4 or 8 bytes aligned to
 * the storage start, so no element straddles two windows. Only absolute reads are used, which
 * makes concurrent readers safe.
 */
final class MappedRegion {
    static final int DEFAULT_WINDOW_SHIFT = 30;

    private final MappedByteBuffer[] windows;
    private final int shift;
    private final long mask;

    private MappedRegion(MappedByteBuffer[] windows, int shift) {
        this.windows = windows;
        this.shift = shift;
        this.mask = (1L << shift) - 1;
    }

    static MappedRegion map(FileChannel channel, long start, long length) throws IOException {
        return map(channel, start, length, DEFAULT_WINDOW_SHIFT);
    }

    /** windowShift is a parameter so that tests can exercise window boundaries with small files. */
    static MappedRegion map(FileChannel channel, long start, long length, int windowShift) throws IOException {
        if (windowShift < 3 || windowShift > 30) {
            throw new IllegalArgumentException("window shift " + windowShift);
        }
        long window = 1L << windowShift;
        long count = (length + window - 1) >>> windowShift;
        MappedByteBuffer[] windows = new MappedByteBuffer[Math.toIntExact(count)];
        for (int i = 0; i < windows.length; i++) {
            long offset = (long) i << windowShift;
            long size = Math.min(window, length - offset);
            windows[i] = channel.map(FileChannel.MapMode.READ_ONLY, start + offset, size);
            windows[i].order(ByteOrder.LITTLE_ENDIAN);
        }
        return new MappedRegion(windows, windowShift);
    }

    short getShort(long at) {
        return windows[(int) (at >>> shift)].getShort((int) (at & mask));
    }

    float getFloat(long at) {
        return windows[(int) (at >>> shift)].getFloat((int) (at & mask));
    }

    double getDouble(long at) {
        return windows[(int) (at >>> shift)].getDouble((int) (at & mask));
    }

    /** Feeds bytes [at, at + length) to the checksum, window by window. */
    void checksum(long at, long length, java.util.zip.Checksum sum) {
        long position = at;
        long remaining = length;
        while (remaining > 0) {
            int w = (int) (position >>> shift);
            int local = (int) (position & mask);
            int n = (int) Math.min(remaining, windows[w].capacity() - local);
            java.nio.ByteBuffer slice = windows[w].duplicate();
            slice.limit(local + n).position(local);
            sum.update(slice);
            remaining -= n;
            position += n;
        }
    }
}
