package io.github.spectralcircuits.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;

/**
 * A read-only memory mapping of one region of a file, of any length. A single MappedByteBuffer is
 * indexed by int, so the region is mapped as windows starting every {@code step} bytes; each
 * window reaches {@link #OVERLAP} bytes into the next one, so that every element (at most 8 bytes)
 * that starts in a window lies wholly inside it, whatever the alignment of the tensor.
 *
 * <p>Thread safety: only absolute get methods are used, on buffers that are never repositioned,
 * so any number of threads may decode concurrently.
 */
final class WindowedMapping {
    static final int OVERLAP = 8;
    /** 1 GiB windows: well under the 2 GiB limit of one mapping, and few of them even for large files. */
    static final long DEFAULT_STEP = 1L << 30;

    private final long length;
    private final long step;
    private final ByteBuffer[] windows;

    /** Maps bytes [start, start + length) of channel; step is the distance between windows. */
    WindowedMapping(FileChannel channel, long start, long length, long step) throws IOException {
        if (step <= 0 || step + OVERLAP > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("window step " + step);
        }
        this.length = length;
        this.step = step;
        long count = length == 0 ? 0 : (length - 1) / step + 1;
        if (count > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("too many windows: " + count);
        }
        windows = new ByteBuffer[(int) count];
        for (int w = 0; w < count; w++) {
            long offset = w * step;
            long size = Math.min(step + OVERLAP, length - offset);
            MappedByteBuffer m = channel.map(FileChannel.MapMode.READ_ONLY, start + offset, size);
            windows[w] = m.order(ByteOrder.LITTLE_ENDIAN);
        }
    }

    long length() {
        return length;
    }

    /** The largest single mapping, for tests: never above step + OVERLAP. */
    long largestWindow() {
        long max = 0;
        for (ByteBuffer b : windows) {
            max = Math.max(max, b.capacity());
        }
        return max;
    }

    int windowCount() {
        return windows.length;
    }

    /**
     * Decodes count elements of dtype starting at byte offset into dst[dstOffset..], widened to
     * double. The caller guarantees the bytes lie inside the region.
     */
    void decode(long offset, DType dtype, long count, double[] dst, int dstOffset) {
        int width = dtype.bytes();
        long position = offset;
        long remaining = count;
        int out = dstOffset;
        while (remaining > 0) {
            int w = (int) (position / step);
            int local = (int) (position - w * step);
            // Elements starting before the next window's start fit in this window thanks to the overlap.
            long fitting = (step - local + width - 1) / width;
            int n = (int) Math.min(remaining, fitting);
            decodeRun(windows[w], local, dtype, n, dst, out);
            out += n;
            remaining -= n;
            position += (long) n * width;
        }
    }

    /** Decodes n elements at byte {@code at} of b (little-endian) into dst[out..]. */
    static void decodeRun(ByteBuffer b, int at, DType dtype, int n, double[] dst, int out) {
        switch (dtype) {
            case F32 -> {
                for (int i = 0; i < n; i++) {
                    dst[out + i] = b.getFloat(at + 4 * i);
                }
            }
            case F64 -> {
                for (int i = 0; i < n; i++) {
                    dst[out + i] = b.getDouble(at + 8 * i);
                }
            }
            case F16 -> {
                for (int i = 0; i < n; i++) {
                    dst[out + i] = HalfPrecision.f16ToFloat(b.getShort(at + 2 * i));
                }
            }
            case BF16 -> {
                for (int i = 0; i < n; i++) {
                    dst[out + i] = HalfPrecision.bf16ToFloat(b.getShort(at + 2 * i));
                }
            }
            default -> throw new IllegalStateException("no decoder for " + dtype);
        }
    }
}
