package io.github.spectralcircuits.linalg;

import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;

/**
 * C = A B and C = A^T B for the d x d x (heads * d_head) products of each layer, on
 * {@link DenseKernel} (several times faster than EJML's multiply at these sizes).
 */
public final class DenseProducts {
    private final DenseKernel kernel;

    public DenseProducts(DenseKernel kernel) {
        this.kernel = kernel;
    }

    public static DenseProducts standard() {
        return new DenseProducts(DenseKernel.best());
    }

    /** A^T B. */
    public DMatrixRMaj multTransA(DMatrixRMaj a, DMatrixRMaj b) {
        if (a.numRows != b.numRows) {
            throw new IllegalArgumentException("A^T B needs equal row counts: " + a.numRows + " vs " + b.numRows);
        }
        DMatrixRMaj c = new DMatrixRMaj(a.numCols, b.numCols);
        kernel.addTransAB(a.data, b.data, a.numRows, a.numCols, b.numCols, c.data);
        return c;
    }

    /** A B (A is transposed once, O(mk), so the kernel streams both operands by rows). */
    public DMatrixRMaj mult(DMatrixRMaj a, DMatrixRMaj b) {
        return multTransA(CommonOps_DDRM.transpose(a, null), b);
    }
}
