package io.github.spectralcircuits.linalg;

import java.util.stream.IntStream;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;

/**
 * C = A B and C = A^T B for the d x d x (heads * d_head) products of each layer, on
 * {@link DenseKernel} (several times faster than EJML's multiply at these sizes), with the rows of C
 * shared out over the cores in blocks. Each block's entries are summed in the same order whatever
 * the thread that computes it, so results do not depend on scheduling.
 */
public final class DenseProducts {
    private static final int ROW_BLOCK = 16;
    private final DenseKernel kernel;

    public DenseProducts(DenseKernel kernel) {
        this.kernel = kernel;
    }

    public static DenseProducts standard() {
        return new DenseProducts(DenseKernel.best());
    }

    /** A^T B. */
    public DMatrixRMaj multTransA(DMatrixRMaj a, DMatrixRMaj b) {
        return multTransA(a, b, false);
    }

    /** A B (A is transposed once, O(mk), so the kernel streams both operands by rows). */
    public DMatrixRMaj mult(DMatrixRMaj a, DMatrixRMaj b) {
        return multTransA(CommonOps_DDRM.transpose(a, null), b, false);
    }

    /** U B for an upper-triangular U (a Cholesky factor): the zeros below U's diagonal are skipped. */
    public DMatrixRMaj multUpperTriangular(DMatrixRMaj u, DMatrixRMaj b) {
        return multTransA(CommonOps_DDRM.transpose(u, null), b, true);
    }

    private DMatrixRMaj multTransA(DMatrixRMaj a, DMatrixRMaj b, boolean aLower) {
        if (a.numRows != b.numRows) {
            throw new IllegalArgumentException("A^T B needs equal row counts: " + a.numRows + " vs " + b.numRows);
        }
        int m = a.numCols;
        DMatrixRMaj c = new DMatrixRMaj(m, b.numCols);
        int blocks = (m + ROW_BLOCK - 1) / ROW_BLOCK;
        IntStream range = IntStream.range(0, blocks);
        if ((long) m * b.numCols * a.numRows > 1_000_000L) {
            range = range.parallel();
        }
        range.forEach(k -> kernel.addTransAB(a.data, b.data, a.numRows, m, b.numCols, c.data,
                k * ROW_BLOCK, Math.min(m, (k + 1) * ROW_BLOCK), aLower));
        return c;
    }
}
