package io.github.spectralcircuits.model;

import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;

/**
 * Turns stored weight layouts into the row-vector convention of the spec (y = x W, W [in, out]).
 * Linear layers store [out, in] (y = x W^T) and must be transposed; Conv1D layers already store [in, out].
 */
public final class RowVectorLayout {
    private RowVectorLayout() {
    }

    /** A Linear weight stored [out, in], as the [in, out] matrix of y = x W. */
    public static DMatrixRMaj fromLinear(double[] stored, int out, int in) {
        return CommonOps_DDRM.transpose(wrap(stored, out, in), null);
    }

    /** A Conv1D weight stored [in, out]: already y = x W. */
    public static DMatrixRMaj fromConv1D(double[] stored, int in, int out) {
        return wrap(stored, in, out);
    }

    /** Columns [from, to) of m as a new matrix. */
    public static DMatrixRMaj columns(DMatrixRMaj m, int from, int to) {
        return CommonOps_DDRM.extract(m, 0, m.numRows, from, to);
    }

    private static DMatrixRMaj wrap(double[] data, int rows, int cols) {
        if (data.length != (long) rows * cols) {
            throw new IllegalArgumentException(data.length + " values cannot be a " + rows + "x" + cols + " matrix");
        }
        return DMatrixRMaj.wrap(rows, cols, data);
    }
}
