package io.github.spectralcircuits.io;

import io.github.spectralcircuits.linalg.RowMatrix;
import java.nio.file.Path;
import java.util.Set;

/**
 * The tensors of one model directory, whatever the file format (safetensors, sharded
 * safetensors, PyTorch zip). Adapters see only this. Every method that names a tensor throws
 * {@link ModelInputException} naming it and the directory when it is absent.
 */
public interface TensorSource extends AutoCloseable {
    /** The model directory (for messages). */
    Path directory();

    Set<String> names();

    default boolean contains(String name) {
        return names().contains(name);
    }

    TensorInfo info(String name);

    /** The whole tensor, row-major, widened to double. For per-layer tensors, never embeddings. */
    double[] readDoubles(String name);

    /** A two-dimensional tensor [rows, cols] as a row-panel view, without copying it into the heap. */
    RowMatrix rowMatrix(String name);

    /** CRC32C of the tensor's bytes as stored (before widening): what the weights fingerprint is made of. */
    long checksum(String name);

    /** The number of bytes the tensor takes as stored. */
    long byteLength(String name);

    /** The dominant stored dtype (for the report). */
    DType dtype();

    @Override
    void close();
}
