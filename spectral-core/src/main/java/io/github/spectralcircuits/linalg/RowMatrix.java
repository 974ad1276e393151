package io.github.spectralcircuits.linalg;

/**
 * A tall matrix (vocabulary x d_model) read a panel of rows at a time, so that embeddings of
 * several GB never have to sit whole in the heap: a memory-mapped tensor, or a random control
 * generated on demand. Implementations must be safe for concurrent readers.
 */
public interface RowMatrix {
    int rows();

    int cols();

    /**
     * Copies rows [firstRow, firstRow + rowCount) into dst, row-major, starting at dst[0]
     * (dst must hold rowCount * cols() values).
     */
    void readRows(int firstRow, int rowCount, double[] dst);
}
