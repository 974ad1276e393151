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

    /**
     * A fused query/key/value weight as W_Q [d, H*dh], W_K and W_V [d, KV*dh]: output feature i of head h
     * of each part sits at {@link ArchitectureFamily.FusedLayout#output}, a row of a Linear [out, d] or a
     * column of a Conv1D [d, out], and becomes column h*dh + i of that part.
     */
    public static DMatrixRMaj[] splitFused(double[] stored, boolean conv1d, ArchitectureFamily.FusedLayout layout,
                                           int d, int heads, int kvHeads, int dh) {
        int width = (heads + 2 * kvHeads) * dh;
        if (stored.length != (long) width * d) {
            throw new IllegalArgumentException(stored.length + " values cannot be a fused " + width + "x" + d + " matrix");
        }
        DMatrixRMaj[] parts = {new DMatrixRMaj(d, heads * dh), new DMatrixRMaj(d, kvHeads * dh), new DMatrixRMaj(d, kvHeads * dh)};
        for (int part = 0; part < 3; part++) {
            int n = part == 0 ? heads : kvHeads;
            double[] dst = parts[part].data;
            int cols = n * dh;
            for (int h = 0; h < n; h++) {
                for (int i = 0; i < dh; i++) {
                    int out = layout.output(part, h, i, heads, kvHeads, dh);
                    int col = h * dh + i;
                    for (int j = 0; j < d; j++) {
                        dst[j * cols + col] = conv1d ? stored[j * width + out] : stored[out * d + j];
                    }
                }
            }
        }
        return parts;
    }

    private static DMatrixRMaj wrap(double[] data, int rows, int cols) {
        if (data.length != (long) rows * cols) {
            throw new IllegalArgumentException(data.length + " values cannot be a " + rows + "x" + cols + " matrix");
        }
        return DMatrixRMaj.wrap(rows, cols, data);
    }
}
