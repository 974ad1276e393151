package io.github.spectralcircuits.testing;

import io.github.spectralcircuits.io.DType;
import io.github.spectralcircuits.io.ModelInputException;
import io.github.spectralcircuits.io.TensorInfo;
import io.github.spectralcircuits.io.TensorSource;
import io.github.spectralcircuits.linalg.ArrayRowMatrix;
import io.github.spectralcircuits.linalg.RowMatrix;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An in-memory {@link TensorSource} for tests: tensors given as values + shape, reported as stored in
 * {@code directory/model.safetensors} with one dtype. Counts reads per tensor so tests can check that
 * adapters read layers on demand, and records whether it was closed.
 */
public final class MapTensorSource implements TensorSource {
    private final Path directory;
    private final DType dtype;
    private final Map<String, TestTensor> tensors = new LinkedHashMap<>();
    private final Map<String, AtomicInteger> reads = new ConcurrentHashMap<>();
    private volatile boolean closed;

    public MapTensorSource(Path directory, DType dtype) {
        this.directory = directory;
        this.dtype = dtype;
    }

    public MapTensorSource(Path directory, DType dtype, Map<String, TestTensor> tensors) {
        this(directory, dtype);
        this.tensors.putAll(tensors);
    }

    /** Adds (or replaces) a tensor; returns this for chaining. */
    public MapTensorSource put(String name, double[] values, long... shape) {
        tensors.put(name, new TestTensor(shape, values));
        return this;
    }

    /** How many times {@link #readDoubles} was called for a tensor. */
    public int reads(String name) {
        AtomicInteger n = reads.get(name);
        return n == null ? 0 : n.get();
    }

    public boolean isClosed() {
        return closed;
    }

    @Override
    public Path directory() {
        return directory;
    }

    @Override
    public Set<String> names() {
        return Collections.unmodifiableSet(tensors.keySet());
    }

    @Override
    public TensorInfo info(String name) {
        return new TensorInfo(name, dtype, tensor(name).shape(), directory.resolve("model.safetensors"));
    }

    @Override
    public double[] readDoubles(String name) {
        double[] v = tensor(name).values().clone();
        reads.computeIfAbsent(name, k -> new AtomicInteger()).incrementAndGet();
        return v;
    }

    /** CRC32C of the values as little-endian float64 (the dtype given is only reported). */
    @Override
    public long checksum(String name) {
        double[] v = tensor(name).values();
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(v.length * 8).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        b.asDoubleBuffer().put(v);
        java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
        crc.update(b);
        return crc.getValue();
    }

    @Override
    public long byteLength(String name) {
        return tensor(name).values().length * 8L;
    }

    @Override
    public RowMatrix rowMatrix(String name) {
        TestTensor t = tensor(name);
        long[] s = t.shape();
        if (s.length != 2) {
            throw new ModelInputException("tensor '" + name + "' is not two-dimensional");
        }
        return new ArrayRowMatrix((int) s[0], (int) s[1], t.values().clone());
    }

    @Override
    public DType dtype() {
        return dtype;
    }

    @Override
    public void close() {
        closed = true;
    }

    private TestTensor tensor(String name) {
        TestTensor t = tensors.get(name);
        if (t == null) {
            throw new ModelInputException(directory + " has no tensor '" + name + "'.");
        }
        return t;
    }
}
