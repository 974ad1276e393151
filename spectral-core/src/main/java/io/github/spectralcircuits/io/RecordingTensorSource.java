package io.github.spectralcircuits.io;

import io.github.spectralcircuits.linalg.RowMatrix;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.ConcurrentSkipListSet;

/**
 * A source that remembers which tensors were looked at (their shape checked, or their values read), so that
 * the weights fingerprint covers exactly what an adapter uses, whatever the family, with no list of names
 * kept in two places.
 */
public final class RecordingTensorSource implements TensorSource {
    private final TensorSource source;
    private final Set<String> used = new ConcurrentSkipListSet<>();

    public RecordingTensorSource(TensorSource source) {
        this.source = source;
    }

    /** The names looked at so far. */
    public Set<String> used() {
        return Set.copyOf(used);
    }

    /** The fingerprint of the tensors looked at so far. */
    public WeightsFingerprint fingerprint() {
        return WeightsFingerprint.of(source, used());
    }

    @Override
    public Path directory() {
        return source.directory();
    }

    @Override
    public Set<String> names() {
        return source.names();
    }

    @Override
    public boolean contains(String name) {
        return source.contains(name);
    }

    @Override
    public TensorInfo info(String name) {
        TensorInfo info = source.info(name);
        used.add(name);
        return info;
    }

    @Override
    public double[] readDoubles(String name) {
        double[] values = source.readDoubles(name);
        used.add(name);
        return values;
    }

    @Override
    public RowMatrix rowMatrix(String name) {
        RowMatrix m = source.rowMatrix(name);
        used.add(name);
        return m;
    }

    @Override
    public long checksum(String name) {
        return source.checksum(name);
    }

    @Override
    public long byteLength(String name) {
        return source.byteLength(name);
    }

    @Override
    public DType dtype() {
        return source.dtype();
    }

    @Override
    public void close() {
        source.close();
    }

    @Override
    public String toString() {
        return source.toString();
    }
}
