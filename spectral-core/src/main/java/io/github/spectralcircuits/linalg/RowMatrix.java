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

    /**
     * The argument check every implementation makes before reading a panel: rows inside the matrix
     * and room for them in dst.
     */
    static void checkPanel(RowMatrix m, int firstRow, int rowCount, double[] dst) {
        if (firstRow < 0 || rowCount < 0 || (long) firstRow + rowCount > m.rows()) {
            throw new IndexOutOfBoundsException("rows [" + firstRow + ", " + ((long) firstRow + rowCount)
                    + ") of a matrix with " + m.rows() + " rows");
        }
        long n = (long) rowCount * m.cols();
        if (dst.length < n) {
            throw new IllegalArgumentException("dst holds " + dst.length + " values, " + n + " needed");
        }
    }
}
