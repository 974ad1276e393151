package io.github.spectralcircuits.io;

import io.github.spectralcircuits.ParameterNames;
import io.github.spectralcircuits.linalg.RowMatrix;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * One safetensors file: an 8-byte little-endian header length, a JSON header, then the tensor data.
 * Our own reader (no usable Java library exists, see the spec): the header is checked completely
 * before use and the data is memory-mapped, never copied whole into the heap.
 */
public final class SafetensorsFile implements Closeable {
    /** Largest tensor {@link #readDoubles} copies into the heap (1 GiB of doubles). */
    static final long DEFAULT_MAX_READ_ELEMENTS = 1L << 27;
    private static final int SCAN_CHUNK = 1 << 16;

    private final Path path;
    private final FileChannel channel;
    private final WindowedMapping data;
    private final Map<String, SafetensorsEntry> entries;
    private final Map<String, String> metadata;
    private final long dataStart;
    private final long maxReadElements;
    private volatile boolean closed;

    private SafetensorsFile(Path path, FileChannel channel, WindowedMapping data, SafetensorsHeader header,
                            long dataStart, long maxReadElements) {
        this.path = path;
        this.channel = channel;
        this.data = data;
        this.dataStart = dataStart;
        this.maxReadElements = maxReadElements;
        Map<String, SafetensorsEntry> byName = new LinkedHashMap<>();
        for (SafetensorsEntry e : header.entries()) {
            byName.put(e.name(), e);
        }
        this.entries = Collections.unmodifiableMap(byName);
        this.metadata = header.metadata();
    }

    /** Opens and validates the file; every problem is a {@link ModelInputException} naming it. */
    public static SafetensorsFile open(Path file) {
        return open(file, WindowedMapping.DEFAULT_STEP, DEFAULT_MAX_READ_ELEMENTS);
    }

    /** For tests: a small window step exercises the window logic without multi-GB files. */
    static SafetensorsFile open(Path file, long windowStep, long maxReadElements) {
        if (!Files.exists(file)) {
            throw new ModelInputException(file + " does not exist. Check the path, or download the missing file.");
        }
        if (!Files.isRegularFile(file)) {
            throw new ModelInputException(file + " is not a regular file, so it cannot be read as safetensors weights. "
                    + "Check the model directory's contents.");
        }
        FileChannel channel = null;
        try {
            channel = FileChannel.open(file, StandardOpenOption.READ);
            SafetensorsFile result = read(file, channel, windowStep, maxReadElements);
            channel = null; // owned by result now
            return result;
        } catch (NoSuchFileException e) {
            throw new ModelInputException(file + " does not exist. Check the path, or download the missing file.", e);
        } catch (AccessDeniedException e) {
            throw new ModelInputException(file + " cannot be read: permission denied. Make the file readable.", e);
        } catch (IOException e) {
            throw new ModelInputException("Cannot read " + file + ": " + e.getMessage()
                    + ". Check that the file is readable and not being written.", e);
        } finally {
            if (channel != null) {
                try {
                    channel.close();
                } catch (IOException ignored) {
                    // the original failure is the one to report
                }
            }
        }
    }

    private static SafetensorsFile read(Path file, FileChannel channel, long windowStep, long maxReadElements)
            throws IOException {
        long size = channel.size();
        if (size < 8) {
            throw SafetensorsHeader.error(file, "it is " + size + " bytes long, shorter than the 8-byte header length "
                    + "that starts every safetensors file (truncated, or an empty placeholder such as a Git LFS stub)");
        }
        ByteBuffer prefix = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
        while (prefix.hasRemaining()) {
            if (channel.read(prefix, prefix.position()) < 0) {
                throw SafetensorsHeader.error(file, "it ended while its header length was read");
            }
        }
        long headerLength = prefix.getLong(0);
        if (headerLength < 0 || headerLength > SafetensorsHeader.MAX_HEADER_BYTES) {
            throw SafetensorsHeader.error(file, "its header length is " + Long.toUnsignedString(headerLength)
                    + " bytes, above the format's limit of " + SafetensorsHeader.MAX_HEADER_BYTES + " bytes (100 MB)");
        }
        if (headerLength > size - 8) {
            throw SafetensorsHeader.error(file, "its header claims " + headerLength + " bytes, but only " + (size - 8)
                    + " bytes follow the length field: the file is shorter than its header claims (truncated download?)");
        }
        long dataStart = 8 + headerLength;
        long dataLength = size - dataStart;
        ByteBuffer headerBytes = channel.map(FileChannel.MapMode.READ_ONLY, 8, headerLength);
        SafetensorsHeader header = SafetensorsHeader.parse(file, new ByteBufferInputStream(headerBytes), dataLength);
        WindowedMapping mapping = new WindowedMapping(channel, dataStart, dataLength, windowStep);
        return new SafetensorsFile(file, channel, mapping, header, dataStart, maxReadElements);
    }

    public Path path() {
        return path;
    }

    /** Tensor names in the order of their data. */
    public Set<String> names() {
        return entries.keySet();
    }

    public boolean contains(String name) {
        return entries.containsKey(name);
    }

    /** The header's {@code __metadata__} (empty when absent). */
    public Map<String, String> metadata() {
        return metadata;
    }

    /** The dtype as the header names it, including types that cannot be read as weights (I64, U8...). */
    public String storedDType(String name) {
        return entry(name).dtype().name();
    }

    /** The readable dtype of a tensor, or null when it is stored as a type the math does not take. */
    DType readableDType(String name) {
        return entry(name).dtype().readable();
    }

    /** Bytes of the tensor's data, a measure for the dominant dtype. */
    long byteLength(String name) {
        return entry(name).byteLength();
    }

    /** Absolute file offset of a tensor's first byte (for tests that compare against raw bytes). */
    long fileOffset(String name) {
        return dataStart + entry(name).begin();
    }

    /** The data mapping, for tests of the window logic. */
    WindowedMapping mapping() {
        return data;
    }

    public TensorInfo info(String name) {
        SafetensorsEntry e = entry(name);
        return new TensorInfo(name, readable(e), e.shape(), path);
    }

    /** The whole tensor, row-major, as double; for per-layer tensors (an element-count limit guards the heap). */
    public double[] readDoubles(String name) {
        SafetensorsEntry e = entry(name);
        DType dtype = readable(e);
        long n = e.elementCount();
        if (n > maxReadElements || n * 8 > Runtime.getRuntime().maxMemory()) {
            throw new ModelInputException(path + ": tensor " + SafetensorsHeader.quote(name) + " has shape "
                    + e.shapeString() + " (" + n + " elements), too large to read into the heap at once (limit "
                    + Math.min(maxReadElements, Runtime.getRuntime().maxMemory() / 8) + " elements). "
                    + "If this really is one attention layer's weight, raise the heap (" + ParameterNames.ref("heap") + "); "
                    + "otherwise check that the file belongs to the architecture in config.json.");
        }
        checkOpen();
        double[] values = new double[(int) n];
        readFinite(e, dtype, n, values);
        return values;
    }

    /** Bytes per positional read of {@link #readFinite}. */
    private static final int READ_CHUNK = 1 << 20;

    /**
     * The whole tensor by positional reads of the file instead of through the mapping. Why: the pages of
     * a mapping that were touched stay in the process's resident set while the mapping lives, so reading
     * every layer of a 7B checkpoint (4.3 GB of attention weights) through it made the JVM's RSS grow by
     * that much; read this way they are only in the page cache. The bytes and the decoding are the same.
     */
    private void readFinite(SafetensorsEntry e, DType dtype, long n, double[] dst) {
        checkNotTruncated(e, e.begin() + n * dtype.bytes());
        int width = dtype.bytes();
        ByteBuffer chunk = ByteBuffer.allocate((int) Math.min(READ_CHUNK, Math.max(width, n * width)))
                .order(ByteOrder.LITTLE_ENDIAN);
        int perChunk = chunk.capacity() / width;
        long position = dataStart + e.begin();
        int bad = 0;
        try {
            for (long done = 0; done < n; ) {
                int count = (int) Math.min(perChunk, n - done);
                chunk.clear().limit(count * width);
                while (chunk.hasRemaining()) {
                    if (channel.read(chunk, position + chunk.position()) < 0) {
                        throw changedWhileReading(e, new InternalError("the file ended before the tensor's last byte"));
                    }
                }
                WindowedMapping.decodeRun(chunk, 0, dtype, count, dst, (int) done);
                position += (long) count * width;
                done += count;
            }
        } catch (IOException ioe) {
            throw new ModelInputException("Cannot read " + path + " (reading tensor " + SafetensorsHeader.quote(e.name())
                    + "): " + ioe.getMessage() + ". Check that the file is still there and readable.", ioe);
        }
        bad = countNonFinite(dst, (int) n);
        if (bad > 0) {
            throw nonFinite(e);
        }
    }

    /**
     * CRC32C of the tensor's stored bytes, as the file holds them. By positional reads, as {@link #readFinite}
     * and for its reason: through the mapping, fingerprinting a 7B checkpoint's attention weights would leave
     * their 4.3 GB in the process's resident set.
     */
    public long checksum(String name) {
        SafetensorsEntry e = entry(name);
        checkOpen();
        checkNotTruncated(e, e.end());
        java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
        ByteBuffer chunk = ByteBuffer.allocateDirect((int) Math.max(1, Math.min(READ_CHUNK, e.byteLength())));
        long position = dataStart + e.begin();
        long end = position + e.byteLength();
        try {
            while (position < end) {
                chunk.clear().limit((int) Math.min(chunk.capacity(), end - position));
                while (chunk.hasRemaining()) {
                    if (channel.read(chunk, position + chunk.position()) < 0) {
                        throw changedWhileReading(e, new InternalError("the file ended before the tensor's last byte"));
                    }
                }
                chunk.flip();
                position += chunk.remaining();
                crc.update(chunk);
            }
        } catch (IOException ioe) {
            throw new ModelInputException("Cannot read " + path + " (reading tensor " + SafetensorsHeader.quote(e.name())
                    + "): " + ioe.getMessage() + ". Check that the file is still there and readable.", ioe);
        }
        return crc.getValue();
    }

    /** A 2-dimensional tensor as a row-panel reader over the mapping; safe for concurrent readers. */
    public RowMatrix rowMatrix(String name) {
        SafetensorsEntry e = entry(name);
        DType dtype = readable(e);
        long[] shape = e.shape();
        if (shape.length != 2) {
            throw new ModelInputException(path + ": tensor " + SafetensorsHeader.quote(name) + " has shape "
                    + e.shapeString() + ", but a matrix [rows, columns] is expected here. "
                    + "Check that the checkpoint matches the architecture in config.json.");
        }
        if (shape[0] > Integer.MAX_VALUE || shape[1] > Integer.MAX_VALUE) {
            throw new ModelInputException(path + ": tensor " + SafetensorsHeader.quote(name) + " has shape "
                    + e.shapeString() + ", more than 2^31 rows or columns, which no supported model has. "
                    + "Check that the file is genuine.");
        }
        return new MappedRows(e, dtype, (int) shape[0], (int) shape[1]);
    }

    @Override
    public void close() {
        closed = true;
        try {
            channel.close();
        } catch (IOException ignored) {
            // Read-only file: nothing is lost. The mappings are released when they become unreachable.
        }
    }

    private SafetensorsEntry entry(String name) {
        SafetensorsEntry e = entries.get(name);
        if (e == null) {
            throw new ModelInputException(path + " has no tensor " + SafetensorsHeader.quote(name)
                    + ". Check that the checkpoint matches the architecture in config.json.");
        }
        return e;
    }

    private DType readable(SafetensorsEntry e) {
        DType dtype = e.dtype().readable();
        if (dtype == null) {
            throw new ModelInputException(path + ": tensor " + SafetensorsHeader.quote(e.name()) + " is stored as "
                    + e.dtype() + ", an unsupported dtype for weights (supported: F32, F16, BF16, F64). "
                    + "Convert the checkpoint to a floating-point dtype, for example with model.to(torch.float32) "
                    + "and save_pretrained.");
        }
        return dtype;
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException(path + " was closed");
        }
    }

    /**
     * The JVM reports a page of a mapping that vanished (the file was truncated or replaced after it
     * was opened) as an InternalError from the faulting access; it is the file, not the program,
     * that is broken, so it is reported as such.
     */
    private void decode(SafetensorsEntry e, long offset, DType dtype, long count, double[] dst) {
        try {
            data.decode(offset, dtype, count, dst, 0);
        } catch (InternalError fault) {
            throw changedWhileReading(e, fault);
        }
    }

    /**
     * Decodes and checks for non-finite values inside one guard: the JVM may deliver the fault of
     * a vanished page at a later safepoint than the faulting load, for example in the scan loop.
     */
    private void decodeFinite(SafetensorsEntry e, long offset, DType dtype, long count, double[] dst) {
        checkNotTruncated(e, offset + count * dtype.bytes());
        int bad;
        try {
            data.decode(offset, dtype, count, dst, 0);
            bad = countNonFinite(dst, (int) count);
        } catch (InternalError fault) {
            throw changedWhileReading(e, fault);
        }
        if (bad > 0) {
            throw nonFinite(e);
        }
    }

    /**
     * Touching a mapped page that a truncation removed raises SIGBUS, which the JVM turns into an
     * InternalError that may surface after the faulting load, outside any handler. Asking the file's
     * size first (one fstat per panel) turns the usual case, a file cut short before the read, into a
     * clear error without touching the mapping.
     */
    private void checkNotTruncated(SafetensorsEntry e, long dataEnd) {
        long size;
        try {
            size = channel.size();
        } catch (java.io.IOException ioe) {
            throw new ModelInputException("Cannot read " + path + " (reading tensor " + SafetensorsHeader.quote(e.name())
                    + "): " + ioe.getMessage() + ". Check that the file is still there and readable.", ioe);
        }
        if (size < dataStart + dataEnd) {
            throw changedWhileReading(e, new InternalError("the file is now " + size + " bytes, shorter than the "
                    + (dataStart + dataEnd) + " bytes its header described when it was opened"));
        }
    }

    private ModelInputException changedWhileReading(SafetensorsEntry e, InternalError fault) {
        return new ModelInputException(path + " changed while it was being read (reading tensor "
                + SafetensorsHeader.quote(e.name()) + " failed: " + fault.getMessage() + "). Do not modify or "
                + "replace model files during an analysis; run it again once the files are complete.", fault);
    }

    private static int countNonFinite(double[] values, int n) {
        int bad = 0;
        for (int i = 0; i < n; i++) {
            if (!Double.isFinite(values[i])) {
                bad++;
            }
        }
        return bad;
    }

    /** Scans the whole tensor once, so the error can say how much of it is bad. */
    private ModelInputException nonFinite(SafetensorsEntry e) {
        DType dtype = e.dtype().readable();
        long total = e.elementCount();
        long nan = 0;
        long infinite = 0;
        double[] chunk = new double[(int) Math.min(SCAN_CHUNK, total)];
        for (long done = 0; done < total; ) {
            int n = (int) Math.min(chunk.length, total - done);
            decode(e, e.begin() + done * dtype.bytes(), dtype, n, chunk);
            for (int i = 0; i < n; i++) {
                if (Double.isNaN(chunk[i])) {
                    nan++;
                } else if (Double.isInfinite(chunk[i])) {
                    infinite++;
                }
            }
            done += n;
        }
        return new ModelInputException(path + ": tensor " + SafetensorsHeader.quote(e.name()) + " " + e.shapeString()
                + " holds " + (nan + infinite) + " non-finite values (" + nan + " NaN, " + infinite + " infinite) of "
                + total + ". The weights are corrupt or were saved after training diverged; use a checkpoint whose "
                + "weights are all finite.");
    }

    private final class MappedRows implements RowMatrix {
        private final SafetensorsEntry entry;
        private final DType dtype;
        private final int rows;
        private final int cols;

        MappedRows(SafetensorsEntry entry, DType dtype, int rows, int cols) {
            this.entry = entry;
            this.dtype = dtype;
            this.rows = rows;
            this.cols = cols;
        }

        @Override
        public int rows() {
            return rows;
        }

        @Override
        public int cols() {
            return cols;
        }

        @Override
        public void readRows(int firstRow, int rowCount, double[] dst) {
            RowMatrix.checkPanel(this, firstRow, rowCount, dst);
            long n = (long) rowCount * cols;
            checkOpen();
            long offset = entry.begin() + (long) firstRow * cols * dtype.bytes();
            decodeFinite(entry, offset, dtype, n, dst);
        }

        @Override
        public String toString() {
            return entry.name() + " " + entry.shapeString() + " in " + path;
        }
    }

    /** Streams a mapped header to Jackson without copying it into a byte array first. */
    private static final class ByteBufferInputStream extends InputStream {
        private final ByteBuffer buffer;

        ByteBufferInputStream(ByteBuffer buffer) {
            this.buffer = buffer;
        }

        @Override
        public int read() {
            return buffer.hasRemaining() ? buffer.get() & 0xff : -1;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (len == 0) {
                return 0;
            }
            if (!buffer.hasRemaining()) {
                return -1;
            }
            int n = Math.min(len, buffer.remaining());
            buffer.get(b, off, n);
            return n;
        }
    }
}
